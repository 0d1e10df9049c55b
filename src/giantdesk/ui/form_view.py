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
from html import escape
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from giantdesk.forms import codes, validators
from giantdesk.forms.computed import round2
from giantdesk.forms.live import LiveForm, Update
from giantdesk.forms.messages import Message
from giantdesk.forms.model import (
    Condition,
    FieldDef,
    FieldType,
    GridDef,
    Note,
    Part,
    TableDef,
    Value,
)
from giantdesk.forms.progress import (
    PartProgress,
    PartState,
    eligibility,
    parts_progress,
    root_id,
    rule_target,
    to_fill_count,
)
from giantdesk.forms.record import Problem, Submission
from giantdesk.forms.rules import load_ruleset
from giantdesk.forms.validation import Findings, condition_met, region_year
from giantdesk.forms.values import display_text, parse_input
from giantdesk.ui import strings as S
from giantdesk.ui.editors import (
    KEEP_RAW_TYPES,
    DivisionEditor,
    FieldEditor,
    FieldRow,
    MessageLabel,
    kept_message,
)
from giantdesk.ui.eligibility import EligibilityPanel
from giantdesk.ui.grids import FinanceGrid, TableEditor
from giantdesk.ui.links import LinkLabel
from giantdesk.ui.wizard import NavBar, StepBar, state_icon

#: The states of a part in the parts list (``forms.progress.PartState``).
COMPLETE, ERRORS, NOT_STARTED, RECOMMENDER = (PartState.COMPLETE, PartState.ERRORS,
                                              PartState.UNTOUCHED, PartState.RECOMMENDER)
TO_FILL, CONFIRM = PartState.TO_FILL, PartState.CONFIRM
__all__ = ["COMPLETE", "CONFIRM", "ERRORS", "NOT_STARTED", "RECOMMENDER", "TO_FILL", "FormView",
           "root_id", "state_icon"]


def _refusal(f: FieldDef, message: Message, old: Value | None) -> Message:
    refused = Message(f"“{f.label.zh}”：{message.zh}", f"“{f.label.en}”: {message.en}")
    return refused if old is None else kept_message(refused, f, old)


class _EnterWatch(QObject):
    """Enter in the last input of a page moves on to 下一步 (after the input took it)."""

    def __init__(self, view: FormView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and watched is self.view._last_input):
            QTimer.singleShot(0, self.view.focus_next_button)
        return False


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
        self.part_titles: list[tuple[QLabel, LinkLabel, Part]] = []
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
        #: Pages after the form: key → title / state (the parts list's icon).
        self.page_titles: dict[str, Message] = {}
        self.page_states: dict[str, str] = {}
        self._last_input: QWidget | None = None

        self.parts = QListWidget(self)
        self.parts.setObjectName("parts")
        self.parts.setIconSize(QSize(14, 14))
        self.parts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.parts.setMinimumWidth(190)
        self.parts.setWordWrap(True)
        self.parts.setAccessibleName(S.PARTS_LIST.text(lang))
        #: The middle column: the step header, the current page, 上一步 / 下一步.
        self.center = QWidget(self)
        self.center.setObjectName("center")
        column = QVBoxLayout(self.center)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.step_bar = StepBar(self.center)
        column.addWidget(self.step_bar)
        self.stack = QStackedWidget(self.center)
        self.stack.setObjectName("pages")
        column.addWidget(self.stack, 1)
        #: What each part's list item and step header say (``forms.progress.PartProgress``).
        self.progress: list[PartProgress] = []
        #: Line edits: Enter in the last input of a page moves to 下一步.
        self._enter_watch = _EnterWatch(self)
        for part in self.definition.parts:
            self.stack.addWidget(self._page(part))
            QListWidgetItem(self.parts)
        self.nav = NavBar(self.center)
        self.nav.back.connect(self.previous_step)
        self.nav.next.connect(self.next_step)
        column.addWidget(self.nav)
        #: What the pages after the form say in the parts list / step header: key → summary.
        self.page_summaries: dict[str, Message] = {}
        self.panel = EligibilityPanel(self.ruleset, lang, self)
        self.panel.definition = self.definition
        self.panel.setMinimumWidth(260)
        self.panel.rule_clicked.connect(self.go_to_rule)
        self.addWidget(self.parts)
        self.addWidget(self.center)
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
        self.size_items()

    def _divider_moved(self, _pos: int, _index: int) -> None:
        self._user_sized = True
        self.size_items()

    # -- building -----------------------------------------------------------------------------

    def _page(self, part: Part) -> QScrollArea:
        scroll = QScrollArea(self)
        scroll.setObjectName(f"page:{part.id}")
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes through its inputs
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
        subtitle = LinkLabel(body)  # "这是什么？" reached with Shift+Tab from the first input
        subtitle.setObjectName("partNote")
        subtitle.linkActivated.connect(lambda _link: self.explain_not_official())
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
                row.message.links_changed.connect(self._links_changed)
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
                table.row_left.connect(lambda _tid: self._refresh_messages())
                table.order_changed.connect(self._table_order)
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
        for edit in body.findChildren(QLineEdit):
            edit.installEventFilter(self._enter_watch)
        for grid in self.grids.values():
            for cell_id, editor in grid.editors.items():
                editor.set_name(self.definition.label_of(cell_id))
        return scroll

    def _refresh_divisions(self, changed: set[str] | None) -> None:
        """City and county completion lists under the chosen province / city (GB/T 2260)."""
        definition = self.definition
        year = region_year(definition)
        get = self.live.scope.values.get
        for row in self.rows.values():
            editor = row.editor
            if not isinstance(editor, DivisionEditor):
                continue
            f = editor.field
            within = definition.field(f.within)
            province_id = within.within if within is not None and f.type is FieldType.COUNTY \
                else f.within
            if changed is not None and not ({f.within, province_id} & changed):
                continue
            province = get(province_id)
            if not isinstance(province, str):
                editor.set_entries([])
                continue
            if f.type is FieldType.CITY:
                entries = codes.city_choices(province, year)
            else:
                city_name = get(f.within)
                city = (codes.find_city(province, city_name, year)
                        if isinstance(city_name, str) else None)
                entries = codes.county_choices(city, year)
            editor.set_entries([d.name for d in entries])

    def _fill(self, record: Submission) -> None:
        for field_id, editor in self.editors():
            editor.show_value(self.live.scope.get(field_id) if self.definition.fields[
                field_id].computed is None else None)
        for table_id, table in self.tables.items():
            table.set_rows(record.tables.get(table_id))
        self._refresh_computed(set(self.definition.fields))
        self._refresh_conditions(None)
        self._refresh_divisions(None)
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
        self._refresh_divisions(set(update.changed))
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
        moved = False
        for source, widgets in self.conditional.items():
            if changed is not None and source not in changed:
                continue
            for widget, condition in widgets:
                shown = condition_met(condition, self.live.scope.get)
                if widget.isHidden() == shown:
                    widget.setVisible(shown)
                    moved = True
        if moved and changed is not None:
            self._chain_page()  # the page's last input may be another one now

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
            fresh = table.fresh_prefix()  # a row just added: not flagged until it is left
            e = [p.message for p in errors.get(table_id, [])
                 if not (fresh and p.path.startswith(fresh))] if shown else []
            w = [p.message for p in warnings.get(table_id, [])
                 if not (fresh and p.path.startswith(fresh))] if shown else []
            table.message.show_messages(list(table.refused.values()) + e, w, self.lang)
        self._refresh_parts(found)

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
        restore = None if old is None else S.RESTORE_VALUE.format(old=Message(
            display_text(editor.field, old, "zh"), display_text(editor.field, old, "en")))
        label.show_messages(e, w, self.lang, restore)
        return bool(e or w)

    # -- parts and steps ----------------------------------------------------------------------

    def size_items(self) -> None:
        """Each item of the parts list as tall as its wrapped lines (title, then what is
        filled): a long English title must not push its counts out of view."""
        width = self.parts.viewport().width() - self.parts.iconSize().width() - 24
        if width < 40:
            return
        metrics = self.parts.fontMetrics()
        for row in range(self.parts.count()):
            item = self.parts.item(row)
            box = metrics.boundingRect(QRect(0, 0, width, 2000), Qt.TextFlag.TextWordWrap,
                                       item.text())
            hint = QSize(width, box.height() + 8)
            if item.sizeHint() != hint:
                item.setSizeHint(hint)

    def part_states(self, found: Findings | None = None) -> list[PartProgress]:
        """Completeness of every part (``forms.progress.parts_progress``): the touched fields,
        and the texts the screen could not accept, counted as the user sees them."""
        refused = set(self.refused)
        for table_id, table in self.tables.items():
            if table.refused:
                refused.add(table_id)
        return parts_progress(self.live, touched=self.touched, refused=refused, found=found)

    def _refresh_parts(self, found: Findings | None = None) -> None:
        found = self.live.problems() if found is None else found
        self.progress = self.part_states(found)
        changed = False
        self.panel.show_summary(eligibility(self.live, to_fill=to_fill_count(self.live, found)))
        lang = self.lang
        for progress in self.progress:
            part = progress.part
            item = self.parts.item(progress.index)
            title = f"{part.number.text(lang)}  {part.title.text(lang)}"
            summary = progress.summary.text(lang)
            shown = (f"{title}\n{summary}", progress.state.value, f"{title} — {summary}")
            if self._parts_shown.get(progress.index) == shown:
                continue  # each item change repaints the list
            self._parts_shown[progress.index] = shown
            item.setText(shown[0])
            item.setIcon(state_icon(progress.state))
            item.setData(Qt.ItemDataRole.UserRole, progress.state.value)
            item.setToolTip(shown[2])
            changed = True
        if changed:
            self.size_items()
        self._update_nav()

    def _show_part(self, index: int) -> None:
        if index >= 0:
            self.stack.setCurrentIndex(index)
            self._update_nav()
            self._chain_page()
            self.part_changed.emit(index)

    def add_page(self, key: str, page: QWidget, title: Message | None = None) -> QListWidgetItem:
        """A page after the form's parts (not part of the form: attachments, review, check &
        export); every such page is a step."""
        self.stack.addWidget(page)
        item = QListWidgetItem(self.parts)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.extra_items[key] = item
        self.page_titles[key] = title or Message(key, key)
        self._show_page_item(key)
        return item

    def set_page_summary(self, key: str, summary: Message, state: str) -> None:
        """What a page after the form says in the parts list and the step header."""
        self.page_summaries[key] = summary
        self.page_states[key] = state
        self._show_page_item(key)
        if self.current_key() == key:
            self._update_nav()

    def _show_page_item(self, key: str) -> None:
        item = self.extra_items.get(key)
        if item is None:
            return
        title = self.page_titles[key].text(self.lang)
        summary = self.page_summaries.get(key)
        text = title if summary is None else f"{title}\n{summary.text(self.lang)}"
        if item.text() != text:
            item.setText(text)
            item.setToolTip(text.replace("\n", " — "))
            self.size_items()
        state = self.page_states.get(key)
        if state is not None and item.data(Qt.ItemDataRole.UserRole + 1) != state:
            item.setData(Qt.ItemDataRole.UserRole + 1, state)
            item.setIcon(state_icon(state))

    def show_page(self, key: str) -> None:
        item = self.extra_items.get(key)
        if item is not None:
            self.parts.setCurrentItem(item)

    def current_key(self) -> str | None:
        """The key of the page shown when it is not a part of the form."""
        index = self.parts.currentRow()
        if index < len(self.definition.parts):
            return None
        item = self.parts.item(index)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def steps(self) -> list[int]:
        """The parts list rows that are steps: the parts the enterprise fills in (not the
        recommending unit's), then the pages after the form."""
        out = [i for i, part in enumerate(self.definition.parts) if part.filled_by == "enterprise"]
        return out + list(range(len(self.definition.parts), self.parts.count()))

    def step_title(self, index: int) -> Message:
        if index < len(self.definition.parts):
            part = self.definition.parts[index]
            return Message(f"{part.number.zh}、{part.title.zh}",
                           f"{part.number.en}. {part.title.en}")
        key = str(self.parts.item(index).data(Qt.ItemDataRole.UserRole))
        return self.page_titles.get(key, Message(key, key))

    def next_step(self) -> None:
        """下一步: the next step, its first input focused."""
        current = self.current_part()
        following = [i for i in self.steps() if i > current]
        if following:
            self.go_to_part(following[0], focus=True)

    def previous_step(self) -> None:
        current = self.current_part()
        earlier = [i for i in self.steps() if i < current]
        if earlier:
            self.go_to_part(earlier[-1], focus=True)

    def _update_nav(self) -> None:
        index = self.current_part()
        if index < 0:
            return
        steps = self.steps()
        earlier = [i for i in steps if i < index]
        later = [i for i in steps if i > index]
        lang = self.lang
        if index < len(self.definition.parts):
            progress = self.progress[index] if index < len(self.progress) else None
            summary = progress.summary.text(lang) if progress is not None else ""
        else:
            key = self.current_key() or ""
            page_summary = self.page_summaries.get(key)
            summary = page_summary.text(lang) if page_summary is not None else ""
        number = steps.index(index) + 1 if index in steps else None
        self.step_bar.show_step(number, len(steps), self.step_title(index).text(lang), summary,
                                lang)
        self.nav.show_steps(self.step_title(earlier[-1]) if earlier else None,
                            self.step_title(later[0]) if later else None, lang)

    def page_inputs(self, index: int | None = None) -> list[QWidget]:
        """What Tab visits on a part's page, in the form's order: each field's input (each box
        of a multiple choice), the finance grid row by row, a table's cells row by row and its
        buttons. Hidden, disabled and computed inputs are left out."""
        index = self.current_part() if index is None else index
        if not 0 <= index < len(self.definition.parts):
            return []
        out: list[QWidget] = []
        for item in self.definition.parts[index].items:
            if isinstance(item, FieldDef):
                row = self.rows.get(item.id)
                if row is None or row.isHidden():
                    continue
                editor = row.editor
                boxes = getattr(editor, "boxes", None)
                out += [b[1] for b in boxes] if boxes is not None else [editor.focus_target()]
            elif isinstance(item, GridDef):
                out += [e.focus_target() for e in self.grids[item.id].editors.values()]
            elif isinstance(item, TableDef):
                table = self.tables[item.id]
                if not table.isHidden():
                    out += table.inputs()
        return [w for w in out if w.isEnabled()
                and w.focusPolicy().value & Qt.FocusPolicy.TabFocus.value]

    def last_input(self) -> QWidget | None:
        """The last widget of the page shown that Tab reaches (a part's last input; on a page
        after the form, its last control)."""
        index = self.current_part()
        if 0 <= index < len(self.definition.parts):
            inputs = self.page_inputs(index)
            return inputs[-1] if inputs else None
        page = self.stack.currentWidget()
        if page is None:
            return None
        last = None
        widget = page.nextInFocusChain()
        for _ in range(20000):  # the chain is a ring; this is only a guard
            if widget is page or widget is None:
                break
            if (page.isAncestorOf(widget) and widget.isVisibleTo(page) and widget.isEnabled()
                    and widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value):
                last = widget
            widget = widget.nextInFocusChain()
        return last

    def _chain_page(self) -> None:
        """Tab goes through the page's inputs in the form's order (a page after the form:
        its ``inputs()``), then to 下一步, then 上一步; so Tab from the last input reaches
        下一步."""
        index = self.current_part()
        if 0 <= index < len(self.definition.parts):
            inputs = self.page_inputs(index)
        else:
            listed = getattr(self.stack.currentWidget(), "inputs", None)
            inputs = list(listed()) if callable(listed) else []  # Tab skips the disabled
        reachable = [w for w in inputs if w.isEnabled() and not w.isHidden()]
        self._last_input = reachable[-1] if reachable else None
        if 0 <= index < len(self.definition.parts):
            inputs = self._with_links(index, inputs)
        chain = [*inputs, self.nav.next_button, self.nav.back_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _with_links(self, index: int, inputs: list[QWidget]) -> list[QWidget]:
        """The page's inputs with the links of its labels: the part's note ("这是什么？")
        before the first input, a field's "恢复为…" right after the field."""
        part = self.definition.parts[index]
        notes = [note for _title, note, p in self.part_titles
                 if p is part and note.has_links() and not note.isHidden()]
        after: dict[int, QWidget] = {}
        for item in part.items:
            row = self.rows.get(item.id) if isinstance(item, FieldDef) else None
            if row is not None and row.message.has_links() and not row.message.isHidden():
                boxes = getattr(row.editor, "boxes", None)
                last = boxes[-1][1] if boxes else row.editor.focus_target()
                after[id(last)] = row.message
        chain: list[QWidget] = list(notes)
        for widget in inputs:
            chain.append(widget)
            if id(widget) in after:
                chain.append(after[id(widget)])
        return chain

    def _links_changed(self) -> None:
        """A field's message gained or lost its "恢复为…" link: the page's Tab chain again."""
        if 0 <= self.current_part() < len(self.definition.parts):
            self._chain_page()

    def explain_not_official(self) -> None:
        from giantdesk.ui import dialogs

        dialogs.inform(self, S.NOT_OFFICIAL_TITLE, S.NOT_OFFICIAL_EXPLAINED, self.lang)

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
            listed = getattr(self.stack.widget(index), "inputs", None)
            for widget in listed() if callable(listed) else []:  # its first control
                if widget.isVisibleTo(self) and widget.isEnabled():
                    widget.setFocus(Qt.FocusReason.TabFocusReason)
                    break
            else:
                self.focus_next_button()
        elif focus:
            inputs = self.page_inputs(index)
            if inputs:  # the part's first input (a read-only part has none: 下一步)
                inputs[0].setFocus(Qt.FocusReason.TabFocusReason)
            else:
                self.focus_next_button()

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
        target = rule_target(self.definition, result) if result is not None else None
        if target is not None:
            self.go_to_item(target)

    def _table_order(self, table_id: str) -> None:
        """Rows added or removed: the Tab order of the page shown follows."""
        part = self.definition.part_of(table_id)
        if part is not None and self.definition.parts.index(part) == self.current_part():
            self._chain_page()

    def focus_next_button(self) -> None:
        """下一步 (上一步 on the last step, where there is no next)."""
        button = self.nav.next_button if self.nav.next_button.isEnabled() else self.nav.back_button
        button.setFocus(Qt.FocusReason.TabFocusReason)

    # -- language -----------------------------------------------------------------------------

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        for title, subtitle, part in self.part_titles:
            title.setText(f"{part.number.text(lang)}、{part.title.text(lang)}" if lang == "zh"
                          else f"{part.number.text(lang)}. {part.title.text(lang)}")
            notes = []
            if part.filled_by != "enterprise":
                notes.append(escape(S.PART_RECOMMENDER.text(lang)))
            if not part.official:
                notes.append(f"{escape(S.PART_NOT_OFFICIAL.text(lang))} "
                             f"<a href='not-official'>{escape(S.NOT_OFFICIAL_LINK.text(lang))}</a>")
                subtitle.setToolTip(S.NOT_OFFICIAL_EXPLAINED.text(lang))
            if part.help is not None:
                notes.append(escape(part.help.text(lang)).replace("\n", "<br/>"))
            subtitle.setText("<br/>".join(notes))
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
        self._parts_shown.clear()
        self._refresh_messages(everything=True)
        for key in self.extra_items:
            self._show_page_item(key)
        self.size_items()
        self.parts.setAccessibleName(S.PARTS_LIST.text(lang))
        self._update_nav()
        self.panel.show_results(self.live.results, lang)

    def record(self) -> Submission:
        return self.live.record()
