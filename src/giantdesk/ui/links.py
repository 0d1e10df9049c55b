"""Links inside labels that the keyboard reaches: Tab (Shift+Tab) onto the label selects its
first (last) link, Tab moves from link to link and then on, Enter or Space follows the
selected link — as a mouse click does (``linkActivated``).

Qt's own label needs a second Tab before a link is selected and ignores Space; a label whose
links are for the mouse only is not in the Tab chain at all.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from giantdesk.ui.style import set_state

_KEYBOARD = Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard


class LinkLabel(QLabel):
    """A rich-text label whose links the keyboard reaches (see the module)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.set_links(False)

    def setText(self, text: str) -> None:
        """The text; the label is in the Tab chain while it shows a link."""
        super().setText(text)
        self.set_links("<a " in text)

    def set_links(self, on: bool) -> None:
        """In the Tab chain (links reachable) or not (a label that shows no link now)."""
        wanted = _KEYBOARD if on else Qt.TextInteractionFlag.LinksAccessibleByMouse
        if self.textInteractionFlags() != wanted:
            self.setTextInteractionFlags(wanted)  # also the focus policy: Strong / No
            set_state(self, "links", "true" if on else "")  # the style sheet's focus frame

    def has_links(self) -> bool:
        return bool(self.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        reason = event.reason()
        if reason == Qt.FocusReason.MouseFocusReason or not self.has_links():
            return
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason) or (
                not self.hasSelectedText()):  # back from a dialog: a link selected again
            # select the first (last) link at once, not after a second Tab
            self.focusNextPrevChild(reason != Qt.FocusReason.BacktabFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.modifiers() and self.has_links():
            event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return,
                              Qt.KeyboardModifier.NoModifier, "\r")
        super().keyPressEvent(event)
