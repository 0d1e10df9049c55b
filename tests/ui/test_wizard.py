"""The wizard walked as a clerk does, with the keyboard only.

* ``test_annex1_from_empty_to_a_bundle``: New → Annex 1; in every step the focus starts in the
  first input; each value is typed (or chosen with the arrow keys, ticked with Space) and Tab
  goes on — the walk follows the focus, so it proves that Tab visits every input in the form's
  order; a table's rows are added with Space on “添加一行”; from the last input Tab reaches
  下一步 and Enter presses it. Along the way the step header ("第 n 步 / 共 12 步 · …") and
  the parts list ("已填 n/n") are checked. Then 附件, 审阅 (nothing left), 核对与导出: each item
  to confirm ticked with Space, ① 定稿 and ② 导出 pressed from the keyboard, the dialogs answered
  as a user would; the bundle verifies and holds exactly the sample record.
* ``test_annex2_carried_over_from_that_annex1``: the same Annex 1 carried over to an Annex 2
  from the home window (the summary says what was carried and links the review fields to
  fill); every step walked the same way, typing only what is missing (the review part), to an
  exported bundle.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from giantdesk.export.verify import verify_bundle
from giantdesk.forms.model import FieldDef
from giantdesk.forms.progress import PartState
from giantdesk.forms.record import Submission, loads
from giantdesk.forms.values import input_text
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.editors import MultiChoiceEditor
from giantdesk.ui.form_view import FormView
from giantdesk.ui.home import HomeWindow
from tests.conftest import MemoryKeyring

from .user import DialogAnswerer, Watchdog, replace_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)",
                                       r"This plugin does not support grabbing the keyboard")

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def sample(name: str) -> Submission:
    return loads((SAMPLES / f"{name}.json").read_bytes())


def settle() -> None:
    QApplication.processEvents()


def active(window: QWidget, qtbot: QtBot) -> None:
    """The window in front (a new window is, on a desktop)."""
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def key(widget: QWidget | None, k: Qt.Key, modifier: Qt.KeyboardModifier =
        Qt.KeyboardModifier.NoModifier) -> None:
    assert widget is not None
    QTest.keyClick(widget, k, modifier)
    settle()


class Walker:
    """Fills a draft window part by part from ``target``, following the focus."""

    def __init__(self, window: DraftWindow, target: Submission) -> None:
        self.window = window
        assert window.view is not None
        self.view: FormView = window.view
        self.target = target
        self.typed = 0
        self.path: list[tuple[str, Any, str]] = []

    # -- one input ------------------------------------------------------------------------------

    def where(self, widget: QWidget) -> tuple[str, Any, Any]:
        """What the focused widget is: a field's input, a box of a multiple choice, a table's
        button or cell."""
        view = self.view
        for field_id, row in view.rows.items():
            editor = row.editor
            if isinstance(editor, MultiChoiceEditor):
                for choice_id, check, _label in editor.boxes:
                    if check is widget:
                        return "box", field_id, choice_id
            elif editor.focus_target() is widget:
                return "field", field_id, editor
        for grid in view.grids.values():
            for cell_id, editor in grid.editors.items():
                if editor.focus_target() is widget:
                    return "field", cell_id, editor
        for table_id, table in view.tables.items():
            if widget is table.add_button:
                return "add", table_id, table
            for number, editors in enumerate(table.rows):
                for column_id, editor in editors.items():
                    if editor.focus_target() is widget:
                        return "cell", (table_id, number, column_id), editor
            if table.isAncestorOf(widget):
                return "button", table_id, widget
        return "other", None, widget

    def give(self, f: FieldDef, editor: Any, value: Any, current: Any) -> None:
        """Type ``value`` into the focused input (or choose it with the arrow keys)."""
        widget = editor.focus_target()
        if value == current:
            return
        if isinstance(widget, QComboBox):
            wanted = "" if value is None else input_text(f, value)
            index = next(i for i, (k, _m) in enumerate(editor._options) if k == wanted)
            step = Qt.Key.Key_Down if index > widget.currentIndex() else Qt.Key.Key_Up
            for _ in range(abs(index - widget.currentIndex())):
                key(widget, step)
            assert widget.currentIndex() == index
        else:
            assert isinstance(widget, QLineEdit | QPlainTextEdit)
            replace_text(widget, "" if value is None else input_text(f, value))
            settle()
        self.typed += 1

    def fill_part(self, limit: int = 400) -> None:
        """From the focus (the part's first input) to 下一步, every input on the way."""
        view, target = self.view, self.target
        for _ in range(limit):
            widget = focused()
            assert widget is not None, "nothing has the focus"
            if widget is view.nav.next_button:
                return
            kind, what, extra = self.where(widget)
            self.path.append((kind, what, widget.objectName()))
            if kind == "field":
                f = view.definition.fields[what]
                self.give(f, extra, target.values.get(what), view.live.scope.values.get(what))
            elif kind == "box":
                wanted = what in target.values and extra in target.values[what]
                assert isinstance(widget, QCheckBox)
                if widget.isChecked() != wanted:
                    key(widget, Qt.Key.Key_Space)
                    self.typed += 1
            elif kind == "add":
                rows = target.tables.get(what) or []
                if len(extra.rows) < len(rows):
                    key(widget, Qt.Key.Key_Space)  # a row added: the focus is in its first cell
                    self.typed += 1
                    continue
            elif kind == "cell":
                table_id, number, column_id = what
                table = view.tables[table_id]
                column = table.table.column(column_id)
                assert column is not None
                rows = target.tables.get(table_id) or []
                value = rows[number].get(column_id) if number < len(rows) else None
                current = (view.live.scope.tables.get(table_id) or [{}] * (number + 1))
                had = current[number].get(column_id) if number < len(current) else None
                self.give(column.for_row(rows[number] if number < len(rows) else {}), extra,
                          value, had)
            elif kind == "other":
                raise AssertionError(f"Tab reached {widget.objectName() or widget} inside "
                                     f"part {view.current_part()} after {self.path[-6:]}")
            key(widget, Qt.Key.Key_Tab)
        raise AssertionError("the part never ended on 下一步")

    def reached(self) -> set[str]:
        return {what for kind, what, _name in self.path if kind in ("field", "box")}

    # -- the steps ------------------------------------------------------------------------------

    def walk_parts(self) -> list[str]:
        """Every part the enterprise fills in; returns the step headers seen."""
        view = self.view
        headers = []
        steps = view.steps()
        for number, index in enumerate(steps, start=1):
            if index >= len(view.definition.parts):
                break
            assert view.current_part() == index
            part = view.definition.parts[index]
            header = view.step_bar.title.text()
            assert header == (f"第 {number} 步 / 共 {len(steps)} 步 · "
                              f"{part.number.zh}、{part.title.zh}")
            headers.append(header)
            self.fill_part()
            progress = view.progress[index]
            assert progress.state is PartState.COMPLETE, (part.id, progress)
            assert progress.optional or progress.filled == progress.total
            assert view.parts.item(index).text().split("\n")[1].startswith(
                f"选填 · 已填 {progress.filled}/" if progress.optional
                else f"已填 {progress.total}/{progress.total}")
            key(view.nav.next_button, Qt.Key.Key_Return)  # Enter on 下一步
        return headers


def tab_to(button: QPushButton, limit: int = 40) -> None:
    for _ in range(limit):
        if focused() is button:
            return
        key(focused(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {button.objectName()} (the focus is on "
                         f"{focused()})")


def finish_and_export(window: DraftWindow, qtbot: QtBot, user: DialogAnswerer,
                      out: Path) -> Path:
    """附件 (nothing added), 审阅 (nothing left), 核对与导出: confirm, finalize, export."""
    view = window.view
    assert view is not None
    assert view.current_key() == "attachments"
    assert view.step_bar.title.text().startswith(f"第 {len(view.steps()) - 2} 步")
    key(focused(), Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # Alt+→
    assert view.current_key() == "review"
    review = window.review_page
    assert review is not None and not any(review.counts.values()), review.counts
    assert "可以定稿" in view.parts.item(view.parts.count() - 2).text()
    tab_to(view.nav.next_button)
    key(view.nav.next_button, Qt.Key.Key_Return)
    assert view.current_key() == "check"
    check = window.check_page
    assert check is not None and check.errors.count() == 0
    if check.warnings.count():  # each item to confirm ticked with Space
        check.warnings.setFocus()
        for row in range(check.warnings.count()):
            check.warnings.setCurrentRow(row)
            key(check.warnings, Qt.Key.Key_Space)
        assert check.unconfirmed() == 0
    user.plan.append(QMessageBox.StandardButton.Yes)  # "定稿后草稿将变为只读。现在定稿吗？"
    tab_to(check.finalize_button)
    key(check.finalize_button, Qt.Key.Key_Space)
    assert window.finalized
    active(window, qtbot)  # the dialog closed: the window is in front again (the platform's job)
    assert focused() is check.export_button  # step ② is next
    user.plan.append(out)  # the folder dialog: the user types the folder
    tab_to(check.export_button)
    key(check.export_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: check.job is None and check.result is not None, timeout=60000)
    bundle = Path(check.result.path)
    assert bundle.parent == out
    return bundle


def rows(record: Submission) -> dict[str, Any]:
    """The tables with rows (a table passed by without adding a row holds none, as one the
    sample lists as empty)."""
    return {k: v for k, v in record.tables.items() if v}


def bundle_record(bundle: Path) -> Submission:
    report = verify_bundle(bundle)
    assert report.valid, report.problem
    with zipfile.ZipFile(bundle) as zf:
        return loads(zf.read("submission.json"))


def attach_by_keyboard(window: DraftWindow, qtbot: QtBot, user: DialogAnswerer,
                       pdf: Path) -> None:
    """On 附件: the first category selected with the arrow keys, Enter, the file typed into the
    file dialog; the refusal or the "已添加" is said in the page."""
    page = window.attachments_page
    assert page is not None
    page.tree.setFocus()
    page.tree.setCurrentItem(page.category_items["business_license"])
    user.plan.append(pdf)
    key(page.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)
    assert page.category_items["business_license"].childCount() == 1


def test_annex1_from_empty_to_a_bundle_then_annex2_carried_over_from_it(
        home: HomeWindow, qtbot: QtBot, user: DialogAnswerer, memory_keyring: MemoryKeyring,
        tmp_path: Path, small_pdf: Path, watchdog: Watchdog) -> None:
    home.new_actions["annex1-batch4"].trigger()
    draft_id = home.selected_id()
    assert draft_id is not None
    window = home.windows[draft_id]
    active(window, qtbot)
    view = window.view
    assert view is not None
    # a new draft: nothing red, the first input ready
    assert {view.parts.item(i).data(Qt.ItemDataRole.UserRole) for i in range(9)} == {
        PartState.UNTOUCHED}
    assert view.parts.item(0).text() == "一  企业情况\n已填 0/23 · 未开始"
    assert focused() is view.rows["enterprise.name"].editor.focus_target()
    target = sample("annex1-pass")
    walker = Walker(window, target)
    headers = walker.walk_parts()
    assert headers[0] == "第 1 步 / 共 12 步 · 一、企业情况" and len(headers) == 9
    # Tab reached every field of the record, and every cell of its tables
    assert set(target.values) <= walker.reached()
    assert walker.typed >= len(target.values)
    attach_by_keyboard(window, qtbot, user, small_pdf)
    active(window, qtbot)  # the file dialog closed: the window is in front again
    out = tmp_path / "out"
    out.mkdir()
    bundle = finish_and_export(window, qtbot, user, out)
    record = bundle_record(bundle)
    assert record.values == target.values and rows(record) == rows(target)
    assert [s.kind for s in user.seen] == ["file", "message", "file"]  # PDF, 定稿?, folder
    window.close()

    # -- Annex 2, carried over from that bundle ------------------------------------------------
    review_id = home.carry_over_file(bundle)
    assert review_id is not None
    summary = home.carry_summary
    assert summary is not None and summary.isVisible()
    assert "一、企业情况：29 项" in summary.carried_text()
    assert "原认定批次" in summary.to_fill_text()
    assert [offer.name for _box, offer in summary.boxes] == [small_pdf.name]
    summary.carry_attachments()  # the bundle's attachment, through the intake
    assert [a.name for a in home.store.attachments(review_id)] == [small_pdf.name]
    summary.go_to("review.original_batch")  # a link: the draft opens at that field
    window = home.windows[review_id]
    active(window, qtbot)
    view = window.view
    assert view is not None and view.definition.id == "annex2-batch1-review"
    assert view.current_part() == 1
    assert view.step_bar.title.text() == "第 2 步 / 共 13 步 · 二、复核情况"
    assert focused() is view.rows["review.original_batch"].editor.focus_target()
    assert view.parts.item(1).data(Qt.ItemDataRole.UserRole) == PartState.UNTOUCHED
    assert "暂满足" in home.table.item(home.draft_ids().index(review_id), 5).text()
    key(focused(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Alt+←: step 1
    assert view.current_part() == 0
    target = sample("annex1-pass")
    review = sample("annex2-pass")
    target.values.update({k: v for k, v in review.values.items() if k.startswith("review.")})
    walker = Walker(window, target)
    headers = walker.walk_parts()
    assert headers[1] == "第 2 步 / 共 13 步 · 二、复核情况" and len(headers) == 10
    assert 5 <= walker.typed < 20  # only the review part was typed
    out = tmp_path / "out2"
    out.mkdir()
    bundle = finish_and_export(window, qtbot, user, out)
    record = bundle_record(bundle)
    assert record.form == "annex2-batch1-review"
    assert record.values == target.values and rows(record) == rows(target)
    with zipfile.ZipFile(bundle) as zf:
        assert any(small_pdf.name in n for n in zf.namelist())


def test_tab_order_reaches_next_from_the_last_input_and_enter_moves_on(
        home: HomeWindow, qtbot: QtBot) -> None:
    home.new_actions["annex1-batch4"].trigger()
    window = home.windows[home.selected_id()]
    active(window, qtbot)
    view = window.view
    assert view is not None
    view.go_to_part(8, focus=True)  # 九 其他
    last = view.last_input()
    assert last is not None and isinstance(last, QLineEdit | QPlainTextEdit | QComboBox)
    last.setFocus()
    key(last, Qt.Key.Key_Tab)
    assert focused() is view.nav.next_button
    key(view.nav.next_button, Qt.Key.Key_Return)
    assert view.current_key() == "attachments"  # the recommending unit's part is no step
    key(focused(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.current_part() == 8
    assert isinstance(focused(), QWidget) and not isinstance(focused(), QListWidget)
