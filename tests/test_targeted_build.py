"""`cxdocs build --target`: one target is rebuilt and the rest of the site is kept as it was."""

from __future__ import annotations

from conftest import MINIMAL_FAQ, MINIMAL_SOP, Project, site_bytes


def test_a_targeted_build_replaces_its_target_and_keeps_the_others_byte_for_byte(tmp_path):
    project = Project(tmp_path)
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/faq/shipping/delivery.md", MINIMAL_FAQ)
    project.write("content/faq/shipping/delivery.sl.md", "---\ntitle: Dostava\n---\n\n## Kdaj bo paket prispel?\n\nV {{ shipping.days }}.\n")
    project.write("content/faq/shipping/customs.md", "---\ntitle: Customs\n---\n\n## Do I pay duty?\n\nNo.\n")
    project.write("content/sop/billing/refund.md", MINIMAL_SOP)
    assert project.build().exit_code == 0
    site = project.root / "site"
    before = site_bytes(site)

    project.write("content/faq/shipping/delivery.md", "---\ntitle: Delivery\n---\n\n## Do you deliver on Sundays?\n\nNever.\n")
    (project.root / "content/faq/shipping/customs.md").unlink()
    project.write("content/faq/shipping/parcel.md", MINIMAL_FAQ)
    result = project.build("--target", "public:en")
    assert result.exit_code == 0, result.output
    after = site_bytes(site)

    def of(files, audience, lang=None):
        inside = (lambda rel: rel.startswith("public/sl/")) if lang else (lambda rel: not rel.startswith("public/sl/"))
        return {rel: data for rel, data in files.items() if rel.startswith(f"{audience}/") and inside(rel)}

    # The handbook and the Slovenian public site are the files they were.
    assert of(after, "internal") == of(before, "internal")
    assert of(after, "public", "sl") == of(before, "public", "sl") != {}
    # The English public site is the new one: an edit shows, a removed page is gone, a new one is there.
    english = of(after, "public")
    assert "Do you deliver on Sundays?" in english["public/faq/shipping/delivery/index.html"].decode()
    assert "public/faq/shipping/customs/index.html" not in english
    assert "public/faq/shipping/parcel/index.html" in english
