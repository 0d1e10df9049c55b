"""The body of the draft window: parts list | the current part's fields | eligibility panel.

Rendered entirely from the form definition; every edit goes through ``values.parse_input`` and
``LiveForm.set_value`` / ``set_rows``, so the screen, the CLI and the printed copy agree.

Text that is not (yet) a value — being typed, or refused by the parser — is reported with
``input_changed(path, text)`` (``None`` once it is a value again) so the window keeps it in the
store; a refused text never removes the last valid value, which Escape (or the link under the
field) puts back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms import validators
from giantdesk.forms.computed import round2
from giantdesk.forms.live import LiveForm, Update
from giantdesk.forms.messages import Message
from giantdesk.forms.model import Condition, FieldDef, GridDef, Note, Part, TableDef, Value
from giantdesk.forms.record import Problem, Submission
from giantdesk.forms.rules import load_ruleset, rule_inputs
from giantdesk.forms.validation import condition_met
from giantdesk.forms.values import display_text, parse_input
from giantdesk.ui import strings as S
from giantdesk.ui.display import fill
from giantdesk.ui.editors import (
    KEEP_RAW_TYPES,
    FieldEditor,
    FieldRow,
    MessageLabel,
    kept_message,
)
from giantdesk.ui.eligibility import EligibilityPanel
from giantdesk.ui.grids import FinanceGrid, TableEditor

COMPLETE, ERRORS, NOT_STARTED, RECOMMENDER = "complete", "errors", "not-started", "recommender"
STATE_COLOURS = {COMPLETE: "#2e7d32", ERRORS: "#c62828", NOT_STARTED: "#9e9e9e",
                 RECOMMENDER: "#bdbdbd"}


_ICONS: dict[str, QIcon] = {}


def state_icon(state: str) -> QIcon:
    """A small coloured disc (filled: complete / errors; hollow: not started); made once."""
    icon = _ICONS.get(state)
    if icon is None:
        icon = _ICONS[state] = _draw_state_icon(state)
    return icon


def _draw_state_icon(state: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATE_COLOURS[state])
    painter.setPen(QPen(colour, 2))
    if state in (COMPLETE, ERRORS):
        painter.setBrush(colour)
    painter.drawEllipse(2, 2, 10, 10)
    painter.end()
    return QIcon(pixmap)


def root_id(path: str) -> str:
    """``table[2].column`` → ``table``; a field id stays itself."""
    return path.split("[", 1)[0]


def _refusal(f: FieldDef, message: Message, old: Value | None) -> Message:
    refused = Message(f"“{f.label.zh}”：{message.zh}", f"“{f.label.en}”: {message.en}")
    return refused if old is None else kept_message(refused, f, old)


class FormView(QSplitter):
    """One record being edited."""

    #: The record changed (an accepted or refused edit): the window saves / marks it unsaved.
    edited = Signal()
    part_changed = Signal(int)
    #: Text typed into ``path`` that is not its value (None: it is the value again).
    input_changed = Signal(str, object)

    def __init__(self, record: Submission, lang: str, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setObjectName("formView")
        self.lang = lang
        self.today = today
        self.definition = record.definition
        self.ruleset = load_ruleset(self.definition.rules)
        self.live = LiveForm(record, today=today)
        self.rows: dict[str, FieldRow] = {}
        self.grids: dict[str, FinanceGrid] = {}
        self.grid_of: dict[str, FinanceGrid] = {}
        self.tables: dict[str, TableEditor] = {}
        self.notes: list[tuple[QLabel, Message]] = []
        self.part_titles: list[tuple[QLabel, QLabel, Part]] = []
        self.conditional: dict[str, list[tuple[QWidget, Condition]]] = defaultdict(list)
        #: Fields / tables the user has committed at least once (their messages are shown).
        self.touched: set[str] = set()
        #: Input refused by the parser (kept in the editor and as a kept input, not in the
        #: record, which keeps the last valid value): id → message.
        self.refused: dict[str, Message] = {}
        #: Table cells whose text is kept (typed, or refused): table id → paths.
        self._table_inputs: dict[str, set[str]] = defaultdict(set)
        #: Pages added after the form's parts (attachments, check & export): key → list item.
        self.extra_items: dict[str, QListWidgetItem] = {}
        self.read_only = False
        #: What each accepted edit replaced, newest last: ("field" | "table", id, old value).
        self.undo_stack: list[tuple[str, str, object]] = []
        #: Fields whose editor or message shows a problem now (looked at on every edit).
        self._marked: set[str] = set()
        #: What each part's list item shows (text, state, tooltip): items change only on a diff.
        self._parts_shown: dict[int, tuple[str, str, str]] = {}

        self.parts = QListWidget(self)
        self.parts.setObjectName("parts")
        self.parts.setIconSize(QSize(14, 14))
        self.parts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.parts.setMinimumWidth(190)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        for part in self.definition.parts:
            self.stack.addWidget(self._page(part))
            QListWidgetItem(self.parts)
        self.panel = EligibilityPanel(self.ruleset, lang, self)
        self.panel.setMinimumWidth(260)
        self.panel.rule_clicked.connect(self.go_to_rule)
        self.addWidget(self.parts)
        self.addWidget(self.stack)
        self.addWidget(self.panel)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 0)
        self.setSizes(self.fitting_sizes(1280))
        #: The columns follow the window's width until the user drags a divider.
        self._user_sized = False
        self.splitterMoved.connect(self._divider_moved)
        self.setChildrenCollapsible(False)
        self.parts.currentRowChanged.connect(self._show_part)
        self._fill(record)
        self.parts.setCurrentRow(0)
        self.retranslate(lang)

    @staticmethod
    def fitting_sizes(width: int) -> list[int]:
        """Parts list, page, panel for a window ``width`` wide: the side columns take a share
        of it (within their limits), so a 1366×768 screen at 125 % (1093 px) still shows the
        finance grid whole."""
        parts = max(190, min(240, int(width * 0.17)))
        panel = max(260, min(380, int(width * 0.27)))
        return [parts, max(0, width - parts - panel), panel]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_sized:
            self.setSizes(self.fitting_sizes(self.width()))

    def _divider_moved(self, _pos: int, _index: int) -> None:
        self._user_sized = True

    # -- building -----------------------------------------------------------------------------

    def _page(self, part: Part) -> QScrollArea:
        scroll = QScrollArea(self)
        scroll.setObjectName(f"page:{part.id}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        body.setObjectName("pageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 20)
        layout.setSpacing(4)
        title = QLabel(body)
        title.setObjectName("partTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        subtitle = QLabel(body)
        subtitle.setObjectName("partNote")
        subtitle.setWordWrap(True)
        layout.addWidget(subtitle)
        layout.addSpacing(8)
        self.part_titles.append((title, subtitle, part))
        for item in part.items:
            if isinstance(item, FieldDef):
                row = FieldRow(item, self.lang, body)
                row.editor.committed.connect(lambda fid=item.id: self.commit_field(fid))
                row.editor.typed.connect(lambda fid=item.id: self._typed(fid))
                row.editor.escaped.connect(lambda fid=item.id: self.restore_field(fid))
                row.message.restore_requested.connect(
                    lambda fid=item.id: self.restore_field(fid, focus=True))
                self.rows[item.id] = row
                layout.addWidget(row)
                if item.condition is not None:
                    self.conditional[item.condition.field].append((row, item.condition))
            elif isinstance(item, GridDef):
                grid = FinanceGrid(item, {c.id: c for c in item.cells}, self.lang, body)
                grid.cell_committed.connect(self.commit_field)
                grid.cell_typed.connect(self._typed)
                grid.cell_escaped.connect(self.restore_field)
                self.grids[item.id] = grid
                for cell_id in grid.editors:
                    self.grid_of[cell_id] = grid
                layout.addWidget(grid)
            elif isinstance(item, TableDef):
                table = TableEditor(item, self.lang, self.today, body)
                table.rows_changed.connect(self.commit_table)
                table.cell_typed.connect(self._cell_typed)
                self.tables[item.id] = table
                layout.addSpacing(8)
                layout.addWidget(table)
                if item.condition is not None:
                    self.conditional[item.condition.field].append((table, item.condition))
            elif isinstance(item, Note):
                note = QLabel(body)
                note.setObjectName("formNote")
                note.setWordWrap(True)
                note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                layout.addSpacing(8)
                layout.addWidget(note)
                self.notes.append((note, item.text))
        layout.addStretch(1)
        scroll.setWidget(body)
        return scroll

    def _fill(self, record: Submission) -> None:
        for field_id, editor in self.editors():
            editor.show_value(self.live.scope.get(field_id) if self.definition.fields[
                field_id].computed is None else None)
        for table_id, table in self.tables.items():
            table.set_rows(record.tables.get(table_id))
        self._refresh_computed(set(self.definition.fields))
        self._refresh_conditions(None)
        self._refresh_messages()

    # -- access -------------------------------------------------------------------------------

    def editors(self) -> list[tuple[str, FieldEditor]]:
        out = [(fid, row.editor) for fid, row in self.rows.items()]
        for grid in self.grids.values():
            out.extend(grid.editors.items())
        return out

    def editor(self, field_id: str) -> FieldEditor | None:
        if field_id in self.rows:
            return self.rows[field_id].editor
        grid = self.grid_of.get(field_id)
        return grid.editors[field_id] if grid else None

    def current_part(self) -> int:
        return self.parts.currentRow()

    # -- editing ------------------------------------------------------------------------------

    def _typed(self, field_id: str) -> None:
        editor = self.editor(field_id)
        if editor is not None:
            self.input_changed.emit(field_id, editor.raw())

    def _cell_typed(self, path: str, text: str) -> None:
        self._table_inputs[root_id(path)].add(path)  # forgotten when the table is committed
        self.input_changed.emit(path, text)

    def commit_field(self, field_id: str) -> None:
        """The user left the field: its text becomes the value, or is refused and kept (the
        record keeping the last valid value)."""
        f = self.definition.fields[field_id]
        editor = self.editor(field_id)
        if editor is None or f.computed is not None:
            return
        raw = editor.raw()
        self.touched.add(field_id)
        self.refused.pop(field_id, None)
        old = self.live.scope.values.get(field_id)
        value: Value | None = None
        accepted = False
        if raw.strip():
            try:
                value = parse_input(f, raw, today=self.today).value
                accepted = True
            except validators.InvalidValue as exc:
                if f.type not in KEEP_RAW_TYPES:
                    self.refused[field_id] = _refusal(f, exc.message, old)
                    self.input_changed.emit(field_id, raw)
                    self._refresh_messages()
                    self.edited.emit()
                    return
                value = validators.normalize_text(raw)  # kept; the validator names the fault
        self.input_changed.emit(field_id, None)
        if old != value:
            self.undo_stack.append(("field", field_id, old))
        update = self.live.set_value(field_id, value)
        editor.accepted = value
        if accepted and not editor.focus_target().hasFocus():
            editor.show_value(value)  # shows the normalized form (half-width, separators)
        self._after(update)

    def restore_field(self, field_id: str, focus: bool = False) -> None:
        """Escape / the link: the field shows its value again (typing or refusal undone)."""
        editor = self.editor(field_id)
        if editor is None or self.read_only:
            return
        value = self.live.scope.values.get(field_id)
        refused = self.refused.pop(field_id, None) is not None
        if not refused and editor.raw() == editor.text_for(value):
            return
        editor.show_value(value)
        self.input_changed.emit(field_id, None)
        if focus:
            editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        self._refresh_messages()
        self.edited.emit()

    def apply_inputs(self, inputs: dict[str, str]) -> None:
        """Texts kept from the last session (typed, not left; or refused): shown, and taken
        as the user would have on leaving the field."""
        for path, text in inputs.items():
            table = self.tables.get(path.split("[", 1)[0])
            cell = table.editor_at(path) if table is not None else None
            if table is not None:
                if cell is None:
                    self.input_changed.emit(path, None)  # the row is gone
                    continue
                cell.set_raw(text)
                self.commit_table(table.table.id)
                continue
            editor = self.editor(path)
            if editor is None or self.definition.fields[path].computed is not None:
                self.input_changed.emit(path, None)
                continue
            editor.set_raw(text)
            self.commit_field(path)

    def refused_problems(self) -> list[Problem]:
        """Inputs not taken (fields and table cells): they block finalizing."""
        out = [Problem(fid, "input.refused", message) for fid, message in self.refused.items()]
        for table_id, table in self.tables.items():
            out += [Problem(f"{table_id}[{index + 1}].{column}", "input.refused", message)
                    for (index, column), message in table.refused.items()]
        return out

    def commit_table(self, table_id: str) -> None:
        table = self.tables[table_id]
        rows = table.values()
        self.touched.add(table_id)
        kept = {f"{table_id}[{index + 1}].{column}": index
                for (index, column) in table.refused}
        for path in self._table_inputs[table_id] - kept.keys():
            self.input_changed.emit(path, None)
        for path in kept:
            editor = table.editor_at(path)
            if editor is not None:
                self.input_changed.emit(path, editor.raw())
        self._table_inputs[table_id] = set(kept)
        old = self.live.scope.tables.get(table_id)
        if old != rows:
            self.undo_stack.append(("table", table_id, [dict(r) for r in old or []]
                                    if old is not None else None))
        self._after(self.live.set_rows(table_id, rows))

    def undo(self) -> str | None:
        """Put back what the last accepted edit replaced; the id undone, or None."""
        if self.read_only or not self.undo_stack:
            return None
        kind, item_id, old = self.undo_stack.pop()
        if kind == "field":
            editor = self.editor(item_id)
            self.refused.pop(item_id, None)
            self.input_changed.emit(item_id, None)
            update = self.live.set_value(item_id, old)  # type: ignore[arg-type]
            if editor is not None:
                editor.show_value(old)  # type: ignore[arg-type]
        else:
            rows = old if isinstance(old, list) else None
            self.tables[item_id].set_rows(rows)
            update = self.live.set_rows(item_id, rows)
        self._after(update)
        return item_id

    def _after(self, update: Update) -> None:
        """Show what one edit changed. Widgets are touched only where what they show differs
        (computed cells and conditions of the changed ids, messages and part states that moved,
        the rule cards of ``update.rules``), so an edit repaints a few widgets, not the form."""
        self._refresh_computed(set(update.changed))
        self._refresh_conditions(set(update.changed))
        self._refresh_messages()
        self.panel.update_results(update.rules, self.live.results)
        self.edited.emit()

    def _refresh_computed(self, changed: set[str]) -> None:
        for field_id in changed:
            f = self.definition.field(field_id)
            if f is None or f.computed is None:
                continue
            editor = self.editor(field_id)
            value = self.live.scope.computed.get(field_id)
            if editor is not None:
                editor.show_value(None if value is None else round2(value))

    def _refresh_conditions(self, changed: set[str] | None) -> None:
        for source, widgets in self.conditional.items():
            if changed is not None and source not in changed:
                continue
            for widget, condition in widgets:
                widget.setVisible(condition_met(condition, self.live.scope.get))

    def _shown(self, item_id: str) -> bool:
        return (item_id in self.touched or self.live.scope.values.get(item_id) is not None
                or item_id in self.live.scope.tables)

    def _refresh_messages(self, everything: bool = False) -> None:
        """Messages and field states. Only fields that show something, or are named by a
        problem or a refusal now, are looked at (``everything``: all, after a language
        change): a form of 300 fields with a few problems costs a few widget checks."""
        found = self.live.problems()
        errors: dict[str, list[Problem]] = defaultdict(list)
        warnings: dict[str, list[Problem]] = defaultdict(list)
        for p in found.errors:
            errors[root_id(p.path)].append(p)
        for p in found.warnings:
            warnings[root_id(p.path)].append(p)
        wanted = (set(self.rows) if everything else
                  self._marked | errors.keys() | warnings.keys() | self.refused.keys())
        marked: set[str] = set()
        for field_id in wanted:
            row = self.rows.get(field_id)
            if row is not None and self._show(row.editor, row.message, field_id, errors,
                                              warnings):
                marked.add(field_id)
        self._marked = marked
        for grid in self.grids.values():
            if not everything and wanted.isdisjoint(grid.editors) and grid.message.isHidden():
                continue
            grid_errors: list[Message] = []
            grid_warnings: list[Message] = []
            for cell_id, editor in grid.editors.items():
                e, w = self._messages(cell_id, errors, warnings)
                editor.set_state("error" if e else "warning" if w else "")
                grid_errors += e
                grid_warnings += w
            grid.message.show_messages(grid_errors, grid_warnings, self.lang)
        for table_id, table in self.tables.items():
            shown = self._shown(table_id)
            e = [p.message for p in errors.get(table_id, [])] if shown else []
            w = [p.message for p in warnings.get(table_id, [])] if shown else []
            table.message.show_messages(list(table.refused.values()) + e, w, self.lang)
        self._refresh_parts(errors)

    def _messages(self, field_id: str, errors: dict[str, list[Problem]],
                  warnings: dict[str, list[Problem]]) -> tuple[list[Message], list[Message]]:
        if field_id in self.refused:
            return [self.refused[field_id]], []
        if not self._shown(field_id):
            return [], []
        return ([p.message for p in errors.get(field_id, [])],
                [p.message for p in warnings.get(field_id, [])])

    def _show(self, editor: FieldEditor, label: MessageLabel, field_id: str,
              errors: dict[str, list[Problem]], warnings: dict[str, list[Problem]]) -> bool:
        """One field's state and message; True when it shows something."""
        e, w = self._messages(field_id, errors, warnings)
        editor.set_state("error" if e else "warning" if w else "")
        old = self.live.scope.values.get(field_id) if field_id in self.refused else None
        restore = None if old is None else fill(S.RESTORE_VALUE, old=Message(
            display_text(editor.field, old, "zh"), display_text(editor.field, old, "en")))
        label.show_messages(e, w, self.lang, restore)
        return bool(e or w)

    # -- parts --------------------------------------------------------------------------------

    def part_state(self, part: Part, errors: dict[str, list[Problem]]) -> tuple[str, int]:
        if part.filled_by != "enterprise":
            return RECOMMENDER, 0
        ids = [f.id for f in part.fields() if f.computed is None]
        ids += [i.id for i in part.items if isinstance(i, TableDef)]
        count = sum(len(errors.get(i, [])) for i in ids) + sum(1 for i in ids if i in self.refused)
        started = any(self.live.scope.values.get(i) is not None or i in self.live.scope.tables
                      for i in ids)
        if not started and not any(i in self.touched for i in ids):
            return NOT_STARTED, count
        return (ERRORS if count else COMPLETE), count

    def _refresh_parts(self, errors: dict[str, list[Problem]] | None = None) -> None:
        if errors is None:
            errors = defaultdict(list)
            for p in self.live.problems().errors:
                errors[root_id(p.path)].append(p)
        for index, part in enumerate(self.definition.parts):
            item = self.parts.item(index)
            state, count = self.part_state(part, errors)
            tip = {COMPLETE: S.PART_COMPLETE, ERRORS: S.PART_ERRORS.format(n=count),
                   NOT_STARTED: S.PART_NOT_STARTED, RECOMMENDER: S.PART_RECOMMENDER}[state]
            shown = (f"{part.number.text(self.lang)}  {part.title.text(self.lang)}", state,
                     f"{part.title.text(self.lang)} — {tip.text(self.lang)}")
            if self._parts_shown.get(index) == shown:
                continue  # each item change repaints the list
            self._parts_shown[index] = shown
            item.setText(shown[0])
            item.setIcon(state_icon(state))
            item.setData(Qt.ItemDataRole.UserRole, state)
            item.setToolTip(shown[2])

    def _show_part(self, index: int) -> None:
        if index >= 0:
            self.stack.setCurrentIndex(index)
            self.part_changed.emit(index)

    def add_page(self, key: str, page: QWidget) -> QListWidgetItem:
        """A page after the form's parts (not part of the form: attachments, check & export)."""
        self.stack.addWidget(page)
        item = QListWidgetItem(self.parts)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.extra_items[key] = item
        return item

    def show_page(self, key: str) -> None:
        item = self.extra_items.get(key)
        if item is not None:
            self.parts.setCurrentItem(item)

    def set_read_only(self, read_only: bool) -> None:
        """A finalized draft: every editor of the form's parts is disabled (still scrollable)."""
        self.read_only = read_only
        for index in range(len(self.definition.parts)):
            page = self.stack.widget(index)
            body = page.widget() if isinstance(page, QScrollArea) else None
            if body is not None:
                body.setEnabled(not read_only)

    def go_to_part(self, index: int, focus: bool = False) -> None:
        index = max(0, min(index, self.parts.count() - 1))
        self.parts.setCurrentRow(index)
        if focus and index >= len(self.definition.parts):
            page = self.stack.widget(index)
            if page is not None:  # the page's focus proxy is its first control
                page.setFocus(Qt.FocusReason.TabFocusReason)
        elif focus:
            page = self.stack.widget(index)
            for part_item in self.definition.parts[index].items:
                target = self._focus_target(part_item.id)
                if target is not None and page is not None and target.isVisibleTo(page):
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                    break

    def _focus_target(self, item_id: str) -> QWidget | None:
        if item_id in self.rows:
            return self.rows[item_id].editor.focus_target()
        if item_id in self.tables:
            return self.tables[item_id].add_button
        if item_id in self.grids:
            editors = list(self.grids[item_id].editors.values())
            return editors[0].focus_target() if editors else None
        editor = self.editor(item_id)
        return editor.focus_target() if editor else None

    def go_to_item(self, item_id: str) -> None:
        part = self.definition.part_of(item_id)
        if part is None:
            return
        self.go_to_part(self.definition.parts.index(part))
        target = self._focus_target(item_id)
        page = self.stack.currentWidget()
        if target is not None and isinstance(page, QScrollArea):
            page.ensureWidgetVisible(target, 40, 80)
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def go_to_rule(self, rule_id: str) -> None:
        result = self.live.results.get(rule_id)
        inputs = rule_inputs(self.definition)[rule_id]
        wanted = list(result.missing) if result and result.missing else []
        order = list(self.definition.fields) + list(self.definition.tables)
        wanted += [i for i in order if i in inputs]
        for item_id in wanted:
            if self.definition.part_of(item_id) is not None:
                self.go_to_item(item_id)
                return

    # -- language -----------------------------------------------------------------------------

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        for title, subtitle, part in self.part_titles:
            title.setText(f"{part.number.text(lang)}、{part.title.text(lang)}" if lang == "zh"
                          else f"{part.number.text(lang)}. {part.title.text(lang)}")
            notes = []
            if part.filled_by != "enterprise":
                notes.append(S.PART_RECOMMENDER.text(lang))
            if not part.official:
                notes.append(S.PART_NOT_OFFICIAL.text(lang))
            if part.help is not None:
                notes.append(part.help.text(lang))
            subtitle.setText("\n".join(notes))
            subtitle.setVisible(bool(notes))
        for row in self.rows.values():
            row.retranslate(lang)
        for grid in self.grids.values():
            grid.retranslate(lang)
        for table in self.tables.values():
            table.retranslate(lang)
        for note, text in self.notes:
            note.setText(text.text(lang))
        for field_id, editor in self.editors():
            f = self.definition.fields[field_id]
            if f.computed is None and field_id not in self.refused and (
                    not editor.focus_target().hasFocus()):
                value = self.live.scope.values.get(field_id)
                if value is not None:
                    editor.show_value(value)
        self._refresh_computed(set(self.definition.fields))
        self._refresh_messages(everything=True)
        self.panel.show_results(self.live.results, lang)

    def record(self) -> Submission:
        return self.live.record()
