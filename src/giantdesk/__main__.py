import sys

from giantdesk.cli import main

sys.exit(main())
