"""A JSON Schema (draft 2020-12) of the record of one form, generated from its definition."""

from __future__ import annotations

from typing import Any

from giantdesk.forms import codes
from giantdesk.forms.model import FieldDef, FieldType, FormDefinition
from giantdesk.forms.record import FORMAT

_DECIMAL = r"^-?\d+\.\d{2}$"


def _field_schema(f: FieldDef) -> dict[str, Any]:
    schema: dict[str, Any]
    t = f.type
    if t is FieldType.BOOL:
        schema = {"type": "boolean"}
    elif t in (FieldType.INT, FieldType.YEAR):
        schema = {"type": "integer", "minimum": int(f.minimum) if f.minimum is not None else 0}
    elif t in (FieldType.MONEY, FieldType.PERCENT):
        pattern = _DECIMAL if f.allow_negative or f.computed else r"^\d+\.\d{2}$"
        schema = {"type": "string", "pattern": pattern}
    elif t is FieldType.DATE:
        schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif t is FieldType.CHOICE:
        schema = {"type": "string", "enum": [c.id for c in f.choices]}
    elif t is FieldType.MULTICHOICE:
        schema = {"type": "array", "items": {"type": "string", "enum": [c.id for c in f.choices]},
                  "uniqueItems": True}
    elif t in (FieldType.INDUSTRY, FieldType.NICHE, FieldType.PROVINCE):
        schema = {"type": "string", "enum": sorted(codes.table_for(t))}
    elif t is FieldType.USCC:
        schema = {"type": "string", "pattern": r"^[0-9A-HJ-NPQRTUWXY]{18}$"}
    elif t is FieldType.MOBILE:
        schema = {"type": "string", "pattern": r"^1[3-9]\d{9}$"}
    elif t is FieldType.POSTCODE:
        schema = {"type": "string", "pattern": r"^\d{6}$"}
    elif t is FieldType.EMAIL:
        schema = {"type": "string", "format": "email"}
    else:
        schema = {"type": "string", "minLength": 1}
    schema["title"] = f.label.zh
    schema["description"] = f.label.en + (f" ({f.unit.en})" if f.unit else "") + (
        " — computed" if f.computed else "")
    return schema


def record_schema(definition: FormDefinition) -> dict[str, Any]:
    values = {f.id: _field_schema(f) for f in definition.fields.values()}
    tables = {
        t.id: {
            "title": t.label.zh, "description": t.label.en, "type": "array",
            "items": {
                "type": "object", "additionalProperties": False,
                "properties": {c.id: _field_schema(c) for c in t.columns},
            },
        }
        for t in definition.tables.values()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:giantdesk:submission:{definition.id}:{definition.version}",
        "title": definition.title.zh,
        "description": definition.title.en,
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "form", "form_version", "rules", "values", "tables"],
        "properties": {
            "format": {"const": FORMAT},
            "form": {"const": definition.id},
            "form_version": {"const": definition.version},
            "rules": {"const": definition.rules},
            "values": {"type": "object", "additionalProperties": False, "properties": values},
            "tables": {"type": "object", "additionalProperties": False, "properties": tables},
        },
    }
