"""Opening the database: checks, migrations, the engine and its pragmas.

Every write is a short ``BEGIN IMMEDIATE`` transaction on a WAL database with
``synchronous=FULL``: when ``commit`` returns the change is on disk, and other processes (the
CLI while the GUI is open) wait for each other through ``busy_timeout`` instead of failing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

from giantdesk import fileops
from giantdesk.forms.messages import Message
from giantdesk.store import backup, marker
from giantdesk.store.errors import (
    DatabaseBehind,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseTooNew,
    StorageUnavailable,
    StoreError,
    disk_refuses,
    local_time,
    sqlite_error,
    storage_error,
)
from giantdesk.store.lock import exclusive
from giantdesk.store.paths import Layout
from giantdesk.store.schema import SCHEMA_HEAD, metadata

BUSY_TIMEOUT_MS = 15_000
#: Every revision the migrations know, oldest first (a test checks it against the scripts).
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")
MIGRATIONS = Path(__file__).with_name("migrations")


def url(path: Path) -> URL:
    """The SQLAlchemy URL of the database file ``path`` (built, not formatted: a ``%``, ``#``,
    ``?`` or space in a folder name is part of the name)."""
    return URL.create("sqlite", database=str(path))


#: Stored text that is not valid UTF-8 is read with its bad bytes as lone surrogates, so the
#: store can name it instead of the whole query failing.
text_factory = marker.text_factory


def make_engine(path: Path) -> Engine:
    fileops.make_private(path)
    engine = create_engine(url(path), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
        dbapi_conn.text_factory = text_factory
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
    return _schema(path)[0]


@dataclass(frozen=True)
class Diagnosis:
    """The state of a data folder's database, found without writing anything.

    ``kind``: ``new`` (no database yet), ``healthy``, ``old`` (an older schema to migrate),
    ``damaged``, ``too_new`` (a newer app's schema) or ``unavailable`` (the disk refuses).
    ``error`` is what :func:`prepare` raises for the last three; ``state`` what the database
    holds (when readable), ``recorded`` what its marker says it held."""

    kind: str
    error: StoreError | None = None
    state: marker.StoreState | None = None
    recorded: marker.StoreState | None = None


def _writable_problem(layout: Layout) -> StoreError | None:
    for path in (layout.root, layout.db):
        if path.exists() and not os.access(path, os.W_OK):
            read_only = False
            with contextlib.suppress(OSError, AttributeError):
                read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
            return StorageUnavailable("read_only" if read_only else "denied", path,
                                      "read-only" if read_only else "no write permission")
    return None


def _keep_wal(layout: Layout) -> Path | None:
    """Copy a ``-wal`` file that the database could not use into ``damaged/`` (once)."""
    wal = layout.sidecars()[0]
    try:
        if not wal.is_file() or wal.stat().st_size == 0:
            return None
        with open(wal, "rb") as handle:  # streamed: a -wal can be large
            digest = hashlib.file_digest(handle, "sha256").hexdigest()[:16]
        fileops.private_dir(layout.damaged)
        target = layout.damaged / f"lost-{digest}-{wal.name}"
        if not target.exists():
            fileops.copy_durably(wal, target)  # private (0600), flushed
        return target
    except OSError:
        return None


def _held(state: marker.StoreState) -> Message:
    return Message(f"{state.drafts} 份草稿，最后修改于 {local_time(state.last_change)}"
                   f"（修改记录 {state.revision}）",
                   f"{state.drafts} draft(s), last change at {local_time(state.last_change)} "
                   f"(revision {state.revision})")


def _newer_backups(layout: Layout, than: marker.StoreState | None) -> list[Path]:
    found = []
    for path in backup.list_backups(layout):
        held = marker.read_state(path)
        if held is not None and (than is None or than.holds_less_than(held)) \
                and backup.check_file(path) is None:
            found.append(path)
    return found


def diagnose(layout: Layout) -> Diagnosis:
    """Check the database of ``layout`` (header, ``quick_check``, tables, schema revision, its
    marker) without writing to it. A disk that refuses even reading (full: SQLite cannot grow
    the ``-shm`` file) is ``unavailable``, named as such, never ``damaged``."""
    try:
        return _diagnose(layout)
    except StorageUnavailable as exc:
        return Diagnosis("unavailable", exc, recorded=marker.read(layout.marker))


def _diagnose(layout: Layout) -> Diagnosis:
    db = layout.db
    recorded = marker.read(layout.marker)
    try:
        size = db.stat().st_size if db.exists() else None
    except OSError as exc:
        return Diagnosis("unavailable", storage_error(exc, db), recorded=recorded)
    if size is None or size == 0:
        if backup.list_backups(layout):
            # Backups exist, so there was a database: starting empty would hide the loss.
            if size is None:
                error: StoreError = DatabaseMissing(db, backup.newest_good_backup(layout),
                                                    layout.backups)
            else:
                error = DatabaseDamaged(db, Message("文件为空（0 字节）", "empty file (0 bytes)"),
                                        backup.newest_good_backup(layout), layout.backups)
            return Diagnosis("damaged", error, recorded=recorded)
        if recorded is not None and (recorded.drafts or recorded.revision):
            what = (Message("文件不存在", "file missing") if size is None
                    else Message("文件为空（0 字节）", "empty file (0 bytes)"))
            return Diagnosis("damaged", DatabaseBehind(db, Message(
                f"{what.zh}，但它曾保存 {_held(recorded).zh}", f"{what.en}, but it held "
                f"{_held(recorded).en}"), None, (), layout.backups, None), recorded=recorded)
        problem = _writable_problem(layout)
        if problem is not None:
            return Diagnosis("unavailable", problem, recorded=recorded)
        return Diagnosis("new", recorded=recorded)
    problem = _writable_problem(layout)
    if problem is not None:
        return Diagnosis("unavailable", problem, recorded=recorded)
    # Read what it holds before any read-write connection (whose close may checkpoint).
    state = marker.read_state(db)
    if state is not None and recorded is not None and state.holds_less_than(recorded):
        newer = _newer_backups(layout, state)
        return Diagnosis("damaged", DatabaseBehind(db, Message(
            f"数据库只有 {_held(state).zh}，而它曾保存 {_held(recorded).zh}：最近保存的修改已丢失"
            "（日志文件 -wal 丢失或损坏，或文件被替换为旧的副本）",
            f"the database holds {_held(state).en}, but it held {_held(recorded).en}: the "
            "latest saved changes are lost (its -wal log file was lost or damaged, or the "
            "file was replaced by an older copy)"), newer[0] if newer else None, newer,
            layout.backups, _keep_wal(layout)), state, recorded)
    problem_text = backup.check_file(db)
    if problem_text is not None:
        return Diagnosis("damaged", DatabaseDamaged(db, problem_text,
                                                    backup.newest_good_backup(layout),
                                                    layout.backups), state, recorded)
    try:
        revision, tables, foreign = _schema(db)
    except UnicodeDecodeError:  # SQLite's own message quotes a garbled name of its schema
        return Diagnosis("damaged", DatabaseDamaged(db, backup.GARBLED_SCHEMA,
                                                    backup.newest_good_backup(layout),
                                                    layout.backups), state, recorded)
    except sqlite3.Error as exc:
        refused = disk_refuses(exc, db)
        if refused is not None:
            return Diagnosis("unavailable", refused, state, recorded)
        return Diagnosis("damaged", DatabaseDamaged(db, str(exc), backup.newest_good_backup(
            layout), layout.backups), state, recorded)
    damaged = None
    if revision is None:
        damaged = Message("不是 GiantDesk 数据库", "not a GiantDesk database")
    elif revision == "" and tables:
        damaged = Message("缺少结构版本记录（alembic_version）",
                          "its schema version record (alembic_version) is missing")
    elif revision == SCHEMA_HEAD:
        missing = sorted(set(metadata.tables) - set(tables))
        columns = sorted(f"{name}.{column}" for name, table in metadata.tables.items()
                         if name in tables for column in (c.name for c in table.columns)
                         if column not in tables[name])
        if missing:
            damaged = Message(f"缺少数据表：{'、'.join(missing)}",
                              f"table(s) missing: {', '.join(missing)}")
        elif columns:  # a renamed or dropped column: every query of that table would fail
            damaged = Message(f"缺少数据列：{'、'.join(columns)}",
                              f"column(s) missing: {', '.join(columns)}")
        elif foreign:
            damaged = Message(f"含有并非 GiantDesk 创建的触发器或视图：{'、'.join(foreign)}",
                              f"it holds triggers or views GiantDesk never makes: "
                              f"{', '.join(foreign)}")
    if damaged is not None:
        return Diagnosis("damaged", DatabaseDamaged(db, damaged, backup.newest_good_backup(
            layout), layout.backups), state, recorded)
    if revision and revision != SCHEMA_HEAD and revision not in KNOWN_REVISIONS:
        return Diagnosis("too_new", DatabaseTooNew(db, revision or "?"), state, recorded)
    return Diagnosis("healthy" if revision == SCHEMA_HEAD else "old", None, state, recorded)


def _schema(db: Path) -> tuple[str | None, dict[str, set[str]], list[str]]:
    """The Alembic revision ("" when there is none, None for a foreign database), the other
    tables of ``db`` with their columns, and its triggers and views (GiantDesk makes none)."""
    conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.text_factory = text_factory  # a garbled table name is named, not a decode error
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        names.discard("sqlite_sequence")
        # GiantDesk makes no triggers or views: one found there (a trigger refusing every
        # write) is named as damage, not met as an error in the middle of a save.
        foreign = sorted(str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')"))
        tables = {name: {str(c[1]) for c in conn.execute(
            "SELECT * FROM pragma_table_info(?)", (name,))} for name in names}
        if "alembic_version" not in tables:
            return ("" if not tables else None), tables, foreign
        del tables["alembic_version"]
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return (str(row[0]) if row else ""), tables, foreign
    finally:
        conn.close()


def prepare(layout: Layout) -> str | None:
    """Check the database and bring its schema to the head revision.

    Returns the path of the pre-migration copy when a migration ran. Raises
    :class:`DatabaseDamaged` (never creates an empty database over a damaged, emptied or
    missing one, nor opens one older than its marker), :class:`DatabaseTooNew` and
    :class:`StorageUnavailable` (read-only or full disk: named as such, never "damaged").
    """
    found = diagnose(layout)
    if found.error is not None:
        raise found.error
    if found.kind == "healthy":
        return None
    db = layout.db
    try:
        with exclusive(layout.root / "giantdesk.migrate.lock"):
            if not db.exists():
                with contextlib.suppress(FileExistsError):
                    os.close(fileops.create_private(db))
            revision = schema_revision(db)  # another process may have migrated meanwhile
            if revision == SCHEMA_HEAD:
                return None
            copy: Path | None = None
            if revision:  # an existing database: copy it aside before touching its schema
                fileops.private_dir(layout.backups)
                copy = layout.backups / (f"giantdesk-{backup.stamp()}-pre-migration-"
                                         f"{revision}-to-{SCHEMA_HEAD}.sqlite3")
                backup.backup_to(db, copy)
            upgrade(db)
            return str(copy) if copy else None
    except OSError as exc:
        raise storage_error(exc, db) from exc
    except sqlite3.Error as exc:
        raise (sqlite_error(exc, db) or DatabaseDamaged(db, str(exc), None)) from exc
    except Exception as exc:
        mapped = sqlite_error(exc, db)
        if mapped is None:
            raise
        raise mapped from exc


def upgrade(db: Path, target: str = "head") -> None:
    """Run the Alembic migrations on ``db`` up to ``target``."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    # The option goes through ConfigParser interpolation: a "%" in the path must be doubled.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, target)
    finally:
        engine.dispose()
