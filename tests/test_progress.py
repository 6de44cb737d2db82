"""A long build shows its progress on a terminal; in CI it prints only warnings, errors and a summary."""

from __future__ import annotations

import errno
import os
import pty
import re
import subprocess
import sys


def run_on_a_terminal(project, *args: str, **env: str) -> str:
    """Run ``cxdocs`` with stderr and stdout on a pseudo-terminal, as a writer's shell would."""
    master, slave = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | env
    process = subprocess.Popen(
        [sys.executable, "-m", "cxdocs.app.cli", *args], cwd=project.root, stdout=slave, stderr=slave, env=environment
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError as exc:  # EIO: the child closed the terminal
            if exc.errno != errno.EIO:
                raise
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert process.wait() == 0, b"".join(chunks).decode()
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_build_on_a_terminal_shows_targets_and_pages_done(project):
    project.write("content/faq/shipping/returns.md", "---\ntitle: Returns\n---\n\n## Can I return it?\n\nYes.\n")
    output = run_on_a_terminal(project, "build")
    # Public: two FAQ pages; internal: those, an SOP and a response.
    assert "[1/2] built " in output and "[2/2] built " in output
    counts = [(int(done), int(total)) for done, total in re.findall(r"(\d+)/(\d+) pages", output)]
    assert counts and {total for _, total in counts} == {6}
    assert counts[-1] == (6, 6)
    assert [done for done, _ in counts] == sorted(done for done, _ in counts), "pages done went backwards"
    # The status line is drawn in place and cleared before the summary.
    last = output.replace("\r\n", "\n").rsplit("\r", 1)[-1]
    assert last.startswith("\x1b[K") and "/6 pages" not in last
    # The summary counts the pages the status line counted (it once said 350 where the line ended at 225).
    assert re.search(r"built 2 target\(s\), 6 pages \(and \d+ home, topic and health pages\) in", output)


def test_build_in_ci_prints_only_the_summary(project):
    sop = project.root / "content/sop/billing/refund.md"
    sop.write_text(sop.read_text().replace("2099-01-31", "2001-01-31"))
    output = run_on_a_terminal(project, "build", CI="true")
    lines = [line for line in output.replace("\r\n", "\n").split("\n") if line]
    assert "\x1b[K" not in output and "pages done" not in output
    assert len(lines) == 2, lines
    assert lines[0].startswith("content/sop/billing/refund.md:") and "due for review" in lines[0]
    assert lines[1].startswith("built 2 target(s)")


def test_build_without_a_terminal_prints_only_the_summary(project):
    result = project.build()
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith("built 2 target(s)")
