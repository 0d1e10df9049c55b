"""packaging/entry.py: one frozen entry point, two programs — chosen by the program's name."""

from __future__ import annotations

import pytest
from entry import command_line_wanted


@pytest.mark.parametrize(("executable", "argv0", "cli"), [
    ("C:\\Users\\u\\AppData\\Local\\Programs\\GiantDesk\\GiantDesk.com", "giantdesk", True),
    ("C:\\Programs\\GiantDesk\\GiantDesk.COM", "GiantDesk.com", True),
    ("C:\\Programs\\GiantDesk\\GiantDesk.exe", "C:\\Programs\\GiantDesk\\GiantDesk.exe", False),
    ("C:\\Programs\\GiantDesk\\GiantDesk.exe", "giantdesk.exe", False),  # same file on Windows
    ("/opt/GiantDesk/GiantDesk", "/opt/GiantDesk/giantdesk", True),  # the link
    ("/opt/GiantDesk/GiantDesk", "giantdesk", True),  # found on PATH
    ("/opt/GiantDesk/GiantDesk", "/opt/GiantDesk/GiantDesk", False),
    ("/opt/GiantDesk/GiantDesk", "./GiantDesk", False),
])
def test_the_program_name_chooses(executable: str, argv0: str, cli: bool) -> None:
    assert command_line_wanted(executable, argv0) is cli
