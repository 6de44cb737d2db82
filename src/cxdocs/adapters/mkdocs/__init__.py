"""The MkDocs + mkdocs-material renderer: the plugin (events only), its options, templates, the
one-target build and the live preview. Every use of an upstream private name lives in ``speedups``."""
