"""Kill (SIGKILL) a stream of ``drafts set`` calls at random moments; nothing saved is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from giantdesk.forms.record import loads
from giantdesk.store import open_store

from .kill_driver import PATHS

KILLS = 60
DRIVER = Path(__file__).with_name("kill_driver.py")


def _expected_json(path: str, value: str) -> object:
    return value  # money values are written with two decimals already: "17.25"


def _current(db: Path, path: str) -> object:
    conn = sqlite3.connect(db)
    try:
        if "[" in path:
            row = conn.execute("SELECT value_json FROM table_cells WHERE draft_id=1 AND "
                               "table_id='innovation.national_award' AND row_no=1 AND "
                               "column_id='award'").fetchone()
        else:
            row = conn.execute("SELECT value_json FROM field_values WHERE draft_id=1 AND "
                               "field_id=?", (path,)).fetchone()
        return None if row is None else json.loads(row[0])
    finally:
        conn.close()


def _history(db: Path) -> set[tuple[str, object]]:
    conn = sqlite3.connect(db)
    try:
        out: set[tuple[str, object]] = set()
        for path, detail, new in conn.execute(
                "SELECT path, detail, new_json FROM revisions WHERE draft_id=1"):
            if new is None:
                continue
            value = json.loads(new)
            if detail.startswith("innovation.national_award[1]"):
                out.add((detail, value[0].get("award")))
            elif not isinstance(value, list | dict):
                out.add((path, value))
        return out
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_sigkill_never_loses_a_saved_value(giantdesk_home: Path, samples: Path) -> None:
    with open_store() as store:
        record = loads((samples / "annex1-pass.json").read_bytes())
        assert store.import_record(record) == 1
    db = giantdesk_home / "giantdesk.sqlite3"
    rng = random.Random(20220615)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    n = 0
    saved: dict[str, str] = {}  # path → last value whose "saved" was printed
    attempted_after: dict[str, list[str]] = {p: [] for p in PATHS}
    all_saved: list[tuple[str, str]] = []
    kills = 0
    started = time.monotonic()
    while kills < KILLS:
        proc = subprocess.Popen([sys.executable, str(DRIVER), "1", str(n)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8")
        lines: list[str] = []
        first_saved = threading.Event()

        def read(stream: object = proc.stdout, out: list[str] = lines,
                 seen: threading.Event = first_saved) -> None:
            for line in stream:  # type: ignore[attr-defined]
                out.append(line.rstrip("\n"))
                if line.startswith("saved"):
                    seen.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert first_saved.wait(30), proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        reader.join(10)
        kills += 1
        assert proc.stderr is not None
        proc.stderr.close()
        # Pair each "saved" with the attempt before it.
        pending: tuple[str, str] | None = None
        for line in lines:
            if line.startswith("attempt "):
                _, path, value = line.split(" ", 2)
                pending = (path, value)
                attempted_after[path].append(value)
                n = max(n, int(value.split(".")[0].lstrip("值")))
            elif line == "saved" and pending is not None:
                saved[pending[0]] = pending[1]
                attempted_after[pending[0]] = []
                all_saved.append(pending)
                pending = None
        # After each kill: the database is sound and holds every value reported saved.
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
        for path, value in saved.items():
            current = _current(db, path)
            allowed = [_expected_json(path, v) for v in [value, *attempted_after[path]]]
            assert current in allowed, (kills, path, current, allowed)
        history = _history(db)
        for path, value in all_saved:
            assert (path, _expected_json(path, value)) in history, (kills, path, value)
    elapsed = time.monotonic() - started
    print(f"\n{KILLS} SIGKILLs survived, {len(all_saved)} saved values all present, "
          f"{elapsed:.1f} s")
    assert len(all_saved) >= KILLS  # every run saved at least once before it was killed
    with open_store() as store:  # and the store opens normally afterwards
        assert store.get_record(1).values["finance.2021.operating_revenue"] is not None
