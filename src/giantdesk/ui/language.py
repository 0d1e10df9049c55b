"""The language of the whole app: one choice that every open window follows at once, and Qt's
own texts (OK / Cancel / Yes / No, context menus, the file dialog) in that language.

Our texts are ``Message(zh, en)`` pairs chosen by each window's ``set_language``; Qt's own
texts come from Qt's catalogue ``qtbase_zh_CN.qm``, loaded from the PySide6 installation (the
packaged app ships that one file: ``PySide6/Qt/translations/qtbase_zh_CN.qm``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator, Signal

from giantdesk.ui.settings import save_language

#: Qt's catalogues loaded for Chinese (the widgets module needs only qtbase).
QT_CATALOGUES = ("qtbase",)
QT_LOCALE = {"zh": "zh_CN"}
log = logging.getLogger("giantdesk.ui")


def qt_translation_dirs() -> list[Path]:
    """Where Qt's ``.qm`` files are: Qt's own idea, then beside the PySide6 package (frozen
    apps whose ``qt.conf`` points elsewhere)."""
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    try:
        import PySide6

        dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    except (ImportError, TypeError):  # pragma: no cover - PySide6 is what we run on
        pass
    return dirs


class Language(QObject):
    """The current language; ``changed`` is emitted once per change, after Qt's catalogue is
    swapped, so a window relabelling itself sees Qt's texts in the new language too."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lang = ""
        self._translators: list[QTranslator] = []

    def set(self, lang: str, *, save: bool = True) -> None:
        """Use ``lang`` everywhere (``save``: remembered for the next start)."""
        if save:
            save_language(lang)
        if lang == self.lang:
            return
        self.lang = lang
        self._install_qt_catalogues(lang)
        self.changed.emit(lang)

    def _install_qt_catalogues(self, lang: str) -> None:
        app = QCoreApplication.instance()
        for translator in self._translators:
            if app is not None:
                QCoreApplication.removeTranslator(translator)
            translator.deleteLater()  # children of this object: else one more per switch
        self._translators = []
        locale = QT_LOCALE.get(lang)
        if locale is None or app is None:
            return
        for catalogue in QT_CATALOGUES:
            translator = QTranslator(self)
            name = f"{catalogue}_{locale}"
            if any(translator.load(name, str(folder)) for folder in qt_translation_dirs()):
                QCoreApplication.installTranslator(translator)
                self._translators.append(translator)
            else:
                translator.deleteLater()
                log.warning("Qt's catalogue %s.qm was not found: Qt's own buttons stay in "
                            "English", name)


_current: Language | None = None


def current() -> Language:
    """The app's one :class:`Language` (made on first use)."""
    global _current
    if _current is None:
        _current = Language(QCoreApplication.instance())
        _current.destroyed.connect(_forget)
    return _current


def _forget() -> None:
    global _current
    _current = None


def choose(lang: str) -> None:
    """The user picked ``lang`` (header or menu): every window follows, and it is remembered."""
    current().set(lang)
