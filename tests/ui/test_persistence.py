"""The persistence adapter: atomic record files, and the store's autosave when it is there."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from giantdesk import fileops
from giantdesk.forms.record import loads
from giantdesk.ui import persistence
from giantdesk.ui.draft_window import DraftWindow, start_persistence
from giantdesk.ui.editors import LineEditor

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_write_atomically_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_bytes(b"old")
    persistence.write_atomically(target, "新".encode())
    assert target.read_bytes() == "新".encode()
    with pytest.raises(persistence.SaveError):
        persistence.write_atomically(tmp_path / "missing-dir" / "r.json", b"x")


@pytest.mark.windows_semantics
def test_a_record_file_another_program_holds_is_retried_then_named(
        tmp_path: Path, emulated: WindowsSemantics, monkeypatch: pytest.MonkeyPatch) -> None:
    """Save / Save as of a record file: an antivirus scanning the old file is waited out
    (Qt's QSaveFile gave up at once on Windows); one that keeps it is named, with the kind of
    program, and the old file is left as it was."""
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    target = tmp_path / "submission.json"
    target.write_bytes(b"old")
    emulated.hold(target, 2)
    persistence.write_atomically(target, b"new")
    assert target.read_bytes() == b"new" and waits == [0.02, 0.05]
    emulated.hold(target, 1000)
    with pytest.raises(persistence.SaveError) as info:
        persistence.write_atomically(target, b"newer")
    assert str(target) in info.value.message.zh and "杀毒" in info.value.message.zh
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["submission.json"]  # no temp left


def test_store_autosaves_and_reopens_latest_draft(qtbot: QtBot, samples: Path) -> None:
    if persistence.store_available() is None:
        pytest.fail("giantdesk.store.open_store is expected to exist")
    win = DraftWindow(today=date(2022, 7, 1))
    qtbot.addWidget(win)
    start_persistence(win)
    store_mode = win.persistence
    assert isinstance(store_mode, persistence.StorePersistence)
    assert win.saved_label.text() == "已自动保存"
    assert win.view is not None
    editor = win.view.editor("enterprise.name")
    assert isinstance(editor, LineEditor)
    editor.edit.setText("常州测试有限公司")
    win.view.commit_field("enterprise.name")
    assert store_mode.dirty  # coalescing: written when the timer fires
    qtbot.waitUntil(lambda: not store_mode.dirty, timeout=5000)
    assert store_mode.draft_id is not None
    assert store_mode.store.get_record(store_mode.draft_id).values["enterprise.name"] == (
        "常州测试有限公司")
    store_mode.close()

    again = DraftWindow(today=date(2022, 7, 1))
    qtbot.addWidget(again)
    start_persistence(again)
    assert again.record().values["enterprise.name"] == "常州测试有限公司"
    assert again.title_label.text() == "常州测试有限公司"
    again.persistence.close()


def test_failing_store_is_explained_not_replaced(qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> object:
        raise OSError("database disk image is malformed")

    monkeypatch.setattr(persistence, "store_available", lambda: broken)
    win = DraftWindow(today=date(2022, 7, 1))
    qtbot.addWidget(win)
    start_persistence(win)
    assert type(win.persistence) is persistence.FilePersistence
    assert win.last_error is not None and "malformed" in win.last_error.en


def test_saving_a_record_file(qtbot: QtBot, samples: Path, tmp_path: Path) -> None:
    win = DraftWindow(today=date(2022, 7, 1))
    qtbot.addWidget(win)
    assert win.open_path(samples / "annex1-pass.json")
    assert win.save_to(tmp_path / "copy.json")
    assert loads((tmp_path / "copy.json").read_bytes()) == loads(
        (samples / "annex1-pass.json").read_bytes())
