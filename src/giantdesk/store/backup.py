"""Rolling backups with SQLite's online backup API, integrity checks and restore.

Backups are ``backups/giantdesk-<UTC time>-<reason>.sqlite3``. Rolling ones (reasons ``start``,
``finalize``, ``manual``) are pruned to the newest ``keep``; ``pre-migration`` and
``pre-restore`` copies are never pruned. A backup is written under a temporary name, checked
with ``PRAGMA quick_check`` and only then renamed into place, so a crash never leaves a
half-written file that looks like a backup.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from giantdesk.store.errors import NoBackup
from giantdesk.store.paths import Layout

KEEP = 10
ROLLING = ("start", "finalize", "manual")
SQLITE_HEADER = b"SQLite format 3\x00"


def stamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S_%fZ")


def check_file(path: Path) -> str | None:
    """None when ``path`` is a sound SQLite database, else what is wrong (for the message)."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return "not an SQLite database (header missing or file truncated)"
    try:
        conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    results = [str(r[0]) for r in rows]
    if results != ["ok"]:
        return "; ".join(results[:3])
    return None


def backup_to(source: Path, target: Path) -> None:
    """Copy the live database ``source`` to ``target`` consistently (online backup API).

    The copy is switched to the rollback journal so it can be opened read-only and copied as
    one file; it is fsynced before it is renamed into place.
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
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
    try:
        problem = check_file(tmp)
        if problem is not None:
            raise sqlite3.DatabaseError(f"backup failed its check: {problem}")
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def take_backup(layout: Layout, reason: str, keep: int = KEEP) -> Path:
    layout.backups.mkdir(parents=True, exist_ok=True)
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
            old.unlink()
    # temporary files of backups interrupted by a crash (an hour old: not one in progress)
    for tmp in layout.backups.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 3600:
                tmp.unlink()


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    #: Where the previous database (and its -wal / -shm files) were moved; empty if none.
    kept_aside: tuple[Path, ...]


def move_aside(layout: Layout, label: str) -> tuple[Path, ...]:
    """Move the database and its WAL/SHM files to ``damaged/`` (timestamped), never deleting."""
    moved: list[Path] = []
    when = stamp()
    for path in (layout.db, *layout.sidecars()):
        if path.exists():
            layout.damaged.mkdir(parents=True, exist_ok=True)
            target = layout.damaged / f"{when}-{label}-{path.name}"
            os.replace(path, target)
            moved.append(target)
    return tuple(moved)


def restore(layout: Layout, backup: Path | None = None, label: str = "damaged") -> RestoreResult:
    """Replace the database with ``backup`` (default: the newest good one).

    The current database, if any, is kept in ``damaged/``. The caller makes sure no other
    process uses the database (the GUI's instance lock).
    """
    chosen = backup if backup is not None else newest_good_backup(layout)
    if chosen is None:
        raise NoBackup(layout.backups)
    problem = check_file(chosen)
    if problem is not None:
        from giantdesk.store.errors import DatabaseDamaged

        raise DatabaseDamaged(chosen, problem, newest_good_backup(layout))
    tmp = layout.db.with_name(f".{layout.db.name}.restore.{os.getpid()}.tmp")
    shutil.copyfile(chosen, tmp)
    _fsync(tmp)
    kept = move_aside(layout, label)
    os.replace(tmp, layout.db)
    _fsync_dir(layout.root)
    return RestoreResult(chosen, kept)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
