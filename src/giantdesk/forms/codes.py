"""Code tables shipped as data: GB/T 4754-2017 industries and GB/T 2260 provinces."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, cast

from giantdesk.forms.messages import Message
from giantdesk.forms.model import FieldType

CodeTable = dict[str, dict[str, str]]


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files("giantdesk.forms").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text))


def industry_divisions() -> CodeTable:
    """GB/T 4754-2017 大类 (2-digit) → {"zh": name, "section": letter}."""
    return cast(CodeTable, _load("gbt4754-2017.json")["divisions"])


def industry_classes() -> CodeTable:
    """GB/T 4754-2017 小类 (4-digit) → {"zh": name, "group": 3-digit group}."""
    return cast(CodeTable, _load("gbt4754-2017.json")["classes"])


def provinces() -> CodeTable:
    """GB/T 2260 province-level divisions (2-digit) → {"zh": name, "en": name}."""
    return cast(CodeTable, _load("gbt2260-provinces.json")["provinces"])


KIND_LABELS = {
    FieldType.INDUSTRY: Message("国民经济行业分类（GB/T 4754-2017）大类代码",
                                "GB/T 4754-2017 division code"),
    FieldType.NICHE: Message("国民经济行业分类（GB/T 4754-2017）小类代码",
                             "GB/T 4754-2017 class code"),
    FieldType.PROVINCE: Message("省级行政区划代码（GB/T 2260）", "GB/T 2260 province code"),
}


def table_for(field_type: FieldType) -> CodeTable:
    if field_type is FieldType.INDUSTRY:
        return industry_divisions()
    if field_type is FieldType.NICHE:
        return industry_classes()
    if field_type is FieldType.PROVINCE:
        return provinces()
    raise KeyError(field_type)


def code_name(field_type: FieldType, code: str) -> str:
    """The name of ``code`` in its table ("" if unknown), for "code name" display."""
    entry = table_for(field_type).get(code)
    return entry.get("zh", "") if entry else ""
