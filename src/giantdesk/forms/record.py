"""The canonical record (``submission.json``, PRODUCT.md §3): typed values, serializer, reader.

The serializer is deterministic: keys sorted, two-space indent, LF, trailing newline, NFC strings,
decimals as strings with two decimals. The reader turns any JSON text into a :class:`Submission`
or raises :class:`RecordError` listing every problem with the field it concerns. It is the one
reader of record files (``check``, ``export``, ``drafts import``, carry-over, ``verify``, the
GUI's "open"): it also refuses what could not be stored or printed (see :mod:`forms.limits`) —
a file over the definition's size limit, text with characters that cannot be encoded or
printed, values over their field's ``max_length``, tables over ``max_rows``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from giantdesk.forms import limits
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.messages import Message
from giantdesk.forms.model import (
    DECIMAL_TYPES,
    INTEGER_TYPES,
    FieldDef,
    FieldType,
    FormDefinition,
    TableDef,
    Value,
)
from giantdesk.forms.validators import InvalidValue

FORMAT = "giantdesk.submission/1"

Row = dict[str, Value]


@dataclass
class Submission:
    """One declaration: the values the user typed, keyed by field id, and the table rows."""

    form: str
    form_version: str
    rules: str
    values: dict[str, Value] = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)

    @classmethod
    def empty(cls, definition: FormDefinition) -> Submission:
        return cls(definition.id, definition.version, definition.rules)

    @property
    def definition(self) -> FormDefinition:
        return load_definition(self.form)

    def copy(self) -> Submission:
        return Submission(self.form, self.form_version, self.rules, dict(self.values),
                          {k: [dict(r) for r in rows] for k, rows in self.tables.items()})


@dataclass(frozen=True)
class Problem:
    """Something wrong at ``path`` (a field id, or ``table[row].column``)."""

    path: str
    code: str
    message: Message

    def as_json(self, lang: str) -> dict[str, str]:
        return {"field": self.path, "code": self.code, "message": self.message.text(lang)}


#: Problem codes of a record that is well-formed but holds what cannot be stored or printed
#: (the commands report these as an invalid record, exit 1, not an unreadable file, exit 2).
LIMIT_CODES = frozenset({"text.character", "text.too_long", "choice.too_many", "table.max_rows",
                         "record.too_large"})


class RecordError(ValueError):
    """The text cannot be read as a record; ``problems`` names each place that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message.en}" for p in problems))

    @property
    def over_limits(self) -> bool:
        """Every problem is a limit (characters, lengths, rows, size), none a malformed file."""
        return bool(self.problems) and all(p.code in LIMIT_CODES for p in self.problems)


def problems_message(head: Message, problems: list[Problem] | tuple[Problem, ...], *,
                     most: int | None = None) -> Message:
    """``head`` and one indented line per problem ("path: message"); with ``most``, at most
    that many lines and a count of the rest."""
    shown = problems if most is None else problems[:most]
    lines_zh, lines_en = [head.zh], [head.en]
    for problem in shown:
        where = f"{problem.path}: " if problem.path else ""
        lines_zh.append(f"  {where}{problem.message.zh}")
        lines_en.append(f"  {where}{problem.message.en}")
    if len(problems) > len(shown):
        lines_zh.append(f"  ……另有 {len(problems) - len(shown)} 处")
        lines_en.append(f"  … and {len(problems) - len(shown)} more")
    return Message("\n".join(lines_zh), "\n".join(lines_en))


# --------------------------------------------------------------------------------------------
# Encoding

def _money_text(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return f"{value:.2f}"
    return format(value, "f")  # more than two decimals: kept, the validator reports it


def encode_value(definition_field: FieldDef, value: Value) -> Any:
    """The JSON form of a typed value (§3 "Value types in JSON")."""
    ftype = definition_field.type
    if ftype in DECIMAL_TYPES:
        assert isinstance(value, Decimal)
        return _money_text(value)
    if ftype is FieldType.DATE:
        assert isinstance(value, date)
        return value.isoformat()
    if ftype is FieldType.MULTICHOICE:
        assert isinstance(value, tuple)
        order = {c.id: i for i, c in enumerate(definition_field.choices)}
        return sorted(value, key=lambda v: (order.get(v, len(order)), v))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def to_json_dict(record: Submission) -> dict[str, Any]:
    definition = record.definition
    values: dict[str, Any] = {}
    for field_id, value in record.values.items():
        f = definition.field(field_id)
        if f is not None:
            values[field_id] = encode_value(f, value)
    tables: dict[str, Any] = {}
    for table_id, rows in record.tables.items():
        table = definition.table(table_id)
        if table is None:
            continue
        encoded_rows = []
        for row in rows:
            encoded: dict[str, Any] = {}
            for column_id, value in row.items():
                column = table.column(column_id)
                if column is not None:
                    encoded[column_id] = encode_value(column, value)
            encoded_rows.append(encoded)
        tables[table_id] = encoded_rows
    return {
        "format": FORMAT,
        "form": record.form,
        "form_version": record.form_version,
        "rules": record.rules,
        "values": values,
        "tables": tables,
    }


def dumps(record: Submission) -> str:
    """The canonical text of ``record``: the same record always gives the same bytes."""
    return json.dumps(to_json_dict(record), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def dump_bytes(record: Submission) -> bytes:
    return dumps(record).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Decoding

_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)

_MSG_EXPECTED = {
    "string": Message("应为文本（字符串）", "expected a text string"),
    "bool": Message("应为 true 或 false", "expected true or false"),
    "int": Message("应为整数", "expected a whole number"),
    "decimal": Message("应为带两位小数的数字字符串，例如 \"1234.50\"",
                       "expected a decimal number as a string, e.g. \"1234.50\""),
    "date": Message("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"),
    "list": Message("应为选项编号的列表", "expected a list of choice ids"),
}


class _Float(float):
    """Marks JSON numbers with a fraction or exponent so they can be rejected (no floats)."""


class _HugeInt:
    """An integer literal longer than any value can be: kept unparsed (Python refuses to convert
    past 4,300 digits, and converting is quadratic before that) so the field holding it is named
    like any other value of the wrong kind."""

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"{self.digits[:16]}…"  # the message quotes the value: its start is enough


_MAX_INT_DIGITS = 40  # far past every field's range (a money value is a string)


def _parse_int(text: str) -> int | _HugeInt:
    return _HugeInt(text) if len(text) > _MAX_INT_DIGITS else int(text)


def decode_value(definition_field: FieldDef, raw: Any) -> Value:
    """A typed value from its JSON form; raises ``ValueError`` with a key of ``_MSG_EXPECTED``."""
    ftype = definition_field.type
    if ftype is FieldType.BOOL:
        if isinstance(raw, bool):
            return raw
        raise ValueError("bool")
    if ftype in INTEGER_TYPES:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ValueError("int")
    if ftype in DECIMAL_TYPES:
        if isinstance(raw, str) and _DECIMAL_RE.match(raw):
            try:
                return Decimal(raw)
            except InvalidOperation:
                pass
        raise ValueError("decimal")
    if ftype is FieldType.DATE:
        if isinstance(raw, str) and _DATE_RE.match(raw):
            try:
                return date.fromisoformat(raw)
            except ValueError:
                pass
        raise ValueError("date")
    if ftype is FieldType.MULTICHOICE:
        if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            return tuple(raw)
        raise ValueError("list")
    if isinstance(raw, str):
        return unicodedata.normalize("NFC", raw)
    raise ValueError("string")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise RecordError([Problem(key, "record.duplicate_key",
                                       Message(f"键“{key}”重复出现", f"key “{key}” appears twice"))])
        out[key] = value
    return out


def _structure(path: str, zh: str, en: str) -> RecordError:
    return RecordError([Problem(path, "record.structure", Message(zh, en))])


def parse_json(text: str | bytes) -> Any:
    """Parse JSON, rejecting duplicate keys and floats (which cannot carry a decimal exactly)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_Float,
                          parse_int=_parse_int,
                          parse_constant=lambda c: _Float("nan"))
    except UnicodeDecodeError as exc:
        raise _structure("", "文件不是 UTF-8 编码的文本", "the file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise _structure("", f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}",
                         f"not valid JSON: line {exc.lineno} column {exc.colno}, {exc.msg}") from exc
    except RecursionError as exc:
        raise _structure("", "JSON 嵌套层数过深，不是申报记录",
                         "the JSON is nested too deeply to be a record") from exc
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise _structure("", f"JSON 中有无法读取的数值（{str(exc)[:60]}）",
                         f"the JSON holds a number that cannot be read ({str(exc)[:60]})") from exc


def max_record_bytes() -> int:
    """The largest record file any shipped form accepts (checked before parsing)."""
    return max(load_definition(form_id).max_record_bytes for form_id in FORM_IDS)


def read_file(path: Path | str) -> Submission:
    """The record in the file ``path`` — the one way a record file is read (``check``,
    ``export``, ``drafts import``, carry-over, the GUI).

    Only a regular file is opened (a FIFO or a device is refused without blocking) and at most
    :func:`max_record_bytes` + 1 bytes are read. Raises :class:`RecordError` for what is not a
    record or is over the limits (a file over the size limit is named like any other limit,
    with its size), ``OSError`` when the file cannot be read (a
    :class:`giantdesk.fileops.FileOpError` carries a message for the user)."""
    from giantdesk import fileops  # not at the top: the renderers import this module

    path = Path(path)
    limit = max_record_bytes()
    try:
        data = fileops.read_limited(path, limit)
    except fileops.FileTooLarge:
        try:
            size = path.stat().st_size
        except OSError:
            size = limit + 1
        _refuse_size(max(size, limit + 1), limit)
        raise
    return loads(data)


def loads(text: str | bytes) -> Submission:
    """Read a record; raise :class:`RecordError` naming every malformed place."""
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    _refuse_size(size, max_record_bytes())
    record = from_json_dict(parse_json(text))
    _refuse_size(size, record.definition.max_record_bytes)
    return record


def _refuse_size(size: int, limit: int) -> None:
    problem = limits.size_problem(size, limit)
    if problem is not None:
        raise RecordError([Problem("", problem.code, problem.message)])


def from_json_dict(data: Any) -> Submission:
    if not isinstance(data, dict):
        raise _structure("", "记录应为 JSON 对象", "a record is a JSON object")
    if data.get("format") != FORMAT:
        raise _structure("format", f"不是 GiantDesk 申报记录（format 应为 {FORMAT}）",
                         f"not a GiantDesk submission (format must be {FORMAT})")
    form_id = data.get("form")
    if form_id not in FORM_IDS:
        raise _structure("form", f"未知的申请书类型：{form_id!r}（可用：{'、'.join(FORM_IDS)}）",
                         f"unknown form {form_id!r} (known: {', '.join(FORM_IDS)})")
    definition = load_definition(form_id)
    if data.get("form_version") != definition.version:
        raise _structure("form_version",
                         f"不支持的表单版本 {data.get('form_version')!r}（应为 {definition.version}）",
                         f"unsupported form version {data.get('form_version')!r} "
                         f"(expected {definition.version})")
    if data.get("rules") != definition.rules:
        raise _structure("rules", f"认定规则应为 {definition.rules}",
                         f"rules must be {definition.rules}")
    unknown_top = sorted(set(data) - {"format", "form", "form_version", "rules", "values", "tables"})
    problems: list[Problem] = [
        Problem(shown, "record.unknown_key",
                Message(f"未知的顶层键“{shown}”", f"unknown top-level key “{shown}”"))
        for shown in map(limits.printable, unknown_top)
    ]
    raw_values = data.get("values", {})
    raw_tables = data.get("tables", {})
    if not isinstance(raw_values, dict):
        raise _structure("values", "values 应为对象", "values must be an object")
    if not isinstance(raw_tables, dict):
        raise _structure("tables", "tables 应为对象", "tables must be an object")
    record = Submission(definition.id, definition.version, definition.rules)
    for field_id, raw in raw_values.items():
        f = definition.field(field_id)
        if f is None:
            shown = limits.printable(field_id)
            problems.append(Problem(shown, "record.unknown_field",
                                    Message(f"表单中没有字段“{shown}”",
                                            f"the form has no field “{shown}”")))
            continue
        _decode_into(record.values, f, raw, field_id, problems)
    for table_id, rows in raw_tables.items():
        table = definition.table(table_id)
        if table is None:
            shown = limits.printable(table_id)
            problems.append(Problem(shown, "record.unknown_table",
                                    Message(f"表单中没有表格“{shown}”",
                                            f"the form has no table “{shown}”")))
            continue
        if not isinstance(rows, list):
            problems.append(Problem(table_id, "record.type",
                                    Message("表格应为行的列表", "a table is a list of rows")))
            continue
        too_many = limits.rows_problem(table, len(rows))
        if too_many is not None:  # not decoded: a table of 100,000 rows is refused at once
            problems.append(_table_problem(table, too_many))
            continue
        decoded_rows: list[Row] = []
        for index, row in enumerate(rows):
            row_path = f"{table_id}[{index + 1}]"
            if not isinstance(row, dict):
                problems.append(Problem(row_path, "record.type",
                                        Message("表格行应为对象", "a table row is an object")))
                continue
            decoded: Row = {}
            for column_id, raw in row.items():
                column = table.column(column_id)
                path = f"{row_path}.{column_id}"
                if column is None:
                    shown = limits.printable(column_id)
                    problems.append(Problem(f"{row_path}.{shown}", "record.unknown_field",
                                            Message(f"表格中没有列“{shown}”",
                                                    f"the table has no column “{shown}”")))
                    continue
                _decode_into(decoded, column, raw, path, problems, key=column_id,
                             where=_row_where(table, index + 1))
            decoded_rows.append(decoded)
        record.tables[table_id] = decoded_rows
    if problems:
        raise RecordError(problems)
    return record


_NOWHERE = Message("", "")


def _decode_into(target: dict[str, Value], f: FieldDef, raw: Any, path: str,
                 problems: list[Problem], key: str | None = None,
                 where: Message = _NOWHERE) -> None:
    try:
        value = decode_value(f, raw)
    except ValueError as exc:
        expected = _MSG_EXPECTED[str(exc)]
        problems.append(Problem(path, "record.type",
                                Message(f"{where.zh}“{f.label.zh}”{expected.zh}，实为 {_show(raw)}",
                                        f"{where.en}“{f.label.en}”: {expected.en}, "
                                        f"got {_show(raw)}")))
        return
    problem = limits.value_problem(f, value)
    if problem is not None:
        problems.append(Problem(path, problem.code, _labelled(f, problem, where)))
        return
    target[key or f.id] = value


def _labelled(f: FieldDef, problem: InvalidValue, where: Message) -> Message:
    return Message(f"{where.zh}“{f.label.zh}”：{problem.message.zh}",
                   f"{where.en}“{f.label.en}”: {problem.message.en}")


def _row_where(table: TableDef, row: int) -> Message:
    return Message(f"{table.label.zh}第 {row} 行：", f"{table.label.en}, row {row}: ")


def _table_problem(table: TableDef, problem: InvalidValue) -> Problem:
    return Problem(table.id, problem.code,
                   Message(f"“{table.label.zh}”：{problem.message.zh}",
                           f"“{table.label.en}”: {problem.message.en}"))


def _show(raw: Any) -> str:
    text = limits.printable(json.dumps(raw, ensure_ascii=False, default=str), limit=10_000)
    return text if len(text) <= 40 else text[:37] + "…"


def check_limits(record: Submission) -> list[Problem]:
    """What in an in-memory record could not be stored or printed (the reader's limits, for
    records that did not come from a file: the store's import and autosave, ``export
    --draft``). Empty when the record is within every limit."""
    definition = record.definition
    problems: list[Problem] = []
    for field_id, value in record.values.items():
        f = definition.field(field_id)
        if f is not None and (problem := limits.value_problem(f, value)) is not None:
            problems.append(Problem(field_id, problem.code, _labelled(f, problem, _NOWHERE)))
    for table_id, rows in record.tables.items():
        table = definition.table(table_id)
        if table is None:
            continue
        if (too_many := limits.rows_problem(table, len(rows))) is not None:
            problems.append(_table_problem(table, too_many))
            continue
        for index, row in enumerate(rows, start=1):
            for column_id, value in row.items():
                column = table.column(column_id)
                if column is not None and (problem := limits.value_problem(column, value)):
                    problems.append(Problem(f"{table_id}[{index}].{column_id}", problem.code,
                                            _labelled(column, problem, _row_where(table, index))))
    size = len(dump_bytes(record)) if not problems else 0
    if (too_large := limits.size_problem(size, definition.max_record_bytes)) is not None:
        problems.append(Problem("", too_large.code, too_large.message))
    return problems
