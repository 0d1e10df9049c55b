"""The band at the top of a window: title, subtitle, optional indicators, language switch."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from giantdesk.ui import strings as S


class WindowHeader(QFrame):
    """A frame (it draws the style sheet's background; a plain QWidget needs
    ``WA_StyledBackground``, and naming ``Qt`` on the start path costs its enums)."""

    #: The user picked a language here (the window passes it to ``language.choose``).
    language_changed = Signal(str)

    def __init__(self, parent: QWidget, lang: str) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(16, 8, 16, 8)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("draftTitle")
        self.subtitle_label = QLabel(self)
        self.subtitle_label.setObjectName("formTitle")
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle_label)
        self._row.addLayout(titles, 1)
        self.language_label = QLabel(self)
        self._row.addWidget(self.language_label)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        self.language.addItem(S.LANG_ZH.zh, "zh")
        self.language.addItem(S.LANG_EN.en, "en")
        self.language.setCurrentIndex(0 if lang == "zh" else 1)
        self.language.currentIndexChanged.connect(self._language_chosen)
        # not in the Tab chain (click focus): set by the style sheet (qproperty-focusPolicy)
        self.language_label.setBuddy(self.language)
        self._row.addWidget(self.language)

    def _language_chosen(self, index: int) -> None:
        lang = str(self.language.itemData(index))
        self.language_changed.emit(lang)

    def select(self, lang: str) -> None:
        """Show ``lang`` as the current language (says nothing: it is not the user's pick)."""
        index = 0 if lang == "zh" else 1
        if self.language.currentIndex() != index:
            with QSignalBlocker(self.language):
                self.language.setCurrentIndex(index)

    def add_indicator(self, widget: QWidget) -> None:
        """Put ``widget`` (e.g. the saved indicator) before the language switch."""
        index = self._row.indexOf(self.language_label)
        self._row.insertWidget(index, widget)
        self._row.insertSpacing(index + 1, 16)
