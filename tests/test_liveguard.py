"""The preview's guard, updated page by page, knows exactly what the build's guard knows."""

from __future__ import annotations

from cxdocs.adapters.mkdocs.build import load_mkdocs
from cxdocs.core.content import load_project
from cxdocs.core.targets import Target
from cxdocs.outputs.guard import guard_for_target
from cxdocs.outputs.liveguard import LiveGuard

PUBLIC = Target("public", "en")

FAQ = """
---
title: Returns
---

## How do I return an item?

Use the returns form and pack the item in its original box with every accessory.

!!! internal "Agent note"
    Escalate refunds above the limit to Dana Whitfield on extension 4471.
"""


def _load(project):
    config, plugin = load_mkdocs(project.root / "mkdocs.yml")
    return load_project(plugin.settings_for(config))


def _fingerprints(guard) -> dict:
    if isinstance(guard, LiveGuard):
        return {run for run in guard.internal if not guard.public.get(run)}
    return set(guard.fingerprints)


def test_live_guard_starts_with_the_build_guard_reference(project):
    project.write("content/faq/shipping/returns.md", FAQ)
    loaded = _load(project)
    built, live = guard_for_target(loaded, PUBLIC, ["Home"]), LiveGuard(loaded, PUBLIC, ["Home"])
    assert _fingerprints(live) == _fingerprints(built)
    assert live.internal_urls == built.internal_urls
    run = ("dana", "whitfield", "on", "extension", "4471")
    assert live.fingerprints.get(run) == built.fingerprints[run].origin


def test_live_guard_after_an_edit_equals_a_guard_built_afresh(project):
    project.write("content/faq/shipping/returns.md", FAQ)
    live = LiveGuard(loaded := _load(project), PUBLIC, ["Home"])
    # Public text moves into an agent note (it is internal now) and the old note goes.
    project.write(
        "content/faq/shipping/returns.md",
        FAQ.replace("Use the returns form and pack the item in its original box with every accessory.", "Use the form.")
        .replace("Escalate refunds above the limit to Dana Whitfield on extension 4471.",
                 "Pack the item in its original box with every accessory."),
    )
    reloaded = _load(project)
    old = next(p for p in loaded.pages if p.uri == "faq/shipping/returns.md")
    new = next(p for p in reloaded.pages if p.uri == "faq/shipping/returns.md")
    loaded.pages[loaded.pages.index(old)] = new
    assert live.replace_page(old, new)
    live.replace_generated(["Home", "Returns"])
    fresh = guard_for_target(reloaded, PUBLIC, ["Home", "Returns"])
    assert _fingerprints(live) == _fingerprints(fresh)
    assert ("item", "in", "its", "original", "box") in _fingerprints(live)
    assert not any("whitfield" in run for run in _fingerprints(live))
