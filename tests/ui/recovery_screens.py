"""Screenshots of the store's damage states and of the links reached with the keyboard, for
``docs/screenshots`` (looked at when they change; not run by the test suite).

``python -m tests.ui.recovery_screens SCENARIO OUT_DIR`` in a child process with
``QT_QPA_PLATFORM=xcb`` on an Xvfb at 1366×768, ``GIANTDESK_HOME`` a new folder and
``GIANTDESK_LANG`` zh or en. Each dialog is saved as the user sees it, then answered:

* ``wal``: a lost ``-wal`` and no backup holding more — the question; the window after 暂不处理
  (with 处理…); 处理… → 按现有内容继续, and what was kept.
* ``restore``: a damaged database with a backup — the question naming the backup; the result
  with the recorded changes the backup lacks.
* ``draft``: one damaged draft — the list; the repair question; what the repair did.
* ``links``: 这是什么？ and 恢复为… selected from the keyboard; the check page's ticks after the
  window was closed and opened again.

All of them::

    for s in wal restore draft links; do for l in zh en; do
      xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb GIANTDESK_LANG=$l \\
        GIANTDESK_HOME=$(mktemp -d) .venv/bin/python -m tests.ui.recovery_screens $s docs/screenshots
    done; done
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from giantdesk.forms.record import loads
from giantdesk.store import open_store
from giantdesk.ui import app as gui

from .real_window import settle, when_store_open
from .user import DialogAnswerer, replace_text
from .wizard_screens import SAMPLE, save_small

HOME = Path(os.environ.get("GIANTDESK_HOME", "."))
LANG = os.environ.get("GIANTDESK_LANG", "zh")


def _answering(out: Path, names: list[str], plan: list[object]) -> DialogAnswerer:
    """Each dialog saved under the next name of ``names``, then answered from ``plan`` (made
    once the application runs: call it from ``on_listed``)."""
    pending = list(names)

    def grab(dialog: QWidget) -> None:
        settle(100)
        name = pending.pop(0) if pending else ""
        if name:  # "" : not saved (the same dialog again)
            save_small(dialog, out / f"{name}-{LANG}.png")

    return DialogAnswerer(plan=list(plan), on_dialog=grab)


def _poll(condition: Any, then: Any) -> None:
    def check() -> None:
        if condition():
            timer.stop()
            then()

    timer = QTimer(QApplication.instance())
    timer.timeout.connect(check)
    timer.start(50)


def _sql(*statements: str) -> None:
    conn = sqlite3.connect(HOME / "giantdesk.sqlite3", isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def wal(out: Path) -> None:
    from tests.store.test_hostile import _WRITER

    with open_store() as store:
        store.import_record(loads(SAMPLE.read_bytes()), "苏州精研微动科技股份有限公司")
        store.create_draft("annex1-batch4")
    subprocess.run([sys.executable, "-c", _WRITER.replace("set_value(1,", "set_value(2,"), "x"],
                   check=True, env=dict(os.environ), timeout=60)
    (HOME / "giantdesk.sqlite3-wal").unlink()
    kept: list[DialogAnswerer] = []

    def listed(home: Any) -> None:
        kept.append(_answering(out, ["recovery-wal-question", "", "recovery-wal-kept"],
                               ["later", "keep"]))

        def later() -> None:
            settle(300)
            save_small(home, out / f"recovery-wal-later-{LANG}.png")
            home.recover_button.click()
            when_store_open(home, lambda: (settle(300), home.close()))

        _poll(home.recover_button.isVisible, later)

    sys.exit(gui.main([], on_listed=listed))


def restore(out: Path) -> None:
    with open_store() as store:
        store.import_record(loads(SAMPLE.read_bytes()), "苏州精研微动科技股份有限公司")
        store.backup("manual")
        store.set_value(1, "contact.name", "王五")
        store.set_value(1, "contact.fax", "0512-66881234")
    (HOME / "giantdesk.sqlite3").write_bytes(b"not a database any more" * 200)
    # nothing is listed before the store opens (SQLite cannot read the file): the dialogs are
    # answered from the start
    QApplication([sys.argv[0], "-style", "Fusion"])
    user = _answering(out, ["recovery-restore-question", "recovery-restore-done"], ["restore"])

    def closing() -> None:
        home = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "homeWindow")
        settle(300)
        home.close()

    _poll(lambda: len(user.seen) == 2, closing)
    sys.exit(gui.main([]))


def draft(out: Path) -> None:
    with open_store() as store:
        store.import_record(loads(SAMPLE.read_bytes()), "苏州精研微动科技股份有限公司")
        bad = store.import_record(loads(SAMPLE.read_bytes()), "受损的草稿")
        store.set_value(bad, "contact.name", "李四")
    _sql(f"UPDATE field_values SET value_json='{{\"broken' WHERE draft_id={bad} "
         "AND field_id='contact.name'",
         f"UPDATE table_cells SET value_json=CAST(X'C3FF' AS TEXT) WHERE draft_id={bad} "
         "AND table_id='innovation.class1_ip' AND row_no=2 AND column_id='title'")
    kept: list[DialogAnswerer] = []

    def listed(home: Any) -> None:
        kept.append(_answering(out, ["recovery-draft-question", "recovery-draft-repaired"],
                               ["repair"]))

        def shown() -> None:
            settle(400)
            home.select(next(i for i in home.draft_ids() if i != bad))  # its row not selected
            save_small(home, out / f"recovery-draft-list-{LANG}.png")
            window = home.open_draft(bad)
            _poll(lambda: len(kept[0].seen) == 2,
                  lambda: (settle(300), window.close(), home.close()))

        when_store_open(home, shown)

    sys.exit(gui.main([], on_listed=listed))


def links(out: Path) -> None:
    record = loads(SAMPLE.read_bytes())
    record.values["distinctiveness.market_size"] = Decimal("248800")  # TS-1: "请核实"
    with open_store() as store:
        draft_id = store.import_record(record, "苏州精研微动科技股份有限公司")
    kept: list[DialogAnswerer] = []

    def listed(home: Any) -> None:
        kept.append(_answering(out, [], []))

        def shown() -> None:
            window = home.open_draft(draft_id)
            settle(500)
            view = window.view
            view.go_to_part(2, focus=True)  # 三 专业化: not from the official template
            settle(300)
            first = view.page_inputs(2)[0]
            QTest.keyClick(first, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
            settle(300)
            save_small(window, out / f"links-whats-this-{LANG}.png")
            view.go_to_item("enterprise.registered_on")
            editor = view.editor("enterprise.registered_on")
            editor.focus_target().setFocus()
            settle(200)
            replace_text(editor.focus_target(), "2015-13-45")
            QTest.keyClick(editor.focus_target(), Qt.Key.Key_Tab)
            settle(200)
            after = QApplication.focusWidget()
            QTest.keyClick(after, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
            settle(300)
            save_small(window, out / f"links-restore-{LANG}.png")
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # back to the date
            window.show_page("check")
            settle(300)
            window.check_page.confirm_all()
            window.close()
            settle(300)
            again = home.open_draft(draft_id)
            again.show_page("check")
            settle(500)
            save_small(again, out / f"links-ticks-kept-{LANG}.png")
            again.close()
            home.close()
        when_store_open(home, shown)

    sys.exit(gui.main([], on_listed=listed))


if __name__ == "__main__":
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    {"wal": wal, "restore": restore, "draft": draft, "links": links}[scenario](folder)
