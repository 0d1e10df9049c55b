"""Enterprise size under 工信部联企业〔2011〕300号, from headcount and revenue (data: the
``sme-size-2011.json`` table). Only sectors shipped in the table are classified; for the others
nothing is said."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from giantdesk.forms import codes
from giantdesk.forms.messages import Message


@dataclass(frozen=True)
class Sector:
    label: Message
    sections: frozenset[str]
    thresholds: dict[str, tuple[int, Decimal]]  # size → (employees, revenue in 万元)


@cache
def sectors() -> tuple[Sector, ...]:
    text = resources.files("giantdesk.forms").joinpath("data/sme-size-2011.json").read_text(
        encoding="utf-8")
    raw: dict[str, Any] = json.loads(text)
    return tuple(
        Sector(Message(*s["label"]), frozenset(s["gbt4754_sections"]),
               {size: (int(s[size]["employees"]), Decimal(s[size]["revenue"]))
                for size in ("large", "medium", "small")})
        for s in raw["sectors"].values())


def sector_of(industry_code: str) -> Sector | None:
    division = codes.industry_divisions().get(industry_code)
    if division is None:
        return None
    return next((s for s in sectors() if division.get("section") in s.sections), None)


def classify(sector: Sector, employees: int, revenue: Decimal) -> str:
    """``large`` needs both thresholds; medium and small need both of theirs; else ``micro``."""
    for size in ("large", "medium", "small"):
        min_employees, min_revenue = sector.thresholds[size]
        if employees >= min_employees and revenue >= min_revenue:
            return size
    return "micro"
