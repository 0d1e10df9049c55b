"""The draft window, offscreen: rendering from the definition, editing, the panel, languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from giantdesk.forms.definitions import load_definition
from giantdesk.forms.record import loads
from giantdesk.forms.rules import Status
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.editors import LineEditor
from giantdesk.ui.form_view import COMPLETE, ERRORS, NOT_STARTED, FormView

TODAY = date(2022, 7, 1)

# The offscreen platform plugin says this whenever a top-level window's size limits change;
# it is about the test platform, not the app (a real display does support it).
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def window(qtbot: QtBot, samples: Path, tmp_path: Path) -> DraftWindow:
    win = DraftWindow(lang="zh", today=TODAY)
    qtbot.addWidget(win)
    copy = tmp_path / "annex1-pass.json"  # a file-mode window may be saved on closing
    copy.write_bytes((samples / "annex1-pass.json").read_bytes())
    assert win.open_path(copy)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def view_of(win: DraftWindow) -> FormView:
    assert win.view is not None
    return win.view


def line_edit(win: DraftWindow, field_id: str) -> QLineEdit:
    editor = view_of(win).editor(field_id)
    assert isinstance(editor, LineEditor)
    return editor.edit


def leave(qtbot: QtBot, edit: QLineEdit) -> None:
    """Leave the field as a user does: Tab to the next one."""
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not edit.hasFocus(), timeout=2000)


def test_parts_list_follows_the_definition(window: DraftWindow) -> None:
    view = view_of(window)
    definition = load_definition("annex1-batch4")
    texts = [view.parts.item(i).text() for i in range(view.parts.count())]
    # each part: its number and title, then what is filled (file mode: 审阅 follows the parts)
    assert [t.split("\n")[0] for t in texts] == [
        f"{p.number.zh}  {p.title.zh}" for p in definition.parts] + ["审阅"]
    assert texts[0] == "一  企业情况\n已填 25/25"
    assert texts[-2] == "十  推荐单位意见\n推荐单位填写"
    states = [view.parts.item(i).data(Qt.ItemDataRole.UserRole) for i in range(len(texts))]
    assert states[:9] == [COMPLETE] * 9  # the sample is complete
    assert window.title_label.text() == "苏州精研微动科技股份有限公司"
    assert window.saved_label.text() == "已保存"


def test_fields_render_in_form_order_with_units(window: DraftWindow) -> None:
    view = view_of(window)
    part = load_definition("annex1-batch4").parts[0]
    rendered = [fid for fid in view.rows if load_definition("annex1-batch4").part_of(fid) == part]
    assert rendered == [f.id for f in part.fields()]
    capital = view.rows["enterprise.registered_capital"]
    assert capital.unit.text() == "万元"
    assert capital.label.text().endswith("*")
    assert line_edit(window, "enterprise.registered_capital").text() == "8,600.00"


def test_bad_uscc_shows_message_on_leaving(window: DraftWindow, qtbot: QtBot) -> None:
    edit = line_edit(window, "enterprise.uscc")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    edit.selectAll()
    qtbot.keyClicks(edit, "91110000ABC")
    row = view_of(window).rows["enterprise.uscc"]
    assert row.message.isHidden()  # nothing said while typing
    leave(qtbot, edit)
    assert row.message.isVisible()
    assert "统一社会信用代码" in row.message.text()
    assert row.message.property("level") == "error"
    # Kept (never lost), reported by the validator, shown as unsaved, part 一 has errors.
    assert window.record().values["enterprise.uscc"] == "91110000ABC"
    assert window.saved_label.text() == "未保存"
    assert view_of(window).parts.item(0).data(Qt.ItemDataRole.UserRole) == ERRORS


def test_refused_money_keeps_text_and_explains(window: DraftWindow, qtbot: QtBot) -> None:
    view = view_of(window)
    view.go_to_part(1)
    edit = line_edit(window, "finance.2021.net_profit")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    edit.selectAll()
    qtbot.keyClicks(edit, "12abc")
    leave(qtbot, edit)
    assert edit.text() == "12abc"
    grid = view.grids["finance"]
    assert not grid.message.isHidden() and "净利润" in grid.message.text()
    assert "finance.2021.net_profit" in view.refused
    assert "1" in window.refused_label.text()


def test_debt_ratio_turns_jx3_red(window: DraftWindow, qtbot: QtBot) -> None:
    view = view_of(window)
    row = view.panel.rows["JX-3"]
    assert row.status is Status.PASS
    view.go_to_part(1)
    edit = line_edit(window, "finance.2021.total_liabilities")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    edit.selectAll()
    qtbot.keyClicks(edit, "25000")
    leave(qtbot, edit)
    assert row.status is Status.FAIL
    assert row.property("status") == "fail"
    assert "89.41%" in row.label.text()
    assert "未满足" in view.panel.summary.text()
    assert view.panel.group_labels["JX"].property("status") == "fail"
    # The computed cell follows, read-only.
    ratio = line_edit(window, "finance.2021.debt_ratio")
    assert ratio.isReadOnly() and ratio.text() == "89.41"
    assert line_edit(window, "finance.2021.total_liabilities").text() == "25,000.00"


def test_language_switch_relabels_from_definition(window: DraftWindow) -> None:
    view = view_of(window)
    definition = load_definition("annex1-batch4")
    window.set_language("en")
    assert view.parts.item(0).text().split("\n")[0] == f"1  {definition.parts[0].title.en}"
    assert view.rows["enterprise.name"].label.text() == "Enterprise name *".replace(
        "Enterprise name", definition.fields["enterprise.name"].label.en)
    assert view.panel.heading.text() == "Recognition criteria"
    assert "JX-3" in view.panel.rows["JX-3"].label.text()
    assert window.saved_label.text() == "Saved"
    assert window.menuBar().actions()[0].text() == "&File"
    window.set_language("zh")
    assert view.rows["enterprise.name"].label.text() == "企业名称 *"


def test_condition_shows_dependent_field_live(window: DraftWindow, qtbot: QtBot) -> None:
    view = view_of(window)
    dependent = view.rows["exclusion.controlling_relation_names"]
    assert dependent.isHidden()
    combo = view.rows["exclusion.controlling_relation"].editor
    combo.combo.setCurrentIndex(1)  # 是  # type: ignore[attr-defined]
    combo.committed.emit()
    assert not dependent.isHidden()
    assert view.panel.rows["EX-2"].status is Status.FAIL


def test_chinese_text_through_input_method(window: DraftWindow, qtbot: QtBot) -> None:
    edit = line_edit(window, "enterprise.name")
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    edit.selectAll()
    event = QInputMethodEvent()
    event.setCommitString("无锡新材料有限公司")
    edit.inputMethodEvent(event)
    leave(qtbot, edit)
    assert window.record().values["enterprise.name"] == "无锡新材料有限公司"
    assert window.title_label.text() == "无锡新材料有限公司"


def test_tables_add_and_remove_rows(window: DraftWindow) -> None:
    view = view_of(window)
    table = view.tables["innovation.rd_institution"]
    assert len(table.rows) == 2
    table.remove_current_row()
    table.remove_current_row()
    assert window.record().tables["innovation.rd_institution"] == []
    assert view.panel.rows["CX-2"].status is Status.FAIL
    table.add_row()
    assert len(window.record().tables["innovation.rd_institution"]) == 1
    # a row just added is not flagged while the user is in it; once left, its empty
    # required cells are named (待填写)
    assert table.message.isHidden() and table.fresh == 0
    table.leave_fresh()
    assert not table.message.isHidden()


def test_save_and_reopen_round_trip(window: DraftWindow, tmp_path: Path, samples: Path) -> None:
    view = view_of(window)
    view.go_to_part(1)
    editor = view.editor("finance.2021.total_assets")
    assert isinstance(editor, LineEditor)
    editor.edit.setText("30000")
    view.commit_field("finance.2021.total_assets")
    target = tmp_path / "draft.json"
    assert window.save_to(target)
    assert window.saved_label.text() == "已保存"
    saved = loads(target.read_bytes())
    assert saved.values["finance.2021.total_assets"] == Decimal("30000.00")
    original = loads((samples / "annex1-pass.json").read_bytes())
    assert {k: v for k, v in saved.values.items() if k != "finance.2021.total_assets"} == {
        k: v for k, v in original.values.items() if k != "finance.2021.total_assets"}
    assert saved.tables == original.tables


def test_open_malformed_file_explains_and_keeps_record(window: DraftWindow,
                                                       tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "giantdesk.submission/1", "form": "nope"}', encoding="utf-8")
    before = window.record()
    assert not window.open_path(bad)
    assert window.last_error is not None
    assert window.record() == before
    assert not window.open_path(tmp_path / "missing.json")


def test_keyboard_moves_between_parts(window: DraftWindow, qtbot: QtBot) -> None:
    view = view_of(window)
    assert view.current_part() == 0
    qtbot.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.current_part() == 1
    assert line_edit(window, "finance.2019.employees").hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.current_part() == 0


def test_tab_order_follows_form_order(window: DraftWindow, qtbot: QtBot) -> None:
    first = line_edit(window, "enterprise.name")
    first.setFocus()
    qtbot.waitUntil(first.hasFocus, timeout=2000)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert view_of(window).editor("enterprise.region_province").focus_target().hasFocus()


def test_rule_click_goes_to_its_field(window: DraftWindow) -> None:
    view = view_of(window)
    view.go_to_rule("JX-3")
    assert view.current_part() == 1


def test_new_annex2_and_empty_state(window: DraftWindow) -> None:
    window.new_record("annex2-batch1-review")
    view = view_of(window)
    assert view.definition.id == "annex2-batch1-review"
    assert view.parts.item(0).data(Qt.ItemDataRole.UserRole) == NOT_STARTED
    assert window.title_label.text() == "未命名"


def test_undo_puts_back_the_last_changes(window: DraftWindow) -> None:
    view = view_of(window)
    editor = view.editor("finance.2021.total_liabilities")
    assert isinstance(editor, LineEditor)
    editor.edit.setText("25000")
    view.commit_field("finance.2021.total_liabilities")
    assert view.panel.rows["JX-3"].status is Status.FAIL
    table = view.tables["innovation.rd_institution"]
    table.remove_current_row()
    assert len(window.record().tables["innovation.rd_institution"]) == 1
    window.undo()  # the removed row comes back
    assert len(window.record().tables["innovation.rd_institution"]) == 2
    window.undo()  # the liabilities go back to the sample's value
    assert window.record().values["finance.2021.total_liabilities"] == Decimal("10580.40")
    assert view.panel.rows["JX-3"].status is Status.PASS
    assert editor.edit.text() == "10,580.40"
    window.undo()  # nothing left: no change
    assert window.record().values["finance.2021.total_liabilities"] == Decimal("10580.40")
