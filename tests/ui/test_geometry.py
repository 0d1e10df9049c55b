"""Windows open sized to the screen (maximized on a small one) and come back where the user
left them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from giantdesk.ui import geometry
from giantdesk.ui.home import HomeWindow

from .conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_small_screen_maximized_then_the_users_size_comes_back(qtbot: QtBot,
                                                               giantdesk_home: Path) -> None:
    first = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(first)
    available = first.screen().availableGeometry()
    assert available.width() < geometry.COMPACT.width()  # the offscreen screen is small
    assert first.windowState() & Qt.WindowState.WindowMaximized
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.setGeometry(QRect(available.x() + 20, available.y() + 30, 600, 420))
    geometry.remember(first, "home")

    again = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(again)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert (again.width(), again.height()) == (600, 420)


def test_a_remembered_size_too_large_for_this_screen_is_brought_in(
        qtbot: QtBot, giantdesk_home: Path) -> None:
    big = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(big)
    big.setWindowState(Qt.WindowState.WindowNoState)
    big.setGeometry(QRect(0, 0, 3000, 2000))  # e.g. left on a large monitor
    geometry.remember(big, "home")
    again = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(again)
    available = again.screen().availableGeometry()
    assert (again.windowState() & Qt.WindowState.WindowMaximized
            or available.contains(again.frameGeometry()))
