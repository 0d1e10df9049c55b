"""The store: drafts, their values, tables, attachments and revision history.

One :class:`Store` per process, opened with :func:`open_store`. Every method that changes a
draft runs one short write transaction and returns only after it is committed durably (WAL,
``synchronous=FULL``). Each change is recorded in ``revisions`` (path, old, new, when, OS user),
so a value or the whole draft can be restored as of any earlier time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    RowMapping,
    Table,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError

from giantdesk import fileops
from giantdesk.forms import limits
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FieldDef, FormDefinition, TableDef, Value
from giantdesk.forms.record import Submission, decode_value, encode_value
from giantdesk.forms.validation import normalized
from giantdesk.forms.validators import InvalidValue, ValueWarning
from giantdesk.forms.values import parse_input
from giantdesk.store import attachments as att
from giantdesk.store import backup, marker
from giantdesk.store.errors import (
    AttachmentRefused,
    DamagedContent,
    DraftFinalized,
    DraftInBin,
    DraftNotFound,
    DraftPurged,
    FinalizedNeedsConfirmation,
    InvalidEdit,
    StoreError,
    sqlite_error,
    storage_error,
)
from giantdesk.store.lock import os_user
from giantdesk.store.paths import Layout
from giantdesk.store.schema import (
    SCHEMA_HEAD,
    attachments,
    draft_confirmations,
    draft_inputs,
    draft_tables,
    drafts,
    enterprises,
    field_values,
    revisions,
    table_cells,
)

Row = dict[str, Value]
#: A table as stored in a revision: rows of column id → canonical JSON value.
JsonRows = list[dict[str, Any]]

EDITING, FINALIZED = "editing", "finalized"
#: A deleted draft stays restorable in the recycle bin this long, then its contents are purged.
BIN_DAYS = 30
#: A start-up backup is skipped when the newest rolling backup is younger than this (seconds):
#: the CLI starts often, and ten backups a minute apart would push the useful ones out.
START_BACKUP_INTERVAL = 600.0
#: The longest draft title (one line; the drafts list shows about 40 characters of it).
TITLE_MAX = 200

_CELL_PATH = re.compile(r"^(?P<table>[A-Za-z0-9_.]+)\[(?P<row>\d+)\]\.(?P<column>[A-Za-z0-9_]+)$")


# --------------------------------------------------------------------------------------------
# Value objects


@dataclass(frozen=True)
class DraftInfo:
    id: int
    form_id: str
    form_version: str
    title: str
    status: str  # "editing" or "finalized"
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    finalized_at: datetime | None
    uscc: str | None
    enterprise_name: str | None
    source: str
    #: What is wrong with the stored row (a bad time or text), if anything.
    problems: tuple[Message, ...] = ()
    #: In the recycle bin since (None: not deleted).
    deleted_at: datetime | None = None

    @property
    def finalized(self) -> bool:
        return self.status == FINALIZED

    @property
    def purge_after(self) -> datetime | None:
        """When a deleted draft's contents are purged (None: not deleted)."""
        return None if self.deleted_at is None else self.deleted_at + timedelta(days=BIN_DAYS)


@dataclass(frozen=True)
class PurgedDraft:
    """A draft whose contents were purged from the recycle bin (its row stays, on record)."""

    id: int
    form_id: str
    title: str
    deleted_at: datetime | None
    purged_at: datetime
    purged_by: str


@dataclass(frozen=True)
class Revision:
    """One recorded change. ``old`` / ``new`` are the canonical JSON values (None: absent)."""

    id: int
    draft_id: int
    at: datetime
    user: str
    action: str
    path: str
    detail: str
    old: Any
    new: Any
    #: What is wrong with this stored revision (None: nothing); ``old``/``new`` are None then.
    problem: Message | None = None

    @property
    def where(self) -> str:
        return self.detail or self.path


@dataclass(frozen=True)
class AttachmentRef:
    """What the export needs of an attachment."""

    category: str
    name: str
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    draft_id: int
    category: str
    name: str
    media_type: str
    size: int
    sha256: str
    path: Path
    added_at: datetime
    added_by: str

    @property
    def ref(self) -> AttachmentRef:
        return AttachmentRef(self.category, self.name, self.path, self.size, self.sha256)


@dataclass(frozen=True)
class SetResult:
    """The outcome of :meth:`Store.set_input`: the stored value (None: cleared) and warnings."""

    path: str
    value: Value | None
    warnings: tuple[ValueWarning, ...]
    changed: bool


# --------------------------------------------------------------------------------------------
# Helpers


def now_utc() -> datetime:
    return datetime.now(UTC)


def ts(moment: datetime) -> str:
    """Fixed-width UTC text (sorts like time): 2024-05-01T10:20:30.123456Z.

    A time whose UTC falls outside years 1–9999 (0001-01-01T00:00+14:00) is the first or last
    representable one: it still sorts before or after every stored time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give a timezone-aware time")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        utc = (datetime.min if moment.year == datetime.min.year else datetime.max).replace(
            tzinfo=UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def bad_text(text: object) -> bool:
    """True for stored text that was not valid UTF-8 (read with its bad bytes as lone
    surrogates: see ``db.text_factory``)."""
    if not isinstance(text, str):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


NOT_UTF8 = Message("不是有效的 UTF-8 文本", "not valid UTF-8 text")


def stored_json(text: object) -> tuple[Any, Message | None]:
    """The value of a stored JSON text, or what is wrong with it."""
    if not isinstance(text, str):
        return None, Message("缺少值", "the value is missing")
    if bad_text(text):
        return None, NOT_UTF8
    try:
        return json.loads(text), None
    except ValueError as exc:
        return None, Message(f"不是有效的 JSON（{exc}）", f"not valid JSON ({exc})")
    except RecursionError:
        return None, Message("JSON 嵌套层数过深", "JSON nested too deeply")


#: More rows than any table may hold (the definitions allow a few hundred): a stored row count
#: or row number past it is damage, never a list to allocate.
MAX_STORED_ROWS = 100_000
ROWS_DAMAGED = Message("表格的行数或行号已损坏", "the table's row count or row number is damaged")


def stored_row(number: object) -> int | None:
    """A stored row count or row number, or None when it is damaged (text, a fraction, huge)."""
    if isinstance(number, int) and not isinstance(number, bool) \
            and 0 <= number <= MAX_STORED_ROWS:
        return number
    return None


def _loads(draft_id: int, where: str, text: object) -> Any:
    value, problem = stored_json(text)
    if problem is not None:
        raise DamagedContent(draft_id, [(where, problem)])
    return value


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_json(f: FieldDef, value: Value, path: str) -> str:
    """The canonical JSON text of ``value`` for ``f``; refuses a value of the wrong type."""
    try:
        encoded = encode_value(f, value)
        if decode_value(f, encoded) != value:
            raise ValueError("round trip")
    except Exception as exc:
        raise InvalidEdit(path, "store.type", Message(
            f"“{f.label.zh}”（{path}）：值的类型不对（{type(value).__name__}）",
            f"“{f.label.en}” ({path}): wrong type of value ({type(value).__name__})")) from exc
    over = limits.value_problem(f, value)  # the record reader's limits: nothing unprintable
    if over is not None:
        raise InvalidEdit(path, over.code, _field_message(f, path, over.message))
    return _dump(encoded)


def _field_message(f: FieldDef, path: str, message: Message) -> Message:
    return Message(f"“{f.label.zh}”（{path}）：{message.zh}", f"“{f.label.en}” ({path}): {message.en}")


def _rows_json(draft_id: int, where: str, text: str | None) -> JsonRows | None:
    if text is None:
        return None
    rows = _loads(draft_id, where, text)
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise DamagedContent(draft_id, [(where, Message("不是表格行的列表", "not a list of rows"))])
    return rows


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _revision(r: RowMapping) -> Revision:
    """A revision row; what cannot be read is named in ``problem`` instead of failing."""
    problems: list[str] = []
    texts: dict[str, str] = {}
    for column in ("user", "action", "path", "detail"):
        value = r[column]
        if bad_text(value):
            problems.append(column)
            value = str(value).encode("utf-8", "replace").decode("utf-8")
        texts[column] = "" if value is None else str(value)
    try:
        at = parse_ts(r["at"])
    except (TypeError, ValueError):
        problems.append("at")
        at = datetime(1970, 1, 1, tzinfo=UTC)
    values: dict[str, Any] = {}
    for column in ("old_json", "new_json"):
        if r[column] is None:
            values[column] = None
            continue
        values[column], problem = stored_json(r[column])
        if problem is not None:
            problems.append(column)
    problem_message = None
    if problems:
        listed = ", ".join(problems)
        problem_message = Message(f"此修改记录已损坏（{listed} 无法读取）",
                                  f"this revision is damaged ({listed} unreadable)")
    return Revision(id=r["id"], draft_id=r["draft_id"], at=at, user=texts["user"],
                    action=texts["action"], path=texts["path"], detail=texts["detail"],
                    old=values["old_json"], new=values["new_json"], problem=problem_message)


#: SQLite's largest integer: no draft can have a larger id.
MAX_ID = 2**63 - 1


def _require_id(draft_id: int) -> None:
    """A draft id SQLite cannot even hold (``drafts show 10**30``: OverflowError when bound)
    names no draft."""
    if not 0 < draft_id <= MAX_ID:
        raise DraftNotFound(draft_id)


def _stored_definition(draft_id: int, form_id: object) -> FormDefinition:
    """The definition of a stored draft's form; a form id that names none is damage."""
    try:
        return load_definition(str(form_id))
    except (KeyError, ValueError, OSError) as exc:
        shown = limits.printable(repr(form_id))
        raise DamagedContent(draft_id, [("drafts.form_id", Message(
            f"未知的申请书类型“{shown}”", f"unknown form “{shown}”"))]) from exc


class _Draft:
    """The stored state of one draft inside a transaction (JSON texts, not typed values)."""

    def __init__(self, conn: Connection, draft_id: int) -> None:
        _require_id(draft_id)
        row = conn.execute(select(drafts).where(drafts.c.id == draft_id)).mappings().first()
        if row is None:
            raise DraftNotFound(draft_id)
        if row["purged_at"] is not None:
            raise DraftPurged(draft_id, parse_ts(row["purged_at"]))
        self.row = row
        self.id = draft_id
        self.definition: FormDefinition = _stored_definition(draft_id, row["form_id"])
        self.conn = conn

    def values(self) -> dict[str, str]:
        rows = self.conn.execute(select(field_values.c.field_id, field_values.c.value_json)
                                 .where(field_values.c.draft_id == self.id))
        return {r[0]: r[1] for r in rows}

    def _count(self, table_id: str, number: object) -> int:
        checked = stored_row(number)
        if checked is None:
            raise DamagedContent(self.id, [(table_id, ROWS_DAMAGED)])
        return checked

    def value(self, field_id: str) -> str | None:
        return self.conn.execute(select(field_values.c.value_json).where(and_(
            field_values.c.draft_id == self.id, field_values.c.field_id == field_id))).scalar()

    def tables(self) -> dict[str, JsonRows]:
        present = self.conn.execute(select(draft_tables.c.table_id, draft_tables.c.row_count)
                                    .where(draft_tables.c.draft_id == self.id)).all()
        out: dict[str, JsonRows] = {tid: [{} for _ in range(self._count(tid, count))]
                                    for tid, count in present}
        cells = self.conn.execute(
            select(table_cells.c.table_id, table_cells.c.row_no, table_cells.c.column_id,
                   table_cells.c.value_json).where(table_cells.c.draft_id == self.id))
        for tid, row_no, column_id, text in cells:
            rows = out.get(tid)
            if rows is not None and 1 <= self._count(tid, row_no) <= len(rows):
                rows[row_no - 1][column_id] = _loads(self.id, f"{tid}[{row_no}].{column_id}",
                                                     text)
        return out

    def table(self, table_id: str) -> JsonRows | None:
        count = self.conn.execute(select(draft_tables.c.row_count).where(and_(
            draft_tables.c.draft_id == self.id, draft_tables.c.table_id == table_id))).scalar()
        if count is None:
            return None
        count = self._count(table_id, count)
        rows: JsonRows = [{} for _ in range(count)]
        cells = self.conn.execute(
            select(table_cells.c.row_no, table_cells.c.column_id, table_cells.c.value_json)
            .where(and_(table_cells.c.draft_id == self.id, table_cells.c.table_id == table_id)))
        for row_no, column_id, text in cells:
            if 1 <= self._count(table_id, row_no) <= count:
                rows[row_no - 1][column_id] = _loads(self.id, f"{table_id}[{row_no}].{column_id}",
                                                     text)
        return rows

    def require_editable(self) -> None:
        if self.row["deleted_at"] is not None:
            raise DraftInBin(self.id)
        if self.row["status"] == FINALIZED:
            raise DraftFinalized(self.id)


def checked_title(title: str) -> str:
    """A draft title as given (GUI rename, ``--title``), stripped; :class:`InvalidEdit` naming
    the title when it holds what cannot be stored or printed (a control character, bytes of a
    command line that are not UTF-8) or is longer than :data:`TITLE_MAX` characters."""
    text = title.strip()
    problem = limits.character_problem(text)
    if problem is None and len(text) > TITLE_MAX:
        problem = InvalidValue("text.too_long", Message(
            f"最多 {TITLE_MAX} 个字符，实为 {len(text):,} 个", f"at most {TITLE_MAX} characters, "
            f"not {len(text):,}"))
    if problem is not None:
        raise InvalidEdit("@title", problem.code, Message(f"草稿标题：{problem.message.zh}",
                                                          f"draft title: {problem.message.en}"))
    return text


# --------------------------------------------------------------------------------------------
# The store


class Store:
    """Drafts in one data folder. Thread-safe (one SQLite connection per thread from the pool)."""

    def __init__(self, layout: Layout, engine: Engine, *,
                 max_attachment_bytes: int = att.DEFAULT_MAX_BYTES,
                 backup_keep: int = backup.KEEP) -> None:
        self.layout = layout
        self.engine = engine
        self.max_attachment_bytes = max_attachment_bytes
        self.backup_keep = backup_keep
        self.user = os_user()
        #: The pre-migration copy made when this store was opened, if any.
        self.migration_copy: Path | None = None
        #: The start-up backup taken when this store was opened, if any.
        self.start_backup: Path | None = None
        self._marked: marker.StoreState | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.layout.db

    def close(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # another process busy: the WAL stays, which is safe
            pass
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One ``BEGIN IMMEDIATE`` transaction; after its commit the marker records what the
        database now holds. A full or read-only disk raises :class:`StorageUnavailable`."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(write=True)
                with conn.begin():
                    yield conn
                    row = conn.exec_driver_sql(marker.STATE_SQL).one()
        except DBAPIError as exc:
            mapped = sqlite_error(exc, self.path)
            if mapped is None:
                raise
            raise mapped from exc
        self._mark(marker.state_of(tuple(row), SCHEMA_HEAD))

    def _mark(self, state: marker.StoreState) -> None:
        if state != self._marked:
            marker.write(self.layout.marker, state)
            self._marked = state

    def mark(self) -> None:
        """Record what the database holds in its marker (done after every write)."""
        with self._read() as conn:
            row = conn.exec_driver_sql(marker.STATE_SQL).one()
        self._mark(marker.state_of(tuple(row), SCHEMA_HEAD))

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            mapped = sqlite_error(exc, self.path)
            if mapped is None:
                raise
            raise mapped from exc

    def backup(self, reason: str = "manual") -> Path:
        """Take a backup now (online backup API); rolling backups keep the newest ten.
        A full or read-only disk raises :class:`StorageUnavailable` (nothing half-written)."""
        import sqlite3

        try:
            return backup.take_backup(self.layout, reason, self.backup_keep)
        except OSError as exc:
            raise storage_error(exc, self.layout.backups) from exc
        except sqlite3.Error as exc:
            raise (sqlite_error(exc, self.layout.backups) or StoreError(Message(
                f"备份失败：{exc}", f"the backup failed: {exc}"))) from exc

    # -- drafts -------------------------------------------------------------------------------

    def create_draft(self, form_id: str, title: str = "") -> int:
        if form_id not in FORM_IDS:
            raise StoreError(Message(f"未知的申请书类型：{form_id}（可用：{'、'.join(FORM_IDS)}）",
                                     f"unknown form {form_id} (known: {', '.join(FORM_IDS)})"))
        definition = load_definition(form_id)
        return self._insert_draft(Submission.empty(definition), checked_title(title) or
                                  definition.short_title.zh, "new", "")

    def import_record(self, record: Submission, title: str | None = None,
                      source: str = "") -> int:
        """A new draft holding ``record``; every value is recorded in the history (action import).
        Values are stored in canonical form (as if typed: a full-width USCC becomes half-width);
        values that do not parse are kept as they are, for the checker to name."""
        record = normalized(record, today=date.today())
        name = record.values.get("enterprise.name")
        default = name[:TITLE_MAX] if isinstance(name, str) else record.definition.short_title.zh
        return self._insert_draft(record, checked_title(title or "") or default, "import",
                                  limits.storable(source))  # a file name: any bytes

    def _insert_draft(self, record: Submission, title: str, action: str, source: str) -> int:
        definition = record.definition
        moment = now_utc()
        with self._write() as conn:
            draft_id = _new_id(conn.execute(insert(drafts).values(
                form_id=definition.id, form_version=record.form_version, rules=record.rules,
                title=title, status=EDITING, created_at=ts(moment), created_by=self.user,
                updated_at=ts(moment), updated_by=self.user, source=source,
            )))
            state = _Draft(conn, draft_id)
            values, tables = self._encode_record(definition, record)
            self._apply(state, values, tables, action, moment)
            self._log(conn, draft_id, moment, action, "@created", "", None, _dump(definition.id))
        return draft_id

    def _encode_record(self, definition: FormDefinition, record: Submission,
                       ) -> tuple[dict[str, str | None], dict[str, JsonRows | None]]:
        values: dict[str, str | None] = {}
        for field_id, value in record.values.items():
            f = definition.field(field_id)
            if f is None:
                raise self._unknown_field(definition, field_id)
            values[field_id] = encode_json(f, value, field_id)
        tables: dict[str, JsonRows | None] = {}
        for table_id, rows in record.tables.items():
            table = self._table(definition, table_id)
            tables[table_id] = [self._encode_row(table, i + 1, row) for i, row in enumerate(rows)]
        return values, tables

    def _encode_row(self, table: TableDef, row_no: int, row: Mapping[str, Value]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column_id, value in row.items():
            column = table.column(column_id)
            path = f"{table.id}[{row_no}].{column_id}"
            if column is None:
                raise InvalidEdit(path, "store.unknown_column", Message(
                    f"表格“{table.label.zh}”没有列“{column_id}”",
                    f"the table “{table.label.en}” has no column “{column_id}”"))
            out[column_id] = json.loads(encode_json(column, value, path))
        return out

    def save_record(self, draft_id: int | None, record: Submission) -> int:
        """Make the stored draft equal ``record`` (the GUI's autosave); None creates a draft.

        Only what differs is written and recorded. Returns the draft id.
        """
        if draft_id is None:
            return self.import_record(record)
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            if record.form != state.definition.id:
                raise StoreError(Message(
                    f"草稿 {draft_id} 是 {state.definition.id}，不能保存为 {record.form}",
                    f"draft {draft_id} is {state.definition.id}, not {record.form}"))
            values, tables = self._encode_record(state.definition, record)
            for field_id in state.values():
                values.setdefault(field_id, None)
            for table_id in state.tables():
                tables.setdefault(table_id, None)
            self._apply(state, values, tables, "edit", now_utc())
        return draft_id

    def draft(self, draft_id: int) -> DraftInfo:
        """The draft's row (also while in the recycle bin; a purged one is not found)."""
        _require_id(draft_id)
        with self._read() as conn:
            infos = self._infos(conn, drafts.c.id == draft_id)
            if not infos:
                _Draft(conn, draft_id)  # raises DraftPurged / DraftNotFound
        if not infos:
            raise DraftNotFound(draft_id)
        return infos[0]

    def list_drafts(self, *, include_bin: bool = False) -> list[DraftInfo]:
        """Every draft (not those in the recycle bin unless ``include_bin``), most recently
        changed first."""
        with self._read() as conn:
            return self._infos(conn, None if include_bin else drafts.c.deleted_at.is_(None))

    def _infos(self, conn: Connection, where: Any) -> list[DraftInfo]:
        query = (select(drafts, enterprises.c.uscc, enterprises.c.name.label("enterprise_name"))
                 .select_from(drafts.outerjoin(enterprises,
                                               drafts.c.enterprise_id == enterprises.c.id))
                 .where(drafts.c.purged_at.is_(None))
                 .order_by(drafts.c.updated_at.desc(), drafts.c.id.desc()))
        if where is not None:
            query = query.where(where)
        return [self._info(r) for r in conn.execute(query).mappings()]

    @staticmethod
    def _info(r: RowMapping) -> DraftInfo:
        problems: list[Message] = []

        def when(column: str) -> datetime:
            try:
                return parse_ts(r[column])
            except (TypeError, ValueError):
                problems.append(Message(f"{column} 不是有效的时间", f"{column} is not a valid time"))
                return datetime(1970, 1, 1, tzinfo=UTC)

        def text(column: str) -> str:
            value = r[column]
            if value is None:
                return ""
            if bad_text(value):
                problems.append(Message(f"{column}：{NOT_UTF8.zh}", f"{column}: {NOT_UTF8.en}"))
                return str(value).encode("utf-8", "replace").decode("utf-8")
            return str(value)

        info = DraftInfo(
            id=r["id"], form_id=text("form_id"), form_version=text("form_version"),
            title=text("title"), status=text("status"), created_at=when("created_at"),
            created_by=text("created_by"), updated_at=when("updated_at"),
            updated_by=text("updated_by"),
            finalized_at=when("finalized_at") if r["finalized_at"] else None,
            uscc=text("uscc") or None, enterprise_name=text("enterprise_name") or None,
            source=text("source"),
            deleted_at=when("deleted_at") if r["deleted_at"] else None)
        if info.form_id not in FORM_IDS:
            problems.append(Message(f"未知的申请书类型“{info.form_id}”",
                                    f"unknown form “{info.form_id}”"))
        if problems:
            info = dataclasses.replace(info, problems=tuple(problems))
        return info

    def set_title(self, draft_id: int, title: str) -> None:
        """Rename the draft (:func:`checked_title`: refused with a message when it cannot be
        stored or is too long)."""
        title = checked_title(title)
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            old = state.row["title"]
            if old == title:
                return
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                title=title, updated_at=ts(moment), updated_by=self.user))
            self._log(conn, draft_id, moment, "title", "@title", "", _dump(old), _dump(title))

    # -- reading ------------------------------------------------------------------------------

    def get_record(self, draft_id: int) -> Submission:
        """The draft as a record; ``record.dumps`` of it is the canonical ``submission.json``.

        Raises :class:`DamagedContent` naming each stored value that cannot be read (never
        returns part of a draft silently); :meth:`read_record` returns what is readable."""
        record, problems = self.read_record(draft_id)
        if problems:
            raise DamagedContent(draft_id, problems)
        return record

    def read_record(self, draft_id: int) -> tuple[Submission, list[tuple[str, Message]]]:
        """The readable part of the draft and what is wrong with the rest (where, what)."""
        with self._read() as conn:
            state = _Draft(conn, draft_id)
            values = state.values()
            present = conn.execute(select(draft_tables.c.table_id, draft_tables.c.row_count)
                                   .where(draft_tables.c.draft_id == draft_id)).all()
            cells = conn.execute(
                select(table_cells.c.table_id, table_cells.c.row_no, table_cells.c.column_id,
                       table_cells.c.value_json).where(table_cells.c.draft_id == draft_id)).all()
            same_version = state.row["form_version"] == state.definition.version
            return self._record(state.definition, values, present, cells, same_version)

    def stored_values(self, draft_id: int) -> dict[str, Any]:
        """The raw stored JSON values, including any the current form definition no longer has
        (a draft made with an older form version stays readable)."""
        with self._read() as conn:
            state = _Draft(conn, draft_id)
            return {k: _loads(draft_id, k, v) for k, v in state.values().items()}

    @staticmethod
    def _record(definition: FormDefinition, values: Mapping[str, str],
                present: Sequence[Any], cells: Sequence[Any], same_version: bool,
                ) -> tuple[Submission, list[tuple[str, Message]]]:
        """The draft read through the current form definition. A draft made with an older
        form version stays readable: it is presented as the current version, and a value whose
        field the definition dropped (or whose type it changed) stays in the database, readable
        with ``stored_values`` and restorable from the history. A value that cannot be read
        at all (not UTF-8, not JSON, or not of its field's type in the same form version) is
        a problem (where, what)."""
        problems: list[tuple[str, Message]] = []
        record = Submission(definition.id, definition.version, definition.rules)

        def typed(f: FieldDef, where: str, text: object) -> tuple[bool, Value | None]:
            raw, problem = stored_json(text)
            if problem is None:
                try:
                    return True, decode_value(f, raw)
                except ValueError:
                    if not same_version:
                        return False, None  # an older version's value: kept, not shown
                    problem = Message(f"值与字段“{f.label.zh}”的类型不符",
                                      f"the value does not fit the field “{f.label.en}”")
            problems.append((where, problem))
            return False, None

        for field_id in sorted(values):
            f = definition.field(field_id)
            if f is not None:
                ok, value = typed(f, field_id, values[field_id])
                if ok and value is not None:
                    record.values[field_id] = value
        rows_of: dict[str, list[Row]] = {}
        for table_id, count in present:
            if definition.table(table_id) is not None:
                if (checked := stored_row(count)) is None:
                    problems.append((table_id, ROWS_DAMAGED))
                    continue
                rows_of[table_id] = [{} for _ in range(checked)]
        for table_id, row_no, column_id, text in cells:
            table = definition.table(table_id)
            rows = rows_of.get(table_id)
            if table is None or rows is None:
                continue
            if (number := stored_row(row_no)) is None:
                problems.append((f"{table_id}[?].{column_id}", ROWS_DAMAGED))
                continue
            if not 1 <= number <= len(rows):
                continue
            column = table.column(column_id)
            if column is not None:
                ok, value = typed(column, f"{table_id}[{number}].{column_id}", text)
                if ok and value is not None:
                    rows[number - 1][column_id] = value
        for table_id in sorted(rows_of):
            record.tables[table_id] = rows_of[table_id]
        return record, problems

    # -- editing ------------------------------------------------------------------------------

    def set_value(self, draft_id: int, field_id: str, value: Value | None) -> bool:
        """Store a typed value (None clears the field). Returns False when nothing changed."""
        return self.save_changes(draft_id, {field_id: value}) > 0

    def set_rows(self, draft_id: int, table_id: str, rows: Sequence[Mapping[str, Value]] | None,
                 ) -> bool:
        """Replace a whole table (None removes it from the record)."""
        return self.save_changes(draft_id, tables={table_id: rows}) > 0

    def set_cell(self, draft_id: int, table_id: str, row: int, column_id: str,
                 value: Value | None) -> bool:
        """Set one cell; ``row`` is 1-based, ``rows + 1`` appends a row. None clears the cell."""
        moment = now_utc()
        path = f"{table_id}[{row}].{column_id}"
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            table = self._table(state.definition, table_id)
            column = table.column(column_id)
            if column is None:
                raise InvalidEdit(path, "store.unknown_column", Message(
                    f"表格“{table.label.zh}”没有列“{column_id}”",
                    f"the table “{table.label.en}” has no column “{column_id}”"))
            rows = state.table(table_id) or []
            if not 1 <= row <= len(rows) + 1:
                raise InvalidEdit(path, "store.row", Message(
                    f"表格“{table.label.zh}”只有 {len(rows)} 行；行号应在 1–{len(rows) + 1} 之间"
                    f"（{len(rows) + 1} 表示新增一行）",
                    f"the table “{table.label.en}” has {len(rows)} row(s); the row number must be "
                    f"1–{len(rows) + 1} ({len(rows) + 1} adds a row)"))
            new_rows = [dict(r) for r in rows]
            if row == len(rows) + 1:
                if value is None:
                    return False
                new_rows.append({})
            if value is None:
                new_rows[row - 1].pop(column_id, None)
            else:
                new_rows[row - 1][column_id] = json.loads(encode_json(column, value, path))
            action = "set" if value is not None else "clear"
            return self._apply(state, {}, {table_id: new_rows}, action, moment, detail=path) > 0

    def delete_row(self, draft_id: int, table_id: str, row: int) -> bool:
        moment = now_utc()
        path = f"{table_id}[{row}]"
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            table = self._table(state.definition, table_id)
            rows = state.table(table_id) or []
            if not 1 <= row <= len(rows):
                raise InvalidEdit(path, "store.row", Message(
                    f"表格“{table.label.zh}”没有第 {row} 行（共 {len(rows)} 行）",
                    f"the table “{table.label.en}” has no row {row} ({len(rows)} row(s))"))
            new_rows = rows[: row - 1] + rows[row:]
            return self._apply(state, {}, {table_id: new_rows}, "delete", moment, detail=path) > 0

    def save_changes(self, draft_id: int, values: Mapping[str, Value | None] | None = None,
                     tables: Mapping[str, Sequence[Mapping[str, Value]] | None] | None = None,
                     *, action: str = "set") -> int:
        """Store several typed values and whole tables in ONE durable transaction.

        None clears a field / removes a table. Returns the number of paths that changed.
        """
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            definition = state.definition
            encoded: dict[str, str | None] = {}
            for field_id, value in (values or {}).items():
                f = definition.field(field_id)
                if f is None:
                    raise self._unknown_field(definition, field_id)
                if f.computed is not None:
                    raise self._computed(f)
                encoded[field_id] = None if value is None else encode_json(f, value, field_id)
            encoded_tables: dict[str, JsonRows | None] = {}
            for table_id, rows in (tables or {}).items():
                table = self._table(definition, table_id)
                encoded_tables[table_id] = None if rows is None else [
                    self._encode_row(table, i + 1, row) for i, row in enumerate(rows)]
            return self._apply(state, encoded, encoded_tables, action, moment)

    def set_input(self, draft_id: int, path: str, raw: str, *, today: date) -> SetResult:
        """What the user typed, for a field id or ``TABLE[N].COLUMN`` (1-based; N = rows + 1
        appends a row), parsed by ``values.parse_input`` exactly like the GUI's editors.
        An empty ``raw`` clears. Raises :class:`InvalidEdit` naming the field; nothing is stored
        then."""
        definition = self._definition_of(draft_id)
        match = _CELL_PATH.match(path)
        if match:
            table = self._table(definition, match["table"])
            column = table.column(match["column"])
            if column is None:
                raise InvalidEdit(path, "store.unknown_column", Message(
                    f"表格“{table.label.zh}”没有列“{match['column']}”",
                    f"the table “{table.label.en}” has no column “{match['column']}”"))
            rows = self.get_record(draft_id).tables.get(table.id, [])
            row_no = int(match["row"])
            current = rows[row_no - 1] if 1 <= row_no <= len(rows) else {}
            # the column as it applies in this row (a patent number in a patent's row)
            checked = self._parse(column.for_row(current), path, raw, today)
            value = checked.value if checked else None
            changed = self.set_cell(draft_id, table.id, row_no, column.id, value)
            return SetResult(path, value, checked.warnings if checked else (), changed)
        f = definition.field(path)
        if f is None:
            raise self._unknown_field(definition, path)
        if f.computed is not None:
            raise self._computed(f)
        checked = self._parse(f, path, raw, today)
        value = checked.value if checked else None
        changed = self.set_value(draft_id, f.id, value)
        return SetResult(path, value, checked.warnings if checked else (), changed)

    @staticmethod
    def _parse(f: FieldDef, path: str, raw: str, today: date) -> Any:
        if not raw.strip():
            return None
        try:
            return parse_input(f, raw, today=today)
        except InvalidValue as exc:
            raise InvalidEdit(path, exc.code, _field_message(f, path, exc.message)) from exc

    def _definition_of(self, draft_id: int) -> FormDefinition:
        _require_id(draft_id)
        with self._read() as conn:
            form_id = conn.execute(select(drafts.c.form_id).where(drafts.c.id == draft_id)).scalar()
        if form_id is None:
            raise DraftNotFound(draft_id)
        return _stored_definition(draft_id, form_id)

    @staticmethod
    def _unknown_field(definition: FormDefinition, field_id: str) -> InvalidEdit:
        return InvalidEdit(field_id, "store.unknown_field", Message(
            f"{definition.short_title.zh}中没有字段“{field_id}”",
            f"the form {definition.id} has no field “{field_id}”"))

    @staticmethod
    def _computed(f: FieldDef) -> InvalidEdit:
        return InvalidEdit(f.id, "store.computed", Message(
            f"“{f.label.zh}”（{f.id}）由其他数据计算得出，不能直接填写",
            f"“{f.label.en}” ({f.id}) is computed from other values and cannot be set"))

    @staticmethod
    def _table(definition: FormDefinition, table_id: str) -> TableDef:
        table = definition.table(table_id)
        if table is None:
            raise InvalidEdit(table_id, "store.unknown_table", Message(
                f"{definition.short_title.zh}中没有表格“{table_id}”",
                f"the form {definition.id} has no table “{table_id}”"))
        return table

    def _apply(self, state: _Draft, values: Mapping[str, str | None],
               tables: Mapping[str, JsonRows | None], action: str, moment: datetime,
               detail: str = "") -> int:
        """Write the differences and their revisions; the caller's transaction commits."""
        conn, draft_id = state.conn, state.id
        for table_id, rows in tables.items():  # the record reader's row limits
            table = state.definition.table(table_id)
            too_many = None if table is None or rows is None else limits.rows_problem(
                table, len(rows))
            if table is not None and too_many is not None:
                raise InvalidEdit(table_id, too_many.code, Message(
                    f"“{table.label.zh}”：{too_many.message.zh}",
                    f"“{table.label.en}”: {too_many.message.en}"))
        changed = 0
        at = ts(moment)
        current = state.values() if len(values) > 4 else None
        old_name: str | None = None
        for field_id, new in values.items():
            old = current.get(field_id) if current is not None else state.value(field_id)
            if old == new:
                continue
            for text in (old, new):  # a damaged value is named, never written back or over
                if text is not None and (problem := stored_json(text)[1]) is not None:
                    raise DamagedContent(draft_id, [(field_id, problem)])
            if field_id == "enterprise.name":
                old_name = old
            key = and_(field_values.c.draft_id == draft_id, field_values.c.field_id == field_id)
            if new is None:
                conn.execute(delete(field_values).where(key))
            elif old is None:
                conn.execute(insert(field_values).values(draft_id=draft_id, field_id=field_id,
                                                         value_json=new))
            else:
                conn.execute(update(field_values).where(key).values(value_json=new))
            self._log(conn, draft_id, moment, action if new is not None else "clear",
                      field_id, detail if detail != field_id else "", old, new)
            changed += 1
        for table_id, new_rows in tables.items():
            old_rows = state.table(table_id)
            if old_rows == new_rows:
                continue
            key_t = and_(draft_tables.c.draft_id == draft_id, draft_tables.c.table_id == table_id)
            conn.execute(delete(table_cells).where(and_(table_cells.c.draft_id == draft_id,
                                                        table_cells.c.table_id == table_id)))
            conn.execute(delete(draft_tables).where(key_t))
            if new_rows is not None:
                conn.execute(insert(draft_tables).values(draft_id=draft_id, table_id=table_id,
                                                         row_count=len(new_rows)))
                cells = [{"draft_id": draft_id, "table_id": table_id, "row_no": i + 1,
                          "column_id": column_id, "value_json": _dump(value)}
                         for i, row in enumerate(new_rows) for column_id, value in row.items()]
                if cells:
                    conn.execute(insert(table_cells), cells)
            self._log(conn, draft_id, moment, action, table_id, detail,
                      None if old_rows is None else _dump(old_rows),
                      None if new_rows is None else _dump(new_rows))
            changed += 1
        if changed:
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                updated_at=at, updated_by=self.user))
            if {"enterprise.uscc", "enterprise.name"} & set(values):
                self._link_enterprise(state, at)
            if "enterprise.name" in values:
                self._follow_name(state, old_name, values["enterprise.name"], moment)
        return changed

    def _follow_name(self, state: _Draft, old_json: str | None, new_json: str | None,
                     moment: datetime) -> None:
        """A draft still named by default (the form's short title, or the enterprise name it
        had) takes the enterprise's name once it is typed, so the draft is called the same in
        its window and on the home screen. A title the user chose is kept."""
        if new_json is None or new_json == old_json:
            return
        title = state.conn.execute(select(drafts.c.title).where(
            drafts.c.id == state.id)).scalar()
        short = state.definition.short_title
        defaults = {"", short.zh, short.en}
        if old_json is not None:
            defaults.add(str(_loads(state.id, "enterprise.name", old_json)))
        new = str(_loads(state.id, "enterprise.name", new_json)).strip()
        if title not in defaults or not new or new == title:
            return
        state.conn.execute(update(drafts).where(drafts.c.id == state.id).values(title=new))
        self._log(state.conn, state.id, moment, "title", "@title", "", _dump(title), _dump(new))

    def _link_enterprise(self, state: _Draft, at: str) -> None:
        conn = state.conn
        uscc_json, name_json = state.value("enterprise.uscc"), state.value("enterprise.name")
        enterprise_id = None
        if uscc_json is not None:
            uscc = str(_loads(state.id, "enterprise.uscc", uscc_json))
            name = (str(_loads(state.id, "enterprise.name", name_json))
                    if name_json is not None else "")
            enterprise_id = conn.execute(select(enterprises.c.id).where(
                enterprises.c.uscc == uscc)).scalar()
            if enterprise_id is None:
                enterprise_id = _new_id(conn.execute(insert(enterprises).values(
                    uscc=uscc, name=name, created_at=at, updated_at=at)))
            elif name:
                conn.execute(update(enterprises).where(enterprises.c.id == enterprise_id)
                             .values(name=name, updated_at=at))
        conn.execute(update(drafts).where(drafts.c.id == state.id)
                     .values(enterprise_id=enterprise_id))

    def _log(self, conn: Connection, draft_id: int, moment: datetime, action: str, path: str,
             detail: str, old: str | None, new: str | None) -> None:
        conn.execute(insert(revisions).values(
            draft_id=draft_id, at=ts(moment), user=self.user, action=action, path=path,
            detail=detail, old_json=old, new_json=new))

    # -- history ------------------------------------------------------------------------------

    def history(self, draft_id: int, path: str | None = None) -> list[Revision]:
        """Every recorded change of the draft, oldest first; ``path`` narrows it to one field
        or table (cell edits of a table are included, their ``detail`` names the cell)."""
        if path is not None and limits.bad_character(path) is not None:
            shown = limits.printable(path)  # cannot be a field: never sent to SQLite
            raise InvalidEdit(shown, "store.unknown_field", Message(
                f"表单中没有字段“{shown}”", f"the form has no field “{shown}”"))
        with self._read() as conn:
            _Draft(conn, draft_id)
            query = select(revisions).where(revisions.c.draft_id == draft_id)
            if path is not None:
                match = _CELL_PATH.match(path)
                if match:
                    query = query.where(revisions.c.detail == path)
                else:
                    query = query.where(revisions.c.path == path)
            rows = conn.execute(query.order_by(revisions.c.id)).mappings().all()
        return [_revision(r) for r in rows]

    def state_at(self, draft_id: int, at: datetime) -> Submission:
        """The draft as it was at ``at`` (aware datetime), rebuilt from the revisions."""
        with self._read() as conn:
            state = _Draft(conn, draft_id)
            values, tables = self._state_at(conn, state, at)
            present = [(tid, len(rows)) for tid, rows in tables.items()]
            cells = [(tid, i + 1, column_id, _dump(value)) for tid, rows in tables.items()
                     for i, row in enumerate(rows) for column_id, value in row.items()]
            record, problems = self._record(state.definition, values, present, cells,
                                            state.row["form_version"] == state.definition.version)
        if problems:
            raise DamagedContent(draft_id, problems)
        return record

    @staticmethod
    def _state_at(conn: Connection, state: _Draft, at: datetime,
                  ) -> tuple[dict[str, str], dict[str, JsonRows]]:
        rows = conn.execute(
            select(revisions.c.path, revisions.c.new_json)
            .where(and_(revisions.c.draft_id == state.id, revisions.c.at <= ts(at),
                        revisions.c.path.not_like("@%")))
            .order_by(revisions.c.id))
        latest: dict[str, str | None] = {}
        for path, new in rows:
            latest[path] = new
        values: dict[str, str] = {}
        tables: dict[str, JsonRows] = {}
        for path, new in latest.items():
            if new is None:
                continue
            if state.definition.table(path) is not None:
                tables[path] = _rows_json(state.id, f"{path} (history)", new) or []
            else:
                values[path] = new
        return values, tables

    def restore_at(self, draft_id: int, at: datetime) -> int:
        """Make the draft what it was at ``at``. The restore is itself recorded (and undoable).
        Returns the number of fields and tables that changed."""
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            old_values, old_tables = self._state_at(conn, state, at)
            values: dict[str, str | None] = dict(old_values)
            for field_id in state.values():
                values.setdefault(field_id, None)
            tables: dict[str, JsonRows | None] = dict(old_tables)
            for table_id in state.tables():
                tables.setdefault(table_id, None)
            return self._apply(state, values, tables, "restore", moment)

    def restore_revision(self, draft_id: int, revision_id: int) -> bool:
        """Set the field or table of a revision back to the value that revision saved."""
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            r = conn.execute(select(revisions).where(and_(
                revisions.c.id == revision_id, revisions.c.draft_id == draft_id))).mappings().first()
            if r is None or r["path"].startswith("@"):
                raise StoreError(Message(f"草稿 {draft_id} 没有可恢复的修改记录 {revision_id}",
                                         f"draft {draft_id} has no restorable revision {revision_id}"))
            if state.definition.table(r["path"]) is not None:
                rows = _rows_json(draft_id, f"{r['path']} (revision {revision_id})", r["new_json"])
                return self._apply(state, {}, {r["path"]: rows}, "restore", moment) > 0
            return self._apply(state, {r["path"]: r["new_json"]}, {}, "restore", moment) > 0

    # -- status -------------------------------------------------------------------------------

    def finalize(self, draft_id: int) -> datetime:
        """Mark the draft finalized (read-only) and take a backup. Returns the finalization
        time (timezone-aware UTC, whole seconds: it names the bundle)."""
        moment = now_utc().replace(microsecond=0)
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                status=FINALIZED, finalized_at=ts(moment), updated_at=ts(moment),
                updated_by=self.user))
            self._log(conn, draft_id, moment, "finalize", "@status", "", _dump(EDITING),
                      _dump(FINALIZED))
        self.backup("finalize")
        return moment

    def reopen(self, draft_id: int) -> None:
        """Make a finalized draft editable again (recorded in the history)."""
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            if state.row["status"] != FINALIZED:
                return
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                status=EDITING, finalized_at=None, updated_at=ts(moment), updated_by=self.user))
            self._log(conn, draft_id, moment, "reopen", "@status", "", _dump(FINALIZED),
                      _dump(EDITING))

    def finalized_at(self, draft_id: int) -> datetime | None:
        return self.draft(draft_id).finalized_at

    # -- recycle bin --------------------------------------------------------------------------

    def delete_draft(self, draft_id: int, *, finalized: bool = False) -> datetime:
        """Move the draft to the recycle bin (restorable for ``BIN_DAYS`` days, recorded in the
        history). A finalized draft is moved only with ``finalized=True`` (the caller asked the
        user twice), else :class:`FinalizedNeedsConfirmation`. Returns the deletion time."""
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            if state.row["deleted_at"] is not None:
                return parse_ts(state.row["deleted_at"])
            if state.row["status"] == FINALIZED and not finalized:
                raise FinalizedNeedsConfirmation(draft_id)
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                deleted_at=ts(moment)))
            self._log(conn, draft_id, moment, "bin", "@bin", "", None, _dump(ts(moment)))
        return moment

    def undelete_draft(self, draft_id: int) -> bool:
        """Take the draft out of the recycle bin, as it was (recorded in the history). False
        when it was not in the bin (nothing changed)."""
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)  # a purged draft: DraftPurged
            deleted = state.row["deleted_at"]
            if deleted is None:
                return False
            conn.execute(update(drafts).where(drafts.c.id == draft_id).values(deleted_at=None))
            self._log(conn, draft_id, moment, "unbin", "@bin", "", _dump(deleted), None)
        return True

    def binned(self) -> list[DraftInfo]:
        """The drafts in the recycle bin, most recently deleted first."""
        with self._read() as conn:
            infos = self._infos(conn, drafts.c.deleted_at.is_not(None))
        return sorted(infos, key=lambda d: (d.deleted_at or d.updated_at, d.id), reverse=True)

    def purged(self) -> list[PurgedDraft]:
        """The record of every purge, most recent first."""
        with self._read() as conn:
            rows = conn.execute(
                select(drafts.c.id, drafts.c.form_id, drafts.c.title, drafts.c.deleted_at,
                       drafts.c.purged_at, revisions.c.user)
                .select_from(drafts.join(revisions, and_(revisions.c.draft_id == drafts.c.id,
                                                         revisions.c.action == "purge")))
                .where(drafts.c.purged_at.is_not(None))
                .order_by(drafts.c.purged_at.desc(), drafts.c.id.desc())).all()
        return [PurgedDraft(r[0], r[1], r[2], parse_ts(r[3]) if r[3] else None, parse_ts(r[4]),
                            r[5]) for r in rows]

    def purge_bin(self, now: datetime | None = None) -> list[PurgedDraft]:
        """Purge the drafts deleted more than ``BIN_DAYS`` days before ``now``: their values,
        tables, attachments (the stored copy too, unless another draft has it) and the
        contents of their revisions are removed; the row and its revision times stay, with a
        ``purge`` revision. Returns what was purged — the caller says so (never silently)."""
        moment = now or now_utc()
        cutoff = ts(moment - timedelta(days=BIN_DAYS))
        with self._read() as conn:
            due = conn.execute(select(drafts.c.id).where(and_(
                drafts.c.deleted_at.is_not(None), drafts.c.deleted_at <= cutoff,
                drafts.c.purged_at.is_(None))).order_by(drafts.c.id)).scalars().all()
        if not due:
            return []
        blobs: set[str] = set()
        out: list[PurgedDraft] = []
        with self._write() as conn:
            for draft_id in due:
                row = conn.execute(select(drafts).where(drafts.c.id == draft_id)).mappings().one()
                if row["purged_at"] is not None or row["deleted_at"] is None:
                    continue  # restored or purged by another process meanwhile
                blobs |= {r[0] for r in conn.execute(select(attachments.c.stored).where(
                    attachments.c.draft_id == draft_id))}
                for table in self._contents_tables():
                    conn.execute(delete(table).where(table.c.draft_id == draft_id))
                conn.execute(update(revisions).where(revisions.c.draft_id == draft_id)
                             .values(old_json=None, new_json=None))
                conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                    purged_at=ts(moment), enterprise_id=None))
                self._log(conn, draft_id, moment, "purge", "@bin", "", _dump(row["deleted_at"]),
                          None)
                out.append(PurgedDraft(draft_id, row["form_id"], row["title"],
                                       parse_ts(row["deleted_at"]), moment, self.user))
            still = {r[0] for r in conn.execute(select(attachments.c.stored).where(
                attachments.c.stored.in_(blobs)))} if blobs else set()
        for stored in sorted(blobs - still):
            with contextlib.suppress(OSError):  # still held: collect_garbage removes it later
                fileops.unlink(self.layout.root / stored)
        return out

    @staticmethod
    def _contents_tables() -> tuple[Table, ...]:
        """Every table holding a draft's contents (not its row, not its revisions)."""
        return (table_cells, draft_tables, field_values, attachments, draft_inputs,
                draft_confirmations)

    # -- text being typed ---------------------------------------------------------------------

    def save_inputs(self, draft_id: int, inputs: Mapping[str, str | None]) -> None:
        """Keep (a text) or forget (None) what was typed into fields or table cells
        (``"table[2].column"``, 1-based) and is not their value: text saved while the user is
        still typing, or text the parser refused (the last valid value stays). Not a revision
        (no value changes); refused on a finalized draft."""
        if not inputs:
            return
        moment = ts(now_utc())
        with self._write() as conn:
            _Draft(conn, draft_id).require_editable()
            for path, text in inputs.items():
                conn.execute(delete(draft_inputs).where(and_(
                    draft_inputs.c.draft_id == draft_id, draft_inputs.c.path == path)))
                if text is not None:  # a refused text may hold what SQLite cannot store
                    conn.execute(insert(draft_inputs).values(
                        draft_id=draft_id, path=path,
                        text=limits.storable(text, multiline=True), updated_at=moment))

    def inputs(self, draft_id: int) -> dict[str, str]:
        """The texts kept by :meth:`save_inputs`: path → text."""
        _require_id(draft_id)
        with self._read() as conn:
            rows = conn.execute(select(draft_inputs.c.path, draft_inputs.c.text)
                                .where(draft_inputs.c.draft_id == draft_id))
            return {str(path): str(text) for path, text in rows}

    # -- items confirmed on the check page ----------------------------------------------------

    def confirm(self, draft_id: int, keys: Mapping[str, bool]) -> None:
        """Keep (True) or drop (False) the user's "已核实" for items to confirm (the keys of
        ``forms.progress.Confirm``). Not a revision (no value changes); refused on a finalized
        draft or one in the recycle bin."""
        if not keys:
            return
        moment = ts(now_utc())
        with self._write() as conn:
            _Draft(conn, draft_id).require_editable()
            for key, confirmed in keys.items():
                # our own keys (the finding's words, "\x1f" between); only what SQLite cannot
                # encode at all (a lone surrogate) is replaced
                key = key.encode("utf-8", "replace").decode("utf-8")
                conn.execute(delete(draft_confirmations).where(and_(
                    draft_confirmations.c.draft_id == draft_id,
                    draft_confirmations.c.key == key)))
                if confirmed:
                    conn.execute(insert(draft_confirmations).values(
                        draft_id=draft_id, key=key, confirmed_at=moment, user=self.user))

    def confirmed(self, draft_id: int) -> set[str]:
        """The keys the user confirmed (:meth:`confirm`)."""
        with self._read() as conn:
            rows = conn.execute(select(draft_confirmations.c.key)
                                .where(draft_confirmations.c.draft_id == draft_id))
            return {str(key) for (key,) in rows}

    # -- attachments --------------------------------------------------------------------------

    def add_attachment(self, draft_id: int, category: str, path: Path, *,
                       progress: att.Progress | None = None,
                       cancel: att.Cancel | None = None) -> AttachmentInfo:
        """Copy a supporting document into the store (streamed, hashed, checked by content).

        ``progress(done_bytes, total_bytes)`` is called after every 1 MiB; ``cancel()``
        returning True stops the copy and leaves nothing behind. A file whose bytes are
        already attached to this draft is refused, naming the earlier attachment.
        """
        if category not in CATEGORIES:
            raise AttachmentRefused("attachment.category", Message(
                f"未知的附件类别“{category}”（可用：{'、'.join(CATEGORIES)}）",
                f"unknown attachment category “{category}” (known: {', '.join(CATEGORIES)})"))
        with self._read() as conn:
            _Draft(conn, draft_id).require_editable()
        incoming = att.ingest(self.layout, Path(path), max_bytes=self.max_attachment_bytes,
                              progress=progress, cancel=cancel)
        try:
            moment = now_utc()
            with self._write() as conn:
                state = _Draft(conn, draft_id)
                state.require_editable()
                earlier = conn.execute(select(attachments.c.name, attachments.c.category).where(
                    and_(attachments.c.draft_id == draft_id,
                         attachments.c.sha256 == incoming.sha256))).first()
                if earlier is not None:
                    label = CATEGORIES.get(earlier[1], Message(earlier[1], earlier[1]))
                    raise AttachmentRefused("attachment.duplicate", Message(
                        f"“{incoming.name}”与已添加的附件“{earlier[0]}”（{label.zh}）内容完全相同，"
                        "未重复添加",
                        f"“{incoming.name}” has the same content as the attachment "
                        f"“{earlier[0]}” ({label.en}) already added; not added twice"))
                stored = att.place(self.layout, incoming)
                rel = stored.relative_to(self.layout.root).as_posix()
                attachment_id = _new_id(conn.execute(insert(attachments).values(
                    draft_id=draft_id, category=category, name=incoming.name,
                    media_type=incoming.media_type, size=incoming.size, sha256=incoming.sha256,
                    stored=rel, added_at=ts(moment), added_by=self.user,
                )))
                self._log(conn, draft_id, moment, "attach", "@attachments",
                          f"{category}/{incoming.name}", None, _dump(incoming.sha256))
                conn.execute(update(drafts).where(drafts.c.id == draft_id).values(
                    updated_at=ts(moment), updated_by=self.user))
        finally:
            att.discard(incoming)  # no-op once placed
        return AttachmentInfo(attachment_id, draft_id, category, incoming.name,
                              incoming.media_type, incoming.size, incoming.sha256, stored, moment,
                              self.user)

    def share_attachments(self, from_draft: int, to_draft: int, attachment_ids: Sequence[int],
                          ) -> tuple[list[AttachmentInfo], list[tuple[int, Message]]]:
        """Give ``to_draft`` the attachments ``attachment_ids`` of ``from_draft`` (carry-over):
        the stored copy is shared (content-addressed), each addition recorded like a new one.
        Returns what was added and what was not (id, why: already attached, not found)."""
        moment = now_utc()
        added: list[AttachmentInfo] = []
        skipped: list[tuple[int, Message]] = []
        with self._write() as conn:
            _Draft(conn, from_draft)
            state = _Draft(conn, to_draft)
            state.require_editable()
            for attachment_id in attachment_ids:
                r = conn.execute(select(attachments).where(and_(
                    attachments.c.id == attachment_id,
                    attachments.c.draft_id == from_draft))).mappings().first()
                if r is None:
                    skipped.append((attachment_id, Message(
                        f"草稿 {from_draft} 没有附件 {attachment_id}",
                        f"draft {from_draft} has no attachment {attachment_id}")))
                    continue
                earlier = conn.execute(select(attachments.c.name).where(and_(
                    attachments.c.draft_id == to_draft,
                    attachments.c.sha256 == r["sha256"]))).scalar()
                if earlier is not None:
                    skipped.append((attachment_id, Message(
                        f"“{r['name']}”与已添加的附件“{earlier}”内容完全相同，未重复添加",
                        f"“{r['name']}” has the same content as “{earlier}”, already "
                        "attached; not added twice")))
                    continue
                new_id = _new_id(conn.execute(insert(attachments).values(
                    draft_id=to_draft, category=r["category"], name=r["name"],
                    media_type=r["media_type"], size=r["size"], sha256=r["sha256"],
                    stored=r["stored"], added_at=ts(moment), added_by=self.user)))
                self._log(conn, to_draft, moment, "attach", "@attachments",
                          f"{r['category']}/{r['name']}", None, _dump(r["sha256"]))
                added.append(AttachmentInfo(new_id, to_draft, r["category"], r["name"],
                                            r["media_type"], r["size"], r["sha256"],
                                            self.layout.root / r["stored"], moment, self.user))
            if added:
                conn.execute(update(drafts).where(drafts.c.id == to_draft).values(
                    updated_at=ts(moment), updated_by=self.user))
        return added, skipped

    def attachments(self, draft_id: int) -> list[AttachmentInfo]:
        """The draft's attachments in bundle order: by category (PRODUCT.md §4), then as added."""
        order = {c: i for i, c in enumerate(CATEGORIES)}
        with self._read() as conn:
            _Draft(conn, draft_id)
            rows = conn.execute(select(attachments).where(attachments.c.draft_id == draft_id)
                                .order_by(attachments.c.id)).mappings().all()
        infos = [AttachmentInfo(
            r["id"], r["draft_id"], r["category"], r["name"], r["media_type"], r["size"],
            r["sha256"], self.layout.root / r["stored"], parse_ts(r["added_at"]), r["added_by"])
            for r in rows]
        return sorted(infos, key=lambda a: (order.get(a.category, len(order)), a.id))

    def remove_attachment(self, draft_id: int, attachment_id: int) -> None:
        moment = now_utc()
        with self._write() as conn:
            state = _Draft(conn, draft_id)
            state.require_editable()
            r = conn.execute(select(attachments).where(and_(
                attachments.c.id == attachment_id, attachments.c.draft_id == draft_id))).first()
            if r is None:
                raise StoreError(Message(f"草稿 {draft_id} 没有附件 {attachment_id}",
                                         f"draft {draft_id} has no attachment {attachment_id}"))
            conn.execute(delete(attachments).where(attachments.c.id == attachment_id))
            self._log(conn, draft_id, moment, "detach", "@attachments",
                      f"{r.category}/{r.name}", _dump(r.sha256), None)
            still = conn.execute(select(func.count()).select_from(attachments)
                                 .where(attachments.c.sha256 == r.sha256)).scalar()
        if not still:
            with contextlib.suppress(OSError):  # still held: collect_garbage removes it later
                att_path = self.layout.root / r.stored
                fileops.unlink(att_path)

    def collect_garbage(self) -> int:
        """Remove interrupted attachment copies and unreferenced stored files (an hour old)."""
        with self._read() as conn:
            referenced = {r[0] for r in conn.execute(select(attachments.c.sha256))}
        return att.collect_garbage(self.layout, referenced)

