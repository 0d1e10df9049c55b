"""What a value may hold so that it can be stored and printed: characters and sizes.

One place for the checks every path applies — the record reader (``record.loads`` /
``record.check_limits``), the typed-input parser (``values.parse_input``: the GUI's editors and
``giantdesk drafts set``), the whole-record validator and the store's encoder:

* no character that cannot be stored or printed: lone surrogates (valid JSON ``"\\ud800"``, not
  valid Unicode), Unicode noncharacters (U+FFFE, U+FDD0 …) and control characters; a multi-line
  text (``longtext``) may hold line breaks and tabs, nothing else may;
* at most ``FieldDef.max_length`` characters (code points, after NFC), at most
  ``TableDef.max_rows`` rows, at most ``FormDefinition.max_record_bytes`` for a record file.

Messages never quote a refused character; they name its position and code point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from giantdesk.forms.messages import Message, size_text
from giantdesk.forms.model import FieldDef, FieldType, TableDef
from giantdesk.forms.validators import InvalidValue

_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_NONCHARACTERS = r"\ufdd0-\ufdef" + "".join(
    rf"\U{plane:04x}fffe\U{plane:04x}ffff" for plane in range(17))
_SURROGATES = r"\ud800-\udfff"
#: Refused everywhere.
_BAD = re.compile(f"[{_CONTROLS}{_SURROGATES}{_NONCHARACTERS}]")
#: Refused in a single-line value: the above plus tab, line feed and carriage return.
_BAD_SINGLE_LINE = re.compile(f"[\t\n\r{_CONTROLS}{_SURROGATES}{_NONCHARACTERS}]")


def _kind(ch: str) -> Message:
    cp = ord(ch)
    if 0xD800 <= cp <= 0xDFFF:
        return Message("孤立的代理项（不是有效的 Unicode 字符）",
                       "a lone surrogate (not a valid Unicode character)")
    if 0xFDD0 <= cp <= 0xFDEF or cp & 0xFFFE == 0xFFFE:
        return Message("Unicode 非字符", "a Unicode noncharacter")
    if ch in "\t\n\r":
        return Message("换行符或制表符（此处只能填写一行文字）",
                       "a line break or tab (this field holds a single line)")
    return Message("控制字符", "a control character")


def bad_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first character of ``text`` that cannot be stored or printed: (index, character)."""
    found = (_BAD if multiline else _BAD_SINGLE_LINE).search(text)
    return None if found is None else (found.start(), found.group())


def printable(text: str, limit: int = 40) -> str:
    """``text`` safe to show in a message: refused characters written as U+XXXX, shortened."""
    shown = _BAD.sub(lambda m: f"U+{ord(m.group()):04X}", text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def storable(text: str, *, multiline: bool = False) -> str:
    """``text`` with every character that cannot be stored or printed replaced by U+FFFD:
    for text the user did not type as a value — a file name or a login name from the OS
    (which may hold undecodable bytes), text kept while it is being typed."""
    return (_BAD if multiline else _BAD_SINGLE_LINE).sub("\ufffd", text)


def character_problem(text: str, *, multiline: bool = False) -> InvalidValue | None:
    found = bad_character(text, multiline=multiline)
    if found is None:
        return None
    index, ch = found
    kind = _kind(ch)
    return InvalidValue("text.character", Message(
        f"第 {index + 1} 个字符（U+{ord(ch):04X}）是{kind.zh}，无法保存或打印；请删除后重新输入",
        f"character {index + 1} (U+{ord(ch):04X}) is {kind.en}; it cannot be stored or printed"
        " — delete it and type the text again"))


def length_problem(f: FieldDef, text: str) -> InvalidValue | None:
    if f.max_length is None or len(text) <= f.max_length:
        return None
    over = len(text) - f.max_length
    return InvalidValue("text.too_long", Message(
        f"最多 {f.max_length:,} 个字符，实为 {len(text):,} 个（多 {over:,} 个）",
        f"at most {f.max_length:,} characters, not {len(text):,} ({over:,} too many)"))


def text_problem(f: FieldDef, text: str) -> InvalidValue | None:
    """Characters, then length, of one text value of ``f`` (label not included)."""
    return (character_problem(text, multiline=f.type is FieldType.LONGTEXT)
            or length_problem(f, text))


def value_problem(f: FieldDef, value: object) -> InvalidValue | None:
    """What makes a typed value of ``f`` impossible to store or print, or None.

    Only text is looked at: numbers, dates and booleans are bounded by their types."""
    if isinstance(value, str):
        return text_problem(f, value)
    if isinstance(value, tuple):
        return choices_problem(f, value)
    return None


def choices_problem(f: FieldDef, items: Sequence[object]) -> InvalidValue | None:
    most = max(len(f.choices), 1)
    if len(items) > most:
        return InvalidValue("choice.too_many", Message(
            f"最多可选 {most} 项，实为 {len(items):,} 项", f"at most {most} choices, not {len(items):,}"))
    for item in items:
        if isinstance(item, str) and (problem := text_problem(f, item)) is not None:
            return problem
    return None


def rows_problem(table: TableDef, count: int) -> InvalidValue | None:
    if count <= table.max_rows:
        return None
    return InvalidValue("table.max_rows", Message(
        f"最多 {table.max_rows:,} 行，实为 {count:,} 行", f"at most {table.max_rows:,} rows, not {count:,}"))


def size_problem(size: int, limit: int) -> InvalidValue | None:
    if size <= limit:
        return None
    return InvalidValue("record.too_large", Message(
        f"记录文件过大：{size_text(size)}，最大 {size_text(limit)}",
        f"the record file is too large: {size_text(size)}; the limit is {size_text(limit)}"))

