"""Sub-commands of the ``giantdesk`` command line, one module per area."""
