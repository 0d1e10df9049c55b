"""Rolling backups with SQLite's online backup API, integrity checks and restore.

Backups are ``backups/giantdesk-<UTC time>-<reason>.sqlite3``. Rolling ones (reasons ``start``,
``finalize``, ``manual``) are pruned to the newest ``keep``; ``pre-migration`` and
``pre-restore`` copies are never pruned. A backup is written under a temporary name, checked
with ``PRAGMA quick_check`` and only then renamed into place, so a crash never leaves a
half-written file that looks like a backup. Restoring (``restore()``) lives in
:mod:`giantdesk.store.recovery`: it decides *whether* to restore; this module only copies.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from giantdesk import fileops
from giantdesk.forms.messages import Message
from giantdesk.store.marker import text_factory as marker_text
from giantdesk.store.paths import Layout

KEEP = 10
ROLLING = ("start", "finalize", "manual")
SQLITE_HEADER = b"SQLite format 3\x00"


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S_%fZ")


GARBLED_SCHEMA = Message("数据库自身的结构表（sqlite_master）已损坏",
                         "its own schema table (sqlite_master) is garbled")


def check_file(path: Path) -> Message | None:
    """None when ``path`` is a sound SQLite database, else what is wrong (for the message).

    Raises :class:`~giantdesk.store.errors.StorageUnavailable` when the disk, not the file, is
    the problem (a full disk: SQLite cannot open a WAL database to read it)."""
    try:
        with fileops.open_regular(path) as handle:
            header = handle.read(100)
    except fileops.FileOpError as exc:
        return exc.message
    except OSError as exc:
        return Message(f"无法读取：{fileops.os_reason(exc).zh}", f"cannot read: {fileops.os_reason(exc).en}")
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return Message("不是 SQLite 数据库（文件头缺失或文件被截断）",
                       "not an SQLite database (header missing or file truncated)")
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        return _sqlite_problem(exc, path)
    conn.text_factory = marker_text  # quick_check names garbled tables and indexes
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        return _sqlite_problem(exc, path)
    except UnicodeDecodeError:  # SQLite's own message quotes a garbled name of its schema
        return GARBLED_SCHEMA
    finally:
        conn.close()
    results = [str(r[0]) for r in rows]
    if results != ["ok"]:
        text = "; ".join(results[:3])
        return Message(f"完整性检查未通过：{text}", f"integrity check failed: {text}")
    return None


def _sqlite_problem(exc: sqlite3.Error, path: Path) -> Message:
    from giantdesk.store.errors import disk_refuses

    refused = disk_refuses(exc, path)
    if refused is not None:
        raise refused from exc
    return Message(str(exc), str(exc))


def backup_to(source: Path, target: Path) -> None:
    """Copy the live database ``source`` to ``target`` consistently (online backup API).

    The copy is private (0600 on POSIX), switched to the rollback journal so it can be opened
    read-only and copied as one file, checked, flushed (through a writable handle: Windows
    refuses to flush a read-only one) and renamed into place (retrying while an antivirus
    holds it). Raises ``OSError`` / ``sqlite3.Error``; nothing half-written is left.
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    os.close(fileops.create_private(tmp))
    try:
        src = sqlite3.connect(source, timeout=30, isolation_level=None)
        try:
            dst = sqlite3.connect(tmp, isolation_level=None)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        problem = check_file(tmp)
        if problem is not None:
            raise sqlite3.DatabaseError(f"backup failed its check: {problem.en}")
        fileops.replace_durably(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            fileops.unlink(tmp)


def take_backup(layout: Layout, reason: str, keep: int = KEEP) -> Path:
    fileops.private_dir(layout.backups)
    target = layout.backups / f"giantdesk-{stamp()}-{reason}.sqlite3"
    backup_to(layout.db, target)
    prune(layout, keep)
    return target


def list_backups(layout: Layout) -> list[Path]:
    """Every backup, newest first."""
    if not layout.backups.is_dir():
        return []
    found = [p for p in layout.backups.glob("giantdesk-*.sqlite3") if p.is_file()]
    return sorted(found, key=lambda p: p.name, reverse=True)


def newest_backup_age(layout: Layout, reasons: tuple[str, ...] = ROLLING) -> float | None:
    """Seconds since the newest backup of one of ``reasons`` was taken (None: there is none)."""
    for path in list_backups(layout):
        if _reason(path) in reasons:
            return max(0.0, time.time() - path.stat().st_mtime)
    return None


def newest_good_backup(layout: Layout) -> Path | None:
    for path in list_backups(layout):
        if check_file(path) is None:
            return path
    return None


def _reason(path: Path) -> str:
    # giantdesk-20240501T101010_123456Z-<reason>.sqlite3
    parts = path.stem.split("-", 2)
    return parts[2] if len(parts) == 3 else ""


def prune(layout: Layout, keep: int = KEEP) -> None:
    rolling = [p for p in list_backups(layout) if _reason(p) in ROLLING]
    for old in rolling[keep:]:
        with contextlib.suppress(OSError):
            fileops.unlink(old)
    # temporary files of backups interrupted by a crash (an hour old: not one in progress)
    for tmp in layout.backups.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 3600:
                fileops.unlink(tmp)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    #: Where the previous database (and its -wal / -shm files) were moved; empty if none.
    kept_aside: tuple[Path, ...]
    #: How many recorded changes the restored backup does not hold (0: none are hidden).
    hidden_changes: int = 0
    #: The newest change known before the restore (the database's, or its marker's).
    last_change: datetime | None = None
    #: The newest change the backup holds.
    backup_last_change: datetime | None = None


def move_aside(layout: Layout, label: str) -> tuple[Path, ...]:
    """Move the database and its WAL/SHM files to ``damaged/`` (timestamped), never deleting.
    ``label`` is one word (no "-")."""
    moved: list[Path] = []
    when = stamp()
    for path in (layout.db, *layout.sidecars()):
        if path.exists():
            fileops.private_dir(layout.damaged)
            target = layout.damaged / f"{when}-{label}-{path.name}"
            fileops.replace(path, target)
            moved.append(target)
    return tuple(moved)


def put_back(layout: Layout, moved: tuple[Path, ...]) -> None:
    """Undo :func:`move_aside` (a restore that failed half-way)."""
    for path in moved:
        original = layout.root / path.name.split("-", 2)[2]  # <stamp>-<label>-<name>
        with contextlib.suppress(OSError):
            if not original.exists():
                fileops.replace(path, original)


def install(layout: Layout, chosen: Path, label: str) -> tuple[Path, ...]:
    """Copy ``chosen`` in place of the database (temp file, flush, rename); the database and
    its -wal/-shm files go to ``damaged/`` first. Returns where they went. On failure the
    previous files are put back and the ``OSError`` raised."""
    tmp = layout.db.with_name(f".{layout.db.name}.restore.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        fileops.unlink(tmp)
    kept: tuple[Path, ...] = ()
    try:
        fileops.copy_durably(chosen, tmp)
        kept = move_aside(layout, label)
        fileops.replace(tmp, layout.db)
        fileops.fsync_dir(layout.root)
    except BaseException:
        with contextlib.suppress(OSError):
            fileops.unlink(tmp)
        if not layout.db.exists():
            put_back(layout, kept)
        raise
    return kept
