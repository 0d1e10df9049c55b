"""Putting a draft's unreadable stored values back to their last readable value.

A stored value that cannot be read (not UTF-8, not JSON, not of its field's type — what
:meth:`Store.read_record` reports as a problem) makes the whole draft refuse to open: an
export must never leave a value out silently. :func:`repair_draft` is what the user can do
about it without a backup of the whole database: each such value is set back to the newest
value its history recorded that can be read, or removed when there is none (the field is
then empty and must be filled in again). Everything that was readable is left as it is.

Each repair is recorded (``restore`` when a value came back, ``clear`` when it was removed),
so it shows in the history and can itself be undone. The unreadable text is not copied into
the history (it would be a damaged revision for ever); ``doctor --deep`` and the backups keep
the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, select, update

from giantdesk.forms.record import decode_value
from giantdesk.store.api import _CELL_PATH, _Draft, _dump, now_utc, stored_json, ts
from giantdesk.store.schema import draft_tables, drafts, field_values, revisions, table_cells

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from giantdesk.forms.model import FieldDef
    from giantdesk.store.api import Store


@dataclass(frozen=True)
class Repaired:
    """One place of the draft: ``where`` (a field id or ``table[row].column``) and whether a
    recorded value came back (``restored``) or the value was removed."""

    where: str
    restored: bool


def _fits(f: FieldDef, raw: Any, same_version: bool) -> bool:
    if not same_version:  # an older form version's value: readable JSON is enough
        return True
    try:
        decode_value(f, raw)
    except ValueError:
        return False
    return True


def _recorded(conn: Connection, draft_id: int, path: str) -> list[Any]:
    """The values recorded for ``path`` (a field or a whole table), newest first, readable
    ones only."""
    rows = conn.execute(select(revisions.c.new_json).where(and_(
        revisions.c.draft_id == draft_id, revisions.c.path == path,
        revisions.c.new_json.is_not(None))).order_by(revisions.c.id.desc()))
    found = []
    for (text,) in rows:
        value, problem = stored_json(text)
        if problem is None:
            found.append(value)
    return found


def repair_draft(store: Store, draft_id: int) -> list[Repaired]:
    """Set every unreadable value of the draft back to its newest readable recorded value (or
    remove it); one transaction. Returns what was done ([] when nothing was damaged).

    Raises what :meth:`Store.read_record` raises for a draft that cannot be read at all (its
    form unknown), and :class:`~giantdesk.store.DraftFinalized` / ``DraftInBin``."""
    _record, problems = store.read_record(draft_id)
    if not problems:
        return []
    moment = now_utc()
    done: list[Repaired] = []
    with store._write() as conn:
        state = _Draft(conn, draft_id)
        state.require_editable()
        definition = state.definition
        same_version = state.row["form_version"] == definition.version
        touched: dict[str, list[str]] = {}
        history: dict[str, list[Any]] = {}  # a table's recorded values, read once
        for where, _what in problems:
            cell = _CELL_PATH.match(where)
            if cell is not None:
                table_id, row, column_id = cell["table"], int(cell["row"]), cell["column"]
                table = definition.table(table_id)
                column = table.column(column_id) if table is not None else None
                if column is None:
                    continue
                good = None
                if table_id not in history:
                    history[table_id] = _recorded(conn, draft_id, table_id)
                for rows in history[table_id]:
                    if not isinstance(rows, list) or len(rows) < row:
                        continue
                    old_row = rows[row - 1]
                    if (isinstance(old_row, dict) and column_id in old_row
                            and _fits(column, old_row[column_id], same_version)):
                        good = _dump(old_row[column_id])
                        break
                key = and_(table_cells.c.draft_id == draft_id,
                           table_cells.c.table_id == table_id, table_cells.c.row_no == row,
                           table_cells.c.column_id == column_id)
                if good is None:
                    conn.execute(delete(table_cells).where(key))
                else:
                    conn.execute(update(table_cells).where(key).values(value_json=good))
                touched.setdefault(table_id, []).append(where)
                done.append(Repaired(where, good is not None))
                continue
            f = definition.field(where)
            if f is None:
                continue
            good = next((_dump(v) for v in _recorded(conn, draft_id, where)
                         if _fits(f, v, same_version)), None)
            key = and_(field_values.c.draft_id == draft_id, field_values.c.field_id == where)
            if good is None:
                conn.execute(delete(field_values).where(key))
            else:
                conn.execute(update(field_values).where(key).values(value_json=good))
            store._log(conn, draft_id, moment, "restore" if good else "clear", where, "",
                       None, good)
            done.append(Repaired(where, good is not None))
        for table_id, cells in touched.items():
            rows = state.table(table_id)  # readable now: every damaged cell was set or removed
            count = conn.execute(select(draft_tables.c.row_count).where(and_(
                draft_tables.c.draft_id == draft_id,
                draft_tables.c.table_id == table_id))).scalar()
            store._log(conn, draft_id, moment, "restore", table_id,
                       cells[0] if len(cells) == 1 else "", None,
                       None if count is None else _dump(rows or []))
        if done:
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                updated_at=ts(moment), updated_by=store.user))
    return done
