"""Tests for giantdesk.forms.validators (pure Python, no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from giantdesk.forms.messages import Message
from giantdesk.forms.validators import (
    Checked,
    InvalidValue,
    ValueWarning,
    check_code,
    check_date,
    check_email,
    check_main_within_operating,
    check_mobile,
    check_niche_within_industry,
    check_patent_number,
    check_phone,
    check_postcode,
    check_rd_staff_within_employees,
    check_uscc,
    normalize_text,
    normalize_uscc,
    parse_int,
    parse_money,
    parse_percent,
    patent_check_character,
)

TODAY = date(2024, 5, 1)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character, written independently of the code under test."""
    total = sum(ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in first8]
    c = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def error_code(fn: Callable[[], object]) -> str:
    with pytest.raises(InvalidValue) as info:
        fn()
    err = info.value
    assert isinstance(err.message, Message)
    assert err.message.zh and err.message.en
    assert err.code in str(err)
    return err.code


def warning_codes(checked: Checked[object]) -> list[str]:
    return [w.code for w in checked.warnings]


# --------------------------------------------------------------------------------------------
# result types
# --------------------------------------------------------------------------------------------


def test_result_types() -> None:
    c: Checked[int] = Checked(3)
    assert c.warnings == ()
    w = ValueWarning("x.y", Message("中", "en"))
    assert Checked(3, (w,)).warnings[0].message.text("en_US") == "en"
    assert w.message.text("zh_CN") == "中"
    with pytest.raises(AttributeError):
        c.value = 4  # type: ignore[misc]
    e = InvalidValue("a.b", Message("错", "wrong"))
    assert (e.code, e.message.zh) == ("a.b", "错")
    assert "错" in str(e) and "wrong" in str(e) and "a.b" in repr(e)


# --------------------------------------------------------------------------------------------
# normalize_text
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  北京某某科技有限公司 ", "北京某某科技有限公司"),
        ("a \t\n b", "a b"),
        ("甲\u3000\u3000乙", "甲 乙"),
        ("e\u0301", "\u00e9"),  # NFC
        ("某某（北京）有限公司", "某某（北京）有限公司"),  # full-width brackets kept in names
        ("", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@given(st.text())
def test_normalize_text_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once and "\n" not in once


# --------------------------------------------------------------------------------------------
# USCC
# --------------------------------------------------------------------------------------------

VALID_USCC = "91110000600037341L"  # python-stdnum doctest; passes GB 11714 too


def test_reference_codes_agree_with_independent_algorithm() -> None:
    assert uscc_check_char(VALID_USCC[:17]) == "L"
    assert org_check_char("60003734") == "1"
    # the brief's "91310000MA1FL4TE8A" does not validate; its check character is E
    assert uscc_check_char("91310000MA1FL4TE8") == "E"


@pytest.mark.parametrize(
    "raw",
    [
        VALID_USCC,
        "９１１１００００６０００３７３４１Ｌ",
        "9111 0000 6000 3734 1l",
        "91110000600037341l",
        "  91-110000-600037341L\t",
        "91110000\u3000600037341L",
        "91110000600037341\u200bL",  # zero-width space from a copied web page
        "91110000600037341–L",  # en dash
    ],
)
def test_uscc_valid_renderings(raw: str) -> None:
    result = check_uscc(raw)
    assert result.value == VALID_USCC
    assert result.warnings == ()


def test_normalize_uscc() -> None:
    assert normalize_uscc("９１１１ ００００－６０００３７３４１ｌ") == VALID_USCC
    assert normalize_uscc("") == ""


def test_uscc_checksum_error_names_expected_and_actual() -> None:
    with pytest.raises(InvalidValue) as info:
        check_uscc("91110000600037341X")
    err = info.value
    assert err.code == "uscc.checksum"
    assert "L" in err.message.zh and "X" in err.message.zh
    assert "L" in err.message.en and "X" in err.message.en
    assert "统一社会信用代码" not in err.message.zh  # the caller prefixes the label


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "uscc.empty"),
        ("  \u3000 ", "uscc.empty"),
        ("9111000060003734", "uscc.length"),
        ("91110000600037341L1", "uscc.length"),
        ("911100006OO037341L", "uscc.chars"),  # letter O instead of 0
        ("91110000600037341I", "uscc.chars"),
        ("91110000600037341S", "uscc.chars"),
        ("91110000600037341V", "uscc.chars"),
        ("91110000600037341Z", "uscc.chars"),
        ("91110000600037341*", "uscc.chars"),
        ("9111000060003734１Ｌ?", "uscc.chars"),
        ("9111A000600037341L", "uscc.region"),
        ("91110000600037341M", "uscc.checksum"),
        ("91110000600037342L", "uscc.checksum"),
        ("91310000MA1FL4TE8A", "uscc.checksum"),
    ],
)
def test_uscc_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_uscc(raw)) == code


def test_uscc_confusable_letter_hint() -> None:
    with pytest.raises(InvalidValue) as info:
        check_uscc("911100006O0037341L")
    assert "第 10 位" in info.value.message.zh
    assert "0" in info.value.message.zh and "did you mean 0" in info.value.message.en


def test_uscc_warns_when_not_an_enterprise() -> None:
    first17 = "52100000500021625"
    code = first17 + uscc_check_char(first17)
    result = check_uscc(code)
    assert result.value == code
    assert warning_codes(result) == ["uscc.not_enterprise"]


def test_uscc_letter_registration_authority_accepted_with_warning() -> None:
    first17 = "Y1110000600037341"
    code = first17 + uscc_check_char(first17)
    assert warning_codes(check_uscc(code)) == ["uscc.not_enterprise"]


def test_uscc_warns_on_gb11714_failure() -> None:
    code = "91310000MA1FL4TE8E"  # correct GB 32100 check char, but org code check says 7
    assert org_check_char("MA1FL4TE") == "7"
    result = check_uscc(code)
    assert result.value == code
    assert warning_codes(result) == ["uscc.org_code"]
    assert "7" in result.warnings[0].message.zh


def test_uscc_gb11714_x_and_zero_check_chars() -> None:
    for body in ("00000007", "00000001", "12345678", "MA1FL4TE", "ABCDEFGH"):
        org = body + org_check_char(body)
        first17 = "91110000" + org
        result = check_uscc(first17 + uscc_check_char(first17))
        assert result.warnings == ()


uscc_first17 = st.builds(
    lambda a, b, c: a + b + c,
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
)


@st.composite
def uscc_rendering(draw: st.DrawFn) -> tuple[str, str]:
    first17 = draw(uscc_first17)
    code = first17 + uscc_check_char(first17)
    out = []
    for ch in code:
        if draw(st.booleans()):
            ch = full_width(ch)
        if draw(st.booleans()):
            ch = ch.lower()
        out.append(ch)
        out.append(draw(st.sampled_from(["", "", " ", "\u3000", "-", "－"])))
    pad = st.sampled_from(["", " ", "\t", "\u3000"])
    return code, draw(pad) + "".join(out) + draw(pad)


@given(uscc_rendering())
def test_uscc_round_trips_any_rendering(case: tuple[str, str]) -> None:
    code, rendering = case
    assert normalize_uscc(rendering) == code
    result = check_uscc(rendering)
    assert result.value == code
    expected = set()
    if not code.startswith("91"):
        expected.add("uscc.not_enterprise")
    if org_check_char(code[8:16]) != code[16]:
        expected.add("uscc.org_code")
    assert set(warning_codes(result)) == expected


@given(uscc_first17, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_uscc_any_single_substitution_is_rejected(first17: str, pos: int, new: str) -> None:
    code = first17 + uscc_check_char(first17)
    assume(code[pos] != new)
    wrong = code[:pos] + new + code[pos + 1 :]
    assert error_code(lambda: check_uscc(wrong)) in {"uscc.checksum", "uscc.region"}


# --------------------------------------------------------------------------------------------
# mobile
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "１３８００１３８０００",
        "+86 138 0013 8000",
        "+8613800138000",
        "＋８６－１３８－００１３－８０００",
        "8613800138000",
        "86 13800138000",
        "(+86)13800138000",
        "0086 13800138000",
    ],
)
def test_mobile_valid(raw: str) -> None:
    assert check_mobile(raw) == Checked("13800138000")


@pytest.mark.parametrize("second", "3456789")
def test_mobile_second_digit_3_to_9(second: str) -> None:
    assert check_mobile(f"1{second}012345678").value == f"1{second}012345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "mobile.empty"),
        ("12800138000", "mobile.format"),
        ("10800138000", "mobile.format"),
        ("23800138000", "mobile.format"),
        ("1380013800", "mobile.format"),
        ("138001380001", "mobile.format"),
        ("86138001380", "mobile.format"),
        ("010-12345678", "mobile.format"),
        ("138a0013800", "mobile.chars"),
        ("138.0013.8000", "mobile.chars"),
        ("١٣٨٠٠١٣٨٠٠٠", "mobile.chars"),  # Arabic-Indic digits are not accepted
    ],
)
def test_mobile_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_mobile(raw)) == code


def test_mobile_message_is_specific() -> None:
    with pytest.raises(InvalidValue) as info:
        check_mobile("1380013800")
    assert "11 位数字" in info.value.message.zh and "3–9" in info.value.message.zh
    assert "10" in info.value.message.zh and "11 digits" in info.value.message.en


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", "+86", "86", "+86 ", "0086", "＋８６"]),
    st.booleans(),
    st.booleans(),
)
def test_mobile_round_trip(number: str, prefix: str, wide: bool, spaced: bool) -> None:
    body = f"{number[:3]} {number[3:7]}-{number[7:]}" if spaced else number
    raw = prefix + (full_width(body) if wide else body)
    assert check_mobile(raw).value == number


# --------------------------------------------------------------------------------------------
# landline / fax
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),
        ("010 1234 5678", "010-12345678"),
        ("(010)12345678", "010-12345678"),
        ("(010) 1234-5678", "010-12345678"),
        ("（０１０）１２３４５６７８", "010-12345678"),
        ("０１０－１２３４５６７８", "010-12345678"),
        ("021-6123456", "021-6123456"),
        ("0755-88881234", "0755-88881234"),
        ("075588881234", "0755-88881234"),
        ("07558888123", "0755-8888123"),
        ("0755-8888-1234", "0755-88881234"),
        ("010-12345678-123", "010-12345678-123"),
        ("010-12345678转123", "010-12345678-123"),
        ("010-12345678 分机 8001", "010-12345678-8001"),
        ("010-12345678 ext. 9", "010-12345678-9"),
        ("010-12345678-123456", "010-12345678-123456"),
        ("+86 10 12345678", "010-12345678"),
        ("+86-755-88881234", "0755-88881234"),
        ("0086 10 1234 5678", "010-12345678"),
        ("0311234567", "031-1234567"),  # 3+7 when 4+6 does not fit; the regex allows it
    ],
)
def test_phone_valid(raw: str, expected: str) -> None:
    result = check_phone(raw)
    assert result.value == expected
    assert result.warnings == ()


@pytest.mark.parametrize(
    ("raw", "expected", "warning"),
    [
        ("400-800-1234", "400-800-1234", "phone.service_number"),
        ("4008001234", "400-800-1234", "phone.service_number"),
        ("800 123 4567", "800-123-4567", "phone.service_number"),
        ("４００－８００－１２３４", "400-800-1234", "phone.service_number"),
        ("13800138000", "13800138000", "phone.mobile"),
        ("+86 138 0013 8000", "13800138000", "phone.mobile"),
        ("138-0013-8000", "13800138000", "phone.mobile"),
    ],
)
def test_phone_accepted_with_warning(raw: str, expected: str, warning: str) -> None:
    result = check_phone(raw)
    assert result.value == expected
    assert warning_codes(result) == [warning]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone.empty"),
        ("   ", "phone.empty"),
        ("12345678", "phone.format"),  # no area code
        ("010-123456", "phone.format"),  # local number too short
        ("010-123456789", "phone.format"),  # local number too long
        ("010-12345678-1234567", "phone.format"),  # extension too long
        ("0-12345678", "phone.format"),
        ("01-12345678", "phone.format"),
        ("010123", "phone.format"),
        ("010-12345678转1-2转3", "phone.chars"),
        ("010-12345678-1 转 2", "phone.format"),
        ("010-1234-5678-1234567", "phone.format"),
        ("010-1234567a", "phone.chars"),
        ("010-12345678转", "phone.chars"),
        ("phone", "phone.chars"),
        ("010.12345678", "phone.chars"),
        ("12800138000", "phone.format"),
    ],
)
def test_phone_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_phone(raw)) == code


def test_phone_message_describes_expected_form() -> None:
    with pytest.raises(InvalidValue) as info:
        check_phone("12345678")
    assert "区号" in info.value.message.zh and "area code" in info.value.message.en


area_codes = st.one_of(
    st.just("010"),
    st.from_regex(r"02[0-9]", fullmatch=True),
    st.from_regex(r"0[3-9][0-9]{2}", fullmatch=True),
)


@given(
    area_codes,
    st.from_regex(r"[2-8][0-9]{6,7}", fullmatch=True),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,6}", fullmatch=True)),
    st.sampled_from(["{a}-{l}", "({a}){l}", "{a} {l}", "{a}{l}", "+86 {a0} {l}"]),
    st.booleans(),
)
def test_phone_round_trip(area: str, local: str, ext: str, template: str, wide: bool) -> None:
    expected = f"{area}-{local}" + (f"-{ext}" if ext else "")
    raw = template.format(a=area, l=local, a0=area[1:])
    if ext:
        assume("{a}{l}" not in template)  # an extension needs a separated number
        raw += f"-{ext}"
    if wide:
        raw = full_width(raw)
    result = check_phone(raw)
    assert result.value == expected
    assert result.warnings == ()


# --------------------------------------------------------------------------------------------
# postcode, e-mail
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["100000", " 100000 ", "１０００００", "100 000"])
def test_postcode_valid(raw: str) -> None:
    assert check_postcode(raw) == Checked("100000")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "postcode.empty"),
        ("10000", "postcode.format"),
        ("1000000", "postcode.format"),
        ("10000a", "postcode.format"),
        ("١٠٠٠٠٠", "postcode.format"),
    ],
)
def test_postcode_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_postcode(raw)) == code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("name@example.com", "name@example.com"),
        (" name@example.com ", "name@example.com"),
        ("Name.Last+tag@Example.COM", "Name.Last+tag@example.com"),
        ("a_b-c@mail.company.com.cn", "a_b-c@mail.company.com.cn"),
        ("x@sub-domain.example.org", "x@sub-domain.example.org"),
        ("user@例子.中国", "user@例子.中国"),  # internationalised domain
        ("user@xn--fsqu00a.xn--fiqs8s", "user@xn--fsqu00a.xn--fiqs8s"),
        ("ｎａｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "name@example.com"),
        ("name@example。com", "name@example.com"),  # ideographic full stop
        ("123456@qq.com", "123456@qq.com"),
    ],
)
def test_email_valid(raw: str, expected: str) -> None:
    assert check_email(raw).value == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "email.empty"),
        ("name", "email.format"),
        ("name@", "email.format"),
        ("@example.com", "email.format"),
        ("name@example", "email.format"),
        ("a b@example.com", "email.format"),
        ("name@exa mple.com", "email.format"),
        ("a@@example.com", "email.format"),
        ("a@b@example.com", "email.format"),
        (".name@example.com", "email.format"),
        ("name.@example.com", "email.format"),
        ("na..me@example.com", "email.format"),
        ("name@-example.com", "email.format"),
        ("name@example-.com", "email.format"),
        ("name@example..com", "email.format"),
        ("name@example.c", "email.format"),
        ("name@example.123", "email.format"),
        ("name@exa_mple.com", "email.format"),
        ("张三@example.com", "email.format"),
        ("x" * 65 + "@example.com", "email.format"),
        ("name@" + "a" * 64 + ".com", "email.format"),
    ],
)
def test_email_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_email(raw)) == code


# --------------------------------------------------------------------------------------------
# dates
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2021-03-05",
        "2021-3-5",
        "2021/03/05",
        "2021/3/5",
        "2021.03.05",
        "2021年3月5日",
        "2021年03月05日",
        "2021 年 3 月 5 日",
        "２０２１年３月５日",
        "２０２１－０３－０５",
        "20210305",
        " 2021-03-05 ",
    ],
)
def test_date_valid(raw: str) -> None:
    assert check_date(raw, today=TODAY) == Checked(date(2021, 3, 5))


def test_date_boundaries() -> None:
    assert check_date("1949-10-01", today=TODAY).value == date(1949, 10, 1)
    assert check_date("2024-05-01", today=TODAY).value == TODAY
    assert error_code(lambda: check_date("1949-09-30", today=TODAY)) == "date.too_early"
    assert error_code(lambda: check_date("2024-05-02", today=TODAY)) == "date.future"


def test_date_future_message_names_today() -> None:
    with pytest.raises(InvalidValue) as info:
        check_date("2030-01-01", today=TODAY)
    assert "2024-05-01" in info.value.message.zh and "2024-05-01" in info.value.message.en


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "date.empty"),
        ("2021-02-29", "date.invalid"),
        ("2021-13-01", "date.invalid"),
        ("2021-00-10", "date.invalid"),
        ("2021-04-31", "date.invalid"),
        ("21-03-05", "date.format"),
        ("2021-3/5", "date.format"),
        ("05/03/2021", "date.format"),
        ("2021-03", "date.format"),
        ("2021年3月", "date.format"),
        ("yesterday", "date.format"),
        ("2021-03-05T10:00", "date.format"),
    ],
)
def test_date_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_date(raw, today=TODAY)) == code


def test_date_leap_day() -> None:
    assert check_date("2020-02-29", today=TODAY).value == date(2020, 2, 29)


@given(
    st.dates(min_value=date(1949, 10, 1), max_value=TODAY),
    st.sampled_from(
        ["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}", "{y}年{m}月{d}日"]
    ),
    st.booleans(),
)
def test_date_round_trip(value: date, template: str, wide: bool) -> None:
    raw = template.format(y=value.year, m=value.month, d=value.day)
    assert check_date(full_width(raw) if wide else raw, today=TODAY).value == value


# --------------------------------------------------------------------------------------------
# money
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", "1234.50"),
        ("1,234.5", "1234.50"),
        ("1,234,567.89", "1234567.89"),
        ("１，２３４．５", "1234.50"),
        ("1234.56万元", "1234.56"),
        ("1234.56 万元", "1234.56"),
        ("1234.56万", "1234.56"),
        ("0", "0.00"),
        ("-0", "0.00"),
        ("0.01", "0.01"),
        ("+3", "3.00"),
        ("007", "7.00"),
        (".5", "0.50"),
        ("5.", "5.00"),
        ("1234.500", "1234.50"),  # extra zeros lose nothing, so they are not an error
        ("100000000", "100000000.00"),
    ],
)
def test_money_valid(raw: str, expected: str) -> None:
    value = parse_money(raw).value
    assert isinstance(value, Decimal)
    assert str(value) == expected


def test_money_never_float_and_two_places() -> None:
    value = parse_money("0.1").value
    assert value == Decimal("0.10") and value.as_tuple().exponent == -2


def test_money_decimal_boundary() -> None:
    assert str(parse_money("1.23").value) == "1.23"
    assert error_code(lambda: parse_money("1.234")) == "money.decimals"
    assert error_code(lambda: parse_money("1.005")) == "money.decimals"  # not rounded silently


def test_money_negative_only_when_allowed() -> None:
    assert error_code(lambda: parse_money("-5")) == "money.negative"
    assert error_code(lambda: parse_money("-0.01")) == "money.negative"
    assert error_code(lambda: parse_money("－１，２００．５万元")) == "money.negative"
    assert str(parse_money("-5", allow_negative=True).value) == "-5.00"
    assert str(parse_money("−1,200.5", allow_negative=True).value) == "-1200.50"  # U+2212
    assert str(parse_money("-0.00", allow_negative=True).value) == "0.00"


def test_money_upper_bound() -> None:
    assert parse_money("100000000").value == Decimal("100000000.00")
    assert error_code(lambda: parse_money("100000000.01")) == "money.too_large"
    assert error_code(lambda: parse_money("-100000000.01", allow_negative=True)) == (
        "money.too_large"
    )
    assert error_code(lambda: parse_money("9" * 40)) == "money.too_large"


def test_money_unit_suspect_warning() -> None:
    assert parse_money("999999.99").warnings == ()
    assert warning_codes(parse_money("1000000")) == ["money.unit_suspect"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "money.empty"),
        ("万元", "money.format"),
        ("abc", "money.format"),
        ("1e3", "money.format"),
        ("12,34.5", "money.format"),
        ("1,2345", "money.format"),
        ("1.2.3", "money.format"),
        ("NaN", "money.format"),
        ("Infinity", "money.format"),
        ("￥100", "money.format"),
        ("(100)", "money.format"),
        ("--5", "money.format"),
        (".", "money.format"),
        ("١٢٣", "money.format"),
        ("5元", "money.unit"),
        ("5亿元", "money.unit"),
        ("5亿", "money.unit"),
        ("5000千元", "money.unit"),
    ],
)
def test_money_errors(raw: str, code: str) -> None:
    assert error_code(lambda: parse_money(raw, allow_negative=True)) == code


def test_money_decimals_message() -> None:
    with pytest.raises(InvalidValue) as info:
        parse_money("12.345")
    assert "2 位小数" in info.value.message.zh and "3" in info.value.message.zh
    assert "2 decimal places" in info.value.message.en


money_values = st.decimals(
    min_value=Decimal("-100000000"),
    max_value=Decimal("100000000"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(money_values, st.booleans(), st.booleans(), st.booleans())
@example(Decimal("0.00"), False, False, False)
@example(Decimal("-0.01"), True, True, True)
def test_money_round_trip(value: Decimal, grouped: bool, wide: bool, unit: bool) -> None:
    text = f"{value:,.2f}" if grouped else str(value)
    if unit:
        text += "万元"
    if wide:
        text = full_width(text)
    parsed = parse_money(text, allow_negative=True).value
    assert parsed == value
    assert parsed.as_tuple().exponent == -2
    assert str(parse_money(str(parsed), allow_negative=True).value) == str(parsed)


@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_money_third_decimal_is_never_rounded(value: Decimal) -> None:
    text = f"{value:.3f}"
    if text.endswith("0"):
        assert parse_money(text).value == value
    else:
        assert error_code(lambda: parse_money(text)) == "money.decimals"


# --------------------------------------------------------------------------------------------
# percent
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.34", "12.34"),
        ("12.5%", "12.50"),
        ("12.5 %", "12.50"),
        ("12.5％", "12.50"),
        ("１２．５％", "12.50"),
        ("0", "0.00"),
        ("100", "100.00"),
        ("100.00%", "100.00"),
    ],
)
def test_percent_valid(raw: str, expected: str) -> None:
    assert str(parse_percent(raw).value) == expected


def test_percent_boundaries() -> None:
    assert parse_percent("100").value == Decimal("100.00")
    assert error_code(lambda: parse_percent("100.01")) == "percent.too_large"
    assert error_code(lambda: parse_percent("-0.01")) == "percent.too_small"
    assert error_code(lambda: parse_percent("12.345")) == "percent.decimals"


def test_percent_open_bounds_for_growth_rates() -> None:
    unbounded = {"minimum": None, "maximum": None}
    assert parse_percent("-35.5%", **unbounded).value == Decimal("-35.50")
    assert parse_percent("250%", **unbounded).value == Decimal("250.00")
    assert parse_percent("150", maximum=None).value == Decimal("150.00")
    assert error_code(lambda: parse_percent("-1", maximum=None)) == "percent.too_small"
    assert error_code(lambda: parse_percent("1" * 40, **unbounded)) == "percent.too_large"


def test_percent_custom_bounds_in_message() -> None:
    with pytest.raises(InvalidValue) as info:
        parse_percent("4.99", minimum=Decimal(5))
    assert info.value.code == "percent.too_small" and "5%" in info.value.message.zh
    with pytest.raises(InvalidValue) as info:
        parse_percent("70.5", maximum=Decimal("70"))
    assert "70%" in info.value.message.en


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "percent.empty"),
        ("%", "percent.format"),
        ("abc", "percent.format"),
        ("12%%", "percent.format"),
        ("0.1e2", "percent.format"),
    ],
)
def test_percent_errors(raw: str, code: str) -> None:
    assert error_code(lambda: parse_percent(raw)) == code


@given(
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "%", "％", " %"]),
)
def test_percent_round_trip(value: Decimal, suffix: str) -> None:
    parsed = parse_percent(f"{value}{suffix}").value
    assert parsed == value and parsed.as_tuple().exponent == -2


# --------------------------------------------------------------------------------------------
# integers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("０", 0), ("１２", 12), ("1,200", 1200), (" 120 ", 120), ("0012", 12), ("+5", 5)],
)
def test_int_valid(raw: str, expected: int) -> None:
    assert parse_int(raw) == Checked(expected)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "int.empty"),
        ("12.0", "int.decimals"),
        ("12.5", "int.decimals"),
        ("12.", "int.decimals"),
        ("-1", "int.too_small"),
        ("abc", "int.format"),
        ("12人", "int.format"),
        ("1e3", "int.format"),
        ("1,20", "int.format"),
        ("١٢", "int.format"),
        ("²", "int.format"),
        ("9" * 5000, "int.too_large"),
    ],
)
def test_int_errors(raw: str, code: str) -> None:
    assert error_code(lambda: parse_int(raw)) == code


def test_int_bounds() -> None:
    assert parse_int("10", minimum=10).value == 10
    assert error_code(lambda: parse_int("9", minimum=10)) == "int.too_small"
    assert parse_int("2021", maximum=2021).value == 2021
    assert error_code(lambda: parse_int("2022", maximum=2021)) == "int.too_large"
    assert parse_int("-3", minimum=None).value == -3
    with pytest.raises(InvalidValue) as info:
        parse_int("-1")
    assert "负数" in info.value.message.zh


@given(st.integers(0, 10**12), st.booleans(), st.booleans())
def test_int_round_trip(value: int, grouped: bool, wide: bool) -> None:
    text = f"{value:,}" if grouped else str(value)
    assert parse_int(full_width(text) if wide else text).value == value


# --------------------------------------------------------------------------------------------
# code tables
# --------------------------------------------------------------------------------------------

TABLE: dict[str, object] = {
    "C": "制造业",
    "34": "通用设备制造业",
    "3411": "锅炉及辅助设备制造",
    "3412": Message("内燃机及配件制造", "Internal combustion engines"),
    "3413": {"name": "汽轮机及辅机制造"},
}
KIND = Message("国民经济行业", "industry")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3411", "3411"),
        ("3411 锅炉及辅助设备制造", "3411"),
        ("3411锅炉及辅助设备制造", "3411"),
        ("３４１１\u3000锅炉及辅助设备制造", "3411"),
        ("3411 - 锅炉及辅助设备制造", "3411"),
        ("3411：锅炉及辅助设备制造", "3411"),
        (" 34 ", "34"),
        ("c 制造业", "C"),
        ("C3411", "3411"),  # shown with the section letter
        ("3412 内燃机及配件制造", "3412"),
        ("3412 Internal combustion engines", "3412"),
        ("3413 随便写", "3413"),  # names cannot be compared for non-text entries
    ],
)
def test_code_valid(raw: str, expected: str) -> None:
    result = check_code(raw, TABLE, KIND)
    assert result == Checked(expected)


def test_code_name_mismatch_is_a_warning() -> None:
    result = check_code("3411 内燃机及配件制造", TABLE, KIND)
    assert result.value == "3411"
    assert warning_codes(result) == ["code.name_mismatch"]
    assert "锅炉及辅助设备制造" in result.warnings[0].message.zh


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "code.empty"),
        ("锅炉及辅助设备制造", "code.format"),
        ("3419", "code.unknown"),
        ("341", "code.unknown"),
        ("34111", "code.unknown"),
    ],
)
def test_code_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_code(raw, TABLE, KIND)) == code


def test_code_unknown_message_uses_kind() -> None:
    with pytest.raises(InvalidValue) as info:
        check_code("3419", TABLE, KIND)
    assert "国民经济行业" in info.value.message.zh and "3419" in info.value.message.zh
    assert "industry" in info.value.message.en


def test_niche_within_industry() -> None:
    assert check_niche_within_industry("3411", "34") is None
    assert check_niche_within_industry("3411 锅炉及辅助设备制造", "34 通用设备制造业") is None
    assert check_niche_within_industry("C3411", "C34") is None
    assert check_niche_within_industry("", "34") is None
    assert check_niche_within_industry("3411", "") is None
    err = check_niche_within_industry("3511", "34")
    assert err is not None and err.code == "niche.industry_mismatch"
    assert "3511" in err.message.zh and "34" in err.message.en
    bad = check_niche_within_industry("341", "34")
    assert bad is not None and bad.code == "niche.format"
    bad = check_niche_within_industry("3411", "3")
    assert bad is not None and bad.code == "niche.format"


# --------------------------------------------------------------------------------------------
# cross-field checks
# --------------------------------------------------------------------------------------------


def test_main_within_operating() -> None:
    assert check_main_within_operating(Decimal("100.00"), Decimal("100.00")) is None
    assert check_main_within_operating(Decimal("99.99"), Decimal("100.00")) is None
    err = check_main_within_operating(Decimal("100.01"), Decimal("100.00"))
    assert err is not None and err.code == "revenue.main_exceeds_operating"
    assert "100.01" in err.message.zh and "100.00" in err.message.en


def test_rd_staff_within_employees() -> None:
    assert check_rd_staff_within_employees(50, 50) is None
    assert check_rd_staff_within_employees(0, 0) is None
    err = check_rd_staff_within_employees(51, 50)
    assert err is not None and err.code == "staff.rd_exceeds_employees"
    assert "51" in err.message.zh and "50" in err.message.en


# --------------------------------------------------------------------------------------------
# robustness: arbitrary input never escapes as anything but InvalidValue
# --------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------
# CNIPA patent numbers (issue 12 (7))
# --------------------------------------------------------------------------------------------


def cnipa_check(digits: str) -> str:
    """Σ dᵢ·wᵢ mod 11, weights 2,3,4,5,6,7,8,9,2,3,4,5; 10 → X (written apart from the code)."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    value = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    return "X" if value == 10 else str(value)


def test_patent_worked_examples() -> None:
    assert cnipa_check("201710601862") == "3" and cnipa_check("95115608") == "X"
    assert patent_check_character("201710601862") == "3"
    assert patent_check_character("95115608") == "X"
    assert check_patent_number("201710601862.3") == Checked("ZL201710601862.3")
    assert check_patent_number("95115608.X") == Checked("ZL95115608.X")


@pytest.mark.parametrize("raw", [
    "ZL201710601862.3", "zl201710601862.3", "201710601862.3", "ZL 2017 1 0601862.3",
    "ＺＬ２０１７１０６０１８６２．３", "２０１７１０６０１８６２．３", "ZL201710601862。3",
    "ZL 201710601862 . 3", "2017106018623", "ZL2017-1060-1862.3", "\u3000ZL201710601862.3\u3000",
    "ZL201710601862·3",
])
def test_patent_12_digit_forms_are_normalized(raw: str) -> None:
    assert check_patent_number(raw).value == "ZL201710601862.3"


@pytest.mark.parametrize("raw", ["95115608.X", "ZL95115608.x", "９５１１５６０８．Ｘ", "95115608X",
                                 "ZL 9511 5608.X"])
def test_patent_8_digit_forms_are_normalized(raw: str) -> None:
    assert check_patent_number(raw).value == "ZL95115608.X"


@pytest.mark.parametrize("wrong", [c for c in "0123456789X" if c != "3"])
def test_patent_every_wrong_check_character_is_refused_naming_the_right_one(wrong: str) -> None:
    with pytest.raises(InvalidValue) as info:
        check_patent_number(f"ZL201710601862.{wrong}")
    assert info.value.code == "patent.checksum"
    assert "应为“3”" in info.value.message.zh and f"实为“{wrong}”" in info.value.message.zh
    assert "gives “3”" in info.value.message.en


@pytest.mark.parametrize("wrong", [c for c in "0123456789" if c != "X"])
def test_patent_8_digit_wrong_check_character(wrong: str) -> None:
    with pytest.raises(InvalidValue) as info:
        check_patent_number(f"95115608.{wrong}")
    assert info.value.code == "patent.checksum" and "“X”" in info.value.message.en


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_patent_any_12_digits_with_their_check_character_pass(digits: str) -> None:
    assert check_patent_number(f"{digits}.{cnipa_check(digits)}").value == (
        f"ZL{digits}.{cnipa_check(digits)}")


@pytest.mark.parametrize(("raw", "code"), [
    ("", "patent.empty"),
    ("ZL20171060186.3", "patent.format"),  # 11 digits
    ("ZL2017106018621.3", "patent.format"),  # 13 digits
    ("ZL201710601862.", "patent.format"),
    ("ZL201710601862.A", "patent.format"),
    ("专利201710601862.3", "patent.format"),
    ("CN107123456A", "patent.publication"),  # a publication number, not the patent number
])
def test_patent_format_errors(raw: str, code: str) -> None:
    assert error_code(lambda: check_patent_number(raw)) == code


def test_patent_kind_from_the_type_digit() -> None:
    utility = "201720601862"
    number = f"{utility}.{cnipa_check(utility)}"
    assert check_patent_number(number).warnings == ()  # any kind accepted by default
    result = check_patent_number(number, ("invention",))
    assert result.value == f"ZL{number}" and warning_codes(result) == ["patent.kind"]
    assert "实用新型" in result.warnings[0].message.zh
    design = "201730601862"
    assert check_patent_number(f"{design}.{cnipa_check(design)}", ("design",)).warnings == ()
    pct = "201780601862"  # 8: an invention application entering the national phase
    assert check_patent_number(f"{pct}.{cnipa_check(pct)}", ("invention",)).warnings == ()
    old_utility = "95215608"  # 8 digits: the type digit is the 3rd
    result = check_patent_number(f"{old_utility}.{cnipa_check(old_utility)}", ("invention",))
    assert warning_codes(result) == ["patent.kind"] and "第 3 位" in result.warnings[0].message.zh


VALIDATORS: list[Callable[[str], object]] = [
    check_uscc,
    check_mobile,
    check_phone,
    check_postcode,
    check_email,
    lambda s: check_date(s, today=TODAY),
    parse_money,
    lambda s: parse_money(s, allow_negative=True),
    parse_percent,
    lambda s: parse_percent(s, minimum=None, maximum=None),
    parse_int,
    lambda s: check_code(s, TABLE, KIND),
    check_patent_number,
    lambda s: check_patent_number(s, ("invention",)),
]

messy_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789０１２３４５６７８９ -－.,，%％+＋()（）@＠万元年月日转x\u3000"),
)


@pytest.mark.parametrize("validator", VALIDATORS)
@given(raw=messy_text)
def test_validators_only_raise_invalid_value(validator: Callable[[str], object], raw: str) -> None:
    try:
        result = validator(raw)
    except InvalidValue as err:
        assert err.code and err.message.zh and err.message.en
        assert "." in err.code
    else:
        assert isinstance(result, Checked)


@given(st.text(), st.text())
def test_niche_check_never_raises(niche: str, industry: str) -> None:
    result = check_niche_within_industry(niche, industry)
    assert result is None or isinstance(result, InvalidValue)
