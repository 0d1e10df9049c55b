"""Turning what a user types (a string) into a typed field value, and back.

The GUI's editors, ``giantdesk drafts set`` and the whole-record validator all pass through
:func:`parse_input`, so a value is accepted or refused the same way everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from giantdesk.forms import codes
from giantdesk.forms import validators as v
from giantdesk.forms.messages import Message
from giantdesk.forms.model import CODE_TYPES, FieldDef, FieldType, Value
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


def parse_input(f: FieldDef, raw: str, *, today: date) -> v.Checked[Value]:
    """Parse and normalize ``raw`` for field ``f``; raise ``InvalidValue`` when it is refused."""
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
    if t in CODE_TYPES:
        code = v.check_code(raw, codes.table_for(t), codes.KIND_LABELS[t])
        return v.Checked(code.value, code.warnings)
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
