"""Two instances on one data folder: one GUI window (instance lock), CLI edits alongside."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from giantdesk.store import AlreadyOpen, instance_lock, open_store, restore_newest_backup


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "giantdesk", *argv], capture_output=True,
                          text=True, encoding="utf-8", env=dict(os.environ), timeout=60)


def test_second_window_gets_a_clear_already_open_message(giantdesk_home: Path,
                                                        windows_semantics: object) -> None:
    from tests.winsem import CHILD_PRELUDE

    with instance_lock():
        # the second window reads the owner while the first holds the (mandatory) lock
        code = ((CHILD_PRELUDE if windows_semantics is not None else "") +
                "from giantdesk.store import instance_lock, AlreadyOpen\n"
                "try:\n    instance_lock().acquire()\nexcept AlreadyOpen as e:\n"
                "    print(e.message.en)\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env=dict(os.environ), timeout=60).stdout
        assert "already running" in out and f"process {os.getpid()}" in out and " since " in out
        with pytest.raises(AlreadyOpen):
            instance_lock().acquire()
    lock = instance_lock()
    lock.acquire()  # released: free again (a crash releases it too: it is an OS lock)
    lock.release()


def test_cli_edits_while_the_gui_is_open(giantdesk_home: Path) -> None:
    with instance_lock(), open_store() as gui:
        draft_id = gui.create_draft("annex1-batch4")
        gui.set_value(draft_id, "contact.name", "窗口")
        result = _cli("drafts", "set", str(draft_id), "enterprise.name", "命令行公司")
        assert (result.returncode, result.stdout) == (0, "saved\n"), result.stderr
        assert gui.get_record(draft_id).values == {"contact.name": "窗口",
                                                   "enterprise.name": "命令行公司"}
        # restoring a backup under an open window is refused
        with pytest.raises(AlreadyOpen):
            restore_newest_backup()


def test_concurrent_writers_all_succeed(giantdesk_home: Path) -> None:
    with open_store() as store:
        draft_id = store.create_draft("annex1-batch4")
    script = ("import sys\nfrom giantdesk.store import open_store\n"
              "s = open_store(backup_on_start=False)\n"
              "for i in range(40):\n"
              "    s.set_value(1, sys.argv[1], f'{sys.argv[1]}-{i}')\n"
              "s.close()\n")
    fields = ["contact.name", "legal_rep.name", "enterprise.name"]
    procs = [subprocess.Popen([sys.executable, "-c", script, f], env=dict(os.environ),
                              stderr=subprocess.PIPE, text=True) for f in fields]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    conn = sqlite3.connect(giantdesk_home / "giantdesk.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    with open_store() as store:
        values = store.get_record(draft_id).values
        assert all(values[f] == f"{f}-39" for f in fields)
        # (the title following the enterprise name is recorded too)
        changes = [r for r in store.history(draft_id) if r.path != "@title"]
        assert len(changes) == 1 + 3 * 40
