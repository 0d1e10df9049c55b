"""The home window's two helpers: the recycle bin, and the carry-over summary.

* :class:`BinDialog` — the drafts deleted in the last 30 days (``Store.binned``), each with
  when it is removed for good; 恢复 puts the selected one back (``Store.undelete_draft``).
* :class:`CarrySummary` — after an Annex 2 review draft is made from an Annex 1: what was
  carried (per part), the review-only fields still to fill — each a link that opens the draft
  at that field —, the attachments of the source offered for carrying too, and what could not
  be carried. Not modal: it can stay open beside the draft while the clerk fills it in.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms.messages import Message
from giantdesk.forms.progress import root_id
from giantdesk.store.api import BIN_DAYS  # only after the store is open (home.show_bin)
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message, local_time
from giantdesk.ui.links import LinkLabel

ID_ROLE = Qt.ItemDataRole.UserRole


class BinDialog(QDialog):
    """The recycle bin: restore a deleted draft within 30 days."""

    def __init__(self, store: Any, lang: str, restored: Callable[[int], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("binDialog")
        self.store = store
        self.lang = lang
        self.restored = restored
        self.last_error: Message | None = None
        self.setWindowTitle(S.BIN_TITLE.text(lang))
        layout = QVBoxLayout(self)
        note = QLabel(S.BIN_NOTE.format(days=BIN_DAYS).text(lang), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("binTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels([t.text(lang) for t in (
            S.COL_TITLE, S.COL_STATUS, S.BIN_COL_DELETED, S.BIN_COL_PURGE)])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _item: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.empty = QLabel(S.BIN_EMPTY.text(lang), self)
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        self.restore_button = QPushButton(S.ACT_UNDELETE.text(lang), self)
        self.restore_button.setObjectName("undelete")
        self.restore_button.clicked.connect(self.restore_selected)
        close = QPushButton(S.CLOSE.text(lang), self)
        close.clicked.connect(self.accept)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(720, 360)
        self.refresh()

    def refresh(self) -> None:
        lang = self.lang
        drafts = self.store.binned()
        self.table.setRowCount(len(drafts))
        for r, info in enumerate(drafts):
            status = S.STATUS_FINALIZED if info.finalized else S.STATUS_EDITING
            cells = [info.title or S.UNTITLED.text(lang), status.text(lang),
                     local_time(info.deleted_at), local_time(info.purge_after)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, info.id)
                self.table.setItem(r, c, item)
        if drafts:
            self.table.setCurrentCell(0, 0)
        self.table.setVisible(bool(drafts))
        self.empty.setVisible(not drafts)
        self.restore_button.setEnabled(bool(drafts))

    def restore_selected(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        draft_id = int(item.data(ID_ROLE))
        try:
            self.store.undelete_draft(draft_id)
        except Exception as exc:
            self.last_error = error_message(exc)
            from giantdesk.ui import dialogs

            dialogs.warn(self, S.BIN_TITLE, self.last_error, self.lang)
            return None
        self.restored(draft_id)
        self.refresh()
        return draft_id


class CarrySummary(QDialog):
    """What the carry-over did, with links to the fields still to fill."""

    def __init__(self, result: Any, draft_id: int, title: str, source: str, lang: str,
                 go_to: Callable[[int, str | None], object],
                 carry: Callable[[list[Any]], Message] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("carrySummary")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.outcome = result
        self.draft_id = draft_id
        self.lang = lang
        self._go_to = go_to
        self._carry = carry
        definition = result.record.definition
        self.setWindowTitle(S.CARRY_SUMMARY_TITLE.text(lang))
        layout = QVBoxLayout(self)
        done = QLabel(S.CARRY_DONE.format(source=source, title=title).text(lang), self)
        done.setObjectName("carryDone")
        done.setWordWrap(True)
        layout.addWidget(done)
        self.carried = QLabel(self)
        self.carried.setObjectName("carryCarried")
        self.carried.setWordWrap(True)
        self.carried.setText(self.carried_text())
        layout.addWidget(self.carried)
        self.to_fill = LinkLabel(self)  # each field to fill: Tab, then Enter or Space
        self.to_fill.setObjectName("carryToFill")
        self.to_fill.linkActivated.connect(self.go_to)
        links = [f"<a href='{escape(path)}'>{escape(definition.label_of(path).text(lang))}</a>"
                 for path in result.review_only]
        others = len([p for p in result.to_fill if p not in result.review_only])
        text = f"<b>{escape(S.CARRY_TO_FILL.text(lang))}</b><br/>" + "<br/>".join(
            f"· {link}" for link in links) if links else ""
        if others:
            text += "<br/>" + escape(S.CARRY_OTHER_EMPTY.format(n=others).text(lang))
        self.to_fill.setText(text)
        self.to_fill.setVisible(bool(text))
        layout.addWidget(self.to_fill)
        self.boxes: list[tuple[QCheckBox, Any]] = []
        if result.offered and carry is not None:
            heading = QLabel(f"<b>{escape(S.CARRY_ATTACHMENTS.text(lang))}</b>", self)
            layout.addWidget(heading)
            for offer in result.offered:
                box = QCheckBox(offer.label.text(lang), self)
                box.setChecked(True)
                layout.addWidget(box)
                self.boxes.append((box, offer))
            self.attach_button = QPushButton(S.CARRY_ATTACH_BUTTON.text(lang), self)
            self.attach_button.setObjectName("carryAttachments")
            self.attach_button.clicked.connect(self.carry_attachments)
            self.attached = QLabel(self)
            self.attached.setWordWrap(True)
            row = QHBoxLayout()
            row.addWidget(self.attach_button)
            row.addWidget(self.attached, 1)
            layout.addLayout(row)
        if result.skipped:
            skipped = QLabel(self)
            skipped.setWordWrap(True)
            items = S.LIST_SEPARATOR.text(lang).join(
                definition.label_of(p).text(lang) if definition.field(root_id(p)) else p
                for p in result.skipped[:20])
            skipped.setText(S.HEADED.format(head=S.CARRY_NOT_CARRIED_HEADING,
                                            items=items).text(lang))
            layout.addWidget(skipped)
        buttons = QHBoxLayout()
        open_button = QPushButton(S.CARRY_OPEN.text(lang), self)
        open_button.setObjectName("carryOpen")
        open_button.clicked.connect(lambda: self.go_to(""))
        close = QPushButton(S.CLOSE.text(lang), self)
        close.clicked.connect(self.close)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        open_button.setDefault(True)
        self.resize(620, self.sizeHint().height())

    def carried_text(self) -> str:
        lang = self.lang
        lines = [S.HEADED.format(head=S.CARRY_CARRIED, items="").text(lang)]
        for part in self.outcome.carried:
            line = S.CARRY_PART_LINE.format(part=part.title.text(lang), fields=str(part.fields))
            text = line.text(lang)
            if part.tables:
                text += S.CARRY_PART_TABLES.format(tables=part.tables, rows=part.rows).text(lang)
            lines.append(f"· {text}")
        return "\n".join(lines)

    def to_fill_text(self) -> str:
        return self.to_fill.text()

    def go_to(self, path: str) -> None:
        """Open the new draft (at ``path`` when given)."""
        self._go_to(self.draft_id, path or None)

    def carry_attachments(self) -> Message | None:
        if self._carry is None:
            return None
        chosen = [offer for box, offer in self.boxes if box.isChecked() and box.isEnabled()]
        message = self._carry(chosen)
        self.attached.setText(message.text(self.lang))
        for box, _offer in self.boxes:
            box.setEnabled(False)
        self.attach_button.setEnabled(False)
        return message


def carried_message(added: int, refused: list[tuple[Any, Message]]) -> Message:
    """"已转入 2 个附件。" and, per refusal, the store's reason."""
    message = S.CARRY_ATTACHED.format(n=added)
    for offer, why in refused:
        message = Message(f"{message.zh}\n{offer.label.zh}：{why.zh}",
                          f"{message.en}\n{offer.label.en}: {why.en}")
    return message
