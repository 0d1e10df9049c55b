"""Where the data lives: one folder holding the database, its backups and the attachments.

``GIANTDESK_HOME`` overrides the platform's user data folder (tests, portable installs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DB_NAME = "giantdesk.sqlite3"


def data_dir(home: Path | None = None) -> Path:
    """``home``, else ``$GIANTDESK_HOME``, else the platform's user data folder (created)."""
    if home is None:
        env = os.environ.get("GIANTDESK_HOME")
        home = Path(env) if env else Path(platformdirs.user_data_dir("GiantDesk", appauthor=False))
    home = home.expanduser()
    home.mkdir(parents=True, exist_ok=True)
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
    def lock(self) -> Path:
        return self.root / "giantdesk.lock"

    def sidecars(self, db: Path | None = None) -> tuple[Path, Path]:
        db = db or self.db
        return db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
