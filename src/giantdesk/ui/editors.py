"""One editor per field type, rendered from a ``FieldDef``; no label is written here.

Every editor exposes the same small interface: ``raw()`` (the text the user typed, as
``values.parse_input`` wants it), ``show_value(value)``, ``set_raw(text)``, ``retranslate(lang)``
and three signals: ``committed`` (the user has finished with the field: left it, picked a
choice, ticked a box), ``typed`` (a keystroke changed the text: saved as text a moment later,
not parsed) and ``escaped`` (Escape: put back the last valid value). The window turns ``raw()``
into a value with ``parse_input`` — the same path as the CLI.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from giantdesk.forms import codes
from giantdesk.forms.messages import Message
from giantdesk.forms.model import (
    CODE_TYPES,
    DECIMAL_TYPES,
    INTEGER_TYPES,
    FieldDef,
    FieldType,
    Value,
)
from giantdesk.forms.values import display_text, input_text
from giantdesk.ui import strings as S
from giantdesk.ui.links import LinkLabel
from giantdesk.ui.style import set_state

#: Types shown right-aligned (numbers).
NUMERIC_TYPES = DECIMAL_TYPES | INTEGER_TYPES
#: Free-text types whose refused input is still kept in the record (the validator reports it),
#: so a half-typed code or number is never lost on save.
KEEP_RAW_TYPES = frozenset({FieldType.USCC, FieldType.MOBILE, FieldType.PHONE, FieldType.POSTCODE,
                            FieldType.EMAIL})


class FieldEditor(QWidget):
    """Base class: one input for one field."""

    committed = Signal()
    typed = Signal()
    escaped = Signal()

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.lang = lang
        #: The last value shown or accepted here (a refused text falls back to it).
        self.accepted: Value | None = None
        #: What a screen reader says for this input (the field's label; a grid cell's label
        #: with its year, a table cell's "table, row n · column").
        self.name: Message = field.label
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def set_name(self, name: Message) -> None:
        self.name = name
        self._name_inputs()

    def _name_inputs(self) -> None:
        self.focus_target().setAccessibleName(self.name.text(self.lang))

    def raw(self) -> str:
        raise NotImplementedError

    def show_value(self, value: Value | None) -> None:
        self.accepted = value
        self._show(value)

    def _show(self, value: Value | None) -> None:
        raise NotImplementedError

    def set_raw(self, text: str) -> None:
        """Show ``text`` as typed (a kept input) without taking it as the value."""

    def text_for(self, value: Value | None) -> str:
        """The text ``show_value(value)`` puts in the box (the raw text for a choice)."""
        return self.raw()

    def focus_target(self) -> QWidget:
        return self

    def retranslate(self, lang: str) -> None:
        self.lang = lang

    def set_state(self, state: str) -> None:
        """"error", "warning" or "" — drawn by the application style sheet."""
        set_state(self.focus_target(), "state", state)


class _Watch(QObject):
    """Calls ``left`` when the watched widget loses focus and ``escape`` on the Escape key.

    Focus moving to a popup (the completion list, a context menu) is not leaving the field.
    Install it after any other filter of the widget (a ``QCompleter`` eats the focus-out while
    its list is open, so a Tab pressed then would never commit): the last installed runs first.
    """

    def __init__(self, widget: QWidget, left: Callable[[], object],
                 escape: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._left, self._escape = left, escape
        widget.installEventFilter(self)

    def first(self) -> None:
        """See the widget's events before the filters installed since."""
        self._widget.removeEventFilter(self)
        self._widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            if (isinstance(event, QFocusEvent)
                    and event.reason() == Qt.FocusReason.PopupFocusReason):
                return False
            self._left()
        elif (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and event.key() == Qt.Key.Key_Escape and event.modifiers()
              == Qt.KeyboardModifier.NoModifier):
            self._escape()
        return False


class LineEditor(FieldEditor):
    """Single-line text, numbers, dates, USCC, phone numbers, e-mail."""

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"edit:{field.id}")
        if field.type in NUMERIC_TYPES:
            self.edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.edit.setMaximumWidth(220)
        elif field.type in (FieldType.DATE, FieldType.POSTCODE, FieldType.MOBILE, FieldType.PHONE,
                            FieldType.USCC):
            self.edit.setMaximumWidth(260)
        if field.type is FieldType.USCC:  # all 18 characters in view, whatever the font
            needed = self.edit.fontMetrics().horizontalAdvance("91350100MA2YQWXM8W") + 28
            self.edit.setMinimumWidth(needed)
            self.edit.setMaximumWidth(max(260, needed))
        self._layout.addWidget(self.edit)
        self._last = ""
        self.edit.editingFinished.connect(self._finish)
        self.edit.textEdited.connect(lambda _text: self.typed.emit())
        self._watch = _Watch(self.edit, self._finish, self.escaped.emit)
        self.retranslate(lang)

    def _finish(self) -> None:
        # editingFinished and focus-out both arrive when leaving: commit once per change.
        if not isValid(self.edit):  # a focus-out while the window is being destroyed
            return
        if self.edit.text() != self._last or self.edit.isModified():
            self._last = self.edit.text()
            self.edit.setModified(False)
            self.committed.emit()

    def complete_from(self, completer: QCompleter) -> None:
        """Offer ``completer``'s entries containing what is typed; picking one commits."""
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(lambda _text: self._finish())
        self.edit.setCompleter(completer)
        self._watch.first()  # before the completer's filter, which eats the focus-out

    def raw(self) -> str:
        return self.edit.text()

    def set_raw(self, text: str) -> None:
        self.edit.setText(text)  # the view takes it at once: leaving it unchanged is no edit
        self.edit.setModified(False)
        self._last = text

    def text_for(self, value: Value | None) -> str:
        if value is None:
            return ""
        if self.field.type in DECIMAL_TYPES or self.field.type in CODE_TYPES:
            return display_text(self.field, value, self.lang)
        return input_text(self.field, value)

    def _show(self, value: Value | None) -> None:
        text = self.text_for(value)
        self.edit.setText(text)
        self.edit.setCursorPosition(0)
        self.edit.setModified(False)
        self._last = text

    def focus_target(self) -> QWidget:
        return self.edit

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self._name_inputs()
        if self.field.type is FieldType.DATE:
            self.edit.setPlaceholderText(S.DATE_PLACEHOLDER.text(lang))


class CodeEditor(LineEditor):
    """GB/T 4754 / GB/T 2260 codes: type a code or part of a name, pick from the list."""

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        self.edit.setMaximumWidth(16777215)
        table = codes.table_for(field.type)
        entries = [f"{code} {entry.get('zh', '')}".strip() for code, entry in table.items()]
        self.complete_from(QCompleter(entries, self.edit))

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.edit.setPlaceholderText(S.CODE_PLACEHOLDER.text(lang))


class DivisionEditor(LineEditor):
    """A city or county by name, completed from GB/T 2260 under the chosen province / city
    (the view gives the names with ``set_entries`` whenever that choice changes)."""

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        self.edit.setMaximumWidth(320)
        self.model = QStringListModel(self.edit)
        self.complete_from(QCompleter(self.model, self.edit))

    def set_entries(self, names: list[str]) -> None:
        if names != self.model.stringList():
            self.model.setStringList(names)


class ComputedEditor(LineEditor):
    """A value the core computes: shown read-only, never typed."""

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        self.edit.setReadOnly(True)
        self.edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.edit.setProperty("computed", True)

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self.edit.setPlaceholderText(S.COMPUTED.text(lang))
        self.edit.setToolTip(S.COMPUTED.text(lang))


class TextAreaEditor(FieldEditor):
    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName(f"edit:{field.id}")
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(72)
        self.edit.setMaximumHeight(120)
        self._layout.addWidget(self.edit)
        self._last = ""
        self._showing = False
        self._typing = False
        self.edit.textChanged.connect(self._changed)
        _Watch(self.edit, self._finish, self.escaped.emit)
        self.retranslate(lang)

    def _changed(self) -> None:
        if not self._showing:
            self._typing = True
            self.typed.emit()

    def _finish(self) -> None:
        # like QLineEdit's "modified": typing the same text again still commits (the kept
        # input is then forgotten)
        if self.edit.toPlainText() != self._last or self._typing:
            self._last = self.edit.toPlainText()
            self._typing = False
            self.committed.emit()

    def raw(self) -> str:
        return self.edit.toPlainText()

    def set_raw(self, text: str) -> None:
        self._showing = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._showing = False
        self._last = text  # the view takes it at once: leaving it unchanged is no edit

    def text_for(self, value: Value | None) -> str:
        return "" if value is None else str(value)

    def _show(self, value: Value | None) -> None:
        text = self.text_for(value)
        self._showing = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._showing = False
        self._last = text

    def focus_target(self) -> QWidget:
        return self.edit

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self._name_inputs()


class ComboEditor(FieldEditor):
    """One choice (or yes / no): the first entry means "not answered"."""

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"edit:{field.id}")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.combo.setMinimumContentsLength(8)
        self._options: list[tuple[str, Message]] = [("", S.NOT_ANSWERED)]
        if field.type is FieldType.BOOL:
            self._options += [("true", S.YES), ("false", S.NO)]
        else:
            self._options += [(c.id, c.label) for c in field.choices]
        for _ in self._options:
            self.combo.addItem("")
        self._layout.addWidget(self.combo)
        self._layout.addStretch(1)
        self.combo.activated.connect(lambda _index: self.committed.emit())
        self.retranslate(lang)

    def raw(self) -> str:
        return self._options[max(self.combo.currentIndex(), 0)][0]

    def _show(self, value: Value | None) -> None:
        key = "" if value is None else input_text(self.field, value)
        index = next((i for i, (k, _m) in enumerate(self._options) if k == key), 0)
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(index)

    def focus_target(self) -> QWidget:
        return self.combo

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        for i, (_key, label) in enumerate(self._options):
            self.combo.setItemText(i, label.text(lang))
        self._name_inputs()


class _ChoiceText(QLabel):
    """The text of a check box, word-wrapped (a long English choice must not widen the page);
    clicking it ticks the box, as clicking a check box's own text does."""

    def __init__(self, check: QCheckBox, parent: QWidget) -> None:
        super().__init__(parent)
        self.check = check
        self.setObjectName("choiceText")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.check.isEnabled():
            self.check.click()
            self.check.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class MultiChoiceEditor(FieldEditor):
    """A group of check boxes, two per line (one when a choice is long); texts wrap."""

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(field, lang, parent)
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        self.boxes: list[tuple[str, QCheckBox, Message]] = []
        self.texts: list[_ChoiceText] = []
        columns = 1 if any(len(c.label.zh) > 8 for c in field.choices) else 2
        for i, choice in enumerate(field.choices):
            cell = QWidget(box)
            row = QHBoxLayout(cell)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            check = QCheckBox(cell)
            check.setObjectName(f"edit:{field.id}:{choice.id}")
            check.toggled.connect(lambda _on: self.committed.emit())
            text = _ChoiceText(check, cell)
            row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            grid.addWidget(cell, i // columns, i % columns)
            self.boxes.append((choice.id, check, choice.label))
            self.texts.append(text)
        self._layout.addWidget(box, 1)
        self.retranslate(lang)

    def raw(self) -> str:
        return ",".join(cid for cid, check, _label in self.boxes if check.isChecked())

    def _show(self, value: Value | None) -> None:
        chosen = set(value) if isinstance(value, tuple) else set()
        for cid, check, _label in self.boxes:
            with QSignalBlocker(check):
                check.setChecked(cid in chosen)

    def focus_target(self) -> QWidget:
        return self.boxes[0][1] if self.boxes else self

    def set_state(self, state: str) -> None:
        for text in self.texts:
            set_state(text, "state", state)

    def retranslate(self, lang: str) -> None:
        super().retranslate(lang)
        self._name_inputs()
        for (_cid, _check, label), text in zip(self.boxes, self.texts, strict=True):
            text.setText(label.text(lang))

    def _name_inputs(self) -> None:
        for _cid, check, label in self.boxes:
            check.setAccessibleName(f"{self.name.text(self.lang)}：{label.text(self.lang)}"
                                    if self.lang == "zh" else
                                    f"{self.name.text(self.lang)}: {label.text(self.lang)}")


def make_editor(field: FieldDef, lang: str, parent: QWidget | None = None) -> FieldEditor:
    """The editor for ``field``'s type."""
    if field.computed is not None:
        return ComputedEditor(field, lang, parent)
    if field.type is FieldType.LONGTEXT:
        return TextAreaEditor(field, lang, parent)
    if field.type in (FieldType.CHOICE, FieldType.BOOL):
        return ComboEditor(field, lang, parent)
    if field.type is FieldType.MULTICHOICE:
        return MultiChoiceEditor(field, lang, parent)
    if field.type in (FieldType.INDUSTRY, FieldType.NICHE, FieldType.PROVINCE):
        return CodeEditor(field, lang, parent)
    if field.type in (FieldType.CITY, FieldType.COUNTY):
        return DivisionEditor(field, lang, parent)
    return LineEditor(field, lang, parent)


def kept_message(message: Message, field: FieldDef, old: Value) -> Message:
    """A refusal that keeps the last valid value ``old``: says so, and how to get it back."""
    return S.VALUE_KEPT.format(message=message,
                old=Message(display_text(field, old, "zh"), display_text(field, old, "en")))


class MessageLabel(LinkLabel):
    """The note under a field: red for errors, amber for warnings, hidden when empty; with an
    optional link that puts back the last valid value (``restore_requested``). While it shows
    the link it is in the Tab chain (after its field: Shift+Tab from the next one), Enter or
    Space follows it; ``links_changed`` says when that changes."""

    restore_requested = Signal()
    links_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldMessage")
        self.linkActivated.connect(lambda _link: self.restore_requested.emit())
        self.hide()

    def show_messages(self, errors: list[Message], warnings: list[Message], lang: str,
                      restore: Message | None = None) -> None:
        lines = [m.text(lang) for m in errors] + [m.text(lang) for m in warnings]
        level = "error" if errors else "warning" if warnings else ""
        set_state(self, "level", level)
        text = "<br/>".join(escape(line).replace("\n", "<br/>")
                            for line in dict.fromkeys(lines))
        if restore is not None and lines:
            text += f" <a href='restore'>{escape(restore.text(lang))}</a>"
        if self.isHidden() == bool(lines):
            self.setVisible(bool(lines))
        if text != self.text():
            had = self.has_links()
            self.setText(text)
            if self.has_links() != had:
                self.links_changed.emit()


class FieldRow(QWidget):
    """Label (with the required marker), editor, unit and the message under it."""

    LABEL_WIDTH = 230

    def __init__(self, field: FieldDef, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setObjectName(f"row:{field.id}")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 4, 0, 4)
        outer.setSpacing(12)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setFixedWidth(self.LABEL_WIDTH)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.label.setObjectName("fieldLabel")
        self.label.setContentsMargins(0, 5, 0, 0)
        outer.addWidget(self.label, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(6)
        self.editor = make_editor(field, lang, self)
        compact = self.editor.focus_target().maximumWidth() < 10000
        line.addWidget(self.editor, 0 if compact else 1)
        self.unit = QLabel(self)
        self.unit.setObjectName("unit")
        line.addWidget(self.unit)
        #: "还可输入 12 字" near a text field's limit (``FieldDef.remaining``).
        self.counter = QLabel(self)
        self.counter.setObjectName("charCounter")
        self.counter.hide()
        line.addWidget(self.counter)
        if compact:
            line.addStretch(1)  # the unit stays beside a short input
        self.editor.typed.connect(self.show_remaining)
        self.editor.committed.connect(self.show_remaining)
        column.addLayout(line)
        self.message = MessageLabel(self)
        column.addWidget(self.message)
        outer.addLayout(column, 1)
        self.label.setBuddy(self.editor.focus_target())
        self.retranslate(lang)

    def retranslate(self, lang: str) -> None:
        f = self.field
        text = f.label.text(lang)
        if f.required and f.computed is None:
            text += " *"
            self.label.setToolTip(S.REQUIRED_MARK.text(lang))
        self.label.setText(text)
        self.unit.setText(f.unit.text(lang) if f.unit else "")
        self.unit.setVisible(f.unit is not None)
        tip = f.help.text(lang) if f.help else ""
        self.editor.focus_target().setToolTip(tip)
        self.editor.retranslate(lang)
        self.show_remaining()

    def show_remaining(self) -> None:
        """The characters left, once the text is within a tenth (at least 10) of the limit."""
        if self.field.max_length is None or self.field.computed is not None:
            return
        left = self.field.remaining(self.editor.raw())
        near = left is not None and left <= max(10, self.field.max_length // 10)
        if near and left is not None:
            lang = self.editor.lang
            text = (S.REMAINING_CHARS.format(n=left) if left >= 0
                    else S.OVER_CHARS.format(n=-left)).text(lang)
            self.counter.setText(text)
            set_state(self.counter, "level", "error" if left < 0 else "")
        if self.counter.isHidden() == near:
            self.counter.setVisible(near)
