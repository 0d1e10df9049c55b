"""A simulated user for the GUI tests and the GUI benchmark: typing (Chinese too), and answering
the dialogs the app opens, as a person would (a real ``exec()``, a button clicked).

``QTest.keyClicks`` with non-ASCII text aborts the interpreter (QtTest's ASCII table), so
Chinese is committed through a ``QInputMethodEvent`` — what an input method does.
"""

from __future__ import annotations

import faulthandler
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

_ASCII = re.compile(r"[\x20-\x7e]+|[^\x20-\x7e]+")


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` at the cursor of ``widget``: ASCII as key presses, the rest as
    input-method commits (one per run of characters, like a pinyin IME's phrase)."""
    for chunk in _ASCII.findall(text):
        if chunk.isascii():
            QTest.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QCoreApplication.sendEvent(widget, event)


def replace_text(widget: QWidget, text: str) -> None:
    """Select everything in the focused text box and type ``text`` over it."""
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if not text:
        QTest.keyClick(widget, Qt.Key.Key_Delete)
        return
    if isinstance(widget, QPlainTextEdit):
        QTest.keyClick(widget, Qt.Key.Key_Delete)
        for n, line in enumerate(text.split("\n")):
            if n:
                QTest.keyClick(widget, Qt.Key.Key_Return)
            type_text(widget, line)
        return
    type_text(widget, text)


def _escape_of(box: QMessageBox) -> QAbstractButton | None:
    """The button Escape presses (Qt's rule): Cancel / No role, else a lone button."""
    buttons = box.buttons()
    for role in (QMessageBox.ButtonRole.RejectRole, QMessageBox.ButtonRole.NoRole):
        for button in buttons:
            if box.buttonRole(button) == role:
                return button
    return buttons[0] if len(buttons) == 1 else None


@dataclass
class Seen:
    """One dialog the user answered: its class, title, text and the answer given."""

    kind: str
    title: str
    text: str
    answer: str
    #: The buttons a message box offered, in order.
    buttons: tuple[str, ...] = ()


@dataclass
class DialogAnswerer:
    """Answers every modal dialog the app opens, in order, as a user would.

    ``plan`` holds the answers to give, one per dialog (a ``QMessageBox.StandardButton``, the
    name of a ``dialogs.choose`` button, a path for a file dialog, or None to press Escape). With the plan used up a message box gets
    Escape (its Cancel / No / the only OK) and a file dialog is cancelled. Every dialog met is
    kept in ``seen``; polls every ``interval_ms`` while the application runs any event loop
    (``exec()`` of the dialog included).
    """

    plan: list[object] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    interval_ms: int = 25
    on_dialog: Callable[[QWidget], None] | None = None

    def __post_init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(self.interval_ms)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def texts(self) -> list[str]:
        return [s.text for s in self.seen]

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or not isinstance(dialog, QDialog):
            return
        if self.on_dialog is not None:
            self.on_dialog(dialog)
        answer = self.plan.pop(0) if self.plan else None
        if isinstance(dialog, QMessageBox):
            self._answer_box(dialog, answer)
        elif isinstance(dialog, QFileDialog):
            self.seen.append(Seen("file", dialog.windowTitle(), "", str(answer)))
            name_box = dialog.findChild(QLineEdit, "fileNameEdit")
            if answer and name_box is not None:
                name_box.setText(str(answer))  # typed into "File name:", then Open
                dialog.accept()
            else:
                dialog.reject()
        else:
            self.seen.append(Seen(type(dialog).__name__, dialog.windowTitle(), "", "escape"))
            dialog.reject()

    def _answer_box(self, box: QMessageBox, answer: object) -> None:
        button = box.button(answer) if isinstance(answer, QMessageBox.StandardButton) else None
        if isinstance(answer, str):  # a button of dialogs.choose, by its name
            button = next((b for b in box.buttons() if b.objectName() == answer), None)
            assert button is not None, f"no button {answer!r} in “{box.text()}”"
        if button is None:
            button = box.escapeButton() or _escape_of(box)
        self.seen.append(Seen("message", box.windowTitle(), box.text(),
                              button.text() if button is not None else "?",
                              tuple(b.text() for b in box.buttons())))
        if button is not None:
            button.click()  # as the user does: exec() returns this button
        else:
            box.reject()


class Watchdog:
    """Turns a hang into a failure.

    After ``seconds`` every open dialog is rejected (a modal loop that nobody can leave is
    ended) and ``expired`` is set, so the test fails on its own assertion; ``grace`` seconds
    later, if the test is still stuck (in Python, outside Qt's event loop), ``faulthandler``
    prints every thread's stack and ends the process: the run fails instead of hanging.
    """

    def __init__(self, seconds: float, grace: float = 30.0) -> None:
        self.seconds = seconds
        self.expired = False
        faulthandler.dump_traceback_later(seconds + grace, exit=True)
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._expire)
        self.timer.start(int(seconds * 1000))

    def _expire(self) -> None:
        self.expired = True
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()

    def stop(self) -> None:
        self.timer.stop()
        faulthandler.cancel_dump_traceback_later()


# -- filling in a form as a user does ---------------------------------------------------------


def _settle() -> None:
    QApplication.processEvents()


def focus(widget: QWidget) -> None:
    """Click into ``widget`` (its window active), as a user does before typing."""
    window = widget.window()
    if not window.isActiveWindow():
        window.activateWindow()
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    _settle()
    if not widget.hasFocus():
        raise AssertionError(f"{widget.objectName()} cannot take the focus")


def leave(widget: QWidget) -> None:
    """Tab to the next field: the edit is committed."""
    QTest.keyClick(widget, Qt.Key.Key_Tab)
    _settle()


def choose_by_keyboard(combo: QComboBox, index: int) -> None:
    """Down / Up arrows on the closed combo box until ``index`` (each step is a choice)."""
    focus(combo)
    steps = index - combo.currentIndex()
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        QTest.keyClick(combo, key)
    _settle()


def enter_value(editor: Any, value: Any) -> int:
    """Give ``editor`` (an ``editors.FieldEditor``) ``value`` as a user would: type its text and
    Tab, pick the choice with the arrow keys, tick the boxes with Space. Returns the number of
    edits made (keystroke runs committed, choices, ticks)."""
    from giantdesk.forms.values import input_text
    from giantdesk.ui.editors import ComboEditor, LineEditor, MultiChoiceEditor, TextAreaEditor

    if isinstance(editor, LineEditor | TextAreaEditor):
        box = editor.edit
        focus(box)
        replace_text(box, "" if value is None else input_text(editor.field, value))
        leave(box)
        return 1
    if isinstance(editor, ComboEditor):
        key = "" if value is None else input_text(editor.field, value)
        target = next(i for i, (k, _m) in enumerate(editor._options) if k == key)
        if target == editor.combo.currentIndex():
            return 0
        choose_by_keyboard(editor.combo, target)
        return 1
    if isinstance(editor, MultiChoiceEditor):
        wanted = set(value or ())
        edits = 0
        for choice_id, check, _label in editor.boxes:
            if check.isChecked() != (choice_id in wanted):
                focus(check)
                QTest.keyClick(check, Qt.Key.Key_Space)
                _settle()
                edits += 1
        return edits
    raise TypeError(f"no way to enter a value into {type(editor).__name__}")


def click(button: QAbstractButton) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    _settle()
