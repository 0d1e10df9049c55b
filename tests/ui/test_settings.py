"""The language: chosen in any window, every open window follows at once, Qt's own texts too,
and the next start opens in it (settings under ``GIANTDESK_HOME``, never the user's own)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from giantdesk.ui import dialogs, language
from giantdesk.ui import strings as S
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.home import HomeWindow
from giantdesk.ui.settings import saved_language, start_language

from .conftest import TODAY
from .user import DialogAnswerer

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def qt_cancel() -> str:
    return QCoreApplication.translate("QPlatformTheme", "Cancel")


def test_a_choice_in_one_window_applies_to_every_window(qtbot: QtBot, giantdesk_home: Path,
                                                         user: DialogAnswerer) -> None:
    assert start_language({}) == "zh"
    language.current().set("zh", save=False)
    assert qt_cancel() == "取消"
    home = HomeWindow(lang="zh", today=TODAY)
    home.build_actions()  # the menus' items: made once the list is shown
    draft = DraftWindow(lang="zh", today=TODAY)
    for window in (home, draft):
        qtbot.addWidget(window)
    draft.header.language.setCurrentIndex(1)  # the user picks English in the draft window
    assert draft.lang == home.lang == "en"
    assert home.title_label.text() == S.HOME_TITLE.en and home.header.language.currentIndex() == 1
    assert draft.menuBar().actions()[0].text() == "&File"
    assert qt_cancel() == "Cancel"
    assert saved_language() == "en" and (giantdesk_home / "settings.ini").exists()
    assert start_language({}) == "en"
    assert start_language({"GIANTDESK_LANG": "zh_CN"}) == "zh"  # the environment wins

    next(a for a in home.actions() if a.objectName() == "lang:zh").trigger()  # home's menu
    assert draft.lang == home.lang == "zh" and draft.header.language.currentIndex() == 0
    assert qt_cancel() == "取消"
    # Qt's own buttons in a message box follow: the user sees 是 / 否
    dialogs.ask(draft, S.ACT_REMOVE_FILE, S.REMOVE_QUESTION.format(name="x.pdf"), "zh")
    assert user.seen[-1].answer.startswith("否")
