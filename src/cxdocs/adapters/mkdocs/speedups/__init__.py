"""Faster paths through MkDocs and mkdocs-material internals, each optional: a build goes on at
MkDocs' own speed without any of them."""
