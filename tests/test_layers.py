"""The package's layers hold: what may import what, where upstream internals are used, and the
paths a plugin imports from."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "src" / "cxdocs"
SPEEDUPS = PACKAGE / "adapters" / "mkdocs" / "speedups"
UPSTREAM = ("mkdocs", "material")


def test_import_contracts_hold():
    """app > adapters > builtins > outputs > core; no renderer below the adapters; no cycles."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


def _private_upstream_uses(path: Path) -> list[str]:
    """``from mkdocs.x import _name``, ``import mkdocs.x as m`` then ``m._name``, ``mkdocs.x._name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in UPSTREAM:
            for alias in node.names:
                if alias.name.startswith("_"):
                    found.append(f"{path.name}:{node.lineno}: {node.module}.{alias.name}")
                else:
                    aliases.add(alias.asname or alias.name)  # a module imported from a package
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in UPSTREAM:
                    aliases.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in aliases:
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_upstream_private_names_are_used_only_in_the_speedups():
    outside = [
        use
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.is_relative_to(SPEEDUPS)
        for use in _private_upstream_uses(path)
    ]
    assert outside == []


def test_the_private_name_finder_finds_them(tmp_path):
    """The test above would pass on any tree if the finder found nothing."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import mkdocs.commands.build as b\nfrom mkdocs.commands.build import _build_page\n"
        "from material.plugins.search import plugin\nb._populate_page\nplugin._x\n"
    )
    assert len(_private_upstream_uses(sample)) == 3


def test_a_plugin_needs_only_the_package_itself():
    tree = ast.parse((REPO / "plugins" / "house_style.py").read_text(encoding="utf-8"))
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {m for m in modules if m and m.startswith("cxdocs")} == {"cxdocs"}
    import cxdocs

    for name in ("Page", "Project", "Target", "Finding", "CxdocsError", "Exporter", "PageInfo", "visible_lines", "hookimpl"):
        assert hasattr(cxdocs, name), name


@pytest.mark.parametrize(
    "old, name",
    [("cxdocs.render", "visible_lines"), ("cxdocs.content", "Page"), ("cxdocs.exporters", "Exporter"),
     ("cxdocs.exporters.zendesk", "Zendesk"), ("cxdocs.errors", "Finding")],
)
def test_the_old_module_paths_still_work_with_a_warning(old, name):
    code = (
        "import warnings, importlib\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        f"    module = importlib.import_module({old!r})\n"
        f"    getattr(module, {name!r})\n"
        "print([str(w.message) for w in caught if w.category is DeprecationWarning])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert f"{old} moved to" in result.stdout


def test_importing_the_package_says_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        subprocess.run([sys.executable, "-W", "error", "-c", "import cxdocs, cxdocs.app.cli"], check=True)


def test_the_core_writes_no_theme_markup():
    """The core describes pages; the theme's classes (md-button, md-sidebar, ...) are the adapter's."""
    found = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"\.md-[a-z]|\bmd-(?:button|sidebar|nav|typeset)", node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
    assert found == []
