"""The check & export page: errors block, finalize makes the draft read-only, the bundle is
written on a worker thread (verify accepts it), cancel leaves nothing, a keyring failure is
explained; the history dialog restores a value."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from giantdesk.export.verify import verify_bundle
from giantdesk.ui.check_page import CheckPage
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.editors import LineEditor
from giantdesk.ui.history import HistoryDialog
from giantdesk.ui.home import HomeWindow
from tests.conftest import MemoryKeyring

from .conftest import open_sample
from .user import DialogAnswerer

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)")


def open_check(home: HomeWindow, samples: Path) -> tuple[DraftWindow, CheckPage]:
    window, _draft_id = open_sample(home, samples)
    window.show_page("check")
    page = window.check_page
    assert isinstance(page, CheckPage)
    return window, page


def set_text(window: DraftWindow, field_id: str, text: str) -> None:
    assert window.view is not None
    editor = window.view.editor(field_id)
    assert isinstance(editor, LineEditor)
    editor.edit.setText(text)
    window.view.commit_field(field_id)


def finalize(window: DraftWindow, page: CheckPage, user: DialogAnswerer) -> None:
    page.confirm_all()
    assert page.finalize_button.isEnabled()
    user.plan.append(QMessageBox.StandardButton.Yes)  # "定稿后不能修改……" — Yes
    assert page.finalize(), page.last_error
    assert user.seen[-1].answer == "&Yes" or user.seen[-1].answer.startswith(("是", "Yes"))
    assert window.finalized and window.banner.isVisible()


def test_an_error_blocks_until_fixed_and_click_goes_to_the_field(
        home: HomeWindow, samples: Path) -> None:
    window, page = open_check(home, samples)
    assert window.view is not None
    assert page.errors.count() == 0 and page.finalize_button.isEnabled()
    assert not page.export_button.isEnabled()  # ② only after ① finalize
    set_text(window, "legal_rep.name", "")
    assert page.errors.count() == 1
    assert "法定代表人" in page.errors.item(0).text()
    assert not page.finalize_button.isEnabled() and not page.export_button.isEnabled()
    assert page.status.property("level") == "error"
    page.errors.itemClicked.emit(page.errors.item(0))
    assert window.view.current_part() == 0  # 一 企业情况
    set_text(window, "legal_rep.name", "张三")
    window.show_page("check")  # shown again: checked again
    assert page.errors.count() == 0 and page.finalize_button.isEnabled()
    assert "6" in page.eligibility.text() or "全部条件" in page.eligibility.text()
    assert page.checklist["business_license"].text().startswith("○")


def test_finalize_export_verify_open_pdf(home: HomeWindow, samples: Path, qtbot: QtBot,
                                         tmp_path: Path, small_pdf: Path,
                                         memory_keyring: MemoryKeyring, user: DialogAnswerer) -> None:
    window, page = open_check(home, samples)
    attachments = window.attachments_page
    attachments.add_file("business_license", small_pdf)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: attachments.job is None, timeout=10000)  # type: ignore[union-attr]
    assert page.checklist["business_license"].text().startswith("✔")
    finalize(window, page, user)
    assert window.view is not None and window.view.read_only
    assert not window.view.stack.widget(0).widget().isEnabled()  # editors disabled
    assert page.export_button.isEnabled()

    out = tmp_path / "out"
    job = page.export_to(out)
    assert page.progress.isVisible() and not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: page.job is None, timeout=30000)
    assert job.error is None and page.result is not None
    assert page.result_box.isVisible()
    assert page.result_values[1].text() == page.result.fingerprint
    assert page.result_values[2].text() == page.result.key_id
    report = verify_bundle(page.result.path)
    assert report.valid, report.problem
    assert report.key_id == page.result.key_id
    assert [p.name for p in out.iterdir()] == [page.result.path.name]  # nothing else written

    opened: list[QUrl] = []
    page.open_url = opened.append
    pdf = page.open_pdf()
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.parent != out and pdf.name.endswith("-application.pdf")
    from giantdesk.fileops import scratch_dir

    assert pdf.parent.parent == scratch_dir()  # this run's folder, removed at exit
    page.open_folder()
    assert [u.toLocalFile() for u in opened] == [str(pdf), str(out)]
    assert [p.name for p in out.iterdir()] == [page.result.path.name]

    page.result.path.rename(tmp_path / "moved.zip")  # the bundle moved away meanwhile
    assert page.open_entry_sheet() is None
    assert page.last_error is not None and "申报包已被移走或删除" in page.last_error.zh
    assert "Errno" not in page.last_error.zh + page.last_error.en  # words, not the error

    window.reopen()
    assert not window.finalized and not window.view.read_only
    assert [r.action for r in home.store.history(window.draft_id(), "@status")] == [
        "finalize", "reopen"]


def test_cancel_leaves_no_file(home: HomeWindow, samples: Path, qtbot: QtBot, tmp_path: Path,
                               memory_keyring: MemoryKeyring, user: DialogAnswerer) -> None:
    window, page = open_check(home, samples)
    finalize(window, page, user)
    out = tmp_path / "out"
    page.export_to(out)
    page.cancel_export()
    qtbot.waitUntil(lambda: page.job is None, timeout=30000)
    assert page.result is None and page.last_error is not None
    assert "取消" in page.last_error.zh
    assert not out.exists() or list(out.iterdir()) == []


def test_keyring_failure_is_explained(home: HomeWindow, samples: Path, qtbot: QtBot,
                                      tmp_path: Path, user: DialogAnswerer,
                                      caplog: pytest.LogCaptureFixture) -> None:
    window, page = open_check(home, samples)
    finalize(window, page, user)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        page.export_to(tmp_path / "out")
        qtbot.waitUntil(lambda: page.job is None, timeout=30000)
    finally:
        keyring.set_keyring(previous)
    assert page.result is None and page.last_error is not None
    assert "凭据" in page.last_error.zh and "credential" in page.last_error.en
    # the user's words: no environment variable or class name in the dialog (the log has them)
    for text in (page.last_error.zh, page.last_error.en):
        assert "PYTHON_KEYRING_BACKEND" not in text and "keyring." not in text
    assert list((tmp_path / "out").glob("*")) == []
    # …the log has the technical detail (the backend, the support staff's options)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "giantdesk.ui")
    assert "signing key unavailable" in logged and "PYTHON_KEYRING_BACKEND" in logged


def test_history_restores_a_value(home: HomeWindow, samples: Path) -> None:
    window, _page = open_check(home, samples)
    set_text(window, "legal_rep.name", "李四")
    dialog = window.show_history()
    assert isinstance(dialog, HistoryDialog)
    assert "李四" in dialog.table.item(0, 4).text()  # newest first: old → new
    imported = [r for r in dialog.revisions if r.path == "legal_rep.name"][-1]
    dialog.select_revision(imported.id)
    assert dialog.restore_button.isEnabled()
    assert dialog.restore_selected()
    assert home.store.get_record(window.draft_id()).values["legal_rep.name"] != "李四"
    assert window.record().values["legal_rep.name"] != "李四"  # the window reloaded
    dialog.close()
