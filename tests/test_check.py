"""``cxdocs check``: a writer validates the tree before pushing; warnings inform, ``--strict`` enforces."""

from __future__ import annotations

import datetime

SOP = "content/sop/billing/refund.md"


def sop(review_by: str = "2099-01-31", body: str = "## Steps\n\n1. Check the order.\n2. Refund.\n") -> str:
    """An SOP whose ``review_by`` is on line 6 and whose body starts on line 12."""
    return (
        "---\n"
        "title: Refund a customer\n"
        "department: Billing\n"
        "purpose: Refund correctly and within limits.\n"
        "owner: Ana Novak\n"
        f"review_by: {review_by}\n"
        "terms:\n"
        "  RMA: Return merchandise authorization.\n"
        "---\n"
        "\n"
        "\n"
        f"{body}"
    )


def test_valid_project_passes_check(project):
    result = project.run("check")
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("content/") for line in result.stderr.splitlines()), result.stderr
    assert "3 pages checked: 0 error(s), 0 warning(s)" in result.stderr


def test_sop_past_its_review_date_warns_with_the_review_by_line(project):
    project.write(SOP, sop(review_by="2020-03-01"))
    result = project.run("check")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"{SOP}:6: warning: SOP was due for review on 2020-03-01 (owner: Ana Novak)" in lines
    assert lines[-1] == "3 pages checked: 0 error(s), 1 warning(s)"


def test_review_due_yesterday_warns_but_due_today_does_not(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    today = datetime.date.today()
    project.write(SOP, sop(review_by=(today - datetime.timedelta(days=1)).isoformat()))
    assert "warning: SOP was due for review" in project.run("check").stderr
    project.write(SOP, sop(review_by=today.isoformat()))
    assert "warning:" not in project.run("check").stderr


def test_source_date_epoch_is_today_for_the_review_check(project, monkeypatch):
    """A reproducible build sees the same overdue SOPs on any day: today is SOURCE_DATE_EPOCH's date."""
    project.write(SOP, sop(review_by="2023-11-20"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    assert "warning:" not in project.run("check").stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 7 * 86400))  # 2023-11-21
    assert f"{SOP}:6: warning: SOP was due for review on 2023-11-20" in project.run("check").stderr


def test_a_bad_source_date_epoch_is_reported_not_a_crash(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = project.run("check")
    assert "Traceback" not in result.output
    assert "SOURCE_DATE_EPOCH must be a number of seconds since 1970, not 'yesterday'" in result.stderr


def test_each_finding_names_the_check_that_found_it(project):
    from cxdocs.app.project import check_project

    project.write(SOP, sop(review_by="2020-03-01"))
    project.write("content/faq/orders/cancel.md", "---\ntitle: Orders\n---\n\n## Can I cancel?\n")
    _, findings = check_project(project.root / "mkdocs.yml")
    assert sorted((f.check, f.severity) for f in findings) == [("faq", "error"), ("sop-review", "warning")]


def test_quoted_review_date_is_understood(project):
    project.write(SOP, sop(review_by='"2020-03-01"'))
    result = project.run("check")
    assert f"{SOP}:6: warning: SOP was due for review on 2020-03-01" in result.stderr


def test_strict_check_fails_on_an_overdue_review(project):
    project.write(SOP, sop(review_by="2020-03-01"))
    result = project.run("check", "--strict")
    assert result.exit_code == 1
    assert f"{SOP}:6: warning: SOP was due for review" in result.stderr


def test_strict_build_fails_on_an_overdue_review_and_writes_nothing(project):
    project.write(SOP, sop(review_by="2020-03-01"))
    before = sorted(p.name for p in project.root.iterdir())
    result = project.build("--strict")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{SOP}:6: SOP was due for review on 2020-03-01" in result.stderr
    assert not (project.root / "site").exists()
    # No staging folder left behind (the build cache stays: the next build reuses what this one did).
    assert sorted(p.name for p in project.root.iterdir() if p.name != ".cxdocs") == before


def test_plain_build_publishes_despite_an_overdue_review_and_says_so(project):
    project.write(SOP, sop(review_by="2020-03-01"))
    result = project.build()
    assert result.exit_code == 0, result.output
    assert f"{SOP}:6: warning: SOP was due for review" in result.stderr
    assert "1 warning(s)" in result.stderr.splitlines()[-1]
    assert "sop/billing/refund/index.html" in project.site_files("internal")


def test_sop_without_numbered_steps_warns(project):
    project.write(SOP, sop(body="Check the order, then refund the customer.\n"))
    result = project.run("check")
    assert result.exit_code == 0, result.output
    # The warning points at the instructions, not at a blank line.
    assert f"{SOP}:12: warning: SOP has no numbered steps (1. 2. 3.) for its instructions" in result.stderr.splitlines()
    assert project.run("check", "--strict").exit_code == 1


def test_sop_whose_steps_live_in_a_snippet_does_not_warn(project):
    project.write("content/snippets/refund-steps.md", "1. Check the order.\n2. Refund up to {{ limits.refund }}.\n")
    project.write(SOP, sop(body='## Steps\n\n--8<-- "snippets/refund-steps.md"\n'))
    result = project.run("check", "--strict")
    assert result.exit_code == 0, result.output
    assert "numbered steps" not in result.stderr


def test_errors_and_warnings_are_counted_apart(project):
    project.write(SOP, sop(review_by="2020-03-01"))
    project.write("content/faq/orders/cancel.md", "---\ntitle: Orders\n---\n\n## Can I cancel?\n")
    result = project.run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "content/faq/orders/cancel.md:5: question 'Can I cancel?' has no answer" in lines
    assert lines[-1] == "4 pages checked: 1 error(s), 1 warning(s)"


def test_a_target_build_checks_the_languages_it_builds(project):
    """A CI matrix shards the build by target: each shard checks its own languages, not all of them."""
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/faq/shipping/delivery.sl.md", "---\ntitle: Dostava\n---\n\n## Kako dolgo traja dostava?\n\n{{ shipping.dayz }}\n")
    project.write("content/sop/billing/refund.sl.md", "---\ntitle: Vračilo\n---\n\n{{ limits.refundd }}\n")
    result = project.build("--target", "public:en")
    assert result.exit_code == 0, result.output
    result = project.build("--target", "public:sl")  # SOPs are not part of the public site
    assert result.exit_code == 1
    assert "delivery.sl.md:7: unknown variable" in result.stderr and "refund.sl.md" not in result.stderr
    for args in (("--target", "internal:sl"), ()):
        result = project.build(*args)
        assert result.exit_code == 1
        assert "content/faq/shipping/delivery.sl.md:7: unknown variable {{ shipping.dayz }}" in result.stderr
        assert "content/sop/billing/refund.sl.md:5: unknown variable {{ limits.refundd }}" in result.stderr
