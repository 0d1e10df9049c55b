"""Unexpected errors: a dialog for Python exceptions; for faults Python cannot catch, the
fault log and a notice at the next start."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from giantdesk import fileops
from giantdesk.logs import setup_logging
from giantdesk.ui import strings as S
from giantdesk.ui.crash import (
    FAULT_LOG,
    SESSION,
    begin_session,
    end_session,
    install_excepthook,
)
from giantdesk.ui.home import HomeWindow

from .conftest import TODAY
from .user import DialogAnswerer

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_an_unexpected_error_is_logged_and_shown(qtbot: QtBot, giantdesk_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda self: shown.append((self.text(), self.detailedText()))
                        or QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_file, recent = setup_logging()
    try:
        install_excepthook(log_file, recent, "zh")
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    finally:
        for handler in list(logging.getLogger("giantdesk").handlers):
            logging.getLogger("giantdesk").removeHandler(handler)
            handler.close()
    assert log_file == giantdesk_home / "logs" / "giantdesk.log"
    assert "RuntimeError: boom" in log_file.read_text(encoding="utf-8")
    text, details = shown[0]
    assert "草稿不受影响" in text and str(log_file) in text
    assert "RuntimeError: boom" in details


def test_a_fatal_error_is_written_to_the_fault_log(tmp_path: Path) -> None:
    """What the Python hook cannot catch (here an abort, as none_dealloc does) is logged."""
    import subprocess

    code = ("import faulthandler, sys\nfrom pathlib import Path\n"
            "from giantdesk.ui.crash import enable_fault_log\n"
            "enable_fault_log(Path(sys.argv[1]))\nfaulthandler._sigabrt()\n")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode != 0
    text = (tmp_path / FAULT_LOG).read_text("utf-8")
    assert "Fatal Python error: Aborted" in text and "<string>" in text
    if os.name != "nt":  # private, as the other files of the data folder
        assert stat.S_IMODE((tmp_path / FAULT_LOG).stat().st_mode) == 0o600


def test_after_an_abnormal_end_the_home_window_says_the_drafts_are_safe(
        qtbot: QtBot, giantdesk_home: Path, user: DialogAnswerer) -> None:
    faults = giantdesk_home / "logs" / FAULT_LOG
    faults.parent.mkdir()
    faults.write_text("Fatal Python error: none_dealloc\nCurrent thread (most recent call "
                      "first):\n  File \"eligibility.py\", line 54 in show_result\n", "utf-8")
    assert begin_session(giantdesk_home, faults) is None  # a session that never ends …
    home = HomeWindow(lang="zh", today=TODAY)
    home.fault_log = faults
    qtbot.addWidget(home)
    assert home.start()
    qtbot.waitUntil(lambda: bool(user.seen), timeout=3000)
    seen = user.seen[0]
    assert seen.title == S.ABNORMAL_END_TITLE.zh and "草稿是安全的" in seen.text
    assert str(faults) in seen.text
    home.close()
    assert not (giantdesk_home / SESSION).exists()  # … this one did
    assert begin_session(giantdesk_home, faults) is None
    end_session(giantdesk_home)


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_the_session_marker_is_private_and_the_fault_log_read_at_its_end(tmp_path: Path) -> None:
    (tmp_path / SESSION).write_bytes(b"[not the marker")  # garbled by a crash
    faults = tmp_path / "logs" / FAULT_LOG
    faults.parent.mkdir()
    faults.write_bytes(b"x" * 200_000 + b"\nFatal Python error: Aborted\n")
    previous = begin_session(tmp_path, faults)
    assert previous is not None and previous.pid == 0
    assert previous.faults.endswith("Fatal Python error: Aborted")
    assert len(previous.faults) < 70_000  # the end only, not a log grown over months
    assert stat.S_IMODE((tmp_path / SESSION).stat().st_mode) == 0o600
    end_session(tmp_path)


@pytest.mark.windows_semantics
def test_the_session_marker_is_removed_while_an_antivirus_scans_it(
        tmp_path: Path, emulated: WindowsSemantics, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    assert begin_session(tmp_path, None) is None
    emulated.hold(tmp_path / SESSION, 2)
    end_session(tmp_path)
    assert not (tmp_path / SESSION).exists() and waits == [0.02, 0.05]
