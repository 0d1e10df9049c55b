"""Part 二 (rows × years) and the repeating tables, rendered from their definitions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms import validators
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FieldDef, FieldType, GridDef, TableDef, Value
from giantdesk.forms.record import Row
from giantdesk.forms.values import parse_input
from giantdesk.ui import strings as S
from giantdesk.ui.editors import FieldEditor, MessageLabel, kept_message, make_editor

#: Fixed starting widths of table columns by type; other columns share the rest.
COLUMN_WIDTHS = {FieldType.CHOICE: 160, FieldType.DATE: 110, FieldType.BOOL: 80,
                 FieldType.YEAR: 80, FieldType.INT: 80, FieldType.MONEY: 110,
                 FieldType.PERCENT: 90}


class FinanceGrid(QFrame):
    """The 经济效益重要指标 grid: one input per (row, year); computed rows are read-only."""

    cell_committed = Signal(str)
    cell_typed = Signal(str)
    cell_escaped = Signal(str)

    def __init__(self, grid: GridDef, cells: dict[str, FieldDef], lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.setObjectName(f"grid:{grid.id}")
        self.lang = lang
        self.editors: dict[str, FieldEditor] = {}
        self._row_labels: list[tuple[QLabel, QLabel, FieldDef]] = []
        self._year_labels: list[tuple[QLabel, int]] = []
        self._blank: list[QLabel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        table = QGridLayout()
        table.setHorizontalSpacing(8)
        table.setVerticalSpacing(4)
        self._indicator = QLabel(self)
        self._indicator.setObjectName("gridHeader")
        table.addWidget(self._indicator, 0, 0)
        for col, year in enumerate(grid.years, start=1):
            head = QLabel(self)
            head.setObjectName("gridHeader")
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            table.addWidget(head, 0, col)
            self._year_labels.append((head, year))
        self._unit_header = QLabel(self)
        self._unit_header.setObjectName("gridHeader")
        table.addWidget(self._unit_header, 0, len(grid.years) + 1)
        for r, row in enumerate(grid.rows, start=1):
            label = QLabel(self)
            label.setWordWrap(True)
            label.setMinimumWidth(130)
            table.addWidget(label, r, 0)
            for col, year in enumerate(grid.years, start=1):
                cell_id = grid.cell_id(row.key, year)
                cell = cells.get(cell_id)
                if cell is None:
                    blank = QLabel("—", self)
                    blank.setAlignment(Qt.AlignmentFlag.AlignCenter)
                    blank.setObjectName("noCell")
                    self._blank.append(blank)
                    table.addWidget(blank, r, col)
                    continue
                editor = make_editor(cell, lang, self)
                editor.focus_target().setMinimumWidth(100)
                editor.focus_target().setMaximumWidth(170)
                editor.committed.connect(lambda cid=cell_id: self.cell_committed.emit(cid))
                editor.typed.connect(lambda cid=cell_id: self.cell_typed.emit(cid))
                editor.escaped.connect(lambda cid=cell_id: self.cell_escaped.emit(cid))
                self.editors[cell_id] = editor
                table.addWidget(editor, r, col)
            unit = QLabel(self)
            unit.setObjectName("unit")
            table.addWidget(unit, r, len(grid.years) + 1)
            self._row_labels.append((label, unit, row.template))
        table.setColumnStretch(0, 2)
        for col in range(1, len(grid.years) + 1):
            table.setColumnStretch(col, 1)
        layout.addLayout(table)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        self.retranslate(lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self._indicator.setText(S.INDICATOR_HEADER.text(lang))
        self._unit_header.setText(S.UNIT_HEADER.text(lang))
        for head, year in self._year_labels:
            head.setText(S.YEAR_HEADER.format(year=year).text(lang))
        for label, unit, template in self._row_labels:
            text = template.label.text(lang)
            label.setText(text + (" *" if template.required and template.computed is None else ""))
            unit.setText(template.unit.text(lang) if template.unit else "")
        for blank in self._blank:
            blank.setToolTip(S.NO_CELL.text(lang))
        for editor in self.editors.values():
            editor.retranslate(lang)


class TableEditor(QFrame):
    """A repeating table: one row of editors per entry, with add / remove buttons."""

    rows_changed = Signal(str)
    #: A cell's text changed by typing: (path "table[n].column", text).
    cell_typed = Signal(str, str)

    def __init__(self, table: TableDef, lang: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        self.lang = lang
        self.today = today
        self.setObjectName(f"table:{table.id}")
        self.rows: list[dict[str, FieldEditor]] = []
        #: Refused cell input: (row index, column id) → message.
        self.refused: dict[tuple[int, str], Message] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("tableTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.view = QTableWidget(0, len(table.columns), self)
        self.view.setObjectName(f"view:{table.id}")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(34)
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(100)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        for col, column in enumerate(table.columns):
            width = COLUMN_WIDTHS.get(column.type)
            if width is None:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(col, width)
        self.view.setTabKeyNavigation(False)
        layout.addWidget(self.view)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName(f"add:{table.id}")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(self)
        self.remove_button.setObjectName(f"remove:{table.id}")
        self.remove_button.clicked.connect(self.remove_current_row)
        self.count = QLabel(self)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.count)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        self.retranslate(lang)
        self._fit()

    # -- rows ---------------------------------------------------------------------------------

    def _append(self, values: Row | None) -> None:
        index = self.view.rowCount()
        self.view.insertRow(index)
        editors: dict[str, FieldEditor] = {}
        for col, column in enumerate(self.table.columns):
            editor = make_editor(column, self.lang)
            editor.setContentsMargins(2, 1, 2, 1)
            editor.show_value(None if values is None else values.get(column.id))
            editor.committed.connect(self._changed)
            editor.typed.connect(lambda e=editor: self._typed(e))
            editor.escaped.connect(lambda e=editor: self._escaped(e))
            self.view.setCellWidget(index, col, editor)
            editors[column.id] = editor
        self.rows.append(editors)

    def set_rows(self, rows: list[Row] | None) -> None:
        self.view.setRowCount(0)
        self.rows = []
        self.refused = {}
        for row in rows or []:
            self._append(row)
        self._fit()

    def add_row(self) -> None:
        self._append(None)
        self._fit()
        self.rows[-1][self.table.columns[0].id].focus_target().setFocus()
        self._changed()

    def remove_current_row(self) -> None:
        index = self.view.currentRow()
        if index < 0:
            index = len(self.rows) - 1
        if index < 0:
            return
        self.view.removeRow(index)
        del self.rows[index]
        self._fit()
        self._changed()

    def _fit(self) -> None:
        header = self.view.horizontalHeader().height() or 30
        rows = max(len(self.rows), 1)
        bar = self.view.horizontalScrollBar().sizeHint().height()
        self.view.setFixedHeight(header + rows * 34 + bar + 6)
        self.count.setText(S.TABLE_ROWS.format(n=len(self.rows)).text(self.lang))
        self.remove_button.setEnabled(bool(self.rows))

    def _changed(self) -> None:
        self.rows_changed.emit(self.table.id)

    def path_of(self, editor: FieldEditor) -> str | None:
        """``table[n].column`` (1-based, as the core names cells) of a cell's editor."""
        for index, editors in enumerate(self.rows):
            for column_id, candidate in editors.items():
                if candidate is editor:
                    return f"{self.table.id}[{index + 1}].{column_id}"
        return None

    def editor_at(self, path: str) -> FieldEditor | None:
        head, _, column_id = path.partition("].")
        table_id, _, number = head.partition("[")
        if table_id != self.table.id or not number.isdigit():
            return None
        index = int(number) - 1
        return self.rows[index].get(column_id) if 0 <= index < len(self.rows) else None

    def _typed(self, editor: FieldEditor) -> None:
        path = self.path_of(editor)
        if path is not None:
            self.cell_typed.emit(path, editor.raw())

    def _escaped(self, editor: FieldEditor) -> None:
        """Escape in a cell: its last valid value comes back (typing and refusals undone)."""
        if editor.raw() != editor.text_for(editor.accepted):
            editor.show_value(editor.accepted)
            self._changed()

    def values(self) -> list[Row]:
        """The rows as typed values. A refused cell keeps its last valid value (if it had one)
        and is remembered in ``refused`` with the message."""
        self.refused = {}
        out: list[Row] = []
        for index, editors in enumerate(self.rows):
            row: dict[str, Value] = {}
            for column in self.table.columns:
                editor = editors[column.id]
                raw = editor.raw()
                if not raw.strip():
                    editor.accepted = None
                    editor.set_state("")
                    continue
                try:
                    editor.accepted = row[column.id] = parse_input(
                        column, raw, today=self.today).value
                    editor.set_state("")
                except validators.InvalidValue as exc:
                    message = Message(
                        f"{self.table.label.zh}第 {index + 1} 行“{column.label.zh}”：{exc.message.zh}",
                        f"{self.table.label.en}, row {index + 1}, “{column.label.en}”:"
                        f" {exc.message.en}")
                    if editor.accepted is not None:
                        row[column.id] = editor.accepted
                        message = kept_message(message, column, editor.accepted)
                    self.refused[(index, column.id)] = message
                    editor.set_state("error")
            out.append(row)
        return out

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.title.setText(self.table.label.text(lang) + (" *" if self.table.min_rows else ""))
        headers = []
        for column in self.table.columns:
            text = column.label.text(lang)
            if column.unit is not None:
                text += f"（{column.unit.text(lang)}）"
            headers.append(text + (" *" if column.required else ""))
        self.view.setHorizontalHeaderLabels(headers)
        for col, text in enumerate(headers):
            item = self.view.horizontalHeaderItem(col)
            if item is not None:
                item.setToolTip(text)
        self.add_button.setText(S.ADD_ROW.text(lang))
        self.remove_button.setText(S.REMOVE_ROW.text(lang))
        self.count.setText(S.TABLE_ROWS.format(n=len(self.rows)).text(lang))
        for editors in self.rows:
            for editor in editors.values():
                editor.retranslate(lang)
