"""Progress of a long job shown in the page itself, and the page's own one-line notice.

No modal progress dialog: a window-modal ``QProgressDialog`` that shows itself after a delay can
come back over a warning opened when the job fails, leaving two modal dialogs neither of which
answers. A bar and a Cancel button in the page cannot stack, and the rest of the window stays
usable while a file is copied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from giantdesk.forms.messages import Message
from giantdesk.ui import strings as S
from giantdesk.ui.style import set_state


class InlineProgress(QWidget):
    """What is being done, a 0…1000 bar and Cancel; hidden when idle."""

    cancelled = Signal()

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName(f"{name}Bar")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName(f"{name}Cancel")
        self.cancel_button.clicked.connect(self._cancel)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self._text = S.CANCEL
        self.hide()

    def start(self, text: Message, lang: str) -> None:
        self._text = text
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.retranslate(lang)
        self.show()

    def set_value(self, permille: int) -> None:
        self.bar.setValue(permille)

    def stop(self) -> None:
        self.hide()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancelled.emit()

    def retranslate(self, lang: str) -> None:
        self.label.setText(self._text.text(lang))
        self.cancel_button.setText(S.CANCEL.text(lang))


class Notice(QLabel):
    """One line under a page's controls: a refusal (red), a note (grey) or done (green)."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("notice", True)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message: Message | None = None
        self.hide()

    def say(self, message: Message | None, level: str, lang: str) -> None:
        self.message = message
        set_state(self, "level", level)
        self.retranslate(lang)

    def retranslate(self, lang: str) -> None:
        self.setText(self.message.text(lang) if self.message is not None else "")
        self.setVisible(self.message is not None)
