"""Turning what a user types (a string) into a typed field value, and back.

The GUI's editors, ``giantdesk drafts set`` and the whole-record validator all pass through
:func:`parse_input`, so a value is accepted or refused the same way everywhere.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from giantdesk.forms import codes, limits
from giantdesk.forms import validators as v
from giantdesk.forms.messages import Message
from giantdesk.forms.model import CODE_TYPES, NON_TEXT_TYPES, FieldDef, FieldType, Value
from giantdesk.forms.record import encode_value

_TRUE = {"true", "yes", "y", "1", "是", "有", "☑", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "无", "☐"}


def _choice(f: FieldDef, raw: str) -> str:
    text = v.normalize_text(raw)
    for choice in f.choices:
        if text in (choice.id, choice.label.zh, choice.label.en):
            return choice.id
    options = "、".join(f"{c.id}（{c.label.zh}）" for c in f.choices)
    options_en = ", ".join(c.id for c in f.choices)
    raise v.InvalidValue("choice.unknown", Message(
        f"“{text}”不是可选项；可选：{options}", f"“{text}” is not an option; choose one of {options_en}"))


def _province(f: FieldDef, raw: str) -> v.Checked[str]:
    code = codes.find_province(raw)
    if code is not None:
        return v.Checked(code)
    kind, example = codes.KIND_LABELS[FieldType.PROVINCE], codes.EXAMPLES[FieldType.PROVINCE]
    try:  # "35 浙江省": the code counts, the name is named in a warning
        names = {code: Message(e["zh"], e["en"]) for code, e in codes.provinces().items()}
        return v.check_code(raw, names, kind, example)
    except v.InvalidValue as exc:
        if exc.code == "code.empty":
            raise
        shown = limits.printable(v.normalize_text(raw), 24)
        raise v.InvalidValue("province.unknown", Message(
            f"“{shown}”不是省级行政区；请填写省、自治区、直辖市的名称或代码，"
            "例如“福建”“福建省”“Fujian”或“35”",
            f"“{shown}” is not a province; give a province, autonomous region or municipality"
            " by name or GB/T 2260 code, e.g. “福建”, “福建省”, “Fujian” or “35”")) from None


def _division(f: FieldDef, raw: str, today: date) -> v.Checked[str]:
    """A city or county by name; a GB/T 2260 code is turned into its name. Whether it lies
    in the chosen province / city is a cross-field check (``validation``)."""
    text = v.normalize_text(raw)
    if not text:
        raise v.InvalidValue("text.empty", Message("内容为空", "the value is empty"))
    if re.fullmatch(r"[0-9０-９]{4}|[0-9０-９]{6}", text):
        found = codes.find_anywhere(text, today.year)
        if not found:
            raise v.InvalidValue("division.unknown_code", Message(
                f"“{text}”不是 GB/T 2260 行政区划代码；请填写名称，例如“苏州市”",
                f"“{text}” is not a GB/T 2260 division code; give the name, e.g. “苏州市”"))
        return v.Checked(found[0].name)
    return v.Checked(text)


def parse_input(f: FieldDef, raw: str, *, today: date) -> v.Checked[Value]:
    """Parse and normalize ``raw`` for field ``f``; raise ``InvalidValue`` when it is refused.

    Text of any type is refused when it holds a character that cannot be stored or printed or
    is longer than ``f.max_length`` (:mod:`forms.limits`)."""
    if f.type not in NON_TEXT_TYPES:
        bad = limits.character_problem(raw, multiline=True)
        if bad is not None:
            raise bad
    checked = _parse(f, raw, today)
    if isinstance(checked.value, str):  # its characters were checked in ``raw`` above
        problem = limits.length_problem(f, checked.value)
        if problem is not None:
            raise problem
    return checked


def _parse(f: FieldDef, raw: str, today: date) -> v.Checked[Value]:
    t = f.type
    if t in (FieldType.TEXT, FieldType.LONGTEXT):
        text = raw.strip() if t is FieldType.LONGTEXT else v.normalize_text(raw)
        if not text:
            raise v.InvalidValue("text.empty", Message("内容为空", "the value is empty"))
        return v.Checked(text.replace("\r\n", "\n"))
    if t is FieldType.MONEY:
        money = v.parse_money(raw, allow_negative=f.allow_negative)
        return v.Checked(money.value, money.warnings)
    if t is FieldType.PERCENT:
        minimum = f.minimum if f.minimum is not None else Decimal(0)
        pct = v.parse_percent(raw, minimum=minimum, maximum=f.maximum or Decimal(100))
        return v.Checked(pct.value, pct.warnings)
    if t in (FieldType.INT, FieldType.YEAR):
        low = int(f.minimum) if f.minimum is not None else (1949 if t is FieldType.YEAR else 0)
        high = int(f.maximum) if f.maximum is not None else (
            today.year if t is FieldType.YEAR else None)
        number = v.parse_int(raw, minimum=low, maximum=high)
        return v.Checked(number.value, number.warnings)
    if t is FieldType.DATE:
        if f.allow_future:
            parsed = v.check_date(raw, today=date(9999, 12, 31))
        else:
            parsed = v.check_date(raw, today=today)
        return v.Checked(parsed.value, parsed.warnings)
    if t is FieldType.BOOL:
        text = v.normalize_text(raw).lower()
        if text in _TRUE:
            return v.Checked(True)
        if text in _FALSE:
            return v.Checked(False)
        raise v.InvalidValue("bool.format", Message("请选择“是”或“否”", "answer yes or no"))
    if t is FieldType.CHOICE:
        return v.Checked(_choice(f, raw))
    if t is FieldType.MULTICHOICE:
        parts = [p for p in v.normalize_text(raw).replace("，", ",").replace("、", ",").split(",")
                 if p.strip()]
        ids = tuple(dict.fromkeys(_choice(f, p) for p in parts))
        return v.Checked(tuple(c.id for c in f.choices if c.id in ids))
    if t is FieldType.PROVINCE:
        province = _province(f, raw)
        return v.Checked(province.value, province.warnings)
    if t in CODE_TYPES:
        code = v.check_code(raw, codes.table_for(t), codes.KIND_LABELS[t], codes.EXAMPLES[t])
        return v.Checked(code.value, code.warnings)
    if t in (FieldType.CITY, FieldType.COUNTY):
        division = _division(f, raw, today)
        return v.Checked(division.value, division.warnings)
    if t is FieldType.PATENT:
        patent = v.check_patent_number(raw, f.patent_kinds)
        return v.Checked(patent.value, patent.warnings)
    checker = {
        FieldType.USCC: v.check_uscc,
        FieldType.MOBILE: v.check_mobile,
        FieldType.PHONE: v.check_phone,
        FieldType.POSTCODE: v.check_postcode,
        FieldType.EMAIL: v.check_email,
    }[t]
    checked = checker(raw)
    return v.Checked(checked.value, checked.warnings)


def input_text(f: FieldDef, value: Value) -> str:
    """The text a user would type to get ``value`` (inverse of :func:`parse_input`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    encoded = encode_value(f, value)
    return encoded if isinstance(encoded, str) else str(encoded)


def display_text(f: FieldDef, value: Value | None, lang: str = "zh") -> str:
    """How a value is shown and printed: choice labels, "code name", thousands separators."""
    if value is None:
        return ""
    english = lang.startswith("en")
    if isinstance(value, bool):
        return ("Yes" if value else "No") if english else ("是" if value else "否")
    if f.type is FieldType.CHOICE and isinstance(value, str):
        choice = f.choice(value)
        return choice.label.text(lang) if choice else value
    if f.type is FieldType.MULTICHOICE and isinstance(value, tuple):
        labels = [(c.label.text(lang) if (c := f.choice(i)) else i) for i in value]
        return (", " if english else "、").join(labels)
    if f.type in CODE_TYPES and f.type is not FieldType.CHOICE and isinstance(value, str):
        name = codes.code_name(f.type, value)
        return f"{value} {name}".strip()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
