"""The guided path through a form: the step header, 上一步 / 下一步, and the parts list's states.

The steps are the parts the enterprise fills in (the recommending unit's part is not a step)
and, after them, the pages that are not part of the form (附件, 审阅, 核对与导出). The counts
come from the core (``forms.progress``): the header, the parts list, the review page and the
check page say the same.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from giantdesk.forms.messages import Message
from giantdesk.forms.progress import PartState
from giantdesk.ui import strings as S

#: Part state → (colour, filled disc?). Untouched is grey and hollow, never red; red only for
#: a value to correct.
STATE_LOOK: dict[str, tuple[str, bool]] = {
    PartState.UNTOUCHED: ("#9e9e9e", False),
    PartState.TO_FILL: ("#1565c0", False),
    PartState.ERRORS: ("#c62828", True),
    PartState.CONFIRM: ("#c77700", True),
    PartState.COMPLETE: ("#2e7d32", True),
    PartState.RECOMMENDER: ("#bdbdbd", False),
}
_ICONS: dict[str, QIcon] = {}


def state_icon(state: str) -> QIcon:
    """A small disc in the state's colour (filled: complete / errors / to confirm; hollow: not
    started / to fill); made once per state."""
    icon = _ICONS.get(state)
    if icon is None:
        colour, filled = STATE_LOOK.get(state, ("#9e9e9e", False))
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(colour), 2))
        if filled:
            painter.setBrush(QColor(colour))
        painter.drawEllipse(2, 2, 10, 10)
        painter.end()
        icon = _ICONS[state] = QIcon(pixmap)
    return icon


class StepBar(QFrame):
    """"第 3 步 / 共 12 步 · 专业化" and, on the right, what is left in this step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 6, 20, 6)
        self.title = QLabel(self)
        self.title.setObjectName("stepTitle")
        self.summary = QLabel(self)
        self.summary.setObjectName("stepSummary")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.title, 1)
        row.addWidget(self.summary)

    def show_step(self, number: int | None, total: int, title: str, summary: str,
                  lang: str) -> None:
        text = (S.STEP_HEADER.format(n=number, total=total, title=title) if number is not None
                else S.STEP_OUTSIDE.format(title=title)).text(lang)
        if text != self.title.text():
            self.title.setText(text)
            self.title.setAccessibleName(text)
        if summary != self.summary.text():
            self.summary.setText(summary)


class NavBar(QFrame):
    """上一步 / 下一步 at the bottom of every page (Alt+← / Alt+→ in the window); beside 下一步,
    where it leads."""

    back = Signal()
    next = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 6, 20, 8)
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("stepBack")
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("stepNext")
        for button in (self.back_button, self.next_button):
            button.setAutoDefault(True)  # Enter on the focused button presses it
            button.setMinimumHeight(32)
            button.setMinimumWidth(96)
        self.following = QLabel(self)
        self.following.setObjectName("navFollowing")
        self.following.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.following.setMinimumWidth(40)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        row.addWidget(self.back_button)
        row.addWidget(self.following, 1)
        row.addWidget(self.next_button)
        self._following_text = ""

    def show_steps(self, previous: Message | None, following: Message | None, lang: str) -> None:
        self.back_button.setText(S.ACT_BACK.text(lang))
        self.back_button.setEnabled(previous is not None)
        self.back_button.setToolTip(
            f"{previous.text(lang)} (Alt+←)" if previous is not None else "")
        self.next_button.setText(S.ACT_NEXT.text(lang))
        self.next_button.setEnabled(following is not None)
        text = S.NEXT_STEP_IS.format(title=following).text(lang) if following is not None else ""
        self.next_button.setToolTip(f"{text} (Alt+→)" if text else "")
        self.next_button.setAccessibleName(
            f"{S.ACT_NEXT.text(lang)} {text}" if text else S.ACT_NEXT.text(lang))
        self._following_text = text
        self._elide()

    def _elide(self) -> None:
        shown = self.following.fontMetrics().elidedText(
            self._following_text, Qt.TextElideMode.ElideRight, max(self.following.width(), 40))
        if shown != self.following.text():
            self.following.setText(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), 44))
