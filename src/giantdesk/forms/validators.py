"""Field-value validators for the declaration forms (pure Python, no Qt).

Every ``check_*`` / ``parse_*`` function takes the raw text the user typed or pasted, normalises
it (full-width → half-width, separators, case, units) and either returns a :class:`Checked`
value, possibly with non-blocking :class:`ValueWarning` s, or raises :class:`InvalidValue`.

Messages never contain the field label; the caller prefixes it ("手机：…" / "Mobile: …").
Blank input raises ``InvalidValue`` with a ``*.empty`` code: whether a field is required is the
caller's decision, so callers should skip blank optional fields before calling.

The cross-field checks (``check_*_within_*``) return an :class:`InvalidValue` or ``None``
instead of raising, so that a caller can collect them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from stdnum.cn import uscc as _stdnum_uscc

from giantdesk.forms.messages import Message

__all__ = [
    "DATE_MIN",
    "MONEY_MAX",
    "Checked",
    "InvalidValue",
    "ValueWarning",
    "check_code",
    "check_date",
    "check_email",
    "check_main_within_operating",
    "check_mobile",
    "check_niche_within_industry",
    "check_patent_number",
    "check_phone",
    "check_postcode",
    "check_rd_staff_within_employees",
    "check_uscc",
    "normalize_text",
    "normalize_uscc",
    "parse_int",
    "parse_money",
    "parse_percent",
    "patent_check_character",
]

T = TypeVar("T", covariant=True)  # Checked is read-only: Checked[str] is a Checked[object]


# --------------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------------


class InvalidValue(Exception):
    """A value that cannot be accepted. ``code`` is stable; ``message`` is for the user."""

    code: str
    message: Message

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message.zh} / {self.message.en}"

    def __repr__(self) -> str:
        return f"InvalidValue({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class ValueWarning:
    """A doubtful but acceptable value; shown to the user, never blocks saving."""

    code: str
    message: Message


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A normalised, accepted value and the warnings it raised."""

    value: T
    warnings: tuple[ValueWarning, ...] = ()


# --------------------------------------------------------------------------------------------
# Normalisation helpers
# --------------------------------------------------------------------------------------------

# Full-width ASCII (U+FF01–U+FF5E) → ASCII, ideographic space → space. Done by hand instead of
# NFKC so that superscripts, circled digits and the like are not silently turned into digits.
_WIDTH_TABLE: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20
# Hyphen look-alikes met in pasted text: ‐ ‑ ‒ – — ― − ﹣ (－ is covered by the width table).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63"
for _ch in _DASHES:
    _WIDTH_TABLE[ord(_ch)] = ord("-")
del _ch


def _fold(raw: str) -> str:
    """NFC, full-width → half-width, dash look-alikes → '-', strip."""
    return unicodedata.normalize("NFC", raw).translate(_WIDTH_TABLE).strip()


def _squash(text: str, drop: str = "-") -> str:
    """Remove every whitespace and invisible format character, and the characters in ``drop``."""
    return "".join(
        ch
        for ch in text
        if not ch.isspace() and ch not in drop and unicodedata.category(ch) != "Cf"
    )


def _show(text: str, limit: int = 24) -> str:
    """``text`` shortened for quoting in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty(kind: str) -> InvalidValue:
    return InvalidValue(f"{kind}.empty", Message("未填写", "No value was entered"))


def normalize_text(raw: str) -> str:
    """Single-line text: NFC, trimmed, every run of whitespace (also U+3000) → one space."""
    return " ".join(unicodedata.normalize("NFC", raw).split())


# --------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# --------------------------------------------------------------------------------------------

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_CONFUSABLE = {"O": "0", "I": "1", "Z": "2", "S": "5"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_uscc(raw: str) -> str:
    """Trim, drop spaces (also U+3000) and hyphens, full-width → half-width, upper case."""
    return _squash(_fold(raw)).upper()


def _org_code_check_char(body: str) -> str:
    """GB 11714 check character for the first 8 characters of an organisation code."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def check_uscc(raw: str) -> Checked[str]:
    code = normalize_uscc(raw)
    if not code:
        raise _empty("uscc")
    for pos, ch in enumerate(code, start=1):
        if ch not in _USCC_ALPHABET:
            hint_zh = hint_en = ""
            if ch in _USCC_CONFUSABLE:
                hint_zh = f"（是否应为 {_USCC_CONFUSABLE[ch]}？）"
                hint_en = f" (did you mean {_USCC_CONFUSABLE[ch]}?)"
            raise InvalidValue(
                "uscc.chars",
                Message(
                    f"第 {pos} 位的字符“{_show(ch)}”不允许{hint_zh}；"
                    "只能使用数字和除 I、O、S、V、Z 以外的大写字母",
                    f"character {pos} “{_show(ch)}” is not allowed{hint_en}; only digits and the"
                    " capital letters other than I, O, S, V and Z are used",
                ),
            )
    if len(code) != 18:
        raise InvalidValue(
            "uscc.length",
            Message(
                f"应为 18 位，实为 {len(code)} 位",
                f"must have 18 characters, not {len(code)}",
            ),
        )
    if not code[2:8].isdigit():
        raise InvalidValue(
            "uscc.region",
            Message(
                f"第 3–8 位（登记管理机关行政区划码）应为 6 位数字，实为“{code[2:8]}”",
                f"characters 3–8 (registration authority's division code) must be 6 digits,"
                f" not “{code[2:8]}”",
            ),
        )
    expected = str(_stdnum_uscc.calc_check_digit(code[:17]))
    if code[17] != expected:
        raise InvalidValue(
            "uscc.checksum",
            Message(
                f"校验位错误：按前 17 位应为 {expected}，实为 {code[17]}；请逐位核对",
                f"wrong check character: the first 17 characters give {expected}, not"
                f" {code[17]}; please check each character",
            ),
        )

    warnings: list[ValueWarning] = []
    if not code.startswith("91"):
        warnings.append(
            ValueWarning(
                "uscc.not_enterprise",
                Message(
                    f"不以 91 开头（实为 {code[:2]}）：申报主体应为在市场监管部门登记的企业",
                    f"does not start with 91 (it starts with {code[:2]}): the applicant should"
                    " be an enterprise registered with the market regulator",
                ),
            )
        )
    org = code[8:17]
    org_expected = _org_code_check_char(org[:8])
    if org[8] != org_expected:
        warnings.append(
            ValueWarning(
                "uscc.org_code",
                Message(
                    f"第 9–17 位（组织机构代码 {org}）未通过 GB 11714 校验：第 17 位按规则应为"
                    f" {org_expected}；请核对",
                    f"characters 9–17 (organisation code {org}) fail the GB 11714 check:"
                    f" character 17 should be {org_expected}; please verify",
                ),
            )
        )
    return Checked(code, tuple(warnings))


# --------------------------------------------------------------------------------------------
# Phone numbers, postcode, e-mail
# --------------------------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_MSG = Message(
    "手机号码应为 11 位数字，以 1 开头，第二位为 3–9",
    "a mobile number has 11 digits, starts with 1, second digit 3–9",
)


def _strip_country_code(digits: str) -> tuple[str, bool]:
    """Remove a leading +86 / 0086; returns the rest and whether a prefix was removed."""
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :], True
    return digits, False


def check_mobile(raw: str) -> Checked[str]:
    """Mainland mobile number → 11 digits. Accepts spaces, hyphens and a +86 / 86 prefix."""
    text = _squash(_fold(raw), drop="-()")
    if not text:
        raise _empty("mobile")
    digits, _ = _strip_country_code(text)
    if not re.fullmatch(r"[0-9]+", digits):
        raise InvalidValue(
            "mobile.chars",
            Message(
                f"含有数字以外的字符（“{_show(text)}”）；{_MOBILE_MSG.zh}",
                f"contains characters other than digits (“{_show(text)}”); {_MOBILE_MSG.en}",
            ),
        )
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not _MOBILE_RE.fullmatch(digits):
        found_zh = f"（实为 {len(digits)} 位）" if len(digits) != 11 else ""
        found_en = f" (found {len(digits)} digits)" if len(digits) != 11 else ""
        raise InvalidValue(
            "mobile.format",
            Message(_MOBILE_MSG.zh + found_zh, _MOBILE_MSG.en + found_en),
        )
    return Checked(digits)


_PHONE_MSG = Message(
    "固定电话应为 区号-号码，区号 3–4 位以 0 开头，号码 7–8 位，可加分机号，例如 010-12345678-123",
    "a landline number is area code-number: area code 3–4 digits starting with 0, number 7–8"
    " digits, optional extension, e.g. 010-12345678-123",
)
_PHONE_RE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")
_EXTENSION_RE = re.compile(r"(转|分机|ext\.?|x)", re.IGNORECASE)


def _area_code_length(digits: str) -> int:
    """010 and 020–029 are the mainland's 3-digit area codes; all others have 4 digits."""
    return 3 if digits.startswith(("010", "02")) else 4


def _split_landline(groups: list[str]) -> tuple[str, str, str] | None:
    """(area, local, extension) from digit groups, or None when they do not form a number."""
    first = groups[0]
    if len(groups) > 1:  # the first group is the area code
        if not re.fullmatch(r"0[0-9]{2,3}", first):
            return None
        area, rest = first, groups[1:]
        local = ""
        while rest and len(local) < 7:
            local += rest.pop(0)
        ext = "".join(rest)
        if 7 <= len(local) <= 8 and len(ext) <= 6:
            return area, local, ext
        return None
    joined = "".join(groups)
    if not joined.startswith("0"):
        return None
    preferred = _area_code_length(joined)
    for n in (preferred, 7 - preferred):  # try 3 then 4 or 4 then 3
        if 7 <= len(joined) - n <= 8:
            return joined[:n], joined[n:], ""
    return None


def check_phone(raw: str) -> Checked[str]:
    """Landline or fax number → ``"010-12345678"`` or ``"010-12345678-123"``.

    Accepts full-width digits, spaces, ``(010)12345678``, ``+86 10 12345678`` and 转 / 分机 /
    ext for the extension. A 400/800 number or a mobile number is accepted with a warning.
    """
    text = "".join(ch for ch in _fold(raw) if unicodedata.category(ch) != "Cf")
    if not _squash(text):
        raise _empty("phone")
    shown = _show(_squash(text, drop=""))
    text = _EXTENSION_RE.sub("#", text).replace("(", " ").replace(")", " ").strip()
    had_country = False
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text, had_country = text[len(prefix) :], True
            break
    main, hash_mark, ext_part = text.partition("#")
    groups = [g for g in re.split(r"[\s\-]+", main) if g]
    ext_groups = [g for g in re.split(r"[\s\-]+", ext_part) if g]
    if (
        not groups
        or any(not re.fullmatch(r"[0-9]+", g) for g in groups + ext_groups)
        or (hash_mark and not ext_groups)
    ):
        raise InvalidValue(
            "phone.chars",
            Message(
                f"含有无法识别的字符（“{shown}”）；{_PHONE_MSG.zh}",
                f"contains characters that cannot be read (“{shown}”); {_PHONE_MSG.en}",
            ),
        )
    joined = "".join(groups)

    if not ext_groups:
        if _MOBILE_RE.fullmatch(joined) or (
            len(joined) == 13 and joined.startswith("86") and _MOBILE_RE.fullmatch(joined[2:])
        ):
            return Checked(
                joined[-11:],
                (
                    ValueWarning(
                        "phone.mobile",
                        Message(
                            "这是手机号码；此处通常应填写带区号的固定电话",
                            "this is a mobile number; a landline number with area code is"
                            " usually expected here",
                        ),
                    ),
                ),
            )
        if re.fullmatch(r"[48]00[0-9]{7}", joined):
            return Checked(
                f"{joined[:3]}-{joined[3:6]}-{joined[6:]}",
                (
                    ValueWarning(
                        "phone.service_number",
                        Message(
                            f"这是 {joined[:3]} 服务号码；此处通常应填写带区号的固定电话",
                            f"this is a {joined[:3]} service number; a landline number with area"
                            " code is usually expected here",
                        ),
                    ),
                ),
            )
    if had_country and not joined.startswith("0"):
        groups[0] = "0" + groups[0]

    parts = _split_landline(groups)
    if parts is not None:
        area, local, ext = parts
        if ext_groups:
            if ext:  # "010-12345678-1 转 2": two extensions
                raise InvalidValue("phone.format", _PHONE_MSG)
            ext = "".join(ext_groups)
        value = f"{area}-{local}" + (f"-{ext}" if ext else "")
        if _PHONE_RE.fullmatch(value):
            return Checked(value)
    raise InvalidValue("phone.format", _PHONE_MSG)


def check_postcode(raw: str) -> Checked[str]:
    text = _squash(_fold(raw))
    if not text:
        raise _empty("postcode")
    if not re.fullmatch(r"[0-9]{6}", text):
        raise InvalidValue(
            "postcode.format",
            Message(
                f"邮政编码应为 6 位数字，实为“{_show(text)}”",
                f"a postcode has 6 digits, not “{_show(text)}”",
            ),
        )
    return Checked(text)


_EMAIL_MSG = Message(
    "电子邮箱应为 名称@域名 的形式，例如 name@example.com",
    "an e-mail address has the form name@domain, e.g. name@example.com",
)
_EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_DNS_LABEL_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _email_error(detail_zh: str, detail_en: str) -> InvalidValue:
    return InvalidValue(
        "email.format",
        Message(f"{detail_zh}；{_EMAIL_MSG.zh}", f"{detail_en}; {_EMAIL_MSG.en}"),
    )


def check_email(raw: str) -> Checked[str]:
    """``local@domain.tld``; ASCII local part, the domain may be internationalised (中文域名).

    Full-width characters and the ideographic full stop (。) are folded; the domain is
    lower-cased.
    """
    text = _fold(raw).replace("\u3002", ".").replace("\uff61", ".")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    if not text:
        raise _empty("email")
    if any(ch.isspace() for ch in text):
        raise _email_error("不能含有空格", "must not contain spaces")
    if text.count("@") != 1:
        raise _email_error("应含有且只含有一个 @", "must contain exactly one @")
    local, domain = text.split("@")
    if not local or len(local) > 64 or not _EMAIL_LOCAL_RE.fullmatch(local):
        raise _email_error(
            f"@ 前的名称“{_show(local)}”无效", f"the name before @ “{_show(local)}” is invalid"
        )
    domain = domain.lower()
    labels = domain.split(".")
    try:
        ascii_labels = [lab.encode("idna").decode("ascii") for lab in labels]
    except UnicodeError:
        ascii_labels = []
    ok = (
        len(labels) >= 2
        and len(ascii_labels) == len(labels)
        and all(_DNS_LABEL_RE.fullmatch(lab) for lab in ascii_labels)
        and len(".".join(ascii_labels)) <= 253
        and (ascii_labels[-1].isalpha() or ascii_labels[-1].startswith("xn--"))
        and len(ascii_labels[-1]) >= 2
    )
    if not ok:
        raise _email_error(
            f"@ 后的域名“{_show(domain)}”无效", f"the domain after @ “{_show(domain)}” is invalid"
        )
    return Checked(f"{local}@{domain}")


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

DATE_MIN = date(1949, 10, 1)
_DATE_PATTERNS = (
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"),
    re.compile(r"([0-9]{4})(年)([0-9]{1,2})月([0-9]{1,2})日?"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)


def check_date(raw: str, *, today: date) -> Checked[date]:
    """YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日, YYYYMMDD); 1949-10-01 … today."""
    text = _squash(_fold(raw), drop="")
    if not text:
        raise _empty("date")
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            break
    else:
        raise InvalidValue(
            "date.format",
            Message(
                f"日期格式应为 YYYY-MM-DD，例如 2021-03-05，实为“{_show(text)}”",
                f"a date is written YYYY-MM-DD, e.g. 2021-03-05, not “{_show(text)}”",
            ),
        )
    year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
    try:
        value = date(year, month, day)
    except ValueError:
        raise InvalidValue(
            "date.invalid",
            Message(
                f"日期不存在：{year} 年 {month} 月 {day} 日",
                f"no such date: {year:04d}-{month:02d}-{day:02d}",
            ),
        ) from None
    if value > today:
        raise InvalidValue(
            "date.future",
            Message(
                f"不能晚于今天（{today.isoformat()}），实为 {value.isoformat()}",
                f"must not be after today ({today.isoformat()}), not {value.isoformat()}",
            ),
        )
    if value < DATE_MIN:
        raise InvalidValue(
            "date.too_early",
            Message(
                f"不能早于 {DATE_MIN.isoformat()}，实为 {value.isoformat()}",
                f"must not be before {DATE_MIN.isoformat()}, not {value.isoformat()}",
            ),
        )
    return Checked(value)


# --------------------------------------------------------------------------------------------
# Numbers: money (万元), percent, integers
# --------------------------------------------------------------------------------------------

MONEY_MAX = Decimal(100_000_000)  # 万元 — a sanity bound, 1 万亿元
_MONEY_UNIT_SUSPECT = Decimal(1_000_000)  # 万元 = 100 亿元, implausible for an SME
_CENT = Decimal("0.01")
_MAX_INT_DIGITS = 15
# Optional sign, digits with correctly grouped thousands separators or none, optional fraction.
_NUMBER_RE = re.compile(r"([+-]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+|(?=\.[0-9]))(?:\.([0-9]*))?")
_MONEY_WRONG_UNITS = ("亿元", "千元", "百元", "亿", "元")


def _number_error(kind: str, text: str, example: str) -> InvalidValue:
    return InvalidValue(
        f"{kind}.format",
        Message(
            f"应为数字，例如 {example}，实为“{_show(text)}”",
            f"must be a number, e.g. {example}, not “{_show(text)}”",
        ),
    )


def _parse_decimal(text: str, kind: str, example: str) -> Decimal:
    """A decimal with at most 2 significant decimals, quantized to 2 places."""
    m = _NUMBER_RE.fullmatch(text)
    if not m:
        raise _number_error(kind, text, example)
    sign, whole, frac = m.group(1), m.group(2).replace(",", ""), m.group(3) or ""
    if len(whole.lstrip("0")) > _MAX_INT_DIGITS:
        raise InvalidValue(
            f"{kind}.too_large",
            Message(f"数值过大：“{_show(text)}”", f"the number is too large: “{_show(text)}”"),
        )
    if len(frac.rstrip("0")) > 2:
        raise InvalidValue(
            f"{kind}.decimals",
            Message(
                f"最多保留 2 位小数，实为 {len(frac.rstrip('0'))} 位（“{_show(text)}”）；"
                "请自行取舍，本软件不会自动四舍五入",
                f"at most 2 decimal places are allowed, found {len(frac.rstrip('0'))}"
                f" (“{_show(text)}”); round the value yourself, it is not rounded automatically",
            ),
        )
    value = Decimal(f"{sign}{whole}.{frac[:2] or '0'}").quantize(_CENT)
    if value == 0:
        value = Decimal("0.00")  # no "-0.00"
    return value


def parse_money(raw: str, *, allow_negative: bool = False) -> Checked[Decimal]:
    """An amount in 万元 → Decimal with 2 decimals (never float).

    Accepts thousands separators, full-width digits, a trailing 万元 / 万, a sign. More than 2
    (non-zero) decimals is an error, never rounded. ``allow_negative`` for 净利润.
    """
    text = _squash(_fold(raw), drop="")
    if not text:
        raise _empty("money")
    for unit in ("万元", "万"):
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    else:
        for unit in _MONEY_WRONG_UNITS:
            if text.endswith(unit):
                raise InvalidValue(
                    "money.unit",
                    Message(
                        f"单位应为万元，实为{unit}；请换算成万元后填写数字",
                        f"the unit is 万元 (10,000 yuan), not {unit}; convert the amount to 万元",
                    ),
                )
    value = _parse_decimal(text, "money", "1234.56")
    if abs(value) > MONEY_MAX:
        raise InvalidValue(
            "money.too_large",
            Message(
                f"金额过大：单位为万元，不应超过 {MONEY_MAX:,} 万元",
                f"the amount is too large: the unit is 万元 and the limit is {MONEY_MAX:,} 万元",
            ),
        )
    if value < 0 and not allow_negative:
        raise InvalidValue(
            "money.negative",
            Message("金额不能为负数", "the amount must not be negative"),
        )
    warnings: tuple[ValueWarning, ...] = ()
    if abs(value) >= _MONEY_UNIT_SUSPECT:
        warnings = (
            ValueWarning(
                "money.unit_suspect",
                Message(
                    "金额很大（100 亿元以上）：请确认单位为万元而不是元",
                    "a very large amount (over 10 billion yuan): check that the unit is 万元,"
                    " not yuan",
                ),
            ),
        )
    return Checked(value, warnings)


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def parse_percent(
    raw: str,
    *,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = Decimal(100),
) -> Checked[Decimal]:
    """A percentage → Decimal with 2 decimals; optional trailing % / ％.

    Bounds are inclusive; pass ``None`` to lift one (growth rates may be negative or > 100).
    """
    text = _squash(_fold(raw), drop="")
    if not text:
        raise _empty("percent")
    if text.endswith("%"):
        text = text[:-1]
    value = _parse_decimal(text, "percent", "12.34")
    if minimum is not None and value < minimum:
        raise InvalidValue(
            "percent.too_small",
            Message(
                "不能为负数" if minimum == 0 else f"不能小于 {_fmt(minimum)}%",
                "must not be negative" if minimum == 0 else f"must not be below {_fmt(minimum)}%",
            ),
        )
    if maximum is not None and value > maximum:
        raise InvalidValue(
            "percent.too_large",
            Message(f"不能大于 {_fmt(maximum)}%", f"must not be above {_fmt(maximum)}%"),
        )
    return Checked(value)


def parse_int(raw: str, *, minimum: int | None = 0, maximum: int | None = None) -> Checked[int]:
    """A whole number (persons, years): digits only, optional thousands separators and sign."""
    text = _squash(_fold(raw), drop="")
    if not text:
        raise _empty("int")
    m = _NUMBER_RE.fullmatch(text)
    if not m:
        raise InvalidValue(
            "int.format",
            Message(
                f"应为整数，例如 120，实为“{_show(text)}”",
                f"must be a whole number, e.g. 120, not “{_show(text)}”",
            ),
        )
    if m.group(3) is not None:
        raise InvalidValue(
            "int.decimals",
            Message(
                f"应为整数，不能有小数点（“{_show(text)}”）",
                f"must be a whole number without a decimal point (“{_show(text)}”)",
            ),
        )
    digits = m.group(2).replace(",", "").lstrip("0") or "0"
    if len(digits) > _MAX_INT_DIGITS:
        raise InvalidValue(
            "int.too_large",
            Message(f"数值过大：“{_show(text)}”", f"the number is too large: “{_show(text)}”"),
        )
    value = int(digits) * (-1 if m.group(1) == "-" else 1)
    if minimum is not None and value < minimum:
        raise InvalidValue(
            "int.too_small",
            Message(
                "不能为负数" if minimum == 0 else f"不能小于 {minimum}",
                "must not be negative" if minimum == 0 else f"must not be below {minimum}",
            ),
        )
    if maximum is not None and value > maximum:
        raise InvalidValue(
            "int.too_large",
            Message(f"不能大于 {maximum}", f"must not be above {maximum}"),
        )
    return Checked(value)


# --------------------------------------------------------------------------------------------
# Code tables (GB/T 4754 …)
# --------------------------------------------------------------------------------------------

_CODE_TOKEN_RE = re.compile(r"([0-9A-Za-z]+)(.*)", re.DOTALL)


def _split_code(raw: str) -> tuple[str, str]:
    """("3411", "锅炉及辅助设备制造") from "3411 锅炉及辅助设备制造"; ("", text) if no code."""
    text = _fold(raw)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
    m = _CODE_TOKEN_RE.fullmatch(text)
    if not m:
        return "", text
    return m.group(1).upper(), normalize_text(m.group(2).lstrip(" -–—:：、."))


def check_code(
    raw: str, table: Mapping[str, object], kind: Message, example: str = "3411 锅炉及辅助设备制造"
) -> Checked[str]:
    """A code from ``table`` → the code. Accepts "3411" and "3411 锅炉及辅助设备制造".

    ``kind`` names the table without the word "code" ("国民经济行业" / "industry"); ``example``
    is a valid entry of the same table, quoted when the input has no code.
    When the table maps codes to names (``str`` or ``Message``) and the typed name differs,
    the code is accepted with a warning.
    """
    if not _squash(_fold(raw)):
        raise _empty("code")
    code, name = _split_code(raw)
    if not code:
        raise InvalidValue(
            "code.format",
            Message(
                f"应以{kind.zh}代码开头，例如“{example}”，实为“{_show(name)}”",
                f"must start with the {kind.en} code, e.g. “{example}”, not “{_show(name)}”",
            ),
        )
    if code not in table and re.fullmatch(r"[A-Z][0-9]+", code) and code[1:] in table:
        code = code[1:]  # "C3411": GB/T 4754 class shown with its section letter
    if code not in table:
        raise InvalidValue(
            "code.unknown",
            Message(
                f"“{_show(code)}”不是有效的{kind.zh}代码",
                f"“{_show(code)}” is not a valid {kind.en} code",
            ),
        )
    entry = table[code]
    names: tuple[str, ...] = ()
    if isinstance(entry, str):
        names = (entry,)
    elif isinstance(entry, Message):
        names = (entry.zh, entry.en)
    if name and names and normalize_text(name) not in {normalize_text(n) for n in names}:
        return Checked(
            code,
            (
                ValueWarning(
                    "code.name_mismatch",
                    Message(
                        f"代码 {code} 的名称应为“{names[0]}”，填写的是“{_show(name)}”；以代码为准",
                        f"the name of code {code} is “{names[-1]}”, not “{_show(name)}”;"
                        " the code is used",
                    ),
                ),
            ),
        )
    return Checked(code)


def check_niche_within_industry(niche: str, industry: str) -> InvalidValue | None:
    """The 4-digit 小类 (具体细分领域) must start with the 2-digit 大类 (所属行业)."""
    niche_code, _ = _split_code(niche)
    industry_code, _ = _split_code(industry)
    if re.fullmatch(r"[A-Z][0-9]+", niche_code):
        niche_code = niche_code[1:]  # "C3411": drop the section letter
    if re.fullmatch(r"[A-Z][0-9]+", industry_code):
        industry_code = industry_code[1:]
    if not niche_code or not industry_code:
        return None  # nothing to compare; a missing value is reported by the field itself
    if not re.fullmatch(r"[0-9]{4}", niche_code) or not re.fullmatch(r"[0-9]{2}", industry_code):
        return InvalidValue(
            "niche.format",
            Message(
                f"无法比较：细分领域应为 4 位小类代码（实为“{_show(niche_code)}”），"
                f"所属行业应为 2 位大类代码（实为“{_show(industry_code)}”）",
                f"cannot compare: the niche must be a 4-digit class code (found"
                f" “{_show(niche_code)}”) and the industry a 2-digit division code (found"
                f" “{_show(industry_code)}”)",
            ),
        )
    if not niche_code.startswith(industry_code):
        return InvalidValue(
            "niche.industry_mismatch",
            Message(
                f"细分领域 {niche_code} 不属于所属行业 {industry_code}："
                f"小类代码的前两位应为 {industry_code}",
                f"niche {niche_code} is not in industry {industry_code}: the first two digits"
                f" of the class code must be {industry_code}",
            ),
        )
    return None


# --------------------------------------------------------------------------------------------
# Chinese patent numbers (CNIPA application number + check character)
# --------------------------------------------------------------------------------------------

_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
#: The type digit (5th of 12, 3rd of 8): 1 invention, 2 utility model, 3 design, 8 / 9 PCT
#: applications entering the national phase (invention / utility model).
PATENT_KINDS: dict[str, Message] = {
    "1": Message("发明专利", "invention patent"),
    "2": Message("实用新型专利", "utility-model patent"),
    "3": Message("外观设计专利", "design patent"),
    "8": Message("发明专利（PCT 进入中国国家阶段）", "invention patent (PCT national phase)"),
    "9": Message("实用新型专利（PCT 进入中国国家阶段）", "utility-model patent (PCT national phase)"),
}
_KIND_DIGITS = {"invention": "18", "utility": "29", "design": "3"}
_PATENT_MSG = Message(
    "专利号应为“ZL”+ 申请号 +“.”+ 校验位：2004 年以后的申请号为 12 位数字（例如 ZL201710601862.3），"
    "此前为 8 位（例如 ZL95115608.X）",
    "a patent number is “ZL”, the application number, “.” and a check character: 12 digits since"
    " 2004 (e.g. ZL201710601862.3), 8 digits before (e.g. ZL95115608.X)",
)


_PATENT_CANONICAL = re.compile(r"ZL(?:[0-9]{12}|[0-9]{8})\.[0-9X]")


def patent_check_character(digits: str) -> str:
    """The CNIPA check character of an 8- or 12-digit application number: Σ dᵢ·wᵢ mod 11,
    weights 2…9, 2…5; 10 is written X."""
    total = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS, strict=False))
    value = total % 11
    return "X" if value == 10 else str(value)


def check_patent_number(raw: str, kinds: tuple[str, ...] = ()) -> Checked[str]:
    """A Chinese patent number → ``"ZL201710601862.3"``.

    Accepts it with or without ``ZL``, full-width, with spaces, with 。 or · for the dot, or
    without the dot. The check character must match (a wrong one is a typo the platform
    refuses). ``kinds`` ("invention", "utility", "design"): a number of another kind, by its
    type digit, gives a warning.
    """
    if _PATENT_CANONICAL.fullmatch(raw):  # the stored form: no normalization needed
        text = raw
    else:
        text = _squash(
            _fold(raw).replace("\u3002", ".").replace("\u00b7", ".").replace("\uff61", "."),
            drop="-").upper()
    if not text:
        raise _empty("patent")
    if text.startswith("CN"):
        raise InvalidValue(
            "patent.publication",
            Message(
                f"“{_show(text)}”以 CN 开头，是公开（公告）号，不是专利号；请填写专利证书上的专利号，"
                "例如 ZL201710601862.3",
                f"“{_show(text)}” starts with CN: that is a publication number, not the patent"
                " number; give the patent number on the certificate, e.g. ZL201710601862.3",
            ),
        )
    body = text.removeprefix("ZL")
    m = re.fullmatch(r"([0-9]{12}|[0-9]{8})\.?([0-9X])", body)
    if not m:
        raise InvalidValue("patent.format", Message(
            f"{_PATENT_MSG.zh}；实为“{_show(text)}”", f"{_PATENT_MSG.en}; not “{_show(text)}”"))
    digits, given = m.group(1), m.group(2)
    expected = patent_check_character(digits)
    if given != expected:
        raise InvalidValue(
            "patent.checksum",
            Message(
                f"校验位错误：按申请号 {digits} 应为“{expected}”，实为“{given}”；请对照专利证书逐位核对",
                f"wrong check character: the application number {digits} gives “{expected}”,"
                f" not “{given}”; check each digit against the patent certificate",
            ),
        )
    value = f"ZL{digits}.{expected}"
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    wanted = "".join(_KIND_DIGITS[k] for k in kinds if k in _KIND_DIGITS)
    if wanted and type_digit not in wanted:
        kind = PATENT_KINDS.get(type_digit)
        position = 5 if len(digits) == 12 else 3
        found = kind or Message("未知类型", "an unknown type")
        expected_kinds = [PATENT_KINDS[d] for d in wanted]
        return Checked(value, (ValueWarning("patent.kind", Message(
            f"申请号第 {position} 位为 {type_digit}，表示{found.zh}；此处应为"
            f"{'或'.join(k.zh for k in expected_kinds)}，请核对",
            f"digit {position} of the application number is {type_digit}: {found.en}; expected"
            f" {' or '.join(k.en for k in expected_kinds)} here, please check")),))
    return Checked(value)


# --------------------------------------------------------------------------------------------
# Cross-field checks
# --------------------------------------------------------------------------------------------


def check_main_within_operating(main: Decimal, operating: Decimal) -> InvalidValue | None:
    """主营业务收入 ≤ 营业收入."""
    if main > operating:
        return InvalidValue(
            "revenue.main_exceeds_operating",
            Message(
                f"主营业务收入（{main} 万元）不能大于营业收入（{operating} 万元）",
                f"main-business revenue ({main} 万元) must not exceed operating revenue"
                f" ({operating} 万元)",
            ),
        )
    return None


def check_rd_staff_within_employees(rd_staff: int, employees: int) -> InvalidValue | None:
    """研发人员数量 ≤ 全职员工数量."""
    if rd_staff > employees:
        return InvalidValue(
            "staff.rd_exceeds_employees",
            Message(
                f"研发人员数量（{rd_staff} 人）不能多于全职员工数量（{employees} 人）",
                f"R&D staff ({rd_staff}) must not exceed full-time employees ({employees})",
            ),
        )
    return None
