"""Part 二 (rows × years) and the repeating tables, rendered from their definitions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
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
from giantdesk.ui.editors import FieldEditor, FieldRow, MessageLabel, kept_message, make_editor

#: Fixed starting widths of table columns by type; other columns share the rest.
COLUMN_WIDTHS = {FieldType.CHOICE: 160, FieldType.DATE: 110, FieldType.BOOL: 80,
                 FieldType.YEAR: 80, FieldType.INT: 80, FieldType.MONEY: 110,
                 FieldType.PERCENT: 90}


class WrapHeader(QHeaderView):
    """Column headers that wrap onto more lines instead of being cut ("应用并已产生经济效…")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignVCenter
                                 | Qt.TextFlag.TextWordWrap)
        self.sectionResized.connect(lambda *_a: self.updateGeometry())

    def _text(self, section: int) -> str:
        return str(self.model().headerData(section, self.orientation(),
                                    Qt.ItemDataRole.DisplayRole) or "")

    def sectionSizeFromContents(self, logical_index: int) -> QSize:
        size = super().sectionSizeFromContents(logical_index)
        width = max(self.sectionSize(logical_index), self.minimumSectionSize()) - 8
        box = self.fontMetrics().boundingRect(QRect(0, 0, max(width, 20), 2000),
                                              Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignCenter,
                                              self._text(logical_index))
        return QSize(size.width(), max(size.height(), box.height() + 10))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        tallest = max((self.sectionSizeFromContents(i).height() for i in range(self.count())),
                      default=hint.height())
        return QSize(hint.width(), max(hint.height(), tallest))


class RowDialog(QDialog):
    """One row of a table as a small form: one field per line with its full label (the
    natural way to type a long title). OK puts the values into the row's cells."""

    def __init__(self, table: TableDef, number: int, values: dict[str, str], lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rowDialog")
        self.setWindowTitle(S.ROW_DIALOG_TITLE.format(table=table.label.text(lang),
                                                      n=str(number)).text(lang))
        layout = QVBoxLayout(self)
        self.rows: dict[str, FieldRow] = {}
        for column in table.columns:
            row = FieldRow(column, lang, self)
            row.editor.set_raw(values.get(column.id, ""))
            self.rows[column.id] = row
            layout.addWidget(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def texts(self) -> dict[str, str]:
        return {column_id: row.editor.raw() for column_id, row in self.rows.items()}


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


class _CellFocus(QObject):
    """Focus-in on a cell editor: the table keeps it in view; leaving a fresh row."""

    def __init__(self, table: TableEditor) -> None:
        super().__init__(table)
        self.table = table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self.table._cell_focused(watched)
        elif (event.type() == QEvent.Type.FocusOut and isinstance(event, QFocusEvent)
              and event.reason() != Qt.FocusReason.PopupFocusReason
              and self.table.fresh is not None):
            QTimer.singleShot(0, self.table._check_fresh)
        return False


class TableEditor(QFrame):
    """A repeating table: one row of editors per entry, with add / remove buttons."""

    rows_changed = Signal(str)
    #: A cell's text changed by typing: (path "table[n].column", text).
    cell_typed = Signal(str, str)
    #: The user left a row just added (its empty cells may now be named).
    row_left = Signal(str)
    #: Rows were added or removed: the Tab order of the page changes.
    order_changed = Signal(str)

    #: Rows always shown (empty ones too), and the most shown before the table scrolls.
    MIN_ROWS, MAX_ROWS = 5, 10
    ROW_HEIGHT = 34

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
        self._focus_watch = _CellFocus(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("tableTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        #: The row just added (not flagged until the user leaves it); None: none.
        self.fresh: int | None = None
        self.view = QTableWidget(0, len(table.columns), self)
        self.view.setHorizontalHeader(WrapHeader(self.view))
        self.view.setObjectName(f"view:{table.id}")
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through the cells
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(self.ROW_HEIGHT)
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(100)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.cellDoubleClicked.connect(lambda row, _col: self.edit_row(row))
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
        self.edit_button = QPushButton(self)
        self.edit_button.setObjectName(f"editRow:{table.id}")
        self.edit_button.clicked.connect(lambda: self.edit_row(self.current_index()))
        self.count = QLabel(self)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.edit_button)
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
            editor.focus_target().installEventFilter(self._focus_watch)
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
        self.fresh = len(self.rows) - 1
        self.rows[-1][self.table.columns[0].id].focus_target().setFocus()
        self._changed()

    def current_index(self) -> int:
        """The row of the focused cell, else the selected row, else the last."""
        focus = QApplication.focusWidget()
        for index, editors in enumerate(self.rows):
            if any(e.focus_target() is focus for e in editors.values()):
                return index
        index = self.view.currentRow()
        return index if index >= 0 else len(self.rows) - 1

    def remove_current_row(self) -> None:
        index = self.current_index()
        if index < 0:
            return
        self.view.removeRow(index)
        del self.rows[index]
        self.fresh = None
        self._fit()
        self._changed()

    def edit_row(self, index: int) -> bool:
        """The row in a small form (one field per line, full labels); True when taken."""
        if not 0 <= index < len(self.rows):
            return False
        editors = self.rows[index]
        dialog = RowDialog(self.table, index + 1, {c: e.raw() for c, e in editors.items()},
                           self.lang, self)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            for column_id, text in dialog.texts().items():
                editors[column_id].set_raw(text)
        finally:
            dialog.deleteLater()
        self.fresh = None
        self._changed()
        editors[self.table.columns[0].id].focus_target().setFocus()
        return True

    def _fit(self) -> None:
        header = self.view.horizontalHeader().sizeHint().height() or 30
        rows = min(max(len(self.rows), self.MIN_ROWS), self.MAX_ROWS)
        bar = self.view.horizontalScrollBar().sizeHint().height()
        self.view.setFixedHeight(header + rows * self.ROW_HEIGHT + bar + 6)
        self.count.setText(S.TABLE_ROWS.format(n=len(self.rows)).text(self.lang))
        self.remove_button.setEnabled(bool(self.rows))
        self.edit_button.setEnabled(bool(self.rows))
        self._order()

    def _order(self) -> None:
        """Each cell is named for screen readers "表第 n 行 · 列" (the view sets the Tab
        order: cells row by row, then 添加一行 / 删除 / 编辑此行)."""
        for number, editors in enumerate(self.rows, start=1):
            for column in self.table.columns:
                editors[column.id].set_name(S.CELL_NAME.format(
                    table=self.table.label, n=str(number), column=column.label))
        self.order_changed.emit(self.table.id)

    def inputs(self) -> list[QWidget]:
        """What Tab visits, in order: the cells row by row, then the buttons."""
        cells = [editors[c.id].focus_target() for editors in self.rows for c in self.table.columns]
        return [*cells, self.add_button, self.remove_button, self.edit_button]

    def _cell_focused(self, widget: QWidget) -> None:
        """A cell got the focus: keep it in view (the table's and the page's scrolling); a
        row just added stops being fresh once the focus is in another row."""
        for index, editors in enumerate(self.rows):
            for col, column in enumerate(self.table.columns):
                if editors[column.id].focus_target() is widget:
                    self.view.scrollTo(self.view.model().index(index, col))
                    page = self.parentWidget()
                    while page is not None and not isinstance(page, QScrollArea):
                        page = page.parentWidget()
                    if isinstance(page, QScrollArea):
                        page.ensureWidgetVisible(widget, 20, 40)
                    if self.fresh is not None and index != self.fresh:
                        self.leave_fresh()
                    return

    def _check_fresh(self) -> None:
        """The focus went somewhere: out of the fresh row, it is no longer fresh."""
        if self.fresh is None or self.fresh >= len(self.rows):
            self.fresh = None
            return
        focus = QApplication.focusWidget()
        if not any(e.focus_target() is focus for e in self.rows[self.fresh].values()):
            self.leave_fresh()

    def fresh_prefix(self) -> str | None:
        """``table[n].`` of the row just added (its problems are not said yet)."""
        return None if self.fresh is None else f"{self.table.id}[{self.fresh + 1}]."

    def leave_fresh(self) -> None:
        if self.fresh is not None:
            self.fresh = None
            self.row_left.emit(self.table.id)

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
                        column.for_row(row), raw, today=self.today).value
                    editor.set_state("")
                    shown = editor.text_for(editor.accepted)
                    if shown != raw and not editor.focus_target().hasFocus():
                        editor.show_value(editor.accepted)  # "2018/5/22" → "2018-05-22" at once
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
        self.edit_button.setText(S.ACT_EDIT_ROW.text(lang))
        for button, action in ((self.add_button, S.ADD_ROW), (self.remove_button, S.REMOVE_ROW),
                               (self.edit_button, S.ACT_EDIT_ROW)):  # which table's, said
            button.setAccessibleName(f"{action.text(lang)} — {self.table.label.text(lang)}")
        self.count.setText(S.TABLE_ROWS.format(n=len(self.rows)).text(lang))
        for editors in self.rows:
            for editor in editors.values():
                editor.retranslate(lang)
        self._order()
