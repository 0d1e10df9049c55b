"""Typing is kept: saved as text ~1 s after the last keystroke without leaving the field, and a
refused text never removes the last valid value (both are kept; Escape or the link restores)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from giantdesk.forms.record import loads
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.editors import LineEditor
from giantdesk.ui.home import HomeWindow

from .conftest import open_sample
from .user import replace_text, type_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)")


def focus_field(qtbot: QtBot, window: DraftWindow, field_id: str) -> LineEditor:
    assert window.view is not None
    window.view.go_to_item(field_id)
    editor = window.view.editor(field_id)
    assert isinstance(editor, LineEditor)
    window.activateWindow()
    editor.edit.setFocus()
    qtbot.waitUntil(editor.edit.hasFocus, timeout=2000)
    return editor


def test_text_is_saved_while_typing_and_comes_back(home: HomeWindow, samples: Path,
                                                   qtbot: QtBot) -> None:
    window, draft_id = open_sample(home, samples)
    editor = focus_field(qtbot, window, "contact.fax")
    replace_text(editor.edit, "0512-6688")
    type_text(editor.edit, "9901")
    assert window.saved_label.text() == "正在保存…"
    qtbot.waitUntil(lambda: home.store.inputs(draft_id) == {"contact.fax": "0512-66889901"},
                    timeout=1500)  # ~0.7 s after the last keystroke, still in the field
    assert editor.edit.hasFocus()
    assert home.store.get_record(draft_id).values["contact.fax"] != "0512-66889901"

    window.close()  # a new window (as after a crash) shows the text and takes it
    again = home.open_draft(draft_id)
    assert isinstance(again, DraftWindow) and again.view is not None
    shown = again.view.editor("contact.fax")
    assert isinstance(shown, LineEditor) and shown.edit.text() == "0512-66889901"
    again.persistence.flush()
    assert home.store.get_record(draft_id).values["contact.fax"] == "0512-66889901"
    assert home.store.inputs(draft_id) == {}


def test_invalid_date_over_a_valid_one_keeps_both(home: HomeWindow, samples: Path,
                                                 qtbot: QtBot) -> None:
    window, draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    valid = loads((samples / "annex1-pass.json").read_bytes()).values["enterprise.registered_on"]
    editor = focus_field(qtbot, window, "enterprise.registered_on")
    replace_text(editor.edit, "2015-13-45")
    QTest.keyClick(editor.edit, Qt.Key.Key_Tab)
    message = view.rows["enterprise.registered_on"].message
    assert editor.edit.text() == "2015-13-45" and message.isVisible()
    assert "上次的有效值" in message.text() and str(valid) in message.text()
    window.persistence.flush()
    assert home.store.get_record(draft_id).values["enterprise.registered_on"] == valid
    assert home.store.inputs(draft_id) == {"enterprise.registered_on": "2015-13-45"}
    assert "1" in window.refused_label.text()
    # refused inputs block finalizing
    window.show_page("check")
    assert window.check_page is not None and not window.check_page.finalize_button.isEnabled()
    assert window.check_page.errors.count() == 1

    # reopened: still both; Escape in the field puts the valid date back
    window.close()
    again = home.open_draft(draft_id)
    assert isinstance(again, DraftWindow) and again.view is not None
    editor = focus_field(qtbot, again, "enterprise.registered_on")
    assert editor.edit.text() == "2015-13-45"
    assert "enterprise.registered_on" in again.view.refused
    QTest.keyClick(editor.edit, Qt.Key.Key_Escape)
    assert editor.edit.text() == str(valid) and not again.view.refused
    again.persistence.flush()
    assert home.store.inputs(draft_id) == {}
    assert home.store.get_record(draft_id).values["enterprise.registered_on"] == valid
    assert date.fromisoformat(str(valid))


def test_a_refused_table_cell_keeps_its_last_value(home: HomeWindow, samples: Path,
                                                   qtbot: QtBot) -> None:
    window, draft_id = open_sample(home, samples)
    assert window.view is not None
    table = window.view.tables["innovation.class1_ip"]
    before = home.store.get_record(draft_id).tables["innovation.class1_ip"][0]["granted_on"]
    cell = table.rows[0]["granted_on"]
    assert isinstance(cell, LineEditor)
    window.view.go_to_item("innovation.class1_ip")
    cell.edit.setFocus()
    qtbot.waitUntil(cell.edit.hasFocus, timeout=2000)
    replace_text(cell.edit, "昨天")
    QTest.keyClick(cell.edit, Qt.Key.Key_Tab)
    assert table.refused and "上次的有效值" in table.message.text()
    window.persistence.flush()
    assert home.store.get_record(draft_id).tables["innovation.class1_ip"][0]["granted_on"] == before
    assert home.store.inputs(draft_id) == {"innovation.class1_ip[1].granted_on": "昨天"}
    cell.edit.setFocus()
    qtbot.waitUntil(cell.edit.hasFocus, timeout=2000)
    QTest.keyClick(cell.edit, Qt.Key.Key_Escape)
    assert not table.refused and cell.edit.text() == str(before)
    window.persistence.flush()
    assert home.store.inputs(draft_id) == {}
