"""Drafts: SQLAlchemy models, autosave, revisions, backup. No Qt here.

The entry points (all Qt-free, used by the GUI, the CLI and the export)::

    store = open_store()                      # checks, migrates, backs up; raises DatabaseDamaged
    draft_id = store.create_draft("annex1-batch4", "title")
    store.set_value(draft_id, "enterprise.name", "某某科技有限公司")   # durable when it returns
    record = store.get_record(draft_id)       # record.dumps(record) is the submission.json
    record, finalized_at, refs = load_draft_for_export(draft_id)

See ``docs/store.md``.

The names from ``api`` and ``autosave`` (SQLAlchemy, ~0.2 s to import) are loaded on first use
(PEP 562), and ``backup`` / ``attachments`` when a function needs them, so
``giantdesk.store.lock`` / ``listing`` / ``paths`` are cheap to import: the GUI lists the drafts
before SQLAlchemy is loaded.
"""

from __future__ import annotations

import contextlib
import importlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from giantdesk.forms.evidence import CATEGORIES
from giantdesk.store.errors import (
    AlreadyOpen,
    AttachmentCancelled,
    AttachmentRefused,
    DamagedContent,
    DatabaseBehind,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseTooNew,
    DraftFinalized,
    DraftInBin,
    DraftNotFound,
    DraftPurged,
    FinalizedNeedsConfirmation,
    InvalidEdit,
    NoBackup,
    RestoreRefused,
    StorageUnavailable,
    StoreError,
)
from giantdesk.store.lock import InstanceLock
from giantdesk.store.paths import Layout, data_dir

if TYPE_CHECKING:
    from giantdesk.forms.record import Submission
    from giantdesk.store.api import (
        AttachmentInfo,
        AttachmentRef,
        DraftInfo,
        PurgedDraft,
        Revision,
        SetResult,
        Store,
    )
    from giantdesk.store.autosave import Autosaver
    from giantdesk.store.backup import RestoreResult
    from giantdesk.store.marker import StoreState

_LAZY = {"AttachmentInfo": "api", "AttachmentRef": "api", "DraftInfo": "api", "Revision": "api",
         "SetResult": "api", "Store": "api", "Autosaver": "autosave", "PurgedDraft": "api"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"giantdesk.store.{module}"), name)
    globals()[name] = value
    return value

__all__ = [
    "CATEGORIES",
    "AlreadyOpen",
    "AttachmentCancelled",
    "AttachmentInfo",
    "AttachmentRef",
    "AttachmentRefused",
    "Autosaver",
    "DamagedContent",
    "DatabaseBehind",
    "DatabaseDamaged",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DraftFinalized",
    "DraftInBin",
    "DraftInfo",
    "DraftNotFound",
    "DraftPurged",
    "FinalizedNeedsConfirmation",
    "InstanceLock",
    "InvalidEdit",
    "Layout",
    "NoBackup",
    "PurgedDraft",
    "RestoreRefused",
    "Revision",
    "SetResult",
    "StorageUnavailable",
    "Store",
    "StoreError",
    "data_dir",
    "instance_lock",
    "keep_current_state",
    "load_draft_for_export",
    "open_store",
    "restore_newest_backup",
]


def open_store(home: Path | None = None, *, backup_on_start: bool = True,
               max_attachment_bytes: int | None = None) -> Store:
    """Open (creating on first use) the drafts database of the data folder ``home``.

    ``home`` defaults to ``$GIANTDESK_HOME`` or the platform's user data folder. Runs
    ``PRAGMA quick_check`` and compares the database with its marker; a damaged, unreadable,
    emptied, missing-with-backups database, or one older than its marker (a lost ``-wal``),
    raises :class:`DatabaseDamaged` (see :func:`restore_newest_backup`) — it is never replaced
    by an empty one and nothing is written to it. A read-only or full disk raises
    :class:`StorageUnavailable`. Migrates the schema (after copying the database aside) and
    takes a rolling backup (at most one every ten minutes when ``backup_on_start``).
    """
    from giantdesk.store import backup, db
    from giantdesk.store.api import START_BACKUP_INTERVAL, Store
    from giantdesk.store.attachments import DEFAULT_MAX_BYTES

    if max_attachment_bytes is None:
        max_attachment_bytes = DEFAULT_MAX_BYTES

    layout = Layout.of(home)
    migration_copy = db.prepare(layout)
    store = Store(layout, db.make_engine(layout.db), max_attachment_bytes=max_attachment_bytes)
    try:
        store.migration_copy = Path(migration_copy) if migration_copy else None
        store.mark()
        with contextlib.suppress(OSError):
            _remove_stale_copies(layout)
        if backup_on_start:
            age = backup.newest_backup_age(layout)
            if age is None or age > START_BACKUP_INTERVAL:
                with contextlib.suppress(StoreError):  # a full disk must not stop the user
                    store.start_backup = store.backup("start")
    except BaseException:
        store.close()
        raise
    return store


def _remove_stale_copies(layout: Layout) -> None:
    """Temporary files a killed process left in the data folder (not held by anyone)."""
    from giantdesk import fileops

    if layout.incoming.is_dir():
        fileops.remove_stale_temps(layout.incoming, "", ".part", min_age=3600)
    if layout.backups.is_dir():
        fileops.remove_stale_temps(layout.backups, ".giantdesk-", ".tmp", min_age=3600)


def restore_newest_backup(home: Path | None = None, backup: Path | None = None, *,
                          force: bool = False) -> RestoreResult:
    """Restore ``backup`` (default: the best backup) when the database needs it: damaged,
    missing, emptied, or older than its marker. A healthy database, or one of a newer schema,
    is replaced only with ``force`` (else :class:`RestoreRefused` says what would be replaced).
    The replaced files are kept in ``damaged/``. Refused while a GiantDesk window holds the
    folder. ``hidden_changes`` of the result counts the recorded changes the backup lacks."""
    from giantdesk.store import recovery
    from giantdesk.store.lock import exclusive, is_held_elsewhere, read_owner

    layout = Layout.of(home)
    if is_held_elsewhere(layout.lock):
        raise AlreadyOpen(layout.root, read_owner(layout.lock))
    with exclusive(layout.root / "giantdesk.migrate.lock"):
        return recovery.restore(layout, backup, force=force)


def keep_current_state(home: Path | None = None) -> StoreState:
    """Go on with the database as it is after a reported loss (lost ``-wal``, emptied file):
    its marker is reset to what it holds (returned). A damaged database is still refused."""
    from giantdesk.store import recovery
    from giantdesk.store.lock import is_held_elsewhere, read_owner

    layout = Layout.of(home)
    if is_held_elsewhere(layout.lock):
        raise AlreadyOpen(layout.root, read_owner(layout.lock))
    return recovery.keep_current(layout)


def instance_lock(home: Path | None = None) -> InstanceLock:
    """The GUI's "one window per data folder" lock (``acquire()`` raises :class:`AlreadyOpen`)."""
    return InstanceLock(Layout.of(home).lock)


def load_draft_for_export(draft_id: int, home: Path | None = None,
                          ) -> tuple[Submission, datetime | None, list[AttachmentRef]]:
    """The record, its finalization time (aware UTC; None while editing) and its attachments
    in bundle order (category per PRODUCT.md §4, then as added)."""
    store = open_store(home, backup_on_start=False)
    try:
        info = store.draft(draft_id)
        if info.deleted_at is not None:
            raise DraftInBin(draft_id)
        record = store.get_record(draft_id)
        refs = [a.ref for a in store.attachments(draft_id)]
    finally:
        store.close()
    return record, info.finalized_at, refs
