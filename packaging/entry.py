"""Frozen entry point of both programs: the window (GiantDesk.exe) and the command line.

Both programs run the one archive of compiled modules (GiantDesk.pkg, see giantdesk.spec), so
this script decides by the program's name: on Windows the console program is GiantDesk.com
(the PyInstaller loader finds GiantDesk.pkg for both: it swaps the last three letters of its
own file name for "pkg"); elsewhere the command line is the link named ``giantdesk``.
"""

import sys
from pathlib import Path


def command_line_wanted(executable: str, argv0: str) -> bool:
    """True for the console program: GiantDesk.com on Windows, ``giantdesk`` elsewhere."""
    if Path(executable).suffix.lower() == ".com":
        return True
    return Path(argv0).name == "giantdesk"


if __name__ == "__main__":
    if command_line_wanted(sys.executable, sys.argv[0]):
        from giantdesk.cli import main
    else:
        from giantdesk.ui.app import main
    sys.exit(main())
