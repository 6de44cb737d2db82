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
