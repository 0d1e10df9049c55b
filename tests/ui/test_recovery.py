"""The home window and the store's damage states (the scenarios of tests/store/test_hostile.py),
with the dialogs answered as a user would: the window offers the action itself — a named
backup, going on with what the database holds, a repair of one draft — and never tells the
user to type a ``giantdesk`` command."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from giantdesk.forms.messages import Message
from giantdesk.forms.record import loads
from giantdesk.store import errors as E
from giantdesk.store import open_store
from giantdesk.ui.display import error_message
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.home import HomeWindow
from tests.store.test_hostile import _WRITER, sql

from .conftest import TODAY
from .user import DialogAnswerer

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)")


@pytest.fixture
def start(qtbot: QtBot) -> Iterator[object]:
    """Start a home window on the test's data folder (after the damage was made)."""
    windows: list[HomeWindow] = []

    def started(lang: str = "zh") -> HomeWindow:
        home = HomeWindow(lang=lang, today=TODAY)
        qtbot.addWidget(home)
        home.show()
        home.start()
        windows.append(home)
        return home

    yield started
    for home in windows:
        home.close()
        home.shutdown()


def no_command(user: DialogAnswerer, home: HomeWindow) -> None:
    """Nothing the user read names a command to type."""
    shown = [*user.texts(), home.empty_label.text()]
    assert not [t for t in shown if "giantdesk " in t or "--" in t], shown


def lose_the_wal(home_folder: Path, *, with_backup: bool) -> None:
    """Draft 1 saved three times; the last two only in the -wal file, which is then lost."""
    with open_store() as store:
        store.create_draft("annex1-batch4")
        store.set_value(1, "enterprise.name", "第一次保存")
    result = subprocess.run([sys.executable, "-c", _WRITER, "backup" if with_backup else "x"],
                            env=dict(os.environ), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    (home_folder / "giantdesk.sqlite3-wal").unlink()


def test_a_lost_wal_without_a_newer_backup_offers_to_go_on(
        start: object, giantdesk_home: Path, user: DialogAnswerer) -> None:
    lose_the_wal(giantdesk_home, with_backup=False)
    db = giantdesk_home / "giantdesk.sqlite3"
    before = db.read_bytes()
    user.plan = ["later"]  # first: not now
    home = start()  # type: ignore[operator]
    assert home.store is None and db.read_bytes() == before  # nothing written
    question = user.seen[0]
    assert "按现有内容继续" in question.text and "丢失的最近修改找不回来" in question.text
    assert "damaged" in question.text and question.answer == "暂不处理"
    assert home.recover_button.isVisible() and "最近保存的修改已丢失" in home.empty_label.text()
    no_command(user, home)

    user.plan = ["keep"]  # then 处理… → go on with what it holds
    home.recover_button.click()
    assert home.store is not None and home.draft_ids() == [1]
    assert not home.recover_button.isVisible() and home.table.isVisible()
    assert "已按数据库现有的内容继续（1 份草稿）" in user.seen[-1].text
    assert list((giantdesk_home / "damaged").glob("*-accepted-giantdesk.marker"))
    assert home.store.get_record(1).values.get("enterprise.name") in ("第一次保存", "第二次保存")
    no_command(user, home)


def test_a_lost_wal_with_a_newer_backup_names_and_restores_it(
        start: object, giantdesk_home: Path, user: DialogAnswerer) -> None:
    lose_the_wal(giantdesk_home, with_backup=True)
    newer = next((giantdesk_home / "backups").glob("*-manual.sqlite3"))
    user.plan = ["restore"]
    home = start(lang="en")  # type: ignore[operator]
    question = user.seen[0]
    assert str(newer) in question.text and "holds 1 draft(s)" in question.text
    assert set(question.buttons) == {"Restore this backup", "Go on with what it holds",
                                     "Not now"}
    assert home.store is not None
    assert home.store.get_record(1).values["contact.name"] == "第三次保存"
    assert f"Restored from the backup: {newer}" in user.seen[-1].text
    no_command(user, home)


def test_a_damaged_database_names_the_backup_and_says_what_it_lacks(
        start: object, giantdesk_home: Path, user: DialogAnswerer, samples: Path) -> None:
    with open_store() as store:
        store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        backup = store.backup("manual")
        store.set_value(1, "contact.name", "备份之后")
        store.set_value(1, "contact.fax", "0512-1")
    db = giantdesk_home / "giantdesk.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    user.plan = ["restore"]
    home = start()  # type: ignore[operator]
    question = user.seen[0]
    assert str(backup) in question.text and "其中有 1 份草稿" in question.text
    assert "按现有内容继续" not in question.text  # damaged, not behind: nothing to go on with
    assert home.store is not None and home.draft_ids() == [1]
    told = user.seen[-1].text
    assert str(backup) in told and "2 处修改不在其中" in told  # the changes after the backup
    assert home.store.get_record(1).values["contact.name"] != "备份之后"
    assert list((giantdesk_home / "damaged").glob("*-damaged-giantdesk.sqlite3"))
    no_command(user, home)


def test_a_damaged_database_without_a_backup_is_said_and_kept(
        start: object, giantdesk_home: Path, user: DialogAnswerer) -> None:
    with open_store(backup_on_start=False) as store:
        store.create_draft("annex1-batch4")
    db = giantdesk_home / "giantdesk.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    home = start()  # type: ignore[operator]
    assert home.store is None and db.read_bytes() == b"garbage" * 1000
    assert len(user.seen) == 1 and "没有可以恢复的备份" in user.seen[0].text
    assert "请不要删除这个文件" in user.seen[0].text and not home.recover_button.isVisible()
    no_command(user, home)


def test_one_damaged_draft_is_listed_as_such_and_repaired(
        start: object, giantdesk_home: Path, user: DialogAnswerer, samples: Path,
        qtbot: QtBot) -> None:
    with open_store() as store:
        good = store.import_record(loads((samples / "annex1-pass.json").read_bytes()), "完好")
        bad = store.import_record(loads((samples / "annex1-pass.json").read_bytes()), "受损")
        store.set_value(bad, "contact.name", "李四")
    sql(giantdesk_home, f"UPDATE field_values SET value_json='{{\"broken' WHERE draft_id={bad} "
                        "AND field_id='contact.name'")
    home = start()  # type: ignore[operator]
    assert home.store is not None and sorted(home.draft_ids()) == [good, bad]  # not "无法打开"
    row = home.draft_ids().index(bad)
    status = home.table.item(row, 3)
    assert status is not None and status.text() == "⚠ 内容损坏"
    assert "联系人" in status.toolTip() and "打开它时可以修复" in status.toolTip()
    assert "contact.name" not in status.toolTip()  # labels, not ids
    assert home.table.item(home.draft_ids().index(good), 3).text() == "编辑中"

    assert isinstance(home.open_draft(good), DraftWindow)  # the others stay usable
    user.plan = ["later"]
    assert home.open_draft(bad) is None
    asked = user.seen[-1]
    assert "1 处保存的内容已损坏" in asked.text and "联系人" in asked.text
    assert "恢复为修改记录中最后一个完好的值" in asked.text and asked.answer == "暂不打开"
    assert bad not in home.windows

    user.plan = ["repair"]
    window = home.open_draft(bad)
    assert isinstance(window, DraftWindow)
    qtbot.waitUntil(lambda: "已修复草稿" in user.seen[-1].text, timeout=3000)
    assert "联系人：已恢复为修改记录中的值" in user.seen[-1].text
    assert home.store.get_record(bad).values["contact.name"] == "李四"
    assert home.table.item(home.draft_ids().index(bad), 3).text() == "编辑中"
    no_command(user, home)


def _corrupt(tmp_path: Path) -> E.StoreError:
    """SQLite's own error for a file that is not a database, as the store maps it."""
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"garbage" * 1000)
    conn = sqlite3.connect(garbage)
    try:
        conn.execute("SELECT * FROM sqlite_master")
    except sqlite3.DatabaseError as exc:
        mapped = E.sqlite_error(exc, garbage)
        assert mapped is not None
        return mapped
    finally:
        conn.close()
    raise AssertionError("SQLite read garbage")


def test_no_core_error_tells_the_window_to_run_a_command(tmp_path: Path) -> None:
    errors: list[E.StoreError] = [
        E.DraftFinalized(3), E.DraftInBin(3), E.FinalizedNeedsConfirmation(3),
        E.DamagedContent(3, [("contact.name", Message("坏", "bad"))]),
        E.DatabaseDamaged(tmp_path / "db", "broken", tmp_path / "b"),
        E.DatabaseBehind(tmp_path / "db", Message("少", "less"), None, (), tmp_path, None),
        _corrupt(tmp_path),
    ]
    for exc in errors:
        message = exc.message
        assert "giantdesk " in message.zh + message.en  # the command line's words…
        shown = error_message(exc)  # …not the window's
        assert "giantdesk " not in shown.zh and "giantdesk " not in shown.en, shown
    assert "重新打开" in error_message(E.DraftFinalized(3)).zh
