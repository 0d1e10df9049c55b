"""Opening the database: checks, migrations, the engine and its pragmas.

Every write is a short ``BEGIN IMMEDIATE`` transaction on a WAL database with
``synchronous=FULL``: when ``commit`` returns the change is on disk, and other processes (the
CLI while the GUI is open) wait for each other through ``busy_timeout`` instead of failing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from giantdesk.store import backup
from giantdesk.store.errors import DatabaseDamaged, DatabaseMissing, DatabaseTooNew
from giantdesk.store.lock import exclusive
from giantdesk.store.paths import Layout
from giantdesk.store.schema import SCHEMA_HEAD

BUSY_TIMEOUT_MS = 15_000
#: Every revision the migrations know, oldest first (a test checks it against the scripts).
KNOWN_REVISIONS = ("0001", "0002", "0003")
MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the write lock up front: no deadlock upgrading a read transaction.
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def schema_revision(path: Path) -> str | None:
    """The Alembic revision of the database; "" for an empty database, None for a foreign one."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            return "" if not tables else None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else ""
    finally:
        conn.close()


def prepare(layout: Layout) -> str | None:
    """Check the database and bring its schema to the head revision.

    Returns the path of the pre-migration copy when a migration ran. Raises
    :class:`DatabaseDamaged` (never creates an empty database over a damaged or missing one)
    and :class:`DatabaseTooNew`.
    """
    db = layout.db
    if not db.exists() or db.stat().st_size == 0:
        if backup.list_backups(layout):
            # Backups exist, so there was a database: starting empty would hide the loss.
            raise DatabaseMissing(db, backup.newest_good_backup(layout))
    else:
        problem = backup.check_file(db)
        if problem is not None:
            raise DatabaseDamaged(db, problem, backup.newest_good_backup(layout))
    try:
        revision = schema_revision(db)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(db, str(exc), backup.newest_good_backup(layout)) from exc
    if revision == SCHEMA_HEAD:
        return None
    if revision is None:
        raise DatabaseDamaged(db, "not a GiantDesk database / 不是 GiantDesk 数据库",
                              backup.newest_good_backup(layout))
    if revision and revision not in KNOWN_REVISIONS:
        raise DatabaseTooNew(db, revision)
    with exclusive(layout.root / "giantdesk.migrate.lock"):
        revision = schema_revision(db)  # another process may have migrated meanwhile
        if revision == SCHEMA_HEAD:
            return None
        copy: Path | None = None
        if revision:  # an existing database: copy it aside before touching its schema
            layout.backups.mkdir(parents=True, exist_ok=True)
            copy = layout.backups / (f"giantdesk-{backup.stamp()}-pre-migration-"
                                     f"{revision}-to-{SCHEMA_HEAD}.sqlite3")
            backup.backup_to(db, copy)
        upgrade(db)
        return str(copy) if copy else None


def upgrade(db: Path, target: str = "head") -> None:
    """Run the Alembic migrations on ``db`` up to ``target``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, target)
    finally:
        engine.dispose()
