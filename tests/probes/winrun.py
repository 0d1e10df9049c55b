"""``python -m tests.probes.winrun ARGS…``: the command line under the Windows-semantics
emulation (``tests/winsem.py``: fsync refused on read-only handles, replace/delete refused
while a handle is open or while "another program" holds the file, mandatory byte-range
locks).

``GIANTDESK_PROBE_HOLD`` (JSON ``{"path": attempts, …}``) makes "another program" hold those
files for that many replace/delete attempts (an antivirus: a few; Excel: for good).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> int:
    from tests.winsem import WindowsSemantics

    emulation = WindowsSemantics().install()
    for path, attempts in json.loads(os.environ.get("GIANTDESK_PROBE_HOLD", "{}")).items():
        emulation.hold(Path(path), int(attempts))
    from giantdesk.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
