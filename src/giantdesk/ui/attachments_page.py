"""The “附件 / Attachments” page: supporting documents per category (PRODUCT.md §4 order).

Adding a file runs ``store.add_attachment`` on a worker thread (:mod:`giantdesk.ui.worker`)
with a progress bar and Cancel in the page, so a large file never freezes the window. Refusals
(wrong type, encrypted PDF, too large, duplicate) are the store's own bilingual messages, shown
in the page under the list: no modal dialog is opened for them, so none can stack.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.messages import Message
from giantdesk.ui import dialogs
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message, local_time
from giantdesk.ui.progress import InlineProgress, Notice
from giantdesk.ui.worker import Job

CATEGORY_ROLE = Qt.ItemDataRole.UserRole
ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole + 1


def size_text(size: int, lang: str) -> str:
    if size < 1024 * 1024:
        return S.SIZE_KB.format(n=f"{max(1, round(size / 1024)):,}").text(lang)
    return S.SIZE_MB.format(n=f"{size / (1024 * 1024):,.1f}").text(lang)


class AttachmentsPage(QWidget):
    """One tree: categories (top level, with their file count) and their files."""

    #: The attachments changed (the check page's checklist follows).
    changed = Signal()

    def __init__(self, store: Any, draft_id: Callable[[], int], lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsPage")
        self.store = store
        self.draft_id = draft_id
        self.lang = lang
        self.read_only = False
        self.last_error: Message | None = None
        self.job: Job | None = None
        self._adding = ""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 20)
        self.title = QLabel(self)
        self.title.setObjectName("partTitle")
        self.note = QLabel(self)
        self.note.setObjectName("partNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("attachmentTree")
        self.tree.setColumnCount(3)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.category_items: dict[str, QTreeWidgetItem] = {}
        for category in CATEGORIES:
            item = QTreeWidgetItem(self.tree)
            item.setData(0, CATEGORY_ROLE, category)
            self.category_items[category] = item
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_a: self._update_buttons())
        layout.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addAttachment")
        self.add_button.clicked.connect(self.add_dialog)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName("removeAttachment")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = InlineProgress(self, "attachProgress")
        self.progress.cancelled.connect(self.cancel)
        layout.addWidget(self.progress)
        self.notice = Notice(self, "attachNotice")
        layout.addWidget(self.notice)
        self.setFocusProxy(self.tree)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through inputs()
        self.tree.setCurrentItem(self.category_items[next(iter(CATEGORIES))])
        self.retranslate(lang)
        self.refresh()

    def inputs(self) -> list[QWidget]:
        """What Tab visits on this page, in order (the wizard's 下一步 comes after)."""
        return [self.tree, self.add_button, self.remove_button, self.progress.cancel_button]

    # -- showing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        try:
            infos = self.store.attachments(self.draft_id())
        except Exception as exc:  # the store explains
            self._error(error_message(exc))
            infos = []
        current = self.tree.currentItem()
        keep = current.data(0, ATTACHMENT_ROLE) if current is not None else None
        by_category: dict[str, list[Any]] = {c: [] for c in CATEGORIES}
        for info in infos:
            by_category.setdefault(info.category, []).append(info)
        for category, item in self.category_items.items():
            item.takeChildren()
            for info in by_category.get(category, []):
                child = QTreeWidgetItem(item)
                child.setData(0, CATEGORY_ROLE, category)
                child.setData(0, ATTACHMENT_ROLE, info.id)
                child.setText(0, info.name)
                child.setToolTip(0, f"{info.name}\nSHA-256 {info.sha256}")
                child.setText(1, size_text(info.size, self.lang))
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                child.setText(2, local_time(info.added_at))
                if keep is not None and info.id == keep:
                    self.tree.setCurrentItem(child)
            item.setExpanded(True)
        self.counts = {c: len(v) for c, v in by_category.items()}
        self._label_categories()
        self._update_buttons()

    def _label_categories(self) -> None:
        bold = self.tree.font()
        bold.setBold(True)
        for category, item in self.category_items.items():
            n = item.childCount()
            item.setText(0, CATEGORIES[category].text(self.lang))
            item.setFont(0, bold)
            count = S.FILES_COUNT.format(n=n) if n else S.NO_FILES
            item.setText(1, count.text(self.lang))
            item.setForeground(1, Qt.GlobalColor.darkGreen if n else Qt.GlobalColor.gray)

    def _update_buttons(self) -> None:
        item = self.tree.currentItem()
        busy = self.job is not None
        self.add_button.setEnabled(not self.read_only and not busy and item is not None)
        self.remove_button.setEnabled(not self.read_only and not busy and item is not None
                                      and item.data(0, ATTACHMENT_ROLE) is not None)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._update_buttons()

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(S.ATTACHMENTS_TITLE.text(lang))
        mb = self.store.max_attachment_bytes // (1024 * 1024)
        self.note.setText(S.ATTACHMENTS_NOTE.format(mb=mb).text(lang))
        self.tree.setHeaderLabels([S.COL_FILE.text(lang), S.COL_SIZE.text(lang),
                                   S.COL_ADDED.text(lang)])
        self.add_button.setText(S.ACT_ADD_FILE.text(lang))
        self.remove_button.setText(S.ACT_REMOVE_FILE.text(lang))
        self.progress.retranslate(lang)
        self.notice.retranslate(lang)
        self.refresh()

    # -- adding -------------------------------------------------------------------------------

    def selected_category(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else str(item.data(0, CATEGORY_ROLE))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, ATTACHMENT_ROLE) is None and not self.read_only and self.job is None:
            self.add_dialog()  # Enter / double-click on a category: add a file to it

    def add_dialog(self) -> None:
        category = self.selected_category()
        if category is None:
            self._error(S.SELECT_CATEGORY)
            return
        title = S.ADD_FILE_TITLE.format(category=CATEGORIES[category].text(self.lang))
        name, _filter = QFileDialog.getOpenFileName(self, title.text(self.lang), "",
                                                    S.ATTACH_FILTER.text(self.lang))
        if name:
            self.add_file(category, Path(name))

    def add_file(self, category: str, path: Path) -> Job:
        """Start copying ``path`` into the store on a worker thread; returns the job."""
        draft_id = self.draft_id()
        store = self.store

        def run(progress: Any, cancel: Any) -> Any:
            return store.add_attachment(draft_id, category, path, progress=progress,
                                        cancel=cancel.is_set)

        job = Job(run, self)
        self.job = job
        self._adding = path.name
        job.progress.connect(self.progress.set_value)
        job.succeeded.connect(self._added)
        job.failed.connect(self._failed)
        self.notice.say(None, "", self.lang)
        self.progress.start(S.ADDING.format(name=path.name), self.lang)
        self._update_buttons()
        job.start()
        return job

    def cancel(self) -> None:
        """Stop the copy in progress (the store removes the partial copy)."""
        if self.job is not None:
            self.job.cancel()

    def _finish_job(self) -> None:
        self.progress.stop()
        if self.job is not None:
            self.job.deleteLater()
        self.job = None
        self.changed.emit()

    def _added(self, info: Any) -> None:
        self._finish_job()
        self.last_error = None
        self.refresh()
        self.notice.say(S.ADDED.format(name=info.name), "ok", self.lang)
        for index in range(self.category_items[info.category].childCount()):
            child = self.category_items[info.category].child(index)
            if child is not None and child.data(0, ATTACHMENT_ROLE) == info.id:
                self.tree.setCurrentItem(child)

    def _failed(self, exc: BaseException) -> None:
        self._finish_job()
        self.refresh()
        reason = error_message(exc)
        if type(exc).__name__ == "AttachmentCancelled":
            self.last_error = reason
            self.notice.say(reason, "info", self.lang)
            return
        self._error(S.NOT_ADDED.format(name=self._adding, reason=reason))

    # -- removing -----------------------------------------------------------------------------

    def remove_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None or item.data(0, ATTACHMENT_ROLE) is None:
            return
        if not dialogs.ask(self, S.ACT_REMOVE_FILE, S.REMOVE_QUESTION.format(name=item.text(0)),
                           self.lang):
            return
        try:
            self.store.remove_attachment(self.draft_id(), int(item.data(0, ATTACHMENT_ROLE)))
        except Exception as exc:
            self._error(error_message(exc))
        self.refresh()
        self.changed.emit()

    def _error(self, message: Message) -> None:
        """Said in the page, under the list (never a dialog: nothing to stack or to block)."""
        self.last_error = message
        self.notice.say(message, "error", self.lang)

    def shutdown(self) -> None:
        """The window closes: stop a copy in progress (the store removes the partial copy)."""
        if self.job is not None:
            self.job.wait()
