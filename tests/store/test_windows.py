"""Issue 8: the store on Windows file semantics (emulated here: see tests/winsem.py).

Every test in tests/store runs under the emulation; these name the defects found by reading
the code against Windows: fsync of a read-only handle, the mandatory instance lock, a busy
target, and a data folder whose name holds "%", "#" and spaces.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from giantdesk import fileops
from giantdesk.cli import main
from giantdesk.store import AlreadyOpen, Layout, instance_lock, open_store
from giantdesk.store import db as db_mod

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_backup_finalize_and_restore_work(capsys: pytest.CaptureFixture[str], samples: Path,
                                          windows_semantics: WindowsSemantics | None,
                                          giantdesk_home: Path) -> None:
    assert run(capsys, "drafts", "import", str(samples / "annex1-pass.json"))[0] == 0
    code, out, err = run(capsys, "backup")
    assert code == 0 and Path(out.strip()).is_file(), err
    code, out, err = run(capsys, "drafts", "finalize", "1")
    assert code == 0, err
    backups = sorted(p.name for p in (giantdesk_home / "backups").iterdir())
    assert any(name.endswith("-finalize.sqlite3") for name in backups)
    # a damaged database is restored (the current one moved aside, the backup copied in)
    db = giantdesk_home / "giantdesk.sqlite3"
    db.write_bytes(b"garbage" * 100)
    code, _, err = run(capsys, "drafts", "list")
    assert code == 2 and "giantdesk restore" in err
    code, out, err = run(capsys, "restore")
    assert code == 0, err
    code, out, _ = run(capsys, "drafts", "list", "--format", "json")
    assert json.loads(out)[0]["status"] == "finalized"
    # the emulation was on: the code flushed, replaced and locked the Windows way
    assert fileops.LOCK_STYLE == "windows"
    if windows_semantics is not None:
        assert windows_semantics.calls["replace"] >= 3


def test_second_instance_reads_the_owner_while_locked() -> None:
    first = instance_lock()
    first.acquire()
    try:
        with pytest.raises(AlreadyOpen) as info:
            instance_lock().acquire()
        message = info.value.message
        assert "已在运行" in message.zh and "电脑" in message.zh and "起" in message.zh
        assert "already running" in message.en and " since " in message.en
        assert "?" not in info.value.owner.en
    finally:
        first.release()
    again = instance_lock()
    again.acquire()
    again.release()


def test_a_busy_database_is_retried_then_named(capsys: pytest.CaptureFixture[str],
                                               emulated: WindowsSemantics,
                                               giantdesk_home: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    run(capsys, "drafts", "new", "annex1-batch4")
    run(capsys, "backup")
    db = giantdesk_home / "giantdesk.sqlite3"
    emulated.hold(db, 2)  # an antivirus scanning it: two refusals, then free
    code, _, err = run(capsys, "--lang", "en", "restore", "--force")
    assert code == 0, err
    assert waits == [0.02, 0.05]
    emulated.hold(db, 1000)  # held for good
    code, _, err = run(capsys, "--lang", "en", "restore", "--force")
    assert code == 2 and str(db) in err and "antivirus" in err and "Traceback" not in err
    assert db.is_file()  # nothing lost: the database is where it was
    assert json.loads(run(capsys, "drafts", "list", "--format", "json")[1])[0]["id"] == 1


@pytest.mark.parametrize("name", ["数据 100% #1 资料", "a%20b?c=d"])
def test_a_data_folder_with_percent_hash_and_spaces(capsys: pytest.CaptureFixture[str],
                                                    samples: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    name: str) -> None:
    home = tmp_path / name
    monkeypatch.setenv("GIANTDESK_HOME", str(home))
    assert run(capsys, "drafts", "import", str(samples / "annex1-pass.json"))[:2] == (0, "1\n")
    code, out, _ = run(capsys, "drafts", "list", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 1
    code, out, err = run(capsys, "backup")
    assert code == 0 and Path(out.strip()).parent == home / "backups", err
    assert (home / "giantdesk.sqlite3").is_file()  # the database is in the folder itself
    code, _, err = run(capsys, "restore", "--force")
    assert code == 0, err
    assert len(json.loads(run(capsys, "drafts", "list", "--format", "json")[1])) == 1


def test_the_url_is_built_not_formatted() -> None:
    path = Path("/data/数据 100% #1 资料/a?b/giantdesk.sqlite3")
    assert db_mod.url(path).database == str(path)


def test_migrations_run_from_a_path_with_percent(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "程序 100% 目录" / "migrations"
    shutil.copytree(db_mod.MIGRATIONS, copy)
    monkeypatch.setattr(db_mod, "MIGRATIONS", copy)
    with open_store(tmp_path / "home") as store:
        assert store.create_draft("annex1-batch4") == 1
    assert Layout.of(tmp_path / "home").db.is_file()
