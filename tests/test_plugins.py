"""Project plugins in plugins/ are loaded automatically and use the same hooks as cxdocs itself."""

from __future__ import annotations

import shutil

from conftest import REPO


def _install_house_style(project):
    (project.root / "plugins").mkdir(exist_ok=True)
    shutil.copy(REPO / "plugins" / "house_style.py", project.root / "plugins" / "house_style.py")


def test_house_style_warns_on_text_customers_read(project):
    _install_house_style(project)
    project.write(
        "content/faq/shipping/problems.md",
        """
        ---
        title: Delivery problems
        ---

        ## What if my parcel is late?

        Unfortunately, parcels are sometimes delayed.

        !!! internal "Agent note"
            Unfortunately is fine in an agent note: customers never see it.
        """,
    )
    project.write(
        "content/responses/shipping/late.md",
        "---\ntitle: Late parcel\n---\n\nHi {{ customer.first_name }}, no problem at all.\n",
    )
    project.write(
        "content/sop/billing/broken.md",
        "---\ntitle: Broken items\ndepartment: Billing\npurpose: Unfortunately items break.\n---\n\n1. Unfortunately, check it.\n",
    )
    result = project.run("check")
    assert result.exit_code == 0, result.output  # warnings only
    lines = [line for line in result.output.splitlines() if "house style" in line]
    assert "content/faq/shipping/problems.md:7: warning: house style: say 'at the moment' rather than 'Unfortunately'" in lines
    assert "content/responses/shipping/late.md:5: warning: house style: say 'my pleasure' rather than 'no problem'" in lines
    assert len(lines) == 2, lines  # not the agent note, not the SOP
    assert project.run("check", "--strict").exit_code == 1


def test_project_plugin_changes_page_markdown(project):
    project.write(
        "plugins/footer.py",
        """
        from cxdocs import hookimpl

        @hookimpl
        def cxdocs_page_markdown(page, target, text):
            if page.kind == "faq":
                text.markdown += "\\n\\nStill stuck? Write to us (" + target.audience + ").\\n"
        """,
    )
    assert project.build().exit_code == 0
    assert "Still stuck? Write to us (public)." in project.html("public/faq/shipping/delivery/index.html")
    assert "Still stuck? Write to us (internal)." in project.html("internal/faq/shipping/delivery/index.html")
    assert "Still stuck" not in project.html("internal/sop/billing/refund/index.html")


def test_project_plugin_adds_a_check(project):
    project.write(
        "plugins/owner_check.py",
        """
        from cxdocs import Finding, hookimpl

        @hookimpl
        def cxdocs_register_checks(register):
            def needs_owner_email(project):
                for page in project.by_kind("sop"):
                    if "@" not in str(page.meta.get("owner", "")):
                        yield Finding("owner must be an email address", page.path, page.source.line_of("owner"))
            register("owner-email", needs_owner_email)
        """,
    )
    result = project.run("check")
    assert result.exit_code == 1
    assert "content/sop/billing/refund.md:5: owner must be an email address" in result.output
    result = project.build()
    assert result.exit_code == 1 and not (project.root / "site").exists()


def test_misspelled_hook_fails_loudly(project):
    project.write(
        "plugins/typo.py",
        "from cxdocs import hookimpl\n\n@hookimpl\ndef cxdocs_page_markdwn(page, target, markdown):\n    return markdown\n",
    )
    result = project.run("check")
    assert result.exit_code == 1
    assert "plugin implements a hook cxdocs does not have" in result.output
    assert "cxdocs_page_markdwn" in result.output
    assert "Traceback" not in result.output


def test_plugin_that_crashes_on_import_is_reported_with_its_path(project):
    project.write("plugins/bad.py", "import does_not_exist\n")
    result = project.run("build")
    assert result.exit_code == 1
    assert "plugins/bad.py: plugin failed to load: ModuleNotFoundError" in result.output
    assert "Traceback" not in result.output


def test_installed_package_plugins_load_through_the_cxdocs_entry_point(project, tmp_path_factory, monkeypatch):
    """A plugin published on PyPI registers under the `cxdocs` entry-point group and needs no config."""
    site_packages = tmp_path_factory.mktemp("site-packages")
    (site_packages / "cxdocs_acme_banner.py").write_text(
        "from cxdocs import hookimpl\n\n"
        "@hookimpl\n"
        "def cxdocs_page_header(page, target, render):\n"
        "    return '**Acme plugin header**' if page.kind == 'faq' else None\n"
    )
    dist = site_packages / "cxdocs_acme_banner-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: cxdocs-acme-banner\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[cxdocs]\nacme = cxdocs_acme_banner\n")
    monkeypatch.syspath_prepend(str(site_packages))
    assert project.build().exit_code == 0
    assert "<strong>Acme plugin header</strong>" in project.html("public/faq/shipping/delivery/index.html")


def test_a_project_with_only_the_plugin_enabled_builds(project):
    (project.root / "mkdocs.yml").write_text("site_name: Bare\ndocs_dir: content\ntheme: material\nplugins: [cxdocs]\n")
    project.write("content/faq/shipping/delivery.md", "---\ntitle: Delivery\n---\n\n## When will it arrive?\n\nSoon.\n")
    project.write("content/sop/billing/refund.md", "---\ntitle: Refund\ndepartment: Billing\npurpose: Refunds.\n---\n\n1. Refund.\n")
    (project.root / "content/responses").rename(project.root / "responses-unused")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert "When will it arrive?" in project.html("public/faq/shipping/delivery/index.html")
    assert (project.root / "site/internal/sop/billing/refund/index.html").is_file()


SOP_HEADER_MARK = 'class="cx-facts cx-facts--sop"'


def _header_plugin(project, name: str, marker: str, **options) -> None:
    decorator = "@hookimpl(" + ", ".join(f"{k}={v}" for k, v in options.items()) + ")" if options else "@hookimpl"
    project.write(
        f"plugins/{name}.py",
        f"from cxdocs import hookimpl\n\n{decorator}\n"
        f"def cxdocs_page_header(page, target, render):\n    return '**{marker}**' if page.kind == 'sop' else None\n",
    )


def test_a_project_header_goes_below_the_sop_header_and_above_it_with_tryfirst(project):
    _header_plugin(project, "below", "Project note below")
    _header_plugin(project, "above", "Project note above", tryfirst=True)
    assert project.build().exit_code == 0
    page = project.html("internal/sop/billing/refund/index.html")
    above, header, below = (page.index(mark) for mark in ("Project note above", SOP_HEADER_MARK, "Project note below"))
    assert above < header < below


def test_page_markdown_changes_chain_and_a_wrapper_runs_around_them(project):
    project.write(
        "plugins/chain.py",
        """
        from cxdocs import hookimpl

        @hookimpl
        def cxdocs_page_markdown(page, target, text):
            text.markdown = text.markdown.replace("Three days", "THREE DAYS")

        @hookimpl(specname="cxdocs_page_markdown", tryfirst=True)
        def first(page, target, text):  # runs first: the other one sees its change
            text.markdown = text.markdown.replace("Standard delivery takes", "Three days")
        """,
    )
    project.write(
        "plugins/wrap.py",
        """
        from cxdocs import hookimpl

        @hookimpl(wrapper=True)
        def cxdocs_page_markdown(page, target, text):
            results = yield
            text.markdown += "\\n\\nWrapped after " + str(len(results)) + " result(s).\\n"
            return results
        """,
    )
    assert project.build().exit_code == 0
    page = project.html("public/faq/shipping/delivery/index.html")
    assert "THREE DAYS 3-5 days" in page
    assert "Wrapped after 0 result(s)." in page


def test_the_0_1_form_of_page_markdown_still_works_with_a_warning(project):
    project.write(
        "plugins/old.py",
        "from cxdocs import hookimpl\n\n@hookimpl\ndef cxdocs_page_markdown(page, target, markdown):\n"
        "    return markdown.replace('Standard delivery', 'Old-style delivery')\n",
    )
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = project.run("check")
    assert result.exit_code == 0, result.output
    assert any("set text.markdown instead" in str(w.message) for w in caught)
    assert project.build().exit_code == 0
    assert "Old-style delivery" in project.html("public/faq/shipping/delivery/index.html")


def test_a_project_plugin_extends_the_faq_structured_data_or_runs_before_it(project):
    project.write(
        "plugins/org.py",
        """
        from cxdocs import hookimpl

        @hookimpl
        def cxdocs_structured_data(page, target, info, blocks):
            kinds = [block["@type"] for block in blocks]
            blocks.append({"@context": "https://schema.org", "@type": "Organization", "name": "Seen: " + ",".join(kinds)})

        @hookimpl(specname="cxdocs_structured_data", tryfirst=True)
        def early(page, target, info, blocks):
            blocks.append({"@context": "https://schema.org", "@type": "WebSite", "name": "Before " + str(len(blocks))})
        """,
    )
    assert project.build().exit_code == 0
    page = project.html("public/faq/shipping/delivery/index.html")
    assert '"name": "Seen: WebSite,FAQPage,BreadcrumbList"' in page
    assert '"name": "Before 0"' in page


def test_cxdocs_plugins_lists_what_is_loaded_and_the_hooks_each_implements(project):
    _install_house_style(project)
    result = project.run("plugins", "--json")
    assert result.exit_code == 0, result.output
    import json

    loaded = {plugin["name"]: plugin for plugin in json.loads(result.output)}
    assert loaded["house_style.py"] == {"name": "house_style.py", "source": "project", "hooks": ["cxdocs_register_checks"], "version": None}
    assert loaded["cxdocs.builtins.faq_schema"]["source"] == "default"
    assert "cxdocs_structured_data" in loaded["cxdocs.builtins.faq_schema"]["hooks"]
    text = project.run("plugins").output
    assert "house_style.py" in text and "project" in text and "cxdocs_register_checks" in text
