"""Every message box of the app: told (a warning, a note) or asked (yes / no, save / discard).

One place, so every window shows problems the same way and the tests answer the very dialogs a
user sees (a simulated user clicks a button of the real ``exec()``; there is no switch that
hides them). The only exception is :func:`set_unattended`, for ``--self-test`` (no user at all):
questions then get their safe default and messages go to the log.

Message boxes are application-modal and always leavable: Escape answers the safe choice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from giantdesk.forms.messages import Message

Button = QMessageBox.StandardButton
log = logging.getLogger("giantdesk.ui")
_unattended = False


def set_unattended(on: bool) -> None:
    """No user to answer (the packaged app's ``--self-test``): never block on a dialog."""
    global _unattended
    _unattended = on


def _title(title: Message, lang: str) -> str:
    """A menu text without its shortcut marker: "移除(&M)" → "移除", "Re&move" → "Remove"."""
    return re.sub(r"\(&\w\)", "", title.text(lang)).replace("&", "").rstrip(".…")


def _show(parent: QWidget | None, icon: QMessageBox.Icon, title: Message, message: Message,
          lang: str, buttons: Button, default: Button, details: str = "") -> Button:
    if _unattended:
        log.warning("%s: %s (answered %s, no user)", title.en, message.en, default.name)
        return default
    box = QMessageBox(icon, _title(title, lang), message.text(lang), buttons, parent)
    box.setObjectName("messageBox")
    box.setDefaultButton(default)
    if details:
        box.setDetailedText(details)
    try:
        return Button(box.exec())
    finally:
        box.deleteLater()


def warn(parent: QWidget | None, title: Message, message: Message, lang: str,
         details: str = "") -> None:
    _show(parent, QMessageBox.Icon.Warning, title, message, lang, Button.Ok, Button.Ok, details)


def inform(parent: QWidget | None, title: Message, message: Message, lang: str,
           details: str = "") -> None:
    _show(parent, QMessageBox.Icon.Information, title, message, lang, Button.Ok, Button.Ok,
          details)


def critical(parent: QWidget | None, title: Message, message: Message, lang: str,
             details: str = "") -> None:
    _show(parent, QMessageBox.Icon.Critical, title, message, lang, Button.Ok, Button.Ok, details)


def ask(parent: QWidget | None, title: Message, message: Message, lang: str) -> bool:
    """Yes / No; No is the default (Enter, Escape and no user all answer No)."""
    answer = _show(parent, QMessageBox.Icon.Question, title, message, lang,
                   Button.Yes | Button.No, Button.No)
    return answer == Button.Yes


def ask_unsaved(parent: QWidget | None, title: Message, message: Message, lang: str) -> Button:
    """Save / Discard / Cancel (the default: Save; Escape: Cancel)."""
    return _show(parent, QMessageBox.Icon.Question, title, message, lang,
                 Button.Save | Button.Discard | Button.Cancel, Button.Save)


def choose(parent: QWidget | None, title: Message, message: Message, lang: str,
           choices: Sequence[tuple[str, Message]], *, escape: str, details: str = "") -> str:
    """A question answered by one of ``choices`` (name, button text), shown in that order;
    the button named ``escape`` is the safe one: Escape, Enter and no user answer it. Returns
    the name of the button pressed (each button's object name is its name)."""
    if _unattended:
        log.warning("%s: %s (answered %s, no user)", title.en, message.en, escape)
        return escape
    box = QMessageBox(QMessageBox.Icon.Warning, _title(title, lang), message.text(lang),
                      Button.NoButton, parent)
    box.setObjectName("messageBox")
    names = {}
    for name, text in choices:
        role = (QMessageBox.ButtonRole.RejectRole if name == escape
                else QMessageBox.ButtonRole.AcceptRole)
        button = box.addButton(text.text(lang), role)
        button.setObjectName(name)
        names[name] = button
        if name == escape:
            box.setEscapeButton(button)
            box.setDefaultButton(button)
    if details:
        box.setDetailedText(details)
    try:
        box.exec()
        clicked = box.clickedButton()
        return next((n for n, b in names.items() if b is clicked), escape)
    finally:
        box.deleteLater()
