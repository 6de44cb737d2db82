"""The application: the ``cxdocs`` command, build orchestration and progress."""
