"""Windows sized to the screen they open on, and where the user left them.

* The size and place the user left a window at (``QWidget.saveGeometry``, kept in the settings
  per kind of window) come back when they still fit the screen's available area (the Windows
  taskbar excluded).
* Otherwise, on a screen smaller than 1440×900 (a 1366×768 laptop, or 1920×1080 at 150 %) the
  window opens maximized; on a larger one at 1280×800, centred.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from giantdesk.ui.settings import load_geometry, save_geometry

#: Below this available size (logical pixels) windows open maximized.
COMPACT = QSize(1440, 900)
DEFAULT = QSize(1280, 800)


def _screen(window: QWidget) -> QScreen | None:
    return window.screen() or QGuiApplication.primaryScreen()


def fits(frame: QRect, available: QRect) -> bool:
    return available.contains(frame)


def place(window: QWidget, kind: str) -> None:
    """Before the first ``show()``: restore the remembered geometry if it fits the screen,
    else maximize on a compact screen, else the default size centred."""
    screen = _screen(window)
    available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)
    saved = load_geometry(kind)
    restored = saved is not None and window.restoreGeometry(QByteArray(saved))
    if restored and (window.isMaximized() or fits(window.frameGeometry(), available)):
        return
    compact = available.width() < COMPACT.width() or available.height() < COMPACT.height()
    if compact:
        from PySide6.QtCore import Qt  # here: its enums cost ~15 ms (a restored window skips it)

        window.resize(min(DEFAULT.width(), available.width()),
                      min(DEFAULT.height(), available.height()))
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    size = DEFAULT.boundedTo(available.size())
    window.setGeometry(QRect(available.center().x() - size.width() // 2,
                             available.center().y() - size.height() // 2,
                             size.width(), size.height()))


def remember(window: QWidget, kind: str) -> None:
    """On closing: keep the size, place and maximized state for the next window of ``kind``."""
    save_geometry(kind, bytes(window.saveGeometry().data()))
