"""Desktop app: the cost of one edit, and start-up to the drafts list, each against bare Qt.

Run: ``python -m bench.bench_gui`` (or ``make bench``). Uses ``QT_QPA_PLATFORM`` when set (e.g.
``xcb`` with a ``DISPLAY`` for a real window), otherwise ``offscreen``. Everything happens in a
temporary data folder deleted at the end.

1. **Edit latency**: type a new value into a field (not timed), then time pressing Tab until the
   event queue is empty (the focus moved, the edit went through the core, every widget that
   changed has repainted). A draft window on the sample Annex 1 (store mode, as opened from the
   home window) against a bare Qt form of 40 line edits in the same window size, same run.
   Target: median ≤ 16 ms (one 60 Hz frame) and ≤ 10× the bare form.
2. **Start-up**: wall time from starting a child process to the home window showing the drafts
   (6 drafts in the data folder) against a child that shows a bare ``QMainWindow`` (import
   QtWidgets, create it, paint it). Median of 15 runs each, alternating. Target: ≤ 1.5×.
   Also the CPU time each child used until then (``time.process_time``: steadier than the wall
   time on a shared machine). Our package is byte-compiled first, as an installed app is (pip
   and the packaged app ship bytecode; ``PYTHONDONTWRITEBYTECODE`` would otherwise make every
   child compile ~30 modules that the bare window does not have).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"
TODAY = date(2022, 7, 1)
EDITS = 120
STARTS = 15
#: The finance cells and text fields edited in turn (a mix: rules, computed cells, plain text).
FIELDS = ("finance.2021.operating_revenue", "finance.2021.total_liabilities",
          "finance.2020.net_profit", "finance.2021.rd_expense", "enterprise.address",
          "contact.fax", "enterprise.registered_capital", "finance.2019.employees")


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def describe(times: list[float]) -> str:
    return (f"median {statistics.median(times) * 1e3:7.2f} ms   "
            f"p90 {percentile(times, 0.9) * 1e3:7.2f} ms")


def _activate(window: Any) -> None:
    """A real display gives key events to the active window only."""
    from PySide6.QtTest import QTest

    window.activateWindow()
    QTest.qWaitForWindowActive(window, 3000)


def _settle(app: Any) -> None:
    """Until nothing is pending: focus change, the edit, layout, repaint (UpdateRequest)."""
    for _ in range(3):
        app.sendPostedEvents()
        app.processEvents()


def _time_tabs(app: Any, edits: list[tuple[Any, str]]) -> list[float]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from tests.ui.user import replace_text

    times = []
    for edit, text in edits:
        edit.setFocus()
        _settle(app)
        replace_text(edit, text)
        _settle(app)
        start = time.perf_counter()
        QTest.keyClick(edit, Qt.Key.Key_Tab)
        _settle(app)
        times.append(time.perf_counter() - start)
    return times


def bare_form(app: Any) -> tuple[Any, list[Any]]:
    """40 labelled line edits in a scroll area, each editingFinished kept in a dict."""
    from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QMainWindow, QScrollArea, QWidget

    window = QMainWindow()
    scroll = QScrollArea(window)
    scroll.setWidgetResizable(True)
    body = QWidget(scroll)
    form = QFormLayout(body)
    values: dict[int, str] = {}
    edits = []
    for i in range(40):
        edit = QLineEdit(body)
        edit.editingFinished.connect(lambda i=i, e=edit: values.__setitem__(i, e.text()))
        form.addRow(QLabel(f"字段 {i + 1}", body), edit)
        edits.append(edit)
    scroll.setWidget(body)
    window.setCentralWidget(scroll)
    window.resize(1280, 800)
    window.show()
    _activate(window)
    _settle(app)
    return window, edits


def bench_edits(app: Any, home: Path) -> dict[str, float]:
    from giantdesk.forms.definitions import load_definition
    from giantdesk.forms.record import loads
    from giantdesk.forms.values import input_text
    from giantdesk.store import open_store
    from giantdesk.ui.draft_window import open_draft
    from giantdesk.ui.editors import LineEditor

    bare_window, bare_edits = bare_form(app)
    bare_plan = [(bare_edits[i % 40], f"{i * 37 % 1000}.5") for i in range(EDITS)]
    bare_times = _time_tabs(app, bare_plan)
    assert all(e.text() for e in bare_edits), "the bare form's edits were not typed"
    bare_window.close()

    record = loads((SAMPLES / "annex1-pass.json").read_bytes())
    definition = load_definition(record.form)
    store = open_store(home, backup_on_start=False)
    draft_id = store.import_record(record)
    window = open_draft(store, draft_id, lang="zh", today=TODAY)
    window.resize(1280, 800)
    window.show()
    _activate(window)
    _settle(app)
    view = window.view
    assert view is not None
    plan = []
    for i in range(EDITS):
        field_id = FIELDS[i % len(FIELDS)]
        editor = view.editor(field_id)
        assert isinstance(editor, LineEditor), field_id
        value = record.values[field_id]
        if isinstance(value, Decimal | int):
            text = str(value + i % 5 + 1)
        else:
            text = f"{input_text(definition.fields[field_id], value)[:20]}{i}"
        plan.append((editor.edit, text))
    for edit, _text in plan[: len(FIELDS)]:  # each part shown once (first layout not timed)
        view.go_to_item(edit.objectName().removeprefix("edit:"))
        _settle(app)
    times = []
    commits = 0
    for edit, text in plan:
        field_id = edit.objectName().removeprefix("edit:")
        view.go_to_item(field_id)
        _settle(app)
        before = view.live.scope.values.get(field_id)
        times += _time_tabs(app, [(edit, text)])
        commits += view.live.scope.values.get(field_id) != before
    assert commits == len(plan), f"only {commits} of {len(plan)} edits were taken"
    window.close()
    store.close()
    ratio = statistics.median(times) / statistics.median(bare_times)
    print(f"  baseline: bare Qt form, 40 fields   {describe(bare_times)}")
    print(f"  draft window (annex 1, store mode)  {describe(times)}   ×{ratio:5.1f} baseline")
    return {"median_ms": statistics.median(times) * 1e3,
            "p90_ms": percentile(times, 0.9) * 1e3,
            "bare_median_ms": statistics.median(bare_times) * 1e3, "ratio": ratio}


# -- start-up ---------------------------------------------------------------------------------

_BARE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
def ready():
    import time
    print("READY", time.process_time(), flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""

_HOME = r"""
import sys
from giantdesk.ui import app as gui  # as the giantdesk-gui entry point: Qt is imported by main()
def ready(home):
    from PySide6.QtCore import QTimer
    def done():
        import time
        print("READY", time.process_time(), len(home.draft_ids()), flush=True)
        home.close()
    QTimer.singleShot(0, done)  # after the list has painted (as the bare window's READY)
sys.exit(gui.main([], on_listed=ready))
"""


def _start_once(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Wall time until the child says READY, and the CPU time it had used by then."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    _out, err = child.communicate(timeout=60)
    if not line.startswith("READY"):
        raise RuntimeError(f"child did not start: {line!r} {err}")
    return elapsed, float(line.split()[1])


def seed_drafts(home: Path) -> None:
    from giantdesk.forms.record import loads
    from giantdesk.store import open_store

    with open_store(home, backup_on_start=False) as store:
        for name in ("annex1-pass.json", "annex1-fail-cx3-ip.json", "annex1-large-50ip.json"):
            store.import_record(loads((SAMPLES / name).read_bytes()))
        store.create_draft("annex1-batch4", "空白草稿")
        store.create_draft("annex2-batch1-review")
        store.import_record(loads((SAMPLES / "annex1-pass.json").read_bytes()), title="副本")


def bench_startup(home: Path) -> dict[str, float]:
    import compileall

    compileall.compile_dir(ROOT / "src" / "giantdesk", quiet=1)
    seed_drafts(home)
    env = {**os.environ, "GIANTDESK_HOME": str(home), "GIANTDESK_LANG": "zh",
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "home": []}
    _start_once(_HOME, env)  # warm: the first run writes the settings and the backup
    for _ in range(STARTS):
        runs["bare"].append(_start_once(_BARE, env))
        runs["home"].append(_start_once(_HOME, env))
    bare, home_t = (statistics.median(w for w, _c in runs[k]) for k in ("bare", "home"))
    bare_cpu, home_cpu = (statistics.median(c for _w, c in runs[k]) for k in ("bare", "home"))
    print(f"  baseline: bare QMainWindow shown    median {bare * 1e3:7.1f} ms   "
          f"(CPU {bare_cpu * 1e3:6.1f} ms)")
    print(f"  home window, 6 drafts listed        median {home_t * 1e3:7.1f} ms   "
          f"×{home_t / bare:5.2f} baseline   (CPU {home_cpu * 1e3:6.1f} ms, "
          f"×{home_cpu / bare_cpu:5.2f})")
    return {"bare_ms": bare * 1e3, "home_ms": home_t * 1e3, "ratio": home_t / bare,
            "cpu_ratio": home_cpu / bare_cpu}


def main(parts: tuple[str, ...] = ("edits", "startup"),
         report: Callable[[str], None] = print) -> dict[str, dict[str, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from giantdesk.ui.style import STYLE_SHEET

    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        os.environ["GIANTDESK_HOME"] = str(Path(tmp) / "edits")
        if "edits" in parts:
            app = QApplication.instance() or QApplication([])
            app.setStyle("Fusion")
            app.setStyleSheet(STYLE_SHEET)  # type: ignore[attr-defined]
            report(f"Edit latency ({EDITS} edits each; platform {os.environ['QT_QPA_PLATFORM']}):")
            out["edits"] = bench_edits(app, Path(tmp) / "edits")
        if "startup" in parts:
            report(f"Start-up to the drafts list (median of {STARTS} child processes):")
            out["startup"] = bench_startup(Path(tmp) / "startup")
    return out


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or ("edits", "startup"))
