"""Entry point of the desktop app: ``python -m giantdesk.ui.app [RECORD.json]`` / ``giantdesk-gui``.

Without a file the home window (the drafts of this PC) is the start screen.

Start-up stays near a bare Qt window: only Qt and the (light) form core are imported before the
first paint; the store (SQLAlchemy) is imported afterwards (see ``draft_window.schedule_startup``).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from giantdesk import __version__
from giantdesk.forms.messages import Message
from giantdesk.ui import strings as S


def no_display_reason(env: Mapping[str, str], platform: str) -> Message | None:
    """The message to print when Qt has no display to open, else None.

    On Linux (and other X11/Wayland systems) Qt aborts the interpreter when it finds no display;
    we check first. Windows and macOS always have one. ``QT_QPA_PLATFORM`` (e.g. ``offscreen``)
    means the caller chose a platform: trust it.
    """
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return S.NO_DISPLAY


def _import_before_qt() -> None:
    """The Qt-free modules of the path to the first list, imported before Qt: once PySide6 is
    imported, its import hook reads the source of every module imported after it (looking for
    "PySide6", for its ``__feature__`` switches) — ~4 ms for these and their stdlib modules."""
    import giantdesk.resources
    import giantdesk.store.listing
    import giantdesk.store.lock
    import giantdesk.ui.display  # noqa: F401


def main(argv: Sequence[str] | None = None, *,
         on_listed: Callable[[Any], object] | None = None) -> int:
    """Run the app. ``on_listed(home)`` is called once the home window lists the drafts
    (the start-up benchmark)."""
    args = list(sys.argv[1:] if argv is None else argv)
    reason = no_display_reason(os.environ, sys.platform)
    if reason is not None:
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(encoding="utf-8", errors="replace")
        print(reason.zh, file=sys.stderr)
        print(file=sys.stderr)
        print(reason.en, file=sys.stderr)
        return 1

    import faulthandler

    _import_before_qt()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from giantdesk.ui.fonts import ensure_cjk_font
    from giantdesk.ui.style import STYLE_SHEET

    existing = QApplication.instance()
    # Fusion as Qt's own "-style" argument: app.setStyle() returns the QStyle, and wrapping it
    # makes PySide6 build QStyle's Python enums (hundreds of members) before the first paint.
    app = existing or QApplication([sys.argv[0], "-style", "Fusion", *args])
    assert isinstance(app, QApplication)
    if existing is not None:
        app.setStyle("Fusion")
    app.setApplicationName("GiantDesk")
    app.setOrganizationName("GiantDesk")
    from giantdesk.ui.settings import saved_font, start_language

    ensure_cjk_font(app, remembered=saved_font())
    app.setStyleSheet(STYLE_SHEET)
    lang = start_language(os.environ)
    from giantdesk.ui import language

    language.current().set(lang, save=False)
    faulthandler.enable()  # to stderr until the log folder is set up (below / after the list)
    if "--self-test" in args:  # the packaged app's smoke test: start, open the store, quit
        _setup_logs(lang)
        return _self_test(lang)
    paths = [a for a in args if not a.startswith("-")]
    if paths:  # a record file: the draft window alone, as before (file or store mode)
        from giantdesk.ui.draft_window import DraftWindow, schedule_startup

        _setup_logs(lang)
        window = DraftWindow(lang=lang)
        window.open_path(Path(paths[0]))
        window.show()
        schedule_startup(window)
        return int(app.exec())
    from giantdesk.ui.home import HomeWindow

    home = HomeWindow(lang=lang)

    def after_listing() -> None:  # logging is not needed to show the list: set up after it
        home.fault_log = _setup_logs(lang)

    home.before_store = after_listing
    if on_listed is not None:
        def first_listing() -> None:
            home.listed.disconnect(first_listing)
            on_listed(home)

        home.listed.connect(first_listing)
    home.show()
    QTimer.singleShot(0, home.start_soon)  # after the first paint: lock + list, then the store
    code = int(app.exec())
    home.shutdown()
    return code


def _set_icon() -> None:
    """The window icon, as the .exe's (after the first paint: decoding it takes ~2 ms; on
    Windows the taskbar shows the .exe's own icon meanwhile)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from giantdesk.resources import find_resource

    if (icon := find_resource("icons/giantdesk.png")) is not None:
        QApplication.setWindowIcon(QIcon(str(icon)))


def _setup_logs(lang: str) -> Path | None:
    """After the first window is shown: the rotating log, the crash dialog's hook,
    faulthandler into ``faults.log`` (returned), and the CJK face to use next time."""
    from giantdesk.logs import log_dir, setup_logging
    from giantdesk.ui.crash import enable_fault_log, install_excepthook
    from giantdesk.ui.fonts import check_cjk_font
    from giantdesk.ui.settings import save_font

    save_font(check_cjk_font())
    _set_icon()

    log_file, recent = setup_logging()
    install_excepthook(log_file, recent, lang)
    fault_log = enable_fault_log(log_dir())
    logging.getLogger("giantdesk.ui").info("GiantDesk %s started", __version__)
    return fault_log


def _self_test(lang: str) -> int:
    """Open the home window and its store as a user would, print what was found, and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from giantdesk.ui import dialogs
    from giantdesk.ui.home import HomeWindow

    dialogs.set_unattended(True)  # no user: questions get their default, messages the log
    home = HomeWindow(lang=lang)
    home.show()
    result: list[int] = []

    def run() -> None:
        started = home.start()
        print(f"self-test: window shown, store {'opened' if started else 'NOT opened'}, "
              f"{len(home.draft_ids())} draft(s)")
        result.append(0 if started else 1)
        QApplication.quit()

    QTimer.singleShot(0, run)
    QApplication.exec()
    home.shutdown()
    return result[0] if result else 1


if __name__ == "__main__":
    sys.exit(main())
