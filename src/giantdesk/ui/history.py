"""The history of a draft: every recorded change (field, old → new, when, by whom), newest first,
with “恢复此值 / Restore this value” (``store.restore_revision``: itself recorded, so undoable)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FieldDef, FormDefinition
from giantdesk.forms.record import decode_value
from giantdesk.forms.values import display_text
from giantdesk.ui import dialogs
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message

REVISION_ROLE = Qt.ItemDataRole.UserRole
STATUS_WORDS = {"editing": S.STATUS_EDITING, "finalized": S.STATUS_FINALIZED}


def where_label(definition: FormDefinition, revision: Any, lang: str) -> str:
    """The field, table cell or special path of a revision, in the user's words."""
    path = revision.path
    if path in S.SPECIAL_PATHS:
        label = S.SPECIAL_PATHS[path].text(lang)
        if path == "@attachments" and revision.detail:
            category, _sep, name = revision.detail.partition("/")
            cat = CATEGORIES.get(category)
            return f"{label}：{cat.text(lang) if cat else category} / {name}"
        return label
    f = definition.field(path)
    if f is not None:
        return definition.label_of(path).text(lang)  # a finance cell with its year
    table = definition.table(path)
    if table is None:
        return str(path)
    text = table.label.text(lang)
    if revision.detail and "[" in revision.detail:
        _t, _sep, rest = revision.detail.partition("[")
        row, _sep, column_id = rest.partition("].")
        column = table.column(column_id) if column_id else None
        row_text = Message(f"第 {row} 行", f"row {row}").text(lang)
        text += f" · {row_text}" + (f" · {column.label.text(lang)}" if column else "")
    return text


def value_text(definition: FormDefinition, path: str, raw: Any, lang: str) -> str:
    if raw is None:
        return S.EMPTY_VALUE.text(lang)
    if path == "@status":
        word = STATUS_WORDS.get(str(raw))
        return word.text(lang) if word else str(raw)
    f: FieldDef | None = definition.field(path)
    if f is not None:
        try:
            return display_text(f, decode_value(f, raw), lang)
        except Exception:  # a value of an older definition: shown as stored
            return str(raw)
    if definition.table(path) is not None and isinstance(raw, list):
        return S.TABLE_ROWS_VALUE.format(n=len(raw)).text(lang)
    if path == "@attachments":
        return "—"
    return str(raw)


class HistoryDialog(QDialog):
    #: A value was restored: the draft window reloads the record from the store.
    restored = Signal()

    def __init__(self, store: Any, draft_id: int, definition: FormDefinition, lang: str,
                 title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.store = store
        self.draft_id = draft_id
        self.definition = definition
        self.lang = lang
        self.last_error: Message | None = None
        self.setWindowTitle(S.HISTORY_TITLE.format(name=title).text(lang))
        self.resize(980, 560)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("historyTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setHorizontalHeaderLabels([t.text(lang) for t in (
            S.COL_WHEN, S.COL_WHO, S.COL_ACTION, S.COL_FIELD, S.COL_CHANGE)])
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 260)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda *_a: self._update_button())
        layout.addWidget(self.table, 1)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.restore_button = QPushButton(S.ACT_RESTORE_VALUE.text(lang), self)
        self.restore_button.setObjectName("restoreValue")
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QPushButton(S.CLOSE.text(lang), self)
        close.clicked.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.revisions: list[Any] = []
        self.refresh()

    def refresh(self) -> None:
        lang = self.lang
        self.finalized = bool(self.store.draft(self.draft_id).finalized)
        self.revisions = list(reversed(self.store.history(self.draft_id)))
        self.table.setRowCount(len(self.revisions))
        for r, rev in enumerate(self.revisions):
            action = S.ACTIONS.get(rev.action)
            old = value_text(self.definition, rev.path, rev.old, lang)
            new = value_text(self.definition, rev.path, rev.new, lang)
            if rev.path == "@attachments":
                change = ""  # the action and the file name say it all
            elif rev.path == "@created":
                form = self.definition.short_title.text(lang)
                change = form
            elif rev.action in ("import", "new") and rev.old is None:
                change = new
            else:
                change = f"{old} → {new}"
            cells = (rev.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), rev.user, action.text(lang) if action else rev.action,
                     where_label(self.definition, rev, lang), change)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setData(REVISION_ROLE, rev.id)
                self.table.setItem(r, c, item)
        if self.revisions:
            self.table.setCurrentCell(0, 0)
        self.note.setText(S.HISTORY_READ_ONLY.text(lang) if self.finalized else "")
        self.note.setVisible(self.finalized)
        self._update_button()

    def selected(self) -> Any | None:
        row = self.table.currentRow()
        return self.revisions[row] if 0 <= row < len(self.revisions) else None

    def _update_button(self) -> None:
        rev = self.selected()
        self.restore_button.setEnabled(rev is not None and not rev.path.startswith("@")
                                       and not self.finalized)

    def select_revision(self, revision_id: int) -> None:
        for r, rev in enumerate(self.revisions):
            if rev.id == revision_id:
                self.table.setCurrentCell(r, 0)
                return

    def restore_selected(self) -> bool:
        rev = self.selected()
        if rev is None or rev.path.startswith("@"):
            return False
        try:
            self.store.restore_revision(self.draft_id, rev.id)
        except Exception as exc:
            self.last_error = error_message(exc)
            dialogs.warn(self, S.ACT_RESTORE_VALUE, self.last_error, self.lang)
            return False
        self.restored.emit()
        self.refresh()
        return True
