"""Where the data lives: one folder holding the database, its backups and the attachments.

``GIANTDESK_HOME`` overrides the platform's user data folder (tests, portable installs). On
POSIX the folder is private (0700) and so are the files the store creates (0600).
"""

from __future__ import annotations

import os
import urllib.parse
from dataclasses import dataclass
from pathlib import Path, PurePath

import platformdirs

from giantdesk import fileops

DB_NAME = "giantdesk.sqlite3"
MARKER_NAME = "giantdesk.marker"


def data_dir(home: Path | None = None) -> Path:
    """``home``, else ``$GIANTDESK_HOME``, else the platform's user data folder (created,
    private), made absolute (a relative ``GIANTDESK_HOME`` of a portable install is taken from
    the current folder once). A folder that cannot be created raises a :class:`StoreError`
    naming why (read-only disk, full disk, no permission)."""
    if home is None:
        env = os.environ.get("GIANTDESK_HOME")
        home = (Path(env).expanduser().absolute() if env else
                Path(platformdirs.user_data_dir("GiantDesk", appauthor=False)))
    else:
        home = home.expanduser().absolute()
    try:
        fileops.private_dir(home)
    except OSError as exc:
        from giantdesk.store.errors import storage_error

        raise storage_error(exc, home) from exc
    return home


@dataclass(frozen=True)
class Layout:
    """The files of one data folder."""

    root: Path

    @classmethod
    def of(cls, home: Path | None = None) -> Layout:
        return cls(data_dir(home))

    @property
    def db(self) -> Path:
        return self.root / DB_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def damaged(self) -> Path:
        return self.root / "damaged"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    @property
    def incoming(self) -> Path:
        """Attachments being copied (same file system as their final place: rename is atomic)."""
        return self.attachments / "incoming"

    @property
    def marker(self) -> Path:
        """What the database held after its last change (see :mod:`giantdesk.store.marker`)."""
        return self.root / MARKER_NAME

    @property
    def lock(self) -> Path:
        return self.root / "giantdesk.lock"

    def sidecars(self, db: Path | None = None) -> tuple[Path, Path]:
        db = db or self.db
        return db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")


def read_only_uri(db: PurePath) -> str:
    """The SQLite URI that opens ``db`` read-only (nothing is written; its ``-wal`` is left
    exactly as it is), for ``sqlite3.connect(..., uri=True)``.

    Absolute; ``%``, ``#``, ``?``, spaces and CJK are %-quoted; a Windows drive path becomes
    ``file:///C:/…`` and a UNC path ``\\\\server\\share\\…`` becomes ``file:////server/share/…``
    (``Path.as_uri()`` gives ``file://server/…``, whose authority SQLite refuses)."""
    if isinstance(db, Path):
        db = db.absolute()
    posix = db.as_posix()  # "/home/…", "C:/Users/…" or "//server/share/…"
    if not posix.startswith("/"):
        posix = "/" + posix
    return "file://" + urllib.parse.quote(posix, safe="/:") + "?mode=ro"
