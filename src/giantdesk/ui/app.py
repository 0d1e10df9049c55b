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

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from giantdesk.resources import find_resource
    from giantdesk.ui.fonts import ensure_cjk_font
    from giantdesk.ui.style import STYLE_SHEET

    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    assert isinstance(app, QApplication)
    app.setApplicationName("GiantDesk")
    app.setOrganizationName("GiantDesk")
    if (icon := find_resource("icons/giantdesk.png")) is not None:  # as the .exe's icon
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyle("Fusion")
    ensure_cjk_font(app)
    app.setStyleSheet(STYLE_SHEET)
    from giantdesk.ui.settings import start_language

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


def _setup_logs(lang: str) -> Path | None:
    """The rotating log, the crash dialog's hook, faulthandler into ``faults.log``; returns
    the fault log."""
    from giantdesk.logs import log_dir, setup_logging
    from giantdesk.ui.crash import enable_fault_log, install_excepthook

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
