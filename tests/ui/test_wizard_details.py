"""The wizard's details, one point of issue 9 each: plain words and labels, everything the
panel says on the check page, tables a clerk can read, inputs that help, the recycle bin, the
non-official parts explained, accessible names, readable read-only pages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from giantdesk.forms.record import loads
from giantdesk.store.api import now_utc, ts
from giantdesk.ui import strings as S
from giantdesk.ui.check_page import KEY_ROLE
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.editors import DivisionEditor, LineEditor
from giantdesk.ui.grids import RowDialog
from giantdesk.ui.home import HomeWindow

from .conftest import TODAY, open_sample
from .user import DialogAnswerer, focus, leave, replace_text

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)",
                                       r"This plugin does not support grabbing the keyboard")


def edit_of(window: DraftWindow, field_id: str) -> QLineEdit:
    assert window.view is not None
    editor = window.view.editor(field_id)
    assert isinstance(editor, LineEditor)
    return editor.edit


def type_edit(edit: QLineEdit, text: str) -> None:
    focus(edit)
    replace_text(edit, text)
    leave(edit)


def type_into(window: DraftWindow, field_id: str, text: str) -> None:
    """Go to the field (its part shown), type ``text`` over it, Tab."""
    assert window.view is not None
    window.view.go_to_item(field_id)
    type_edit(edit_of(window, field_id), text)


# -- plain words, labels, the same on every page ----------------------------------------------


def test_a_rule_warning_is_an_item_to_confirm_on_the_check_page(home: HomeWindow,
                                                                samples: Path) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    # declared 12.60 % vs sales ÷ market size = 6.30 %: the panel says "请核实"…
    type_into(window, "distinctiveness.market_size", "248800")
    assert view.panel.rows["TS-1"].property("status") == "warn"
    window.show_page("check")
    check = window.check_page
    assert check is not None
    texts = [check.warnings.item(i).text() for i in range(check.warnings.count())]
    assert any(t.startswith("特色化：填报占有率 12.60%") for t in texts), texts  # …so does this
    assert not check.finalize_button.isEnabled()  # not before it is confirmed
    assert "请核实" in check.warnings_heading.text()
    check.confirm_all()
    assert check.finalize_button.isEnabled()
    tips = [check.warnings.item(i).toolTip() for i in range(check.warnings.count())]
    assert any("细分市场" in tip for tip in tips) and not any("distinctiveness." in tip
                                                             for tip in tips)
    # the ticks are kept with the draft: the window closed and opened again, still ticked
    ticked = {c.key for c in check._warnings}
    window.close()
    again = home.open_draft(_draft_id)
    again.show_page("check")
    check = again.check_page
    assert check is not None and {c.key for c in check._warnings} == ticked
    assert check.unconfirmed() == 0 and check.finalize_button.isEnabled()
    item = check.warnings.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)  # unticked: kept too
    assert home.store.confirmed(_draft_id) == ticked - {item.data(KEY_ROLE)}


def test_the_panel_names_the_failing_criterion_with_its_numbers(home: HomeWindow,
                                                                samples: Path) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    type_into(window, "distinctiveness.market_share", "8.2")
    type_into(window, "distinctiveness.main_product_sales", "10200")
    summary = view.panel.summary.text()
    assert summary.startswith("1 项条件未满足")
    assert "特色化：主导产品全国细分市场占有率 8.20%，要求 ≥ 10%" in summary
    window.show_page("check")
    assert window.check_page is not None
    assert "特色化：主导产品全国细分市场占有率 8.20%" in window.check_page.eligibility.text()
    # tooltips name the values by their labels, never by id
    tip = view.panel.rows["ZY-3"].toolTip()
    assert "其中：主营业务收入（2019年）" in tip and "main_revenue_2019" not in tip
    assert "derived_share" not in view.panel.rows["TS-1"].toolTip()


def test_an_empty_required_field_is_to_fill_not_wrong(home: HomeWindow) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None
    window = home.windows[draft_id]
    view = window.view
    assert view is not None
    window.show_page("check")
    check = window.check_page
    assert check is not None
    texts = [check.errors.item(i).text() for i in range(check.errors.count())]
    assert texts and all(t.startswith("○ 待填写 · ") for t in texts)
    assert "待填写" in check.errors_heading.text() and "数据有误" not in "".join(texts)
    assert check.errors.item(0).toolTip() == "跳到“企业名称”"
    # the parts list: grey and hollow, never red, for a new draft; 核对与导出 is not red
    assert view.parts.item(0).data(Qt.ItemDataRole.UserRole) == "untouched"
    assert view.extra_items["check"].data(Qt.ItemDataRole.UserRole + 1) != "errors"
    assert "数据有误" not in view.panel.rows["ZY-2"].label.text()


def test_history_names_a_finance_cell_with_its_year(home: HomeWindow, samples: Path) -> None:
    from giantdesk.ui.history import where_label

    window, _draft_id = open_sample(home, samples)
    assert window.view is not None

    class Revision:
        path, detail = "finance.2020.net_profit", ""

    assert where_label(window.view.definition, Revision(), "zh") == "净利润总额（2020年）"


# -- steps -----------------------------------------------------------------------------------


def test_steps_skip_the_recommending_unit_and_say_where_the_user_is(home: HomeWindow,
                                                                    qtbot: QtBot) -> None:
    draft_id = home.new_draft("annex2-batch1-review")
    assert draft_id is not None
    window = home.windows[draft_id]
    view = window.view
    assert view is not None
    assert len(view.steps()) == 13  # 10 parts + 附件, 审阅, 核对与导出; not 推荐单位复核意见
    assert view.step_bar.title.text() == "第 1 步 / 共 13 步 · 一、企业情况"
    window.set_language("en")
    assert view.step_bar.title.text() == "Step 1 of 13 · 1. The enterprise"
    assert view.nav.next_button.text() == "Next →"
    assert view.nav.following.text().startswith("Next: 2. Review")
    window.set_language("zh")
    view.go_to_part(9)  # 十 其他 → 下一步 is 附件
    window.next_step()
    assert view.current_key() == "attachments"
    window.previous_step()
    assert view.current_part() == 9
    view.go_to_part(len(view.definition.parts) - 1)  # the recommending unit's part
    assert view.step_bar.title.text().startswith("不在填写步骤中")


# -- inputs ----------------------------------------------------------------------------------


def test_city_and_county_are_completed_under_the_chosen_province(home: HomeWindow) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None
    window = home.windows[draft_id]
    view = window.view
    assert view is not None
    city = view.editor("enterprise.region_city")
    county = view.editor("enterprise.region_county")
    assert isinstance(city, DivisionEditor) and isinstance(county, DivisionEditor)
    assert city.model.stringList() == []
    type_into(window, "enterprise.region_province", "福建")
    assert "福州市" in city.model.stringList() and "苏州市" not in city.model.stringList()
    type_edit(city.edit, "福州")  # "福州" is taken as 福州市
    assert "鼓楼区" in county.model.stringList()


def test_characters_left_near_the_limit(home: HomeWindow) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None
    window = home.windows[draft_id]
    view = window.view
    assert view is not None
    row = view.rows["enterprise.name"]
    limit = row.field.max_length
    assert limit is not None
    focus(row.editor.focus_target())
    replace_text(row.editor.focus_target(), "企" * (limit - 3))
    assert row.counter.isVisible() and row.counter.text() == "还可输入 3 字"
    replace_text(row.editor.focus_target(), "企" * 4)
    assert row.counter.isHidden()


def test_the_uscc_box_shows_18_characters(home: HomeWindow) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None
    edit = edit_of(home.windows[draft_id], "enterprise.uscc")
    assert edit.width() >= edit.fontMetrics().horizontalAdvance("91350100MA2YQWXM8W") + 12


# -- tables ----------------------------------------------------------------------------------


def test_tables_a_clerk_can_read(home: HomeWindow, samples: Path, qtbot: QtBot,
                                 user: DialogAnswerer) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    table = view.tables["innovation.class1_ip"]
    view.go_to_item("innovation.class1_ip")
    header = table.view.horizontalHeader()
    line = header.fontMetrics().height()
    assert header.sizeHint().height() >= 2 * line  # a long header wraps, it is not cut
    assert table.view.height() >= header.sizeHint().height() + 5 * table.ROW_HEIGHT
    # a date typed in a cell is shown normalised as soon as it is taken
    certifications = view.tables["refinement.certifications"]
    view.go_to_item("refinement.certifications")
    cell = certifications.rows[0]["valid_until"]
    assert isinstance(cell, LineEditor)
    type_edit(cell.edit, "2025/3/9")
    assert cell.edit.text() == "2025-03-09"
    # a row in a small form, one field per line with its full label
    user.stop()

    labels: list[str] = []

    def fill() -> None:
        dialog = table.findChild(RowDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, fill)
            return
        labels.extend(row.label.text() for row in dialog.rows.values())
        dialog.rows["title"].editor.set_raw("一种很长很长的交叉滚子轴承装配方法及其检测装置")
        dialog.accept()

    QTimer.singleShot(20, fill)
    assert table.edit_row(0)
    user.timer.start()
    assert any(label.startswith("实际应用并已产生经济效益") for label in labels), labels
    assert window.record().tables["innovation.class1_ip"][0]["title"] == (
        "一种很长很长的交叉滚子轴承装配方法及其检测装置")
    # each cell is named for a screen reader
    assert table.rows[1]["title"].focus_target().accessibleName().startswith(
        "Ⅰ类知识产权第 2 行 · ")


# -- accessible names, read-only pages, the non-official parts --------------------------------


def test_accessible_names_on_every_input(home: HomeWindow, samples: Path) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    for index in range(len(view.definition.parts)):
        for widget in view.page_inputs(index):
            assert widget.accessibleName(), widget.objectName()
    assert view.editor("finance.2021.operating_revenue").focus_target().accessibleName() == (
        "营业收入（2021年）")
    boxes = view.rows["refinement.info_system_areas"].findChildren(QCheckBox)
    assert boxes[0].accessibleName().startswith("采用信息系统支撑的核心业务：")


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[None]:
    """The app's style sheet, as ``giantdesk.ui.app.main`` sets it."""
    from giantdesk.ui.style import STYLE_SHEET

    qapp.setStyleSheet(STYLE_SHEET)
    yield
    qapp.setStyleSheet("")


def test_a_finalized_page_is_readable(home: HomeWindow, samples: Path, qtbot: QtBot,
                                      styled: None) -> None:
    window, draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    home.store.finalize(draft_id)
    window._show_status()
    edit = edit_of(window, "enterprise.name")
    assert not edit.isEnabled()
    image = edit.grab().toImage()
    darkest = min(QColor(image.pixel(x, y)).lightness()
                  for x in range(0, image.width(), 2) for y in range(image.height()))
    assert darkest < 90  # dark text, not Qt's pale disabled grey (~190)


def test_the_non_official_parts_are_explained(home: HomeWindow, samples: Path,
                                              user: DialogAnswerer) -> None:
    window, _draft_id = open_sample(home, samples)
    view = window.view
    assert view is not None
    view.go_to_part(2)  # 三 专业化: not from the official template
    _title, note, part = view.part_titles[2]
    assert not part.official and "非官方模板内容（辅助填写）" in note.text()
    assert "这是什么？" in note.text() and "印在申请书" in note.toolTip()
    user.plan.append(QMessageBox.StandardButton.Ok)
    note.linkActivated.emit("not-official")
    assert user.seen[-1].title == "非官方模板内容" and "省级主管部门" in user.seen[-1].text


# -- the recycle bin ---------------------------------------------------------------------------


def test_delete_to_the_recycle_bin_and_back(home: HomeWindow, samples: Path,
                                            user: DialogAnswerer) -> None:
    first = home.import_file(samples / "annex1-pass.json")
    second = home.new_draft("annex2-batch1-review")
    assert first is not None and second is not None
    home.windows[second].close()
    home.select(second)
    user.plan.append(QMessageBox.StandardButton.No)
    assert not home.delete_selected() and second in home.draft_ids()
    user.plan.append(QMessageBox.StandardButton.Yes)
    assert home.delete_selected() and second not in home.draft_ids()
    assert "回收站" in user.seen[-1].text
    assert home.last_info is not None and "可恢复" in home.last_info.zh
    # a finalized draft asks twice
    home.store.finalize(first)
    home.refresh()
    home.select(first)
    user.plan += [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No]
    assert not home.delete_selected() and first in home.draft_ids()
    user.plan += [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Yes]
    assert home.delete_selected() and home.draft_ids() == []
    assert "已经定稿" in user.seen[-2].text and "再确认一次" in user.seen[-1].text
    # the bin: both there, one restored
    user.stop()
    dialog = home.show_bin()
    assert dialog.table.rowCount() == 2
    dialog.table.setCurrentCell(0, 0)
    restored = dialog.restore_selected()
    assert restored == first and home.draft_ids() == [first]
    assert home.store.draft(first).finalized  # as it was
    dialog.close()
    user.timer.start()


def test_a_draft_open_in_a_window_is_not_deleted(home: HomeWindow, user: DialogAnswerer) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None and draft_id in home.windows
    home.select(draft_id)
    assert not home.delete_selected()
    assert home.last_error is not None and "请先关闭" in home.last_error.zh


def test_drafts_purged_after_30_days_are_named_at_start(qtbot: QtBot, samples: Path,
                                                        user: DialogAnswerer) -> None:
    from giantdesk.store import open_store

    with open_store() as store:
        draft_id = store.import_record(loads((samples / "annex1-pass.json").read_bytes()),
                                       "旧草稿")
        store.delete_draft(draft_id)
        path = store.path
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE drafts SET deleted_at = ?", (ts(now_utc() - timedelta(days=40)),))
    conn.close()
    home = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(home)
    home.show()
    assert home.start()
    qtbot.waitUntil(lambda: any("永久清除" in s.text for s in user.seen), timeout=5000)
    assert [d.title for d in home.purged] == ["旧草稿"]
    assert home.last_info is not None and "旧草稿" in home.last_info.zh
    home.close()
    home.shutdown()


def test_the_criteria_column_is_not_all_met_while_review_fields_are_empty(
        home: HomeWindow, samples: Path) -> None:
    annex1 = home.import_file(samples / "annex1-pass.json")
    assert annex1 is not None
    home.select(annex1)
    review = home.carry_over_selected()
    assert review is not None
    row = home.draft_ids().index(review)
    cell = home.table.item(row, 5)
    assert cell is not None and cell.text() == "暂满足，5 项待填写"
    assert home.table.item(home.draft_ids().index(annex1), 5).text() == "全部满足"
    assert home.carry_summary is not None
    home.carry_summary.close()


def test_a_new_draft_is_named_the_same_in_its_window_and_on_the_home(home: HomeWindow) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None
    window = home.windows[draft_id]
    type_into(window, "enterprise.name", "福州精研轴承有限公司")
    window.persistence.flush()
    home.refresh()
    assert window.title_label.text() == "福州精研轴承有限公司"
    assert home.table.item(home.draft_ids().index(draft_id), 0).text() == "福州精研轴承有限公司"


def test_typing_a_decimal_keeps_the_value(home: HomeWindow, samples: Path) -> None:
    """(A guard for the walk: a finance cell typed by keyboard ends as the value typed.)"""
    window, _draft_id = open_sample(home, samples)
    type_into(window, "finance.2021.net_profit", "2311.75")
    assert window.record().values["finance.2021.net_profit"] == Decimal("2311.75")
    assert S.REMAINING_CHARS.zh.startswith("还可输入")


def test_the_focused_input_has_a_visible_frame(home: HomeWindow, styled: None) -> None:
    draft_id = home.new_draft("annex1-batch4")
    assert draft_id is not None
    edit = edit_of(home.windows[draft_id], "enterprise.name")
    focus(edit)
    image = edit.grab().toImage()
    blue = sum(1 for x in range(image.width()) for y in (0, 1, image.height() - 1)
               if abs(QColor(image.pixel(x, y)).blue() - 232) < 30
               and QColor(image.pixel(x, y)).red() < 80)
    assert blue > image.width()  # a 2 px blue frame along the edges
