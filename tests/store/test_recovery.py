"""Damaged, missing and old databases: never replaced by an empty one; backups; migrations."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path

import pytest

from giantdesk.cli import main
from giantdesk.forms.record import dumps, loads
from giantdesk.store import (
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseTooNew,
    Layout,
    open_store,
    restore_newest_backup,
)
from giantdesk.store import backup as backup_mod
from giantdesk.store import db as db_mod
from giantdesk.store.schema import SCHEMA_HEAD, metadata


def _make_store_with_draft(home: Path, samples: Path) -> tuple[int, str]:
    with open_store() as store:
        record = loads((samples / "annex1-pass.json").read_bytes())
        draft_id = store.import_record(record)
        store.backup("manual")
        return draft_id, dumps(store.get_record(draft_id))


def _page_size(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()


def _truncate(db: Path) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)


def _random_page(db: Path) -> None:
    page = _page_size(db)
    pages = db.stat().st_size // page
    rng = random.Random(7)
    with open(db, "r+b") as handle:
        for number in range(2, pages, 3):  # b-tree pages spread over the file
            handle.seek(number * page)
            handle.write(rng.randbytes(page))


def _header(db: Path) -> None:
    with open(db, "r+b") as handle:
        handle.write(os.urandom(100))


@pytest.mark.parametrize("damage", [_truncate, _random_page, _header],
                         ids=["truncated", "random-bytes-in-pages", "random-header"])
def test_damaged_database_is_refused_restored_and_kept(giantdesk_home: Path, samples: Path,
                                                       damage: object) -> None:
    draft_id, expected = _make_store_with_draft(giantdesk_home, samples)
    db = giantdesk_home / "giantdesk.sqlite3"
    damage(db)  # type: ignore[operator]
    damaged_bytes = db.read_bytes()
    with pytest.raises(DatabaseDamaged) as info:
        open_store()
    assert info.value.newest_backup is not None
    assert str(db) in info.value.message.zh and str(db) in info.value.message.en
    assert "备份" in info.value.message.zh and "backup" in info.value.message.en
    # refused to start empty: the damaged file is untouched, no new database in its place
    assert db.read_bytes() == damaged_bytes
    result = restore_newest_backup()
    assert result.restored_from == info.value.newest_backup
    kept = [p for p in result.kept_aside if p.name.endswith("giantdesk.sqlite3")]
    assert kept and kept[0].read_bytes() == damaged_bytes
    with open_store() as store:
        assert dumps(store.get_record(draft_id)) == expected


def test_cli_reports_damage_and_restores(giantdesk_home: Path, samples: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    draft_id, expected = _make_store_with_draft(giantdesk_home, samples)
    _truncate(giantdesk_home / "giantdesk.sqlite3")
    assert main(["--lang", "en", "drafts", "list"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "giantdesk restore" in err
    assert main(["restore"]) == 0
    out = capsys.readouterr().out
    assert "damaged" in out  # names where the old file was kept
    assert main(["drafts", "show", str(draft_id), "--format", "json"]) == 0
    assert capsys.readouterr().out == expected


def test_missing_database_with_backups_is_not_silently_recreated(giantdesk_home: Path,
                                                                 samples: Path) -> None:
    _make_store_with_draft(giantdesk_home, samples)
    layout = Layout.of()
    for path in (layout.db, *layout.sidecars()):
        path.unlink(missing_ok=True)
    with pytest.raises(DatabaseMissing):
        open_store()
    assert not layout.db.exists() or layout.db.stat().st_size == 0
    restore_newest_backup()
    with open_store() as store:
        assert len(store.list_drafts()) == 1


def test_no_backup_at_all_still_refuses(giantdesk_home: Path) -> None:
    db = giantdesk_home / "giantdesk.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseDamaged) as info:
        open_store()
    assert info.value.newest_backup is None
    assert "没有可用的备份" in info.value.message.zh
    assert db.read_bytes() == b"this is not a database" * 100


def test_restore_skips_a_damaged_newest_backup(giantdesk_home: Path, samples: Path) -> None:
    _make_store_with_draft(giantdesk_home, samples)
    layout = Layout.of()
    good = backup_mod.list_backups(layout)[0]
    time.sleep(0.01)
    with open_store(backup_on_start=False) as store:
        bad = store.backup("manual")
    bad.write_bytes(b"garbage")
    assert backup_mod.list_backups(layout)[0] == bad
    assert backup_mod.newest_good_backup(layout) == good


def test_rolling_backups_keep_ten(giantdesk_home: Path) -> None:
    with open_store() as store:
        store.create_draft("annex1-batch4")
        for _ in range(13):
            store.backup("manual")
        with pytest.raises(Exception):  # noqa: B017 - just proving the copy is a database
            sqlite3.connect(store.backup("manual")).execute("SELECT * FROM nothing")
    backups = backup_mod.list_backups(Layout.of())
    assert len(backups) == 10
    assert all(backup_mod.check_file(b) is None for b in backups)


def test_start_backup_and_finalize_backup(giantdesk_home: Path) -> None:
    with open_store() as store:
        assert store.start_backup is not None  # first start
        draft_id = store.create_draft("annex2-batch1-review")
        store.finalize(draft_id)
    with open_store() as store:
        assert store.start_backup is None  # a recent backup exists: not one per CLI call
    names = [p.name for p in backup_mod.list_backups(Layout.of())]
    assert any(n.endswith("-start.sqlite3") for n in names)
    assert any(n.endswith("-finalize.sqlite3") for n in names)


# -- migrations -------------------------------------------------------------------------------


def test_schema_head_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db_mod.MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_current_head() == SCHEMA_HEAD
    revisions = [s.revision for s in scripts.walk_revisions()]
    assert tuple(reversed(revisions)) == db_mod.KNOWN_REVISIONS


def test_migrated_schema_equals_the_models(giantdesk_home: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    open_store().close()
    engine = db_mod.make_engine(giantdesk_home / "giantdesk.sqlite3")
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_old_database_is_copied_aside_then_migrated(giantdesk_home: Path, samples: Path) -> None:
    layout = Layout.of()
    db_mod.upgrade(layout.db, "0001")  # a database made by an older version of the app
    conn = sqlite3.connect(layout.db)
    with conn:
        conn.execute("INSERT INTO drafts (form_id, form_version, rules, title, status, "
                     "created_at, updated_at) VALUES ('annex1-batch4', '2022.1', "
                     "'measures-2022-63', 'old', 'editing', '2022-06-20T01:00:00.000000Z', "
                     "'2022-06-20T01:00:00.000000Z')")
        conn.execute("INSERT INTO field_values VALUES (1, 'enterprise.name', '\"旧企业\"')")
        # a value of a field a later form version dropped: kept and readable
        conn.execute("INSERT INTO field_values VALUES (1, 'legacy.field', '\"x\"')")
    conn.close()
    with open_store() as store:
        assert store.migration_copy is not None and store.migration_copy.exists()
        assert f"pre-migration-0001-to-{SCHEMA_HEAD}" in store.migration_copy.name
        assert store.get_record(1).values == {"enterprise.name": "旧企业"}
        assert store.stored_values(1)["legacy.field"] == "x"
    assert db_mod.schema_revision(layout.db) == SCHEMA_HEAD
    copy = sqlite3.connect(store.migration_copy)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    finally:
        copy.close()


def test_database_from_a_newer_app_is_left_alone(giantdesk_home: Path) -> None:
    open_store().close()
    db = giantdesk_home / "giantdesk.sqlite3"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DatabaseTooNew):
        open_store()
    assert db.read_bytes() == before
