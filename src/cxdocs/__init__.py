"""cxdocs: one Markdown tree, a public FAQ, an internal handbook and response packs."""

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("cxdocs")
"""Decorate a function in a cxdocs plugin with this to implement a hook."""
