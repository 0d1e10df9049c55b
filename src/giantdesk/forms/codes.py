"""Code tables shipped as data: GB/T 4754-2017 industries, GB/T 2260 divisions.

Provinces come from ``data/gbt2260-provinces.json`` (with English names). Cities and counties
come from python-stdnum's ``stdnum/cn/loc.dat`` (GB/T 2260 codes with the years each name was
in force; see docs/code-tables.md), read through ``stdnum.numdb`` and taken **as they stood in a
given year** — the batch's (``FormDefinition.reference_date``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast

from stdnum import numdb

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


#: What a code type's codes are, for messages: "…{kind}代码" / "the {kind} code" (no "code" here).
KIND_LABELS = {
    FieldType.INDUSTRY: Message("国民经济行业分类（GB/T 4754-2017）大类", "GB/T 4754-2017 division"),
    FieldType.NICHE: Message("国民经济行业分类（GB/T 4754-2017）小类", "GB/T 4754-2017 class"),
    FieldType.PROVINCE: Message("省级行政区划（GB/T 2260）", "GB/T 2260 province"),
}
#: A valid entry of each table, quoted in messages.
EXAMPLES = {
    FieldType.INDUSTRY: "34 通用设备制造业",
    FieldType.NICHE: "3411 锅炉及辅助设备制造",
    FieldType.PROVINCE: "35 福建省",
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


# --------------------------------------------------------------------------------------------
# Provinces by name

#: Endings of province names, longest first: "新疆维吾尔自治区" → "新疆", "福建省" → "福建".
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def _fold(text: str) -> str:
    """NFC, full-width → half-width, no spaces or invisible characters, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf"
                   ).lower()


def _english_keys(en: str) -> set[str]:
    base = _fold(en)
    keys = {base, _fold(re.sub(r"\s*\(.*\)", "", en))}
    inner = re.search(r"\((.*)\)", en)
    if inner:
        keys.add(_fold(inner.group(1)))  # "Xizang (Tibet)" → also "tibet"
    return keys | {k.removesuffix("sar") for k in keys if k.endswith("sar")}


@cache
def _province_keys() -> dict[str, str]:
    """Every accepted spelling of a province (folded) → its code."""
    keys: dict[str, str] = {}
    for code, entry in provinces().items():
        zh = entry["zh"]
        keys[code] = code
        keys[_fold(zh)] = code
        short = next((zh[: -len(s)] for s in _PROVINCE_SUFFIXES if zh.endswith(s)), zh)
        keys[_fold(short)] = code
        for key in _english_keys(entry["en"]):
            keys[key] = code
            for tail in ("province", "autonomousregion", "municipality", "city"):
                keys[key + tail] = code
    keys[_fold("内蒙古")] = "15"
    return keys


def find_province(text: str) -> str | None:
    """The 2-digit code of the province ``text`` names: "福建", "福建省", "Fujian",
    "Fujian Province", "35" or "35 福建省" (a name after the code must agree); else None."""
    folded = _fold(text)
    if not folded:
        return None
    keys = _province_keys()
    if folded in keys:
        return keys[folded]
    m = re.fullmatch(r"([0-9]{2})(?:0000)?[-:：、.]?(.*)", folded)
    if m and m.group(1) in provinces():
        rest = m.group(2)
        if not rest or keys.get(rest) == m.group(1):
            return m.group(1)
    return None


# --------------------------------------------------------------------------------------------
# Cities and counties (GB/T 2260 via python-stdnum's loc.dat)

#: Placeholder rows of the table that are not places: 市辖区, 县, 省直辖县级行政单位 ….
_PLACEHOLDERS = re.compile(r"市辖区|县|市区|林区|(省|自治区)直辖(县级)?行政单位|省直辖县级行政区划")
_SEGMENT = re.compile(r"(?:\[(\d*)-(\d*)\])?([^,\[\]]+)")
#: Endings dropped when matching a typed name: "苏州" finds 苏州市, "海曙" finds 海曙区.
_PLACE_SUFFIXES = ("自治州", "自治县", "自治旗", "地区", "林区", "特区", "市", "区", "县", "旗", "盟", "州")
#: Municipalities: the city is the municipality itself, its districts and counties below it.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str

    @property
    def province(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class _Tree:
    cities: dict[str, tuple[Division, ...]]  # province → its city-level entries
    counties: dict[str, tuple[Division, ...]]  # city code → its counties
    by_code: dict[str, Division]


def _name_in(raw: str, year: int) -> str | None:
    """The name a loc.dat entry had in ``year`` ("[1983-2021]梅列区" → 梅列区 up to 2021)."""
    for found in _SEGMENT.finditer(raw):
        start, end, name = found.group(1), found.group(2), found.group(3)
        if (not start or int(start) <= year) and (not end or year <= int(end)):
            return name.strip()
    return None


@cache
def _tree(year: int) -> _Tree:
    cities: dict[str, list[Division]] = {}
    counties: dict[str, list[Division]] = {}
    by_code: dict[str, Division] = {}
    for _length, low, _high, _props, children in numdb.get("cn/loc").prefixes:
        province = low
        if province not in provinces():
            continue
        rows: list[tuple[str, str]] = []
        for _l, part, _h, props, _c in children:
            name = _name_in(props.get("county", ""), year)
            if name is not None:
                rows.append((province + part, name))
        level: dict[str, str] = {}  # city code (PPCC00) → its name, placeholders included
        for code, name in rows:
            if code[4:] == "00" and code[2:4] != "00":
                level[code] = name
        own = cities.setdefault(province, [])
        if province in MUNICIPALITIES:
            whole = Division(province + "0000", next(n for c, n in rows if c[2:] == "0000"))
            own.append(whole)
            by_code[whole.code] = whole
        for code, name in rows:
            if code[2:] == "0000" or _PLACEHOLDERS.fullmatch(name):
                continue
            division = Division(code, name)
            by_code[code] = division
            parent = code[:4] + "00"
            if code == parent:  # a prefecture-level city, prefecture, league or 自治州
                own.append(division)
                continue
            placeholder_parent = parent not in level or _PLACEHOLDERS.fullmatch(level[parent])
            if province in MUNICIPALITIES:
                counties.setdefault(province + "0000", []).append(division)
                own.append(division)  # "上海市 浦东新区" and "浦东新区" in the city box both work
            elif placeholder_parent:
                own.append(division)  # 仙桃市, 济源市: county-level, under the province directly
            else:
                counties.setdefault(parent, []).append(division)
    return _Tree({k: _unique(v) for k, v in cities.items()},
                 {k: _unique(v) for k, v in counties.items()}, by_code)


def _unique(entries: list[Division]) -> tuple[Division, ...]:
    """One entry per name (the table keeps a few old codes of the same place, e.g. 随州市)."""
    seen: dict[str, Division] = {}
    for division in entries:
        seen.setdefault(division.name, division)
    return tuple(seen.values())


def city_choices(province: str, year: int) -> tuple[Division, ...]:
    """The city-level divisions of ``province`` in ``year``: prefecture-level cities,
    prefectures, leagues and 自治州; county-level units the province governs directly;
    for a municipality, the municipality itself and its districts and counties."""
    return _tree(year).cities.get(province, ())


def county_choices(city: Division | None, year: int) -> tuple[Division, ...]:
    """The county-level divisions under ``city`` in ``year`` (none for a county-level city)."""
    return () if city is None else _tree(year).counties.get(city.code, ())


def _stem(name: str) -> str:
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _match(entries: tuple[Division, ...], text: str) -> Division | None:
    """The entry ``text`` names: its code, its exact name, or its name without the ending
    ("苏州" → 苏州市) when that is unambiguous."""
    text = _fold(text)
    if not text:
        return None
    exact = [d for d in entries if text in (d.code, d.code[:4], _fold(d.name))]
    if exact:
        return exact[0]
    stem = _stem(text)
    loose = [d for d in entries if _stem(_fold(d.name)) == stem]
    return loose[0] if len(loose) == 1 else None


def find_city(province: str, text: str, year: int) -> Division | None:
    return _match(city_choices(province, year), text)


def find_county(city: Division | None, text: str, year: int) -> Division | None:
    return _match(county_choices(city, year), text)


def complete(entries: tuple[Division, ...], typed: str, limit: int = 20) -> list[Division]:
    """Completion: the entries whose name contains ``typed`` (or whose code starts with it),
    those starting with it first. The GUI offers these under the chosen province / city."""
    text = _fold(typed)
    if not text:
        return list(entries[:limit])
    hits = [d for d in entries if text in _fold(d.name) or d.code.startswith(text)]
    hits.sort(key=lambda d: not _fold(d.name).startswith(text))
    return hits[:limit]


def find_anywhere(text: str, year: int) -> list[Division]:
    """Every city- or county-level division of that name (or code) in any province."""
    tree = _tree(year)
    folded = _fold(text)
    if re.fullmatch(r"[0-9]{4}|[0-9]{6}", folded):
        code = folded if len(folded) == 6 else folded + "00"
        return [tree.by_code[code]] if code in tree.by_code else []
    return [d for d in tree.by_code.values() if _fold(d.name) == folded]


def division_name(code: str, lang: str = "zh", year: int | None = None) -> str:
    """The display name of a GB/T 2260 code: "35" → 福建省 (Fujian in English); a 4- or
    6-digit city or county code → its Chinese name (in ``year``; the latest when None).
    "" for an unknown code. The printed copies show provinces by this name."""
    if code in provinces():
        entry = provinces()[code]
        return entry["en"] if lang.startswith("en") else entry["zh"]
    if re.fullmatch(r"[0-9]{4}|[0-9]{6}", code):
        full = code if len(code) == 6 else code + "00"
        division = _tree(year or 9999).by_code.get(full)
        return division.name if division else ""
    return ""
