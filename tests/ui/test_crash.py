from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from giantdesk.logs import setup_logging
from giantdesk.ui.crash import install_excepthook


def test_an_unexpected_error_is_logged_and_shown(qtbot: QtBot, giantdesk_home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda self: shown.append((self.text(), self.detailedText())) or 0)
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
