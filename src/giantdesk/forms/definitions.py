"""Loading form definitions from the JSON files shipped in ``forms/definitions/``.

The loader checks what a mistyped definition would otherwise turn into a confusing failure far
away: duplicate ids, conditions and computed inputs that name no field, unknown types.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, cast

from giantdesk.forms.messages import Message
from giantdesk.forms.model import (
    DEFAULT_MAX_RECORD_BYTES,
    DEFAULT_MAX_ROWS,
    NON_TEXT_TYPES,
    Choice,
    Computed,
    Condition,
    Cover,
    FieldDef,
    FieldType,
    FormDefinition,
    GridDef,
    GridRow,
    Item,
    Note,
    Part,
    TableDef,
    TypeWhen,
)

Json = dict[str, Any]

FORM_IDS = ("annex1-batch4", "annex2-batch1-review")
#: The review form an earlier application is carried over to.
REVIEW_FORM = "annex2-batch1-review"

_UNITS = {
    "wanyuan": Message("万元", "10k CNY"),
    "percent": Message("%", "%"),
    "persons": Message("人", "persons"),
    "years": Message("年", "years"),
}
_DEFAULT_UNIT = {FieldType.MONEY: "wanyuan", FieldType.PERCENT: "percent"}


class DefinitionError(ValueError):
    """A form definition file is inconsistent (a bug in shipped data, not a user error)."""


@dataclass(frozen=True)
class Limits:
    """The definition's ``limits``: default character limits by type ("*" for the other text
    types), rows per table, record size. A field's or table's own ``max_length`` /
    ``max_rows`` overrides the default."""

    max_length: dict[str, int]
    max_rows: int = DEFAULT_MAX_ROWS
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES

    @classmethod
    def of(cls, raw: Json | None) -> Limits:
        raw = raw or {}
        lengths = {str(k): int(v) for k, v in raw.get("max_length", {}).items()}
        lengths.setdefault("*", 100)
        return cls(lengths, int(raw.get("max_rows", DEFAULT_MAX_ROWS)),
                   int(raw.get("max_record_bytes", DEFAULT_MAX_RECORD_BYTES)))

    def length_of(self, raw: Json, ftype: FieldType) -> int | None:
        if ftype in NON_TEXT_TYPES:
            return None
        if "max_length" in raw:
            return int(raw["max_length"])
        return self.max_length.get(ftype.value, self.max_length["*"])


_NO_LIMITS = Limits.of(None)


def _msg(raw: Any, where: str) -> Message:
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(s, str) for s in raw):
        return Message(raw[0], raw[1])
    if isinstance(raw, dict) and isinstance(raw.get("zh"), str) and isinstance(raw.get("en"), str):
        return Message(raw["zh"], raw["en"])
    raise DefinitionError(f"{where}: expected [zh, en] label, got {raw!r}")


def _type(raw: str, where: str) -> FieldType:
    try:
        return FieldType(raw)
    except ValueError as exc:
        raise DefinitionError(f"{where}: unknown type {raw!r}") from exc


def _condition(raw: Json) -> Condition:
    return Condition(raw["field"], tuple(raw.get("values", ())))


def _field(raw: Json, *, field_id: str | None = None, year: int | None = None,
           subst: dict[str, int] | None = None, grid_row: str = "",
           limits: Limits = _NO_LIMITS) -> FieldDef:
    fid = field_id or _substitute(raw["field"], subst or {})
    ftype = _type(raw["type"], fid)
    unit_key = raw.get("unit", _DEFAULT_UNIT.get(ftype))
    if unit_key is not None and unit_key not in _UNITS:
        raise DefinitionError(f"{fid}: unknown unit {unit_key!r}")
    cond = raw.get("condition")
    computed = raw.get("computed")
    if computed is not None:
        inputs = tuple(_substitute(i, subst or {}) for i in computed["inputs"])
        computed_def: Computed | None = Computed(op=computed["op"], inputs=inputs)
    else:
        computed_def = None
    return FieldDef(
        id=fid,
        label=_substitute_msg(_msg(raw["label"], fid), subst or {}),
        type=ftype,
        unit=_UNITS[unit_key] if unit_key else None,
        required=bool(raw.get("required", False)),
        choices=tuple(Choice(c[0], Message(c[1], c[2])) for c in raw.get("choices", ())),
        condition=Condition(cond["field"], tuple(cond.get("values", ()))) if cond else None,
        computed=computed_def,
        allow_negative=bool(raw.get("negative", False)),
        minimum=Decimal(str(raw["min"])) if "min" in raw else None,
        maximum=Decimal(str(raw["max"])) if "max" in raw else None,
        help=_msg(raw["help"], fid) if "help" in raw else None,
        official=bool(raw.get("official", True)),
        source_note=str(raw.get("source_note", "")),
        grid_row=grid_row,
        year=year,
        allow_future=bool(raw.get("future", False)),
        max_length=limits.length_of(raw, ftype),
        within=str(raw.get("within", "")),
        type_when=tuple(
            TypeWhen(_condition(w), _type(w["type"], fid), tuple(w.get("patent_kinds", ())))
            for w in raw.get("type_when", ())),
        patent_kinds=tuple(raw.get("patent_kinds", ())),
    )


def _substitute_msg(message: Message, subst: dict[str, int]) -> Message:
    return Message(_substitute(message.zh, subst), _substitute(message.en, subst))


def _substitute(template: str, subst: dict[str, int]) -> str:
    out = template
    for key, value in subst.items():
        out = out.replace("{" + key + "}", str(value))
    return out


def _year_subst(form_year: int) -> dict[str, int]:
    return {"Y": form_year, "Y-1": form_year - 1, "Y-2": form_year - 2, "Y-3": form_year - 3}


def _grid(raw: Json, form_year: int, inherited_official: bool, limits: Limits) -> GridDef:
    years = (form_year - 2, form_year - 1, form_year)
    rows = []
    cells = []
    prefix = raw["prefix"]
    for row in raw["rows"]:
        template = _field(row, field_id=f"{prefix}.{{y}}.{row['field']}")
        rows.append(GridRow(row["field"], template))
        for index, year in enumerate(years):
            if index < int(row.get("first_year", 0)):
                continue
            subst = {"y": year, "y-1": year - 1, **_year_subst(form_year)}
            cells.append(_field(row, field_id=f"{prefix}.{year}.{row['field']}", year=year,
                                subst=subst, grid_row=row["field"], limits=limits))
    return GridDef(
        id=raw["grid"], label=_msg(raw["label"], raw["grid"]), prefix=prefix, years=years,
        rows=tuple(rows), official=bool(raw.get("official", inherited_official)),
        source_note=str(raw.get("source_note", "")), cells=tuple(cells),
    )


def _item(raw: Json, form_year: int, part_official: bool, limits: Limits = _NO_LIMITS) -> Item:
    subst = _year_subst(form_year)
    if "field" in raw:
        raw = {"official": part_official, **raw}
        return _field(raw, subst=subst, limits=limits)
    if "table" in raw:
        tid = raw["table"]
        return TableDef(
            id=tid, label=_msg(raw["label"], tid),
            columns=tuple(_field({"official": part_official, **c}, limits=limits)
                          for c in raw["columns"]),
            min_rows=int(raw.get("min_rows", 0)),
            max_rows=int(raw.get("max_rows", limits.max_rows)),
            condition=_condition(raw["condition"]) if "condition" in raw else None,
            help=_msg(raw["help"], tid) if "help" in raw else None,
            official=bool(raw.get("official", part_official)),
            source_note=str(raw.get("source_note", "")),
        )
    if "grid" in raw:
        return _grid(raw, form_year, part_official, limits)
    if "note" in raw:
        return Note(raw["note"], _msg(raw["text"], raw["note"]),
                    official=bool(raw.get("official", part_official)))
    raise DefinitionError(f"unknown item {raw!r}")


def _part(raw: Json, form_year: int, limits: Limits) -> Part:
    official = bool(raw.get("official", True))
    return Part(
        id=raw["part"], number=_msg(raw["number"], raw["part"]), title=_msg(raw["title"], raw["part"]),
        items=tuple(_item(i, form_year, official, limits) for i in raw["items"]),
        filled_by=str(raw.get("filled_by", "enterprise")), official=official,
        source_note=str(raw.get("source_note", "")),
        help=_msg(raw["help"], raw["part"]) if "help" in raw else None,
    )


def _read_json(form_id: str) -> Json:
    if form_id not in FORM_IDS:
        raise KeyError(form_id)
    text = resources.files("giantdesk.forms").joinpath(f"definitions/{form_id}.json").read_text(
        encoding="utf-8")
    return cast(Json, json.loads(text))


def _item_id(raw: Json) -> str:
    return str(next((raw[k] for k in ("field", "table", "grid", "note") if k in raw), ""))


def _resolve(raw: Json) -> Json:
    """Resolve ``extends`` / ``ref`` so a derived form reuses its base's parts verbatim."""
    if "extends" not in raw:
        return raw
    base = _resolve(_read_json(raw["extends"]))
    base_parts = {p["part"]: p for p in base["parts"]}
    base_notes = {n["note"]: n for n in base["instructions"]}
    parts = []
    for p in raw["parts"]:
        if "ref" in p:
            part = {**base_parts[p["ref"]],
                    **{k: v for k, v in p.items() if k not in ("ref", "replace", "fields")}}
            part["items"] = _change_items(part["items"], p.get("replace", ()), p.get("fields", {}),
                                          p["ref"])
            parts.append(part)
        else:
            parts.append(p)
    notes = [base_notes[n["ref"]] if "ref" in n else n for n in raw["instructions"]]
    merged = {**base, **raw, "parts": parts, "instructions": notes}
    merged.pop("extends")
    return merged


def _change_items(items: list[Json], replace: Iterable[Json], fields: dict[str, Json],
                  part_id: str) -> list[Json]:
    """A referenced part's items with some changed by id: ``replace`` gives whole items (e.g.
    a note's wording), ``fields`` single attributes (e.g. ``{"required": false}``)."""
    by_id = {_item_id(i): i for i in replace}
    known = {_item_id(i) for i in items}
    missing = sorted((set(by_id) | set(fields)) - known)
    if missing:
        raise DefinitionError(f"part {part_id}: nothing to replace or change for {missing}")
    out = []
    for item in items:
        item_id = _item_id(item)
        item = by_id.get(item_id, item)
        out.append({**item, **fields[item_id]} if item_id in fields else item)
    return out


def build_definition(raw: Json) -> FormDefinition:
    raw = _resolve(raw)
    year = int(raw["year"])
    cover = raw["cover"]
    limits = Limits.of(raw.get("limits"))
    definition = FormDefinition(
        id=raw["id"], version=raw["version"], rules=raw["rules"],
        title=_msg(raw["title"], "title"), short_title=_msg(raw["short_title"], "short_title"),
        year=year,
        cover=Cover(
            title=_msg(cover["title"], "cover"), subtitle=_msg(cover["subtitle"], "cover"),
            lines=tuple(_msg(line, "cover") for line in cover["lines"]),
            issuer=_msg(cover["issuer"], "cover"),
        ),
        instructions=tuple(cast(Note, _item(n, year, True)) for n in raw["instructions"]),
        parts=tuple(_part(p, year, limits) for p in raw["parts"]),
        options={k: bool(v) for k, v in raw.get("options", {}).items()},
        reference_date=date.fromisoformat(raw["reference_date"]) if "reference_date" in raw
        else None,
        max_record_bytes=limits.max_record_bytes,
    )
    _check(definition)
    return definition


def _check(definition: FormDefinition) -> None:
    seen: set[str] = set()
    for part in definition.parts:
        for item in part.items:
            ids = [c.id for c in item.cells] if isinstance(item, GridDef) else [item.id]
            for item_id in ids:
                if item_id in seen:
                    raise DefinitionError(f"{definition.id}: duplicate id {item_id}")
                seen.add(item_id)
    fields = definition.fields
    for f in fields.values():
        if f.condition and f.condition.field not in fields:
            raise DefinitionError(f"{f.id}: condition names unknown field {f.condition.field}")
        if f.computed:
            for source in f.computed.inputs:
                if source not in fields:
                    raise DefinitionError(f"{f.id}: computed input {source} is not a field")
        if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE) and not f.choices:
            raise DefinitionError(f"{f.id}: choice field without choices")
        if f.type in (FieldType.CITY, FieldType.COUNTY) and f.within not in fields:
            raise DefinitionError(f"{f.id}: a {f.type.value} needs `within`, a field id")
    for table in definition.tables.values():
        column_ids = {c.id for c in table.columns}
        for column in table.columns:
            if column.condition and column.condition.field not in column_ids:
                raise DefinitionError(f"{table.id}.{column.id}: condition names unknown column")
            for variant in column.type_when:
                if variant.condition.field not in column_ids:
                    raise DefinitionError(f"{table.id}.{column.id}: type_when names unknown column")


@cache
def load_definition(form_id: str) -> FormDefinition:
    """The shipped definition of ``form_id`` (raises ``KeyError`` for an unknown form)."""
    return build_definition(_read_json(form_id))
