"""The drafts list read with sqlite3 alone (no SQLAlchemy): what the home window shows before
SQLAlchemy is imported (~0.2 s). Read-only; never creates, checks or migrates the database.

:func:`quick_list` returns None whenever it cannot be sure (no database yet, a schema revision
it does not know, any SQLite error): the caller then opens the store, which checks, migrates
and explains.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from giantdesk.store.paths import read_only_uri

#: Schema revisions whose ``drafts`` / ``enterprises`` columns this reader knows.
LISTABLE_REVISIONS = frozenset({"0002", "0003", "0004", "0005"})
#: From this revision on, drafts in the recycle bin (``deleted_at``) are not listed.
_WITH_BIN = frozenset({"0004", "0005"})

_QUERY = """
SELECT d.id, d.form_id, d.title, d.status, d.updated_at, d.updated_by, e.name
FROM drafts AS d LEFT JOIN enterprises AS e ON e.id = d.enterprise_id {where}
ORDER BY d.updated_at DESC, d.id DESC
"""


@dataclass(frozen=True)
class ListedDraft:
    """One row of the drafts list (the fields of ``DraftInfo`` the list shows)."""

    id: int
    form_id: str
    title: str
    status: str
    updated_at: datetime
    updated_by: str
    enterprise_name: str | None

    @property
    def finalized(self) -> bool:
        return self.status == "finalized"


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)


def quick_list(db: Path) -> list[ListedDraft] | None:
    """Every draft of the database file ``db``, most recently changed first; None when unsure."""
    if not db.is_file() or db.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(read_only_uri(db), uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None or row[0] not in LISTABLE_REVISIONS:
            return None
        return [ListedDraft(int(i), str(form), str(title), str(status), _moment(updated),
                            str(by), name)
                for i, form, title, status, updated, by, name in conn.execute(_QUERY.format(
                    where="WHERE d.deleted_at IS NULL" if row[0] in _WITH_BIN else ""))]
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()
