"""Frozen entry point of the command line (console program next to the app)."""

import sys

from giantdesk.cli import main

sys.exit(main())
