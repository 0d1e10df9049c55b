"""Summary tables (Annex 3 推荐汇总表, Annex 4 复核情况汇总表) defined as data.

The official columns of Annex 3 and Annex 4 were not found (domain research §3.4 [U]), so every
column set shipped here is GiantDesk's own proposal, marked ``"official": false``, and a
province can replace it with its own JSON file (``giantdesk summarize --definition FILE``).

A definition names the form it summarizes and its columns; each column has an id, a bilingual
label and a *source*:

* ``row`` — the row number (序号);
* ``field`` — a value of the record (``enterprise.name``, ``finance.2021.operating_revenue``);
* ``computed`` — a value computed by :mod:`giantdesk.forms` (``specialization.main_revenue_share``,
  ``finance.2021.rd_intensity``);
* ``rows`` — the number of rows of a repeating table, optionally only rows whose columns have
  given values (``innovation.class1_ip`` with ``related`` and ``in_use`` true);
* ``rule`` — the status of one rule (``ZY-2`` → 符合/不符合/需核实/数据不全);
* ``rules`` — a view of all rules: ``eligibility``, ``failed`` (the criteria not met),
  ``warned`` (what needs checking), ``verdict`` (通过/不通过) and ``reason``;
* ``bundle`` — the bundle's metadata: ``fingerprint``, ``key_id``, ``verified``,
  ``finalized_at``, ``file``, ``duplicate``;
* ``manual`` — filled in by the province (推荐排序, 推荐意见, 复核结果, 原因), optionally with
  fixed ``choices`` and a ``prefill`` (another source) whose value is only a suggestion.

:func:`load_summary` reads and checks a shipped definition; :func:`load_summary_file` a user's.
Every problem is reported as a :class:`SummaryDefinitionError` naming the column and what is
wrong, in both languages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from giantdesk import fileops
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FieldType, FormDefinition
from giantdesk.forms.rules import RULE_ORDER

FORMAT = "giantdesk.summary-definition/1"
SUMMARY_IDS = ("annex3-batch4", "annex4-batch1-review")
#: Short names accepted on the command line.
ALIASES = {"annex3": "annex3-batch4", "annex4": "annex4-batch1-review"}

SOURCE_KINDS = ("row", "field", "computed", "rows", "rule", "rules", "bundle", "manual")
RULE_VIEWS = ("eligibility", "failed", "warned", "verdict", "reason")
BUNDLE_KEYS = ("fingerprint", "key_id", "verified", "finalized_at", "file", "duplicate")
#: How a cell is written: text, or a number with a fixed format.
FORMATS = ("text", "money", "percent", "int")

TableFilter = tuple[tuple[str, str | int | bool], ...]


class SummaryDefinitionError(Exception):
    """A summary definition that cannot be used; ``message`` says where and what."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class Source:
    kind: str
    ref: str = ""  # field id, table id, rule id, rules view or bundle key
    where: TableFilter = ()  # rows: only rows with these column values
    prefill: Source | None = None  # manual: a suggested value


@dataclass(frozen=True)
class Column:
    id: str
    label: Message
    source: Source
    format: str  # one of FORMATS
    width: float  # spreadsheet width, in characters
    print_mm: float | None  # width in the printable table; None: not printed
    choices: tuple[Message, ...] = ()  # manual columns: the allowed entries
    note: Message | None = None

    @property
    def manual(self) -> bool:
        return self.source.kind == "manual"


@dataclass(frozen=True)
class SummaryDefinition:
    id: str
    version: str
    form: str  # the form of the bundles it summarizes
    official: bool
    title: Message
    short_title: Message
    notice: Message  # why the columns are not official, and how to change them
    header_lines: tuple[Message, ...]  # printed above the table (推荐单位（盖章）：…)
    footer_lines: tuple[Message, ...]  # printed below it (填表人、联系电话…)
    sort: tuple[str, ...]  # field ids the rows are ordered by (then file name)
    columns: tuple[Column, ...]

    @property
    def form_definition(self) -> FormDefinition:
        return load_definition(self.form)

    @property
    def printed_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.print_mm is not None)


def resolve_id(name: str) -> str | None:
    """``annex3`` / ``annex3-batch4`` → ``annex3-batch4``; None when unknown."""
    name = ALIASES.get(name, name)
    return name if name in SUMMARY_IDS else None


@cache
def load_summary(summary_id: str) -> SummaryDefinition:
    """A shipped definition (``annex3-batch4`` or ``annex4-batch1-review``)."""
    resolved = resolve_id(summary_id)
    if resolved is None:
        raise SummaryDefinitionError(Message(
            f"没有名为“{summary_id}”的汇总表（可用：{'、'.join(SUMMARY_IDS)}）",
            f"no summary table named “{summary_id}” (available: {', '.join(SUMMARY_IDS)})"))
    try:
        text = resources.files("giantdesk.summaries").joinpath(
            f"definitions/{resolved}.json").read_text(encoding="utf-8")
    except OSError as exc:  # a damaged installation (e.g. a frozen build without the data)
        raise SummaryDefinitionError(Message(
            f"找不到汇总表定义 {resolved}.json（安装不完整？）：{exc}",
            f"the summary definition {resolved}.json is missing (incomplete installation?): "
            f"{exc}")) from exc
    return parse_summary(json.loads(text), where=f"{resolved}.json")


def load_summary_file(path: Path) -> SummaryDefinition:
    """A definition from a user's JSON file (same format as the shipped ones)."""
    try:
        # a regular file of at most 1 MB (a FIFO or a device is refused, never read)
        text = fileops.read_limited(path, 1024 * 1024).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        detail = (fileops.os_reason(exc) if isinstance(exc, OSError)
                  else Message("不是 UTF-8 编码的文本", "not UTF-8 text"))
        raise SummaryDefinitionError(Message(f"无法读取汇总表定义 {path}：{detail.zh}",
                                             f"cannot read the summary definition {path}: "
                                             f"{detail.en}")) from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SummaryDefinitionError(Message(
            f"{path.name} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）",
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg})")) from exc
    return parse_summary(raw, where=path.name)


# ----------------------------------------------------------------------------------------------
# Parsing and checking

def _error(where: str, zh: str, en: str) -> SummaryDefinitionError:
    return SummaryDefinitionError(Message(f"{where}：{zh}", f"{where}: {en}"))


def _message(raw: Any, where: str) -> Message:
    if (not isinstance(raw, dict) or not isinstance(raw.get("zh"), str)
            or not isinstance(raw.get("en"), str) or not raw["zh"].strip()):
        raise _error(where, "应为 {\"zh\": …, \"en\": …} 形式的中英文文字",
                     "expected a bilingual text {\"zh\": …, \"en\": …}")
    return Message(raw["zh"], raw["en"])


def _messages(raw: Any, where: str) -> tuple[Message, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _error(where, "应为列表", "expected a list")
    return tuple(_message(item, f"{where}[{i}]") for i, item in enumerate(raw))


def parse_summary(raw: Any, *, where: str = "definition") -> SummaryDefinition:
    """Check ``raw`` (the parsed JSON) and build the definition; raises
    :class:`SummaryDefinitionError` on the first problem."""
    if not isinstance(raw, dict):
        raise _error(where, "应为 JSON 对象", "expected a JSON object")
    if raw.get("format") != FORMAT:
        raise _error(where, f"format 应为“{FORMAT}”", f"format must be “{FORMAT}”")
    for key in ("id", "version", "form"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise _error(where, f"缺少 {key}", f"{key} is missing")
    form = raw["form"]
    if form not in FORM_IDS:
        raise _error(where, f"form “{form}” 不是已知的申请书（可用：{'、'.join(FORM_IDS)}）",
                     f"form “{form}” is not a known form (available: {', '.join(FORM_IDS)})")
    definition = load_definition(form)
    official = raw.get("official", False)
    if not isinstance(official, bool):
        raise _error(where, "official 应为 true 或 false", "official must be true or false")
    sort = raw.get("sort", [])
    if not isinstance(sort, list) or not all(isinstance(s, str) for s in sort):
        raise _error(where, "sort 应为字段编号列表", "sort must be a list of field ids")
    for field_id in sort:
        if definition.field(field_id) is None:
            raise _error(f"{where} sort", f"{form} 中没有字段 {field_id}",
                         f"{form} has no field {field_id}")
    columns_raw = raw.get("columns")
    if not isinstance(columns_raw, list) or not columns_raw:
        raise _error(where, "columns 应为非空列表", "columns must be a non-empty list")
    columns: list[Column] = []
    seen: set[str] = set()
    for index, col in enumerate(columns_raw, start=1):
        column = _column(col, definition, f"{where} {_column_where(col, index)}")
        if column.id in seen:
            raise _error(f"{where} {_column_where(col, index)}", "列编号重复",
                         "the column id is used twice")
        seen.add(column.id)
        columns.append(column)
    return SummaryDefinition(
        id=raw["id"], version=raw["version"], form=form, official=official,
        title=_message(raw.get("title"), f"{where} title"),
        short_title=_message(raw.get("short_title"), f"{where} short_title"),
        notice=_message(raw.get("notice"), f"{where} notice"),
        header_lines=_messages(raw.get("header_lines"), f"{where} header_lines"),
        footer_lines=_messages(raw.get("footer_lines"), f"{where} footer_lines"),
        sort=tuple(sort), columns=tuple(columns))


def _column_where(col: Any, index: int) -> str:
    cid = col.get("id") if isinstance(col, dict) else None
    return f"第 {index} 列（{cid}）" if isinstance(cid, str) else f"第 {index} 列"


def _number(raw: Any, where: str, name: str, *, optional: bool = False) -> float | None:
    if raw is None and optional:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= 200:
        raise _error(where, f"{name} 应为 0 到 200 之间的数", f"{name} must be a number in (0, 200]")
    return float(raw)


def _column(raw: Any, definition: FormDefinition, where: str) -> Column:
    if not isinstance(raw, dict):
        raise _error(where, "应为 JSON 对象", "expected a JSON object")
    cid = raw.get("id")
    if not isinstance(cid, str) or not cid:
        raise _error(where, "缺少 id", "id is missing")
    label = _message(raw.get("label"), f"{where} label")
    source, natural = _source(raw.get("source"), definition, where, allow_manual=True)
    fmt = raw.get("format", natural)
    if fmt not in FORMATS:
        raise _error(where, f"format 应为 {'/'.join(FORMATS)} 之一",
                     f"format must be one of {'/'.join(FORMATS)}")
    width = _number(raw.get("width", 12), where, "width")
    assert width is not None
    print_mm = _number(raw.get("print_mm"), where, "print_mm", optional=True)
    choices = _messages(raw.get("choices"), f"{where} choices")
    if choices and source.kind != "manual":
        raise _error(where, "只有 manual 列可以有 choices", "only manual columns have choices")
    note = _message(raw["note"], f"{where} note") if "note" in raw else None
    return Column(cid, label, source, fmt, width, print_mm, choices, note)


def _source(raw: Any, definition: FormDefinition, where: str,
            *, allow_manual: bool) -> tuple[Source, str]:
    """The source and its natural format."""
    if not isinstance(raw, dict) or raw.get("kind") not in SOURCE_KINDS:
        raise _error(where, f"source.kind 应为 {'/'.join(SOURCE_KINDS)} 之一",
                     f"source.kind must be one of {'/'.join(SOURCE_KINDS)}")
    kind: str = raw["kind"]
    if kind == "row":
        return Source(kind), "int"
    if kind in ("field", "computed"):
        field_id = raw.get("field")
        f = definition.field(field_id) if isinstance(field_id, str) else None
        if f is None:
            raise _error(where, f"{definition.id} 中没有字段 {field_id}",
                         f"{definition.id} has no field {field_id}")
        if kind == "computed" and f.computed is None:
            raise _error(where, f"{field_id} 不是计算值（请用 kind \"field\"）",
                         f"{field_id} is not a computed value (use kind \"field\")")
        if kind == "field" and f.computed is not None:
            raise _error(where, f"{field_id} 是计算值（请用 kind \"computed\"）",
                         f"{field_id} is a computed value (use kind \"computed\")")
        natural = ("money" if f.type is FieldType.MONEY else
                   "percent" if f.type is FieldType.PERCENT else
                   "int" if f.type is FieldType.INT else "text")
        return Source(kind, f.id), natural
    if kind == "rows":
        table_id = raw.get("table")
        table = definition.table(table_id) if isinstance(table_id, str) else None
        if table is None:
            raise _error(where, f"{definition.id} 中没有表格 {table_id}",
                         f"{definition.id} has no table {table_id}")
        where_raw = raw.get("where", {})
        if not isinstance(where_raw, dict):
            raise _error(where, "where 应为 {列编号: 值}", "where must be {column id: value}")
        known = {c.id for c in table.columns}
        conditions: list[tuple[str, str | int | bool]] = []
        for column_id, value in sorted(where_raw.items()):
            if column_id not in known:
                raise _error(where, f"表格 {table_id} 中没有列 {column_id}",
                             f"table {table_id} has no column {column_id}")
            if not isinstance(value, str | int | bool):
                raise _error(where, f"where.{column_id} 应为文字、整数或 true/false",
                             f"where.{column_id} must be a string, an integer or a boolean")
            conditions.append((column_id, value))
        return Source(kind, table.id, tuple(conditions)), "int"
    if kind == "rule":
        rule_id = raw.get("rule")
        if rule_id not in RULE_ORDER:
            raise _error(where, f"没有规则 {rule_id}（可用：{'、'.join(RULE_ORDER)}）",
                         f"no rule {rule_id} (available: {', '.join(RULE_ORDER)})")
        return Source(kind, str(rule_id)), "text"
    if kind == "rules":
        view = raw.get("view")
        if view not in RULE_VIEWS:
            raise _error(where, f"view 应为 {'/'.join(RULE_VIEWS)} 之一",
                         f"view must be one of {'/'.join(RULE_VIEWS)}")
        return Source(kind, str(view)), "text"
    if kind == "bundle":
        key = raw.get("key")
        if key not in BUNDLE_KEYS:
            raise _error(where, f"key 应为 {'/'.join(BUNDLE_KEYS)} 之一",
                         f"key must be one of {'/'.join(BUNDLE_KEYS)}")
        return Source(kind, str(key)), "text"
    # manual
    if not allow_manual:
        raise _error(where, "prefill 不能是 manual", "a prefill cannot be manual")
    prefill = None
    natural = "text"
    if raw.get("prefill") is not None:
        prefill, natural = _source(raw["prefill"], definition, f"{where} prefill",
                                   allow_manual=False)
    return Source(kind, prefill=prefill), natural


def describe_source(column: Column, form: FormDefinition, lang: str) -> str:
    """Where a column's values come from, for the notes sheet and the docs."""
    en = lang.startswith("en")
    return _describe(column.source, form, en)


def _describe(source: Source, form: FormDefinition, en: bool) -> str:
    kind, ref = source.kind, source.ref
    if kind == "row":
        return "row number" if en else "序号"
    if kind in ("field", "computed"):
        f = form.field(ref)
        label = f.label.text("en" if en else "zh") if f else ref
        what = ("record field" if kind == "field" else "computed value") if en else \
            ("记录字段" if kind == "field" else "计算值")
        return f"{what} {ref} ({label})" if en else f"{what} {ref}（{label}）"
    if kind == "rows":
        cond = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}"
                         for k, v in source.where)
        what = "number of rows of" if en else "表格行数"
        return f"{what} {ref}" + ((f" ({cond})" if en else f"（{cond}）") if cond else "")
    if kind == "rule":
        return f"rule {ref} status" if en else f"规则 {ref} 的核对结果"
    if kind == "rules":
        return f"rules: {ref}" if en else f"认定规则汇总：{ref}"
    if kind == "bundle":
        return f"bundle: {ref}" if en else f"文件包：{ref}"
    filled = "filled in by the recommending unit" if en else "推荐单位填写"
    if source.prefill is not None:
        pre = _describe(source.prefill, form, en)
        return f"{filled} (suggestion: {pre})" if en else f"{filled}（预填建议：{pre}）"
    return filled


__all__ = [
    "ALIASES",
    "BUNDLE_KEYS",
    "FORMATS",
    "RULE_VIEWS",
    "SOURCE_KINDS",
    "SUMMARY_IDS",
    "Column",
    "Source",
    "SummaryDefinition",
    "SummaryDefinitionError",
    "describe_source",
    "load_summary",
    "load_summary_file",
    "parse_summary",
    "resolve_id",
]
