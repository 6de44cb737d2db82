"""The content model and its rules, independent of any renderer: pages, audiences, includes,
variables, FAQ questions, navigation, structured data, translations, checks and the plugin manager.

Nothing here imports MkDocs, mkdocs-material, Jinja or another site generator (a test holds this).
"""
