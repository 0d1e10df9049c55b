"""A whole form in one sitting, as a clerk fills it in, and a long editing session.

* ``test_a_whole_annex1_from_empty``: New → Annex 1, every part typed from empty in the form's
  order (text + Tab, numbers of the finance grid, choices with the arrow keys, boxes with Space,
  table rows added and their cells typed), then, in English, every field typed over again,
  attachments refused (duplicate, a text file named .pdf) and accepted through the real file
  dialog, one removed after answering Yes, the draft finalized after answering Yes. At the end
  every value of the sample record is in the store, exactly.
* ``test_a_thousand_edits``: 1,000 more edits of every kind on one draft (part changes too).

Both run with a watchdog (a hang fails the test, then the run) and assert that the reference
counts of None, True and False do not fall between two moments where the form holds the same
state (after typing the same values over again; every 250 edits of a cycle of 50): PySide6
6.12.0 lost one per call and aborted the interpreter after ~58 edits (``Fatal Python error:
none_dealloc``; docs/ui.md). On Python 3.12+ the three are immortal and their counts do not
move, so the assertion holds trivially there.
"""

from __future__ import annotations

import gc
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QScrollArea
from pytestqt.qtbot import QtBot

from giantdesk.export.demo import sample_pdf
from giantdesk.forms.definitions import load_definition
from giantdesk.forms.model import FieldDef, GridDef, Note, TableDef
from giantdesk.forms.record import Submission, loads
from giantdesk.ui import strings as S
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.editors import ComboEditor, LineEditor
from giantdesk.ui.home import HomeWindow

from .user import DialogAnswerer, Watchdog, click, enter_value, focus, leave, replace_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)",
                                       r"This plugin does not support grabbing the keyboard")

FORM = "annex1-batch4"


def counts(window: DraftWindow) -> tuple[int, int, int]:
    """The three counts once nothing is pending (the autosave written, events processed)."""
    window.persistence.flush()
    QApplication.processEvents()
    gc.collect()
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def assert_not_fallen(window: DraftWindow, before: tuple[int, int, int], where: str) -> None:
    now = counts(window)
    fallen = [name for name, b, n in zip(("None", "True", "False"), before, now, strict=True)
              if n < b]
    assert not fallen, f"reference counts fell ({where}): {before} → {now}"


def sample() -> Submission:
    return loads((Path(__file__).resolve().parents[2] / "resources" / "samples"
                  / "annex1-pass.json").read_bytes())


def go_to_part(window: DraftWindow, index: int) -> None:
    """Alt+Down / Alt+Up as a user moves between parts."""
    view = window.view
    assert view is not None
    while view.current_part() != index:
        key = Qt.Key.Key_Down if view.current_part() < index else Qt.Key.Key_Up
        QTest.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
        QApplication.processEvents()


def visible(window: DraftWindow, widget: object) -> bool:
    view = window.view
    assert view is not None
    page = view.stack.currentWidget()
    return isinstance(page, QScrollArea) and widget.isVisibleTo(page)  # type: ignore[attr-defined]


def fill_in(window: DraftWindow, record: Submission, add_rows: bool = True) -> int:
    """Every part of the form, in order, as the record says (``add_rows``: table rows are
    added; else the rows there are typed over). Returns the number of edits."""
    view = window.view
    assert view is not None
    edits = 0
    for index, part in enumerate(view.definition.parts):
        go_to_part(window, index)
        for item in part.items:
            if isinstance(item, FieldDef):
                row = view.rows[item.id]
                if item.computed is not None or not visible(window, row):
                    continue
                view.stack.currentWidget().ensureWidgetVisible(row)  # type: ignore[attr-defined]
                edits += enter_value(row.editor, record.values.get(item.id))
            elif isinstance(item, GridDef):
                for cell_id, editor in view.grids[item.id].editors.items():
                    if editor.field.computed is None and cell_id in record.values:
                        edits += enter_value(editor, record.values[cell_id])
            elif isinstance(item, TableDef):
                rows = record.tables.get(item.id)
                table = view.tables[item.id]
                if rows is None or not visible(window, table):
                    continue
                if not rows and add_rows:  # looked at: a row added, then removed
                    click(table.add_button)
                    click(table.remove_button)
                    edits += 2
                for number, values in enumerate(rows):
                    if add_rows:
                        click(table.add_button)
                        edits += 1
                    for column in item.columns:
                        editor = table.rows[number][column.id]
                        edits += enter_value(editor, values.get(column.id))
            else:
                assert isinstance(item, Note)
    return edits


def test_a_whole_annex1_from_empty(home: HomeWindow, qtbot: QtBot, small_pdf: Path,
                                   tmp_path: Path, user: DialogAnswerer,
                                   watchdog: Watchdog) -> None:
    started = time.perf_counter()
    home.new_actions[FORM].trigger()  # New → Annex 1
    draft_id = home.selected_id()
    assert draft_id is not None and draft_id in home.windows
    window = home.windows[draft_id]
    assert isinstance(window, DraftWindow) and window.view is not None
    qtbot.waitExposed(window)
    record = sample()
    edits = fill_in(window, record)  # every part, in Chinese
    window.header.language.setCurrentIndex(1)  # English, in every window
    assert home.lang == "en" and window.view.parts.item(0).text().startswith("1")
    before = counts(window)
    edits += fill_in(window, record, add_rows=False)  # everything typed over again
    assert_not_fallen(window, before, f"typing the whole form over ({edits} edits in all)")
    print(f"\nsoak: None/True/False before typing over {before}, after {counts(window)}")
    window.header.language.setCurrentIndex(0)
    assert home.lang == "zh"

    # attachments: refused ones are said in the page (no dialog), accepted ones listed
    window.show_page("attachments")
    page = window.attachments_page
    assert page is not None
    not_pdf = tmp_path / "营业执照扫描.pdf"
    not_pdf.write_text("这不是 PDF", "utf-8")
    other = tmp_path / "other.pdf"
    other.write_bytes(sample_pdf("Patent certificate (test)", ["for the soak test"]))
    notices = []
    for category, path in (("business_license", small_pdf), ("other", small_pdf),
                           ("other", not_pdf), ("ip_certificate", other)):
        page.tree.setCurrentItem(page.category_items[category])
        user.plan.append(path)  # the file dialog: the user picks the file
        click(page.add_button)
        qtbot.waitUntil(lambda: page.job is None, timeout=10000)
        assert QApplication.activeModalWidget() is None  # nothing left to answer
        assert page.notice.isVisible() and page.add_button.isEnabled()
        notices.append((page.notice.property("level"), page.notice.text()))
    assert [level for level, _text in notices] == ["ok", "error", "error", "ok"], (notices, user.seen)
    assert "内容完全相同" in notices[1][1] and "营业执照扫描.pdf" in notices[2][1]
    assert page.category_items["business_license"].childCount() == 1
    assert page.category_items["ip_certificate"].childCount() == 1
    assert page.category_items["other"].childCount() == 0
    refusals = [s for s in user.seen if s.kind == "message"]
    assert refusals == []  # refusals never open a dialog
    page.tree.setCurrentItem(page.category_items["ip_certificate"].child(0))
    user.plan.append(QMessageBox.StandardButton.Yes)
    click(page.remove_button)
    assert page.category_items["ip_certificate"].childCount() == 0
    assert user.seen[-1].title == "移除"

    # check & finalize
    window.show_page("check")
    check = window.check_page
    assert check is not None and check.errors.count() == 0, [
        check.errors.item(i).text() for i in range(check.errors.count())]
    check.confirm_all()
    user.plan.append(QMessageBox.StandardButton.Yes)
    click(check.finalize_button)
    assert window.finalized

    # closing the window writes everything; the store holds the whole record
    window.close()
    qtbot.waitUntil(lambda: draft_id not in home.windows, timeout=5000)
    stored = home.store.get_record(draft_id)
    assert stored.values == record.values
    assert stored.tables == record.tables
    assert home.store.inputs(draft_id) == {}
    assert [a.name for a in home.store.attachments(draft_id)] == [small_pdf.name]
    assert [s.kind for s in user.seen] == ["file"] * 4 + ["message"] * 2
    assert edits >= 250
    print(f"\nsoak: {edits} edits, {time.perf_counter() - started:.1f} s")


@pytest.mark.slow
def test_a_thousand_edits(home: HomeWindow, qtbot: QtBot, samples: Path,
                          watchdog: Watchdog) -> None:
    draft_id = home.import_file(samples / "annex1-pass.json")
    assert draft_id is not None
    window = home.open_draft(draft_id)
    assert isinstance(window, DraftWindow) and window.view is not None
    view = window.view
    qtbot.waitExposed(window)
    definition = load_definition(FORM)
    texts = ["enterprise.address", "contact.name", "contact.fax", "specialization.main_product"]
    money = ["finance.2021.operating_revenue", "finance.2021.total_liabilities",
             "finance.2020.net_profit", "finance.2020.total_assets"]
    combos = [fid for fid, row in view.rows.items()
              if isinstance(row.editor, ComboEditor) and definition.fields[fid].type.value
              == "choice" and not definition.fields[fid].condition]
    table = view.tables["innovation.rd_institution"]
    before = (0, 0, 0)
    started = time.perf_counter()
    edits = 0
    last: dict[str, object] = {}
    while edits < 1000:
        kind = edits % 10
        if kind in (0, 1, 2, 3):  # a text field: typed (Chinese too), Tab
            field_id = texts[edits % len(texts)]
            view.go_to_item(field_id)
            editor = view.editor(field_id)
            assert isinstance(editor, LineEditor)
            text = f"测试 {edits} 号" if field_id != "contact.fax" else f"0512-{66000000 + edits}"
            focus(editor.edit)
            replace_text(editor.edit, text)
            leave(editor.edit)
            last[field_id] = text
        elif kind in (4, 5, 6):  # a finance cell
            field_id = money[edits % len(money)]
            view.go_to_item(field_id)
            editor = view.editor(field_id)
            assert isinstance(editor, LineEditor)
            amount = Decimal(10000 + edits) + Decimal("0.25")
            focus(editor.edit)
            replace_text(editor.edit, str(amount))
            leave(editor.edit)
            last[field_id] = amount
        elif kind == 7:  # a choice, with the arrow keys
            field_id = combos[edits % len(combos)]
            view.go_to_item(field_id)
            editor = view.editor(field_id)
            assert isinstance(editor, ComboEditor)
            target = 1 + (editor.combo.currentIndex() % (editor.combo.count() - 1))
            enter_value(editor, definition.fields[field_id].choices[target - 1].id)
            last[field_id] = definition.fields[field_id].choices[target - 1].id
        elif kind == 8:  # a table cell
            view.go_to_item("innovation.rd_institution")
            cell = table.rows[edits % len(table.rows)]["name"]
            assert isinstance(cell, LineEditor)
            focus(cell.edit)
            replace_text(cell.edit, f"研发中心 {edits}")
            leave(cell.edit)
        else:  # move between parts; every 50 edits a row added and removed again
            QTest.keyClick(window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
            QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
            if edits % 50 == 9:
                click(table.add_button)
                click(table.remove_button)
        edits += 1
        if edits == 50:  # one cycle of every kind done: the state repeats every 50 edits
            before = counts(window)
        elif edits % 250 == 0:
            assert_not_fallen(window, before, f"after {edits} edits")
    elapsed = time.perf_counter() - started
    window.persistence.flush()
    stored = home.store.get_record(draft_id)
    for field_id, value in last.items():
        assert stored.values[field_id] == value, field_id
    assert window.saved_label.text() == S.AUTOSAVED.zh
    print(f"\n1,000 edits: {elapsed:.1f} s ({elapsed:.1f} ms per edit); None/True/False after "
          f"50 edits {before}, after 1,000 {counts(window)}")
