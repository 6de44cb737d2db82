"""cxdocs' own features as default plugins, on the same hooks a third-party plugin uses: the SOP
and response headers, FAQ structured data, the built-in checks and the helpdesk exporters."""
