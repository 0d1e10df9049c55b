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
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseTooNew,
    DraftFinalized,
    DraftNotFound,
    InvalidEdit,
    NoBackup,
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
        Revision,
        SetResult,
        Store,
    )
    from giantdesk.store.autosave import Autosaver
    from giantdesk.store.backup import RestoreResult

_LAZY = {"AttachmentInfo": "api", "AttachmentRef": "api", "DraftInfo": "api", "Revision": "api",
         "SetResult": "api", "Store": "api", "Autosaver": "autosave"}


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
    "DatabaseDamaged",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DraftFinalized",
    "DraftInfo",
    "DraftNotFound",
    "InstanceLock",
    "InvalidEdit",
    "Layout",
    "NoBackup",
    "Revision",
    "SetResult",
    "Store",
    "StoreError",
    "data_dir",
    "instance_lock",
    "load_draft_for_export",
    "open_store",
    "restore_newest_backup",
]


def open_store(home: Path | None = None, *, backup_on_start: bool = True,
               max_attachment_bytes: int | None = None) -> Store:
    """Open (creating on first use) the drafts database of the data folder ``home``.

    ``home`` defaults to ``$GIANTDESK_HOME`` or the platform's user data folder. Runs
    ``PRAGMA quick_check``; a damaged, unreadable or missing-with-backups database raises
    :class:`DatabaseDamaged` (see :func:`restore_newest_backup`) — it is never replaced by an
    empty one. Migrates the schema (after copying the database aside) and takes a rolling
    backup (at most one every ten minutes when ``backup_on_start``).
    """
    from giantdesk.store import backup, db
    from giantdesk.store.api import START_BACKUP_INTERVAL, Store
    from giantdesk.store.attachments import DEFAULT_MAX_BYTES

    if max_attachment_bytes is None:
        max_attachment_bytes = DEFAULT_MAX_BYTES

    layout = Layout.of(home)
    migration_copy = db.prepare(layout)
    store = Store(layout, db.make_engine(layout.db), max_attachment_bytes=max_attachment_bytes)
    store.migration_copy = Path(migration_copy) if migration_copy else None
    if backup_on_start:
        age = backup.newest_backup_age(layout)
        if age is None or age > START_BACKUP_INTERVAL:
            with contextlib.suppress(OSError):  # a full disk must not stop the user working
                store.start_backup = store.backup("start")
    return store


def restore_newest_backup(home: Path | None = None, backup: Path | None = None,
                          ) -> RestoreResult:
    """Move the (damaged) database aside into ``damaged/`` and restore ``backup`` (default: the
    newest backup that passes its check). Refused while a GiantDesk window holds the folder."""
    from giantdesk.store import backup as backups
    from giantdesk.store.lock import is_held_elsewhere

    layout = Layout.of(home)
    if is_held_elsewhere(layout.lock):
        raise AlreadyOpen(layout.root, layout.lock.read_text("utf-8", "replace").strip() or "?")
    return backups.restore(layout, backup)


def instance_lock(home: Path | None = None) -> InstanceLock:
    """The GUI's "one window per data folder" lock (``acquire()`` raises :class:`AlreadyOpen`)."""
    return InstanceLock(Layout.of(home).lock)


def load_draft_for_export(draft_id: int, home: Path | None = None,
                          ) -> tuple[Submission, datetime | None, list[AttachmentRef]]:
    """The record, its finalization time (aware UTC; None while editing) and its attachments
    in bundle order (category per PRODUCT.md §4, then as added)."""
    store = open_store(home, backup_on_start=False)
    try:
        record = store.get_record(draft_id)
        info = store.draft(draft_id)
        refs = [a.ref for a in store.attachments(draft_id)]
    finally:
        store.close()
    return record, info.finalized_at, refs
