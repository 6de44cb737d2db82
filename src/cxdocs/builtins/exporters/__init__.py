"""The built-in helpdesk formats, one exporter plugin per helpdesk."""
