"""Driver for the real-window tests: the app itself (``giantdesk.ui.app.main``) on an X display.

Run by ``test_real_window.py`` in a child process with ``QT_QPA_PLATFORM=xcb`` and the
``DISPLAY`` of an Xvfb it started (the test suite itself runs offscreen, in one process).
Usage: ``python -m tests.ui.real_window SCENARIO OUT_DIR`` with ``GIANTDESK_HOME`` set.

* ``fit``: the home window and a new Annex 1 window; prints their frames, the screen's available
  area, every page's width needs, Qt's "Cancel" in Chinese; saves screenshots into OUT_DIR.
* ``type``: opens the first draft, types into 传真 without leaving the field, prints ``TYPED``
  and keeps running (the test kills it with SIGKILL).
* ``restart``: starts again; prints the dialogs seen (the notice of an abnormal end) and what
  the 传真 field shows.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from giantdesk.ui import app as gui

from .user import DialogAnswerer, focus, type_text

FAX = "contact.fax"
TYPED = "0512-66881234"


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def when_store_open(home: Any, then: Any) -> None:
    def poll() -> None:
        if home.store is not None:
            timer.stop()
            then()

    timer = QTimer(home)
    timer.timeout.connect(poll)
    timer.start(20)


def settle(ms: int = 150) -> None:
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.start(ms)
    while deadline.isActive():
        QApplication.processEvents()


def pages(window: Any) -> list[dict[str, Any]]:
    """Each part's page: does its content fit the width shown (no sideways scrolling)?"""
    view = window.view
    out = []
    for index in range(view.stack.count()):
        view.go_to_part(index)
        settle(50)
        page = view.stack.currentWidget()
        need = page.widget().minimumSizeHint().width() if isinstance(page, QScrollArea) else 0
        width = page.viewport().width() if isinstance(page, QScrollArea) else page.width()
        out.append({"page": index, "needs": need, "width": width})
    view.go_to_part(0)
    return out


def grab(widget: QWidget, path: Path) -> None:
    widget.grab().save(str(path))


def fit(out: Path) -> None:
    def listed(home: Any) -> None:
        when_store_open(home, lambda: step(home))

    def step(home: Any) -> None:
        draft_id = home.new_draft("annex1-batch4")
        window = home.windows[draft_id]
        settle(400)
        screen = window.screen().availableGeometry()
        result = {
            "available": rect(screen),
            "home": rect(home.frameGeometry()), "draft": rect(window.frameGeometry()),
            "home_maximized": home.isMaximized(), "draft_maximized": window.isMaximized(),
            "cancel": QCoreApplication.translate("QPlatformTheme", "Cancel"),
            "pages": pages(window),
        }
        grab(home, out / "home.png")
        grab(window, out / "draft.png")
        print(json.dumps(result), flush=True)
        window.close()
        home.close()

    sys.exit(gui.main([], on_listed=listed))


def type_and_wait(out: Path) -> None:
    def listed(home: Any) -> None:
        when_store_open(home, lambda: step(home))

    def step(home: Any) -> None:
        window = home.open_draft(home.draft_ids()[0])
        settle(300)
        window.view.go_to_item(FAX)
        editor = window.view.editor(FAX)
        focus(editor.edit)
        editor.edit.selectAll()
        type_text(editor.edit, TYPED)
        print("TYPED", flush=True)  # and stay in the field until killed

    sys.exit(gui.main([], on_listed=listed))


def restart(out: Path) -> None:
    answerer: list[DialogAnswerer] = []

    def listed(home: Any) -> None:
        answerer.append(DialogAnswerer())
        when_store_open(home, lambda: QTimer.singleShot(600, lambda: step(home)))

    def step(home: Any) -> None:
        window = home.open_draft(home.draft_ids()[0])
        settle(300)
        editor = window.view.editor(FAX)
        print(json.dumps({"seen": [[s.title, s.text] for s in answerer[0].seen],
                          "fax": editor.edit.text()}), flush=True)
        window.close()
        home.close()

    sys.exit(gui.main([], on_listed=listed))


if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    {"fit": fit, "type": type_and_wait, "restart": restart}[scenario](folder)
