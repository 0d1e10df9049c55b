"""The attachments page: files added on a worker thread, refusals explained in the page (no
dialog that could stack), removal after the user's Yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from giantdesk.ui.attachments_page import AttachmentsPage
from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.home import HomeWindow

from .user import DialogAnswerer

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)",
                                       r"This plugin does not support raise\(\)")


def page_of(home: HomeWindow, form: str = "annex1-batch4") -> tuple[DraftWindow, AttachmentsPage]:
    draft_id = home.new_draft(form)
    assert draft_id is not None
    window = home.windows[draft_id]
    window.show_page("attachments")
    page = window.attachments_page
    assert isinstance(page, AttachmentsPage)
    assert window.view is not None and window.view.stack.currentWidget() is page
    return window, page


def add(qtbot: QtBot, page: AttachmentsPage, category: str, path: Path) -> None:
    job = page.add_file(category, path)
    assert job.worker_thread.isRunning() or page.job is None  # really on the worker thread
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)


def test_add_in_worker_thread_then_remove(home: HomeWindow, qtbot: QtBot, small_pdf: Path,
                                          user: DialogAnswerer) -> None:
    window, page = page_of(home)
    add(qtbot, page, "business_license", small_pdf)
    assert page.last_error is None
    item = page.category_items["business_license"]
    assert item.childCount() == 1 and item.child(0).text(0) == small_pdf.name
    assert item.text(1) == "1 个文件"
    assert item.child(0).text(1).endswith("KB") and item.child(0).text(2)
    assert [a.name for a in home.store.attachments(window.draft_id())] == [small_pdf.name]

    assert page.notice.isVisible() and small_pdf.name in page.notice.text()

    add(qtbot, page, "other", small_pdf)  # the same bytes again: refused, named, in the page
    assert page.last_error is not None and "内容完全相同" in page.last_error.zh
    assert page.notice.isVisible() and "内容完全相同" in page.notice.text()
    assert page.notice.property("level") == "error"
    assert page.category_items["other"].childCount() == 0
    assert user.seen == [] and QApplication.activeModalWidget() is None
    assert not page.progress.isVisible() and page.add_button.isEnabled()

    page.tree.setCurrentItem(item.child(0))
    assert page.remove_button.isEnabled()
    page.remove_selected()  # the user presses Escape: kept
    assert item.childCount() == 1 and user.seen[-1].kind == "message"
    user.plan.append(QMessageBox.StandardButton.Yes)
    page.remove_selected()
    assert item.childCount() == 0 and home.store.attachments(window.draft_id()) == []
    assert [s.title for s in user.seen] == ["移除", "移除"]


def test_wrong_type_and_too_large_are_refused(home: HomeWindow, qtbot: QtBot,
                                              tmp_path: Path) -> None:
    _window, page = page_of(home)
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf at all", "utf-8")
    add(qtbot, page, "other", text)
    assert page.last_error is not None and "notes.pdf" in page.last_error.zh
    home.store.max_attachment_bytes = 1000
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(5000))
    add(qtbot, page, "other", big)
    assert page.last_error is not None and "big.png" in page.last_error.zh
    assert page.category_items["other"].childCount() == 0


def test_cancel_keeps_nothing(home: HomeWindow, qtbot: QtBot, tmp_path: Path) -> None:
    _window, page = page_of(home)
    big = tmp_path / "scan.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(8 * 1024 * 1024))
    home.store.max_attachment_bytes = 64 * 1024 * 1024
    job = page.add_file("other", big)
    job.cancel()
    qtbot.waitUntil(lambda: page.job is None, timeout=10000)
    assert page.last_error is not None and "取消" in page.last_error.zh
    assert page.category_items["other"].childCount() == 0
    incoming = home.store.layout.root / "attachments" / "incoming"
    assert not incoming.exists() or list(incoming.iterdir()) == []


def test_finalized_draft_cannot_change_attachments(home: HomeWindow) -> None:
    window, page = page_of(home)
    home.store.finalize(window.draft_id())
    window._show_status()
    assert not page.add_button.isEnabled() and not page.remove_button.isEnabled()
    assert window.banner.isVisible()
