"""Renderers the core is adapted to. Each one receives the content model and writes a site."""
