"""Links inside labels are reached with the keyboard: Tab / Shift+Tab onto the label selects a
link, Enter or Space follows it — "这是什么？" on a part that is not from the official template,
"恢复为…" under a refused field, the review page's criteria."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from giantdesk.forms.record import loads
from giantdesk.ui.home import HomeWindow
from giantdesk.ui.links import LinkLabel

from .conftest import open_sample
from .user import DialogAnswerer, replace_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)")


def focused() -> object:
    return QApplication.focusWidget()


def test_whats_this_is_reached_with_shift_tab_and_followed_with_enter_or_space(
        home: HomeWindow, samples: Path, qtbot: QtBot, user: DialogAnswerer) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    window.activateWindow()
    view.go_to_part(2, focus=True)  # 三 专业化: not from the official template
    _title, note, part = view.part_titles[2]
    assert not part.official and isinstance(note, LinkLabel) and note.has_links()
    first = view.page_inputs(2)[0]
    qtbot.waitUntil(first.hasFocus, timeout=2000)  # the step opens on its first input …
    QTest.keyClick(first, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is note  # … and the note's link is just before it
    user.plan = [QMessageBox.StandardButton.Ok, QMessageBox.StandardButton.Ok]
    QTest.keyClick(note, Qt.Key.Key_Return)
    assert user.seen[-1].title == "非官方模板内容"
    QTest.keyClick(note, Qt.Key.Key_Space)
    assert len(user.seen) == 2 and user.seen[-1].title == "非官方模板内容"
    window.activateWindow()  # (offscreen: the window is not made active again by itself)
    qtbot.waitUntil(lambda: focused() is note, timeout=2000)
    QTest.keyClick(note, Qt.Key.Key_Tab)
    assert focused() is first
    # an official part's note has no link: not in the Tab chain
    view.go_to_part(0, focus=True)
    assert not view.part_titles[0][1].has_links()


def test_restore_is_reached_with_the_keyboard(home: HomeWindow, samples: Path,
                                              qtbot: QtBot) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    valid = loads((samples / "annex1-pass.json").read_bytes()).values["enterprise.registered_on"]
    view.go_to_item("enterprise.registered_on")
    editor = view.editor("enterprise.registered_on")
    window.activateWindow()
    editor.focus_target().setFocus()
    qtbot.waitUntil(editor.focus_target().hasFocus, timeout=2000)
    replace_text(editor.focus_target(), "2015-13-45")
    QTest.keyClick(editor.focus_target(), Qt.Key.Key_Tab)  # refused: the old value is kept
    message = view.rows["enterprise.registered_on"].message
    assert message.isVisible() and message.has_links() and "恢复为" in message.text()
    after = focused()
    assert after is not message and after is not editor.focus_target()
    QTest.keyClick(after, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is message  # the link, right after its field
    QTest.keyClick(message, Qt.Key.Key_Space)
    assert editor.raw() == str(valid) and not view.refused
    assert focused() is editor.focus_target()  # back in the field
    assert not message.has_links()  # and out of the Tab chain again
    QTest.keyClick(editor.focus_target(), Qt.Key.Key_Tab)
    assert focused() is after


def test_the_review_criteria_links_follow_the_list(home: HomeWindow, samples: Path,
                                                   qtbot: QtBot) -> None:
    draft_id = home.import_file(samples / "annex1-fail-cx3-ip.json")  # a criterion fails
    assert draft_id is not None
    window = home.open_draft(draft_id)
    view = window.view
    assert view is not None
    window.activateWindow()
    window.show_page("review")
    page = window.review_page
    assert page is not None and page.criteria.has_links()
    page.tree.setFocus()
    qtbot.waitUntil(page.tree.hasFocus, timeout=2000)
    QTest.keyClick(page.tree, Qt.Key.Key_Tab)
    assert focused() is page.criteria
    QTest.keyClick(page.criteria, Qt.Key.Key_Return)
    assert view.current_part() < len(view.definition.parts)  # at the criterion's field
