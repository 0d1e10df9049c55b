from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from giantdesk.ui.header import WindowHeader
from giantdesk.ui.settings import saved_language, start_language


def test_the_language_chosen_is_used_next_time(qtbot: QtBot, giantdesk_home: Path) -> None:
    assert start_language({}) == "zh"
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    header = WindowHeader(parent, "zh")
    with qtbot.waitSignal(header.language_changed):
        header.language.setCurrentIndex(1)
    assert saved_language() == "en"
    assert (giantdesk_home / "settings.ini").exists()  # never the user's own settings
    assert start_language({}) == "en"
    assert start_language({"GIANTDESK_LANG": "zh_CN"}) == "zh"  # the environment wins
