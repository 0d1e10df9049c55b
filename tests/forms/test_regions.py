"""Province, city and county input (issue 9, point 4): names people type, GB/T 2260 data."""

from __future__ import annotations

from typing import Any

import pytest

from giantdesk.forms import codes
from giantdesk.forms.definitions import load_definition
from giantdesk.forms.model import FieldType
from giantdesk.forms.validation import region_year, validate
from giantdesk.forms.validators import InvalidValue
from giantdesk.forms.values import display_text, parse_input

from .helpers import TODAY, sample, with_changes

DEFINITION = load_definition("annex1-batch4")
PROVINCE = DEFINITION.field("enterprise.region_province")
YEAR = region_year(DEFINITION)


@pytest.mark.parametrize("raw", ["福建", "福建省", "Fujian", "fujian", "FUJIAN PROVINCE", "35",
                                 "３５", "35 福建省", "350000", " 福建省 ", "Fujian Province"])
def test_province_accepts_name_short_name_english_or_code(raw: str) -> None:
    assert PROVINCE is not None
    checked = parse_input(PROVINCE, raw, today=TODAY)
    assert checked.value == "35" and checked.warnings == ()


@pytest.mark.parametrize(("raw", "code"), [
    ("内蒙古", "15"), ("内蒙古自治区", "15"), ("Inner Mongolia", "15"), ("广西", "45"),
    ("新疆", "65"), ("Xinjiang", "65"), ("西藏", "54"), ("Tibet", "54"), ("Xizang", "54"),
    ("北京", "11"), ("北京市", "11"), ("Beijing", "11"), ("Shaanxi", "61"), ("Shanxi", "14"),
    ("香港", "81"), ("Hong Kong", "81"), ("澳门", "82"), ("宁夏回族自治区", "64"),
])
def test_province_names_of_every_kind(raw: str, code: str) -> None:
    assert codes.find_province(raw) == code


def test_province_message_gives_a_province_example_in_both_languages() -> None:
    assert PROVINCE is not None
    for raw in ("3411", "Atlantis", "福建州"):
        with pytest.raises(InvalidValue) as info:
            parse_input(PROVINCE, raw, today=TODAY)
        zh, en = info.value.message.zh, info.value.message.en
        assert "福建" in zh and "Fujian" in en and "3411 锅炉" not in zh + en
        assert "code code" not in en and "代码代码" not in zh


def test_province_code_with_another_name_keeps_the_code_and_warns() -> None:
    assert PROVINCE is not None
    checked = parse_input(PROVINCE, "35 浙江省", today=TODAY)
    assert checked.value == "35" and [w.code for w in checked.warnings] == ["code.name_mismatch"]
    assert "code code" not in checked.warnings[0].message.en


@pytest.mark.parametrize("field_type", [FieldType.INDUSTRY, FieldType.NICHE])
def test_industry_messages_do_not_say_code_twice(field_type: FieldType) -> None:
    field = next(f for f in DEFINITION.fields.values() if f.type is field_type)
    with pytest.raises(InvalidValue) as info:
        parse_input(field, "锅炉", today=TODAY)
    assert "code code" not in info.value.message.en and "代码代码" not in info.value.message.zh
    assert codes.EXAMPLES[field_type] in info.value.message.zh


def test_display_name_of_a_code() -> None:
    assert codes.division_name("35") == "福建省"
    assert codes.division_name("35", "en") == "Fujian"
    assert codes.division_name("3205") == codes.division_name("320500") == "苏州市"
    assert codes.division_name("330203") == "海曙区"
    assert codes.division_name("99") == "" and codes.division_name("x") == ""
    assert PROVINCE is not None
    assert display_text(PROVINCE, "32") == "32 江苏省"  # unchanged; renderers choose


def test_cities_and_counties_come_from_gbt2260_as_of_the_batch_year() -> None:
    assert YEAR == 2022
    jiangsu = [d.name for d in codes.city_choices("32", YEAR)]
    assert len(jiangsu) == 13 and jiangsu[0] == "南京市" and "苏州市" in jiangsu
    suzhou = codes.find_city("32", "苏州", YEAR)
    assert suzhou is not None and suzhou.code == "320500"
    assert "吴中区" in [d.name for d in codes.county_choices(suzhou, YEAR)]
    sanming = codes.find_city("35", "三明市", YEAR)
    names = [d.name for d in codes.county_choices(sanming, YEAR)]
    assert "沙县区" in names and "梅列区" not in names  # 2021 reorganisation
    assert "梅列区" in [d.name for d in codes.county_choices(codes.find_city("35", "三明市",
                                                                          2020), 2020)]
    beijing = [d.name for d in codes.city_choices("11", YEAR)]
    assert beijing[0] == "北京市" and "海淀区" in beijing  # the municipality or its districts
    hubei = [d.name for d in codes.city_choices("42", YEAR)]
    assert "仙桃市" in hubei and len(hubei) == len(set(hubei))  # directly governed, no repeats
    assert codes.city_choices("71", YEAR) == ()


def test_completion_under_the_chosen_province() -> None:
    hits = codes.complete(codes.city_choices("35", YEAR), "州")
    assert [d.name for d in hits] == ["福州市", "泉州市", "漳州市"]
    assert all(d.province == "35" for d in hits)
    assert [d.name for d in codes.complete(codes.city_choices("35", YEAR), "厦")] == ["厦门市"]
    assert [d.name for d in codes.complete(codes.city_choices("35", YEAR), "3502")] == ["厦门市"]
    assert len(codes.complete(codes.city_choices("35", YEAR), "")) == 9


def region_problems(values: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    found = validate(with_changes(sample(), values), today=TODAY)
    pick = ("enterprise.region_city", "enterprise.region_county")
    return ({p.path: p.code for p in found.errors if p.path in pick},
            {p.path: p.code for p in found.warnings if p.path in pick})


def test_city_and_county_are_validated_under_the_province() -> None:
    assert region_problems({}) == ({}, {})  # 江苏省 苏州市 吴中区
    assert region_problems({"enterprise.region_city": "杭州市"}) == (
        {"enterprise.region_city": "division.province"}, {})
    assert region_problems({"enterprise.region_city": "苏州"}) == (
        {}, {"enterprise.region_city": "division.name"})
    assert region_problems({"enterprise.region_city": "昆山市",
                            "enterprise.region_county": None}) == (
        {}, {"enterprise.region_city": "division.level"})
    assert region_problems({"enterprise.region_city": "苏州工业园区",
                            "enterprise.region_county": None}) == (
        {}, {"enterprise.region_city": "division.unknown"})
    assert region_problems({"enterprise.region_county": "海淀区"}) == (
        {"enterprise.region_county": "division.province"}, {})
    assert region_problems({"enterprise.region_county": "苏州工业园区"}) == (
        {}, {"enterprise.region_county": "division.unknown"})
    assert region_problems({"enterprise.region_county": "鼓楼区"}) == (  # 南京市, not 苏州市
        {}, {"enterprise.region_county": "division.unknown"})
    assert region_problems({"enterprise.region_province": "11", "enterprise.uscc": None,
                            "enterprise.region_city": "海淀区",
                            "enterprise.region_county": None}) == ({}, {})
    assert region_problems({"enterprise.region_province": "81", "enterprise.uscc": None,
                            "enterprise.region_city": "九龙"}) == ({}, {})


def test_city_message_names_where_the_place_is() -> None:
    found = validate(with_changes(sample(), {"enterprise.region_city": "杭州市"}), today=TODAY)
    [problem] = [p for p in found.errors if p.path == "enterprise.region_city"]
    assert "浙江省杭州市" in problem.message.zh and "江苏省" in problem.message.zh


def test_typed_city_code_becomes_its_name() -> None:
    city = DEFINITION.field("enterprise.region_city")
    assert city is not None and city.type is FieldType.CITY
    assert city.within == "enterprise.region_province"
    assert parse_input(city, "3205", today=TODAY).value == "苏州市"
    assert parse_input(city, " 苏州市 ", today=TODAY).value == "苏州市"
    with pytest.raises(InvalidValue):
        parse_input(city, "9999", today=TODAY)
