"""Restoring the database from a backup — only when asked about the state it is in.

* A **damaged**, missing, emptied database, or one that holds less than its marker (a lost
  ``-wal``), is restored from the chosen backup (default: a backup holding more than the
  database when there is one, else the newest good one).
* A **healthy** database, or one made by a **newer** GiantDesk (a newer schema), is not
  replaced unless ``force`` is given: :class:`RestoreRefused` says what would be replaced and
  how many recorded changes the backup does not hold.
* A read-only or full disk is named as such (:class:`StorageUnavailable`), never "damaged".
* Whatever is restored, the result says how many recorded changes the backup does not hold
  (``hidden_changes``), so going back past the last change is never silent.

The replaced database and its ``-wal``/``-shm`` files are kept in ``damaged/``; the marker is
rewritten to what the restored database holds.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from giantdesk import fileops
from giantdesk.forms.messages import Message
from giantdesk.store import backup, marker
from giantdesk.store.backup import RestoreResult
from giantdesk.store.db import KNOWN_REVISIONS, diagnose
from giantdesk.store.errors import (
    DatabaseBehind,
    DatabaseDamaged,
    NoBackup,
    RestoreRefused,
    local_time,
    storage_error,
)
from giantdesk.store.paths import Layout
from giantdesk.store.schema import SCHEMA_HEAD


def _describe(state: marker.StoreState | None) -> Message:
    if state is None:
        return Message("内容无法读取", "contents unreadable")
    return Message(f"{state.drafts} 份草稿，最后修改于 {local_time(state.last_change)}",
                   f"{state.drafts} draft(s), last change at {local_time(state.last_change)}")


def _hidden(newest: marker.StoreState | None, restored: marker.StoreState | None) -> int:
    if newest is None or restored is None:
        return 0
    return max(0, newest.revision - restored.revision)


def restore(layout: Layout, chosen: Path | None = None, *, force: bool = False) -> RestoreResult:
    """Restore ``chosen`` (or the best backup) if the database's state calls for it."""
    found = diagnose(layout)
    if found.kind == "unavailable":
        assert found.error is not None
        raise found.error
    newest = found.state
    if found.recorded is not None and (newest is None or newest.holds_less_than(found.recorded)):
        newest = found.recorded
    if chosen is None:
        if isinstance(found.error, DatabaseBehind) and found.error.newer_backups:
            chosen = found.error.newer_backups[0]
        else:
            chosen = backup.newest_good_backup(layout)
    if chosen is None:
        raise NoBackup(layout.backups)
    problem = backup.check_file(chosen)
    if problem is not None:
        raise DatabaseDamaged(chosen, problem, backup.newest_good_backup(layout), layout.backups)
    held = marker.read_state(chosen)
    if held is None or (held.schema not in KNOWN_REVISIONS and held.schema != SCHEMA_HEAD):
        raise RestoreRefused(Message(
            f"{chosen} 不是本版本 GiantDesk 可以使用的备份（结构版本 "
            f"{held.schema if held else '?'}），未恢复",
            f"{chosen} is not a backup this GiantDesk can use (schema "
            f"{held.schema if held else '?'}); nothing was restored"))
    hidden = _hidden(newest, held)
    if found.kind in ("healthy", "old", "too_new") and not force:
        if found.kind == "too_new":
            why = Message(f"数据库由更新版本的 GiantDesk 创建（{found.error.message.zh if found.error else ''}）",
                          f"the database was made by a newer GiantDesk "
                          f"({found.error.message.en if found.error else ''})")
        else:
            why = Message("数据库完好", "the database is healthy")
        raise RestoreRefused(Message(
            f"{why.zh}（{_describe(found.state).zh}），不需要恢复。恢复 {chosen}"
            f"（{_describe(held).zh}）会替换它"
            + (f"，其后的 {hidden} 处修改将不在恢复后的数据库中" if hidden else "")
            + "。如确需恢复，请加 --force（现有文件会保留在 damaged 文件夹中）。",
            f"{why.en} ({_describe(found.state).en}); nothing needs restoring. Restoring "
            f"{chosen} ({_describe(held).en}) would replace it"
            + (f", and {hidden} later change(s) would not be in the restored database"
               if hidden else "")
            + ". Add --force to do it anyway (the current file is kept in the damaged "
            "folder)."))
    label = "damaged" if found.kind == "damaged" else "replaced"
    try:
        kept = backup.install(layout, chosen, label)
    except OSError as exc:
        raise storage_error(exc, layout.db) from exc
    restored = marker.read_state(layout.db) or held
    marker.write(layout.marker, restored)
    return RestoreResult(chosen, kept, hidden, newest.last_change if newest else None,
                         held.last_change)


def keep_current(layout: Layout) -> marker.StoreState:
    """Accept the database as it is after a reported loss (a lost ``-wal``, an emptied file):
    the marker is rewritten to what the database holds. Refused for a damaged file."""
    found = diagnose(layout)
    if found.kind == "unavailable" and found.error is not None:
        raise found.error
    if found.error is not None and not isinstance(found.error, DatabaseBehind):
        raise found.error
    state = found.state or marker.StoreState(SCHEMA_HEAD, 0, 0, None)
    if found.recorded is not None:  # what the marker said, kept beside the other evidence
        with contextlib.suppress(OSError):
            fileops.private_dir(layout.damaged)
            kept = layout.damaged / f"{backup.stamp()}-accepted-{layout.marker.name}"
            with os.fdopen(fileops.create_private(kept), "wb") as handle:
                handle.write(marker.encode(found.recorded))
    try:
        marker.write(layout.marker, state, strict=True)
    except OSError as exc:
        raise storage_error(exc, layout.marker) from exc
    return state
