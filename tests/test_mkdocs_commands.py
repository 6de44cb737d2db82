"""`mkdocs build` and `cxdocs serve` work on a project: one target each, through the cxdocs plugin."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _run(args, cwd, **env):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **env}, timeout=120)


def test_mkdocs_build_builds_the_public_target_by_default(project):
    result = _run([sys.executable, "-m", "mkdocs", "build", "-q"], project.root)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    assert (site / "faq/shipping/delivery/index.html").is_file()
    assert not (site / "sop").exists()


def test_mkdocs_build_internal_through_the_environment(project):
    result = _run([sys.executable, "-m", "mkdocs", "build", "-q"], project.root, CXDOCS_AUDIENCE="internal")
    assert result.returncode == 0, result.stderr
    assert (project.root / "site/sop/billing/refund/index.html").is_file()


def test_mkdocs_build_reports_bad_content_with_path_and_line(project):
    project.write("content/faq/shipping/bad.md", "---\ntitle: Bad\n---\n\n## Why?\n\nBecause {{ nope }}.\n")
    result = _run([sys.executable, "-m", "mkdocs", "build", "-q"], project.root)
    assert result.returncode == 1
    assert "content/faq/shipping/bad.md:7: unknown variable {{ nope }}" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_previews_one_audience_and_picks_up_edits(project):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cxdocs.app.cli", "serve", "--audience", "public", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = _get(f"{base}/faq/shipping/delivery/", time.monotonic() + 60)
        assert "How long does delivery take?" in page
        try:
            urllib.request.urlopen(f"{base}/sop/billing/refund/", timeout=5)
            raise AssertionError("the public preview must not serve SOPs")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        source = project.root / "content/faq/shipping/delivery.md"
        source.write_text(source.read_text().replace("Yes, with the link", "Yes, with the tracking link"))
        deadline = time.monotonic() + 30
        while "Yes, with the tracking link" not in _get(f"{base}/faq/shipping/delivery/", deadline):
            assert time.monotonic() < deadline, "the edit never showed up in the preview"
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=20)
