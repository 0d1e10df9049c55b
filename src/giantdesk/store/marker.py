"""A store that knows it held drafts: ``giantdesk.marker`` beside the database.

After every committed write the store records there what the database then held: the number
of drafts, the schema revision and the last change (revision id and time). At the next open a
database that holds *less* than that — zero bytes, emptied, or older because committed frames
of its ``-wal`` file were lost or damaged — is reported before anything is written, instead of
silently standing in for the real one.

The marker is rewritten in place (no rename: on Windows a rename after every save is what
antivirus scanners turn into "Access is denied"), one small write, and carries a checksum: a
torn or foreign marker is ignored (and rewritten), never taken for a real one. A marker that
is *older* than the database (a crash between the commit and the marker write, two processes
racing) is normal and harmless: only a database older than its marker is reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from giantdesk import fileops
from giantdesk.store.paths import read_only_uri

VERSION = 1


@dataclass(frozen=True)
class StoreState:
    """What a database holds, in the terms the marker records."""

    schema: str
    drafts: int
    revision: int  # the highest revision id (0: no change recorded)
    last_change: datetime | None

    def as_json(self) -> dict[str, object]:
        return {"v": VERSION, "schema": self.schema, "drafts": self.drafts,
                "revision": self.revision,
                "last_change": _ts(self.last_change) if self.last_change else None}

    def holds_less_than(self, other: StoreState) -> bool:
        return self.revision < other.revision or (self.drafts == 0 and other.drafts > 0)


def _ts(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_ts(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def encode(state: StoreState) -> bytes:
    body = json.dumps(state.as_json(), sort_keys=True, separators=(",", ":"))
    return f"{body}\n{hashlib.sha256(body.encode()).hexdigest()[:16]}\n".encode()


def decode(data: bytes) -> StoreState | None:
    try:
        body, check, *_ = data.decode("utf-8").split("\n")
        if hashlib.sha256(body.encode()).hexdigest()[:16] != check:
            return None
        raw = json.loads(body)
        return StoreState(str(raw["schema"]), int(raw["drafts"]), int(raw["revision"]),
                          _parse_ts(raw.get("last_change")))
    except (ValueError, KeyError, TypeError):
        return None


def read(path: Path) -> StoreState | None:
    """The marker's state; None when there is none or it is not a valid marker."""
    try:  # a FIFO or a device in its place is no marker (and must not block the start)
        with fileops.open_regular(path) as handle:
            return decode(handle.read(4096))
    except OSError:
        return None


def write(path: Path, state: StoreState, *, strict: bool = False) -> None:
    """Record ``state`` in place. Failures are ignored unless ``strict`` (after a commit the
    change already stands; a marker left older than the database is harmless)."""
    data = encode(state)
    try:
        if not path.is_dir() and (path.is_symlink() or path.exists()) and not path.is_file():
            fileops.unlink(path)  # a FIFO, a device link: replaced by a real marker
        fd = fileops.create_private(path, exclusive=False)
        with os.fdopen(fd, "r+b") as handle:
            handle.write(data)
            handle.truncate(len(data))
    except OSError:
        if strict:
            raise


STATE_SQL = ("SELECT (SELECT count(*) FROM drafts), "
             "(SELECT id FROM revisions ORDER BY id DESC LIMIT 1), "
             "(SELECT at FROM revisions ORDER BY id DESC LIMIT 1)")


def state_of(row: tuple[object, ...], schema: str) -> StoreState:
    drafts, revision, at = row
    return StoreState(schema, int(drafts or 0),  # type: ignore[call-overload]
                      int(revision or 0),  # type: ignore[call-overload]
                      _parse_ts(at if isinstance(at, str) else None))


def text_factory(data: bytes) -> str:
    """Stored text that is not valid UTF-8 is read with its bad bytes as lone surrogates, so
    the store can name it instead of the whole query failing — also in SQLite's own schema
    (a garbled table name), which every connection to a database of ours reads first."""
    return data.decode("utf-8", "surrogateescape")


def read_state(db: Path) -> StoreState | None:
    """What ``db`` holds, read without writing anything (a read-only connection: the ``-wal``
    file is left exactly as it is). None when it cannot be told (not a GiantDesk database)."""
    try:
        conn = sqlite3.connect(read_only_uri(db), uri=True, timeout=15, isolation_level=None)
    except sqlite3.Error:
        return None
    conn.text_factory = text_factory
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"drafts", "revisions"} <= tables:
            return None
        schema = ""
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            schema = str(row[0]) if row else ""
        return state_of(tuple(conn.execute(STATE_SQL).fetchone()), schema)
    except (sqlite3.Error, ValueError):  # ValueError: a garbled count or revision id
        return None
    finally:
        conn.close()
