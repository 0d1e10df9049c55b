"""Text being typed kept beside the values (migration 0003), and the drafts list read without
SQLAlchemy (what the home window shows first)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from giantdesk.forms.record import loads
from giantdesk.store import DraftFinalized, Layout, marker, open_store
from giantdesk.store.listing import quick_list
from giantdesk.store.paths import read_only_uri


def test_inputs_are_kept_and_forgotten_per_path(samples: Path) -> None:
    with open_store() as store:
        draft_id = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        before = store.get_record(draft_id)
        history = len(store.history(draft_id))
        store.save_inputs(draft_id, {"enterprise.established": "2015-13-45",
                                     "innovation.rd_institution[2].name": "研发中"})
        assert store.inputs(draft_id) == {"enterprise.established": "2015-13-45",
                                          "innovation.rd_institution[2].name": "研发中"}
        store.save_inputs(draft_id, {"enterprise.established": None,
                                     "innovation.rd_institution[2].name": "研发中心"})
        assert store.inputs(draft_id) == {"innovation.rd_institution[2].name": "研发中心"}
        # the values and the history are untouched: typing is not an edit
        assert store.get_record(draft_id) == before
        assert len(store.history(draft_id)) == history
        store.finalize(draft_id)
        with pytest.raises(DraftFinalized):
            store.save_inputs(draft_id, {"contact.fax": "0512"})


def test_quick_list_matches_the_store(samples: Path) -> None:
    layout = Layout.of()
    assert quick_list(layout.db) is None  # no database yet: the store will make one
    with open_store() as store:
        first = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        store.create_draft("annex2-batch1-review", "复核")
        store.set_title(first, "精研 2022")
        full = store.list_drafts()
    quick = quick_list(layout.db)
    assert quick is not None
    assert [(d.id, d.form_id, d.title, d.status, d.updated_at, d.updated_by,
             d.enterprise_name) for d in quick] == [
        (d.id, d.form_id, d.title, d.status, d.updated_at, d.updated_by, d.enterprise_name)
        for d in full]


def test_quick_list_declines_an_unknown_schema() -> None:
    layout = Layout.of()
    open_store().close()
    conn = sqlite3.connect(layout.db)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    assert quick_list(layout.db) is None


def test_a_relative_data_folder_with_awkward_characters(samples: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A portable install's relative GIANTDESK_HOME: listed quickly and read read-only (the
    marker) like any other; ``%``, ``#``, ``?`` and spaces are part of the name."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIANTDESK_HOME", "数据 %20#?x")
    layout = Layout.of()
    assert layout.root == tmp_path / "数据 %20#?x"
    with open_store() as store:
        store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
    listed = quick_list(layout.db)
    assert listed is not None and len(listed) == 1
    held = marker.read_state(layout.db)
    assert held is not None and held.drafts == 1


def test_read_only_uris_of_windows_paths() -> None:
    drive = PureWindowsPath(r"C:\Users\张 三\数据 %#\giantdesk.sqlite3")
    assert read_only_uri(drive) == ("file:///C:/Users/%E5%BC%A0%20%E4%B8%89/%E6%95%B0%E6%8D%AE"
                                    "%20%25%23/giantdesk.sqlite3?mode=ro")
    unc = PureWindowsPath(r"\\server\share\GiantDesk\giantdesk.sqlite3")
    # SQLite refuses an authority (file://server/…); four slashes name the UNC path
    assert read_only_uri(unc) == "file:////server/share/GiantDesk/giantdesk.sqlite3?mode=ro"


def test_listing_and_the_lock_do_not_import_sqlalchemy(tmp_path: Path) -> None:
    """What the home window does before the store is imported: take the lock, list."""
    code = ("import sys\nfrom pathlib import Path\n"
            "from giantdesk.store.listing import quick_list\n"
            "from giantdesk.store.lock import InstanceLock\n"
            "from giantdesk.store.paths import Layout\n"
            "layout = Layout.of(Path(sys.argv[1]))\nlock = InstanceLock(layout.lock)\n"
            "lock.acquire()\nquick_list(layout.db)\nlock.release()\n"
            "print('sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"
