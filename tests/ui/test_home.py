"""The home window: the drafts of this PC, new / open / import / carry over / rename / backup,
the instance lock."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from giantdesk.forms.record import loads
from giantdesk.store import open_store
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.home import FOREGROUND_ROLE, ID_ROLE, HomeWindow

from .conftest import TODAY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)")


def cell(home: HomeWindow, row: int, col: int) -> str:
    item = home.table.item(row, col)
    assert item is not None
    return item.text()


def test_lists_the_drafts_of_the_data_folder(qtbot: QtBot, samples: Path) -> None:
    with open_store() as store:  # GIANTDESK_HOME is the test's own folder
        store.create_draft("annex1-batch4", "空白草稿")
        sample = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        failing = store.import_record(
            loads((samples / "annex1-fail-cx3-ip.json").read_bytes()), title="不达标")
    home = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(home)
    assert home.start()
    try:
        assert sorted(home.draft_ids()) == sorted([1, sample, failing])
        rows = {home.draft_ids()[r]: [cell(home, r, c) for c in range(7)]
                for r in range(home.table.rowCount())}
        assert rows[sample][:5] == ["苏州精研微动科技股份有限公司", "苏州精研微动科技股份有限公司",
                                    "附件1 第四批“小巨人”申请书", "编辑中", "100%（必填项 66/66）"]
        assert rows[sample][5] == "全部满足"
        assert rows[failing][0] == "不达标" and rows[failing][5] == "1 项未满足"
        assert rows[1][4].startswith("0%") and rows[1][5].endswith("缺数据")
        assert "root" in rows[1][6] or "（" in rows[1][6]  # when (by whom)
        home.set_language("en")
        assert cell(home, 0, 3) == "editing"
        assert home.table.horizontalHeaderItem(4).text() == "Complete"
    finally:
        home.shutdown()


def test_new_draft_opens_its_window_and_enter_opens_the_selected(home: HomeWindow,
                                                                 qtbot: QtBot) -> None:
    assert home.empty_label.isVisible() and not home.table.isVisible()
    draft_id = home.new_draft("annex2-batch1-review")
    assert draft_id is not None and home.draft_ids() == [draft_id]
    window = home.windows[draft_id]
    assert isinstance(window, DraftWindow) and window.draft_id() == draft_id
    assert window.view is not None and window.view.definition.id == "annex2-batch1-review"
    keys = list(window.view.extra_items)
    assert keys == ["attachments", "review", "check"]  # after the form's parts
    window.close()
    qtbot.waitUntil(lambda: draft_id not in home.windows, timeout=2000)
    home.table.setFocus()
    home.select(draft_id)
    qtbot.keyClick(home.table, Qt.Key.Key_Return)
    assert draft_id in home.windows


def test_second_window_gets_already_open(home: HomeWindow, qtbot: QtBot) -> None:
    second = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(second)
    assert not second.start()
    assert second.last_error is not None and "已在运行" in second.last_error.zh
    assert "already running" in second.last_error.en
    assert not second.new_button.isEnabled()
    assert second.empty_label.text() == second.last_error.zh


def test_a_data_folder_that_cannot_be_made_is_said(qtbot: QtBot, tmp_path: Path) -> None:
    """Before: the StoreError escaped the start (logs not yet set up), and the window said
    "Reading the drafts…" for ever."""
    in_the_way = tmp_path / "a file"
    in_the_way.write_bytes(b"")
    home = HomeWindow(lang="zh", today=TODAY, home=in_the_way / "GiantDesk")
    qtbot.addWidget(home)
    assert not home.start()
    assert home.last_error is not None and str(in_the_way / "GiantDesk") in home.last_error.zh
    assert home.empty_label.text() == home.last_error.zh and not home.new_button.isEnabled()
    home.shutdown()


def test_import_goes_through_the_record_reader(home: HomeWindow, tmp_path: Path) -> None:
    """The one record reader: a file over the size limit is named, not read whole (and a FIFO
    is refused without blocking)."""
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert home.import_file(huge) is None
    assert home.last_error is not None and "50 MB" in home.last_error.en
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "record.json"
        os.mkfifo(fifo)
        assert home.import_file(fifo) is None  # would block for ever reading it
        assert "not a regular file" in home.last_error.en
    assert home.draft_ids() == []


def test_import_rename_carry_over_backup(home: HomeWindow, samples: Path,
                                         tmp_path: Path) -> None:
    annex1 = home.import_file(samples / "annex1-pass.json")
    assert annex1 is not None and home.last_info is not None
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    assert home.import_file(broken) is None
    assert home.last_error is not None and "broken.json" in home.last_error.zh

    home.select(annex1)
    assert home.rename_selected("精研 2022 申报")
    assert cell(home, home.draft_ids().index(annex1), 0) == "精研 2022 申报"

    annex2 = home.carry_over_selected()
    assert annex2 is not None
    info = home.store.draft(annex2)
    assert info.form_id == "annex2-batch1-review"
    assert home.store.get_record(annex2).values["enterprise.name"] == "苏州精研微动科技股份有限公司"
    home.select(annex2)
    assert home.carry_over_selected() is None  # an Annex 2 draft is not carried over again
    assert home.last_error is not None

    backup = home.backup_now()
    assert backup is not None and backup.is_file()


def test_the_list_shows_before_the_store_is_opened(qtbot: QtBot, samples: Path) -> None:
    with open_store() as store:
        sample = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        store.create_draft("annex2-batch1-review", "复核")
    home = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(home)
    try:
        assert home.list_quickly() and home.store is None  # sqlite3 alone: no SQLAlchemy
        assert sorted(home.draft_ids()) == sorted([sample, sample + 1])
        row = home.draft_ids().index(sample)
        assert cell(home, row, 0) == "苏州精研微动科技股份有限公司"
        assert [cell(home, row, c) for c in (2, 4, 5)] == ["…", "…", "…"]
        assert not home.open_button.isEnabled() and home.open_selected() is None
        assert home.open_store()
        assert cell(home, row, 4).startswith("100%") and cell(home, row, 5) == "全部满足"
        assert home.open_button.isEnabled()
    finally:
        home.shutdown()


def test_the_list_names_qt_roles_by_number(home: HomeWindow, samples: Path) -> None:
    """The path to the first list never names ``Qt`` (its enums cost 10–25 ms to build): the
    two roles it sets are numbers — they must stay Qt's."""
    assert Qt.ItemDataRole.UserRole.value == ID_ROLE
    assert Qt.ItemDataRole.ForegroundRole.value == FOREGROUND_ROLE
    draft_id = home.import_file(samples / "annex1-pass.json")
    assert draft_id is not None
    home.store.finalize(draft_id)
    home.refresh()
    status = home.table.item(home.draft_ids().index(draft_id), 3)
    assert status is not None and status.foreground().color().name() == "#008000"
    criteria = home.table.item(home.draft_ids().index(draft_id), 5)
    assert criteria is not None and criteria.foreground().color().name() == "#008000"
