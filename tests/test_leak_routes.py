"""Every route by which internal text once reached a public byte with a clean build, a clean
check and a silent guard, each closed: refused where it is written, or kept out of every public
file, and caught by the guard when the first line of defence is broken on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import site_bytes

import cxdocs.adapters.mkdocs.plugin
import cxdocs.core.audience
import cxdocs.core.render
from cxdocs.core.audience import INTERNAL

FAQ_HEAD = "---\ntitle: Delivery\n---\n\n## How long does delivery take?\n\nThree to five days.\n\n"


def public_bytes(project) -> bytes:
    return b"\n".join(site_bytes(project.root / "site" / "public").values()).lower()


def internal_bytes(project) -> bytes:
    return b"\n".join(site_bytes(project.root / "site" / "internal").values()).lower()


def pack_bytes(project) -> bytes:
    return b"\n".join(site_bytes(project.root / "site" / "responses").values()).lower()


def assert_refused(result, where: str, message: str, project) -> None:
    assert result.exit_code == 1, result.output
    assert f"{where}: " in result.output and message in result.output, result.output
    assert "Traceback" not in result.output
    assert not (project.root / "site").exists(), "nothing may be written"


# -- Characters Markdown reads differently ------------------------------------------------------


def test_stx_and_etx_before_a_marker_are_read_as_markdown_reads_them(project):
    """Python-Markdown drops STX and ETX and renders the block as a callout: the filter reads the line the same way."""
    project.write(
        "content/faq/shipping/delivery.md",
        FAQ_HEAD + '\x02??? internal "Note"\n    qzxstxnote\n\n\x03!!! internal\n    qzxetxnote\n',
    )
    project.write("content/responses/refunds/refund-confirmed.md",
                  "---\ntitle: Refund confirmed\n---\n\nHi.\n\n\x02!!! internal\n    qzxpacknote\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    for marker in (b"qzxstxnote", b"qzxetxnote", b"qzxpacknote"):
        assert marker not in public_bytes(project)
        assert marker not in pack_bytes(project), "nor in any pack or helpdesk format"
        assert marker in internal_bytes(project)


@pytest.mark.parametrize(
    "before, after",
    [
        ("\x01", ""),  # a control character Markdown keeps
        ("\u200b", ""),  # zero-width space, as a copy-paste brings
        ("\ufeff", ""),  # a byte-order mark in the middle of a file
        ("\u00a0", ""),  # a non-breaking space
        ("Note: ", ""),  # any text
        ("", "-note"),  # another word fused to the type
        ("", "\u200b"),
    ],
)
def test_a_line_that_only_looks_like_a_marker_is_refused_where_it_is(project, before, after):
    """Markdown would print such a line and the indented note under it as text."""
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + f"{before}!!! internal{after}\n    qzxnote\n")
    result = project.build()
    assert_refused(result, "content/faq/shipping/delivery.md:9", "looks like an internal block's marker", project)


# -- Every source has an audience ----------------------------------------------------------------


@pytest.mark.parametrize(
    "included, files",
    [
        ("sop/billing/refund.md", {}),
        ("responses/refunds/refund-confirmed.md", {}),
        ("snippets/escalation.md", {"content/snippets/escalation.md": "---\naudience: internal\n---\n\nCall qzxdesk.\n"}),
        ("snippets/public.md", {"content/snippets/public.md": 'Our hours.\n\n--8<-- "sop/billing/refund.md"\n'}),
    ],
)
def test_including_an_internal_source_into_a_public_page_is_an_error_at_the_include(project, included, files):
    for rel, text in files.items():
        project.write(rel, text)
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + f'--8<-- "{included}"\n')
    # The include line that brings the internal file in: the page's, or the public snippet's.
    where = "content/snippets/public.md:3" if included == "snippets/public.md" else "content/faq/shipping/delivery.md:9"
    name = "sop/billing/refund.md" if included == "snippets/public.md" else included
    check = project.run("check")
    assert check.exit_code == 1 and f"{where}: includes {name}, which is internal, into a public page" in check.output
    assert_refused(project.build(), where, "which is internal", project)


def test_an_internal_source_included_inside_an_internal_block_is_an_agent_note(project):
    project.write("content/faq/shipping/delivery.md",
                  FAQ_HEAD + '!!! internal "How we refund"\n    --8<-- "sop/billing/refund.md"\n')
    result = project.build()
    assert result.exit_code == 0, result.output
    assert b"without approval" not in public_bytes(project)
    assert "Refund up to 30 EUR without approval." in project.html("internal/faq/shipping/delivery/index.html")


def test_a_snippet_keeps_its_front_matter(project):
    project.write("content/snippets/hours.md", "---\ntitle: Hours\naudience: public\n---\n\nWe answer every day.\n")
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + '--8<-- "snippets/hours.md"\n')
    assert_refused(project.build(), "content/snippets/hours.md:2", "a snippet's front matter may only set its audience", project)


def test_a_translated_snippet_is_as_internal_as_its_source(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/snippets/desk.md", "---\naudience: internal\n---\n\nCall the desk.\n")
    project.write("content/snippets/desk.sl.md", "Pokliči qzxdesk.\n")
    project.write("content/faq/shipping/delivery.sl.md", "---\ntitle: Dostava\n---\n\n## Kdaj?\n\nHitro.\n\n--8<-- \"snippets/desk.md\"\n")
    assert_refused(project.build(), "content/faq/shipping/delivery.sl.md:9", "includes snippets/desk.sl.md, which is internal", project)


@pytest.mark.parametrize("prefix", ["\n", "\n\n", " ", "\u200b"])
def test_front_matter_that_does_not_open_the_file_is_refused(project, prefix):
    """Every Markdown tool would read it as text and publish the page with its `audience: internal`."""
    (project.root / "content/faq/shipping/agents.md").write_text(
        prefix + "---\ntitle: Agents only\naudience: internal\n---\n\n## Why?\n\nqzxagentsonly\n", encoding="utf-8")
    line = prefix.count("\n") + 1
    assert_refused(project.build(), f"content/faq/shipping/agents.md:{line}", "front matter must start on the first line", project)


@pytest.mark.parametrize("key", ["Audience", "audiance", "audiences"])
def test_a_misspelt_audience_key_is_refused(project, key):
    """Without it the page would take its folder's audience: a public one."""
    project.write("content/faq/shipping/agents.md", f"---\ntitle: Agents\n{key}: internal\n---\n\n## Why?\n\nqzxagents\n")
    assert_refused(project.build(), "content/faq/shipping/agents.md:3", "did you mean 'audience'?", project)


def test_a_translation_kept_internal_stays_out_of_the_public_site(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/faq/shipping/delivery.sl.md",
                  "---\ntitle: Dostava qzxdraft\naudience: internal\n---\n\n## Kdaj?\n\nOsnutek qzxdraftbody.\n")
    check = project.run("check")
    assert "content/faq/shipping/delivery.sl.md:3: warning: this translation is internal" in check.output, check.output
    result = project.build()
    assert result.exit_code == 0, result.output
    assert b"qzxdraft" not in public_bytes(project)
    page = project.html("public/sl/faq/shipping/delivery/index.html")
    assert "How long does delivery take?" in page and 'hreflang="sl"' not in page  # the source, shown as untranslated
    assert "qzxdraftbody" in project.html("internal/sl/faq/shipping/delivery/index.html")


def test_a_translation_cannot_make_an_internal_page_public(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/sop/billing/refund.sl.md",
                  "---\ntitle: Vračilo qzxsl\naudience: public\ndepartment: B\npurpose: P\n---\n\n1. Korak.\n")
    check = project.run("check")
    assert "content/sop/billing/refund.sl.md:3: warning: this translation says audience 'public'" in check.output
    assert project.build().exit_code == 0
    assert b"qzxsl" not in public_bytes(project)


# -- Only regular files inside the content folder ------------------------------------------------


def _link(project, rel: str, target: str) -> None:
    path = project.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


@pytest.mark.parametrize(
    "rel, make, message",
    [
        ("content/faq/shipping/passwd.txt", lambda p: _link(p, "content/faq/shipping/passwd.txt", "/etc/passwd"),
         "links outside the content folder"),
        ("content/faq/shipping/passwd.md", lambda p: _link(p, "content/faq/shipping/passwd.md", "/etc/passwd"),
         "links outside the content folder"),
        ("content/faq/outside", lambda p: _link(p, "content/faq/outside", "/etc"), "links outside the content folder"),
        ("content/faq/shipping/zero.txt", lambda p: _link(p, "content/faq/shipping/zero.txt", "/dev/zero"),
         "links outside the content folder"),
        ("content/faq/shipping/pipe.txt", lambda p: os.mkfifo(p.root / "content/faq/shipping/pipe.txt"),
         "is a named pipe (FIFO), not a regular file"),
        ("content/faq/shipping/loop", lambda p: _link(p, "content/faq/shipping/loop", ".."), "links to a folder that holds it"),
        ("content/faq/shipping/a.txt", lambda p: (_link(p, "content/faq/shipping/a.txt", "b.txt"),
                                                  _link(p, "content/faq/shipping/b.txt", "a.txt")),
         "is a symbolic link that leads round in a loop"),
        ("content/faq/shipping/flow.png", lambda p: _link(p, "content/faq/shipping/flow.png", "../../sop/billing/flow.png"),
         "links to sop/billing/flow.png, a file of an internal folder"),
    ],
)
def test_only_regular_files_inside_the_content_folder_are_read(project, rel, make, message):
    (project.root / "content/sop/billing/flow.png").write_bytes(b"\x89PNG qzxflow")
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + "[Our file](passwd.txt) ![flow](flow.png) [pipe](pipe.txt)\n")
    make(project)
    # In a process of its own, with a time limit: a pipe that was read would hang the build.
    result = subprocess.run([sys.executable, "-m", "cxdocs.app.cli", "build"], cwd=project.root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert f"{rel}: {message}" in result.stderr, result.stderr
    assert not (project.root / "site").exists()


def test_a_link_that_stays_inside_the_content_folder_is_followed(project):
    project.write("content/faq/shipping/label.txt", "Return label qzxlabel\n")
    _link(project, "content/faq/shipping/label-copy.txt", "label.txt")
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + "[Label](label-copy.txt)\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert (project.root / "site/public/faq/shipping/label-copy.txt").read_text() == "Return label qzxlabel\n"


# -- Attachments by the path a public page links ---------------------------------------------------


def test_attachments_are_published_only_where_a_public_page_links_them(project):
    files = {
        "faq/shipping/label.png": b"PNG public label",
        "faq/returns/label.png": b"PNG qzxsamename",  # same name, beside an internal page that uses it
        "faq/shipping/manual.pdf": b"PDF qzxmentioned",  # named in public text, never linked
        "faq/shipping/note.png": b"PNG qzxinblock",  # linked only inside an agent note
        "sop/billing/flow.png": b"PNG qzxsopimage",
    }
    for rel, data in files.items():
        path = project.root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    project.write("content/faq/shipping/delivery.md",
                  FAQ_HEAD + "![Label](label.png) Keep manual.pdf handy.\n\n!!! internal\n    ![Note](note.png)\n")
    project.write("content/faq/returns/agents.md",
                  "---\ntitle: Agents\naudience: internal\n---\n\n## Which label?\n\n![Label](label.png)\n")
    project.write("content/sop/billing/refund.md", "---\ntitle: R\ndepartment: B\npurpose: P\n---\n\n1. ![Flow](flow.png)\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    public = site_bytes(project.root / "site/public")
    assert public["faq/shipping/label.png"] == b"PNG public label"
    assert not [rel for rel, data in public.items() if b"qzx" in data], "an attachment reached the public site"
    internal = site_bytes(project.root / "site/internal")
    assert {"faq/returns/label.png", "faq/shipping/note.png", "sop/billing/flow.png"} <= set(internal)


def test_the_guard_stops_a_public_site_that_copies_what_only_internal_pages_use(project, monkeypatch):
    (project.root / "content/faq/shipping/note.png").write_bytes(b"PNG qzxinblock")
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + "!!! internal\n    See ![the note](note.png).\n")
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin.CxdocsPlugin, "_drop_unlinked", lambda self, files, config: None)
    result = project.build()
    assert result.exit_code == 1
    assert "content/faq/shipping/note.png: is a file only internal pages use, in faq/shipping/note.png" in result.output


# -- Extensions that read files ------------------------------------------------------------------


def test_extensions_that_read_files_are_refused(project):
    """pymdownx.snippets would include ``-8<- "mkdocs.yml"`` after the audience filter ran."""
    import yaml

    name = "pymdownx.snippets"
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text())
    config["markdown_extensions"] = ["admonition", name]
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    line = next(n for n, text in enumerate((project.root / "mkdocs.yml").read_text().splitlines(), 1) if name in text)
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + '-8<- "mkdocs.yml"\n')
    for command in ("check", "build"):
        result = project.run(command)
        assert result.exit_code == 1, result.output
        assert f"mkdocs.yml:{line}: {name} reads files itself" in result.output
        assert "cxdocs includes snippets itself" in result.output
    assert not (project.root / "site").exists()


# -- HTML comments ---------------------------------------------------------------------------------


def test_html_comments_reach_no_public_byte(project):
    project.write("content/faq/shipping/delivery.md",
                  FAQ_HEAD + "Track it online. <!-- qzxinline -->\n\n<!-- qzxblock: call Dana -->\n\n`<!-- shown as code -->`\n")
    project.write("content/responses/refunds/refund-confirmed.md",
                  "---\ntitle: Refund confirmed\n---\n\nHi. <!-- qzxpackcomment -->\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert b"qzx" not in public_bytes(project)
    assert b"qzxpackcomment" not in pack_bytes(project)
    assert "&lt;!-- shown as code --&gt;" in project.html("public/faq/shipping/delivery/index.html")
    assert "qzxblock" in project.html("internal/faq/shipping/delivery/index.html")


def test_the_guard_stops_a_comment_the_renderer_let_through_and_names_its_line(project, monkeypatch):
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + "Track it online.\n\n<!-- call Dana first -->\n")
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin.leak_guard, "strip_comments", lambda html: html)
    result = project.build()
    assert result.exit_code == 1
    assert ("content/faq/shipping/delivery.md:11: holds the HTML comment '<!-- call Dana first -->', "
            "which every reader's browser receives, in faq/shipping/delivery/index.html") in result.output


# -- Markup the guard does not trust ----------------------------------------------------------------


@pytest.mark.parametrize(
    "markup",
    [
        '<div class="internal-note" markdown>\nCall the duty manager.\n</div>\n',
        "Call the duty manager.\n{: .internal }\n",
        '<details class="Internal"><summary>Note</summary>Call.</details>\n',
        '<p class="&#105;nternal">Call the duty manager.</p>\n',  # a browser decodes the reference
    ],
)
def test_any_element_of_class_internal_stops_the_build_at_its_line(project, markup):
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + markup)
    result = project.build()
    assert result.exit_code == 1
    assert "content/faq/shipping/delivery.md:" in result.output and "holds an element of class" in result.output


@pytest.mark.parametrize(
    "link",
    ["[refunds](../../sop/billing/refund.md)", "[refunds](https://help.example.test/sop/billing/refund/)",
     "[refunds](/sop/billing/refund/)"],
)
def test_a_public_link_to_an_sop_stops_the_build_at_its_line(project, link, monkeypatch):
    """The link check refuses it first; with the check broken on purpose, the guard stops the build."""
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + f"See {link}.\n")
    assert_refused(project.build(), "content/faq/shipping/delivery.md:9", "sop/billing/refund", project)
    import cxdocs.adapters.mkdocs.plugin
    import cxdocs.builtins.links

    for module in (cxdocs.builtins.links, cxdocs.adapters.mkdocs.plugin):
        monkeypatch.setattr(module, "target_links", lambda *args, **kwargs: iter(()))
    result = project.build()
    assert result.exit_code == 1
    assert ("content/faq/shipping/delivery.md:9: links to the internal page sop/billing/refund"
            in result.output), result.output


def test_the_response_packs_are_guarded_like_the_public_site(project, monkeypatch):
    """With the filter broken, a response's agent note reaches the pack: the export stops, naming the response."""
    project.write("content/responses/refunds/refund-confirmed.md",
                  "---\ntitle: Refund confirmed\n---\n\nHi.\n\n!!! internal\n    Check the fraud score before refunding\n")
    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))
    result = project.run("export", "--out", "packs")
    assert result.exit_code == 1
    assert "content/responses/refunds/refund-confirmed.md:8: response packs stopped:" in result.output
    assert not (project.root / "packs").exists()


# -- cxdocs guard on folders anything built ------------------------------------------------------------


def test_cxdocs_guard_passes_what_cxdocs_built(project):
    assert project.build().exit_code == 0
    result = project.run("guard", "site")
    assert result.exit_code == 0, result.output
    assert "no internal content in site/public" in result.output and "site/responses" in result.output


def test_cxdocs_guard_stops_a_site_built_without_the_cxdocs_plugin(project):
    """A plain `mkdocs build` of a cxdocs project publishes the SOPs and every agent note."""
    import yaml

    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + "!!! internal\n    Escalate to Dana on extension 4471.\n")
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text())
    config["plugins"] = ["search"]
    config["markdown_extensions"] = ["admonition"]
    (project.root / "plain.yml").write_text(yaml.safe_dump(config))
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "plain.yml", "-d", "plain-site"],
                           cwd=project.root, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    result = project.run("guard", "plain-site")
    assert result.exit_code == 1
    assert "content/sop/billing/refund.md: is an internal page, in plain-site/sop/billing/refund/index.html" in result.output
    assert "holds an element of class 'admonition internal'" in result.output
    assert "content/faq/shipping/delivery.md:10: internal text reached the public output" in result.output


def test_cxdocs_guard_stops_a_zensical_build(project):
    """Zensical, mkdocs-material's successor, ignores plugins it does not know: it publishes everything."""
    zensical = Path(sys.executable).with_name("zensical")
    if not zensical.exists():
        pytest.skip("zensical is not installed (pip install -e '.[test]' installs it)")
    project.write("content/faq/shipping/delivery.md", FAQ_HEAD + "!!! internal\n    Escalate to Dana on extension 4471.\n")
    built = subprocess.run([str(zensical), "build"], cwd=project.root, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    result = project.run("guard", "site")
    assert result.exit_code == 1
    assert "content/sop/billing/refund.md: is an internal page, in site/sop/billing/refund/index.html" in result.output
    assert "content/responses/refunds/refund-confirmed.md: is an internal page" in result.output
    assert "content/faq/shipping/delivery.md:10: internal text reached the public output" in result.output


def test_cxdocs_guard_reads_a_hand_made_folder(project, tmp_path_factory):
    folder = project.root / "upload"
    (folder / "faq").mkdir(parents=True)
    (folder / "index.html").write_text("<p>Welcome.</p>")
    (folder / "faq" / "notes.json").write_text(json.dumps({"text": "Refund up to 30 EUR without approval."}))
    (folder / "secrets.txt").symlink_to("/etc/passwd")
    result = project.run("guard", "upload")
    assert result.exit_code == 1
    assert "upload/secrets.txt: is a symbolic link to /etc/passwd, outside the site" in result.output
    assert ("content/sop/billing/refund.md:14: internal text reached the public output: "
            "'refund up to 30 eur', in upload/faq/notes.json") in result.output


def test_a_push_is_guarded_before_anything_is_sent(project, monkeypatch):
    """With the filter broken on purpose, a push stops before its first request, naming the response."""
    from fake_helpdesks import FAKES

    project.write("content/responses/refunds/refund-confirmed.md",
                  "---\ntitle: Refund confirmed\n---\n\nHi.\n\n!!! internal\n    Check the fraud score before refunding\n")
    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))
    fake = FAKES["zendesk"]()
    try:
        for key, value in {**fake.env(), "CXDOCS_PUSH_BASE_URL": fake.url}.items():
            monkeypatch.setenv(key, value)
        result = project.run("push", "zendesk")
    finally:
        fake.stop()
    assert result.exit_code == 1
    assert "content/responses/refunds/refund-confirmed.md:8: push to zendesk stopped:" in result.output
    assert fake.log == [], "nothing may reach the helpdesk"


def test_an_internal_snippet_is_not_sent_to_translators_with_the_public_pages(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/snippets/desk.md", "---\naudience: internal\n---\n\nCall the qzxdesk line.\n")
    project.write("content/snippets/hours.md", "We answer every day.\n")
    result = project.run("translate", "export", "--lang", "sl", "--format", "xliff", "--out", "out", "--audience", "public")
    assert result.exit_code == 0, result.output
    written = {p.relative_to(project.root / "out").as_posix(): p.read_text() for p in (project.root / "out").rglob("*") if p.is_file()}
    assert "sl/snippets/hours.xlf" in written
    assert not [rel for rel, text in written.items() if "qzxdesk" in text or "desk" in rel]
