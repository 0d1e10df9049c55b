"""A simulated user for the GUI tests and the GUI benchmark: typing (Chinese too), and answering
the dialogs the app opens, as a person would (a real ``exec()``, a button clicked).

``QTest.keyClicks`` with non-ASCII text aborts the interpreter (QtTest's ASCII table), so
Chinese is committed through a ``QInputMethodEvent`` — what an input method does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
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


@dataclass
class DialogAnswerer:
    """Answers every modal dialog the app opens, in order, as a user would.

    ``plan`` holds the answers to give, one per dialog (a ``QMessageBox.StandardButton``, a
    path for a file dialog, or None to press Escape). With the plan used up a message box gets
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
            if answer:
                dialog.selectFile(str(answer))
                dialog.accept()
            else:
                dialog.reject()
        else:
            self.seen.append(Seen(type(dialog).__name__, dialog.windowTitle(), "", "escape"))
            dialog.reject()

    def _answer_box(self, box: QMessageBox, answer: object) -> None:
        button = box.button(answer) if isinstance(answer, QMessageBox.StandardButton) else None
        if button is None:
            button = box.escapeButton() or _escape_of(box)
        self.seen.append(Seen("message", box.windowTitle(), box.text(),
                              button.text() if button is not None else "?"))
        if button is not None:
            button.click()  # as the user does: exec() returns this button
        else:
            box.reject()
