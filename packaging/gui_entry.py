"""Frozen entry point of the desktop app."""

import sys

from giantdesk.ui.app import main

sys.exit(main())
