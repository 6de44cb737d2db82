def test_minimal_project_builds_both_audiences(project):
    result = project.build()
    assert result.exit_code == 0, result.output
    public = project.site_files("public")
    internal = project.site_files("internal")
    assert "faq/shipping/delivery/index.html" in public
    assert not any(name.startswith(("sop/", "responses/")) for name in public)
    assert "sop/billing/refund/index.html" in internal
    assert "responses/refunds/refund-confirmed/index.html" in internal
    assert "3-5 days" in public["faq/shipping/delivery/index.html"]


def test_titles_and_descriptions_reach_the_page_as_written(project):
    # Page titles travel to MkDocs in YAML front matter: quotes, a colon, a hash, an emoji, a line
    # break in the source and a long title must come out as the writer wrote them.
    title = 'Returns: "free" & easy #1 📦 — ünïcode ' + "and a long tail " * 6
    project.write(
        "content/faq/shipping/returns.md",
        f"---\ntitle: '{title.strip()}'\ndescription: 'Send it back: it is free.'\n---\n\n## How do I return an item?\n\nUse the form.\n",
    )
    assert project.build().exit_code == 0
    page = project.html("public/faq/shipping/returns/index.html")
    # As text: '"' and '&' are written as &quot; and &amp;, which the browser shows as written.
    shown = title.strip().replace("&", "&amp;").replace('"', "&quot;")
    assert f"<title>{shown} - Test Help</title>" in page
    assert '<meta name="description" content="Send it back: it is free.">' in page


def test_a_build_keeps_nothing_of_its_project_once_it_returns(project):
    # A process that builds again (a test run, a script rebuilding on each change) would otherwise
    # hold every page's text of each earlier build until it exits.
    import gc

    from cxdocs.core.content import Page
    from cxdocs.core.content import Project as Loaded
    from cxdocs.core.source import Line

    def alive() -> dict[int, str]:
        gc.collect()
        return {id(o): type(o).__name__ for o in gc.get_objects() if type(o) in (Loaded, Page, Line)}

    before = alive()  # what earlier tests in this process may still hold
    for _ in range(2):
        assert project.build().exit_code == 0
    left = {name for number, name in alive().items() if number not in before}
    assert not left, f"still alive: {sorted(left)}"
