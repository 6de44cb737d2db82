"""The same input gives byte-identical output, with no build date unless SOURCE_DATE_EPOCH asks for one."""

from __future__ import annotations

import gzip
import shutil
import struct


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical_and_carry_no_date(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    assert project.build().exit_code == 0
    first = _tree(project.root / "site")
    shutil.rmtree(project.root / "site")
    assert project.build().exit_code == 0
    assert _tree(project.root / "site") == first
    for name, data in first.items():
        if name.endswith("sitemap.xml"):
            assert b"<lastmod>" not in data, name
        if name.endswith(".gz"):
            assert struct.unpack("<I", data[4:8])[0] == 0, f"{name} has a gzip timestamp"
            assert b"<lastmod>" not in gzip.decompress(data)


def test_source_date_epoch_sets_the_sitemap_dates(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert project.build().exit_code == 0
    assert "<lastmod>2023-11-14</lastmod>" in project.site_files("public")["sitemap.xml"]
