from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from giantdesk.forms.record import dumps
from giantdesk.forms.validation import normalized, validate

from .helpers import TODAY, sample, with_changes


def problems(values: dict[str, Any] | None = None, tables: dict[str, Any] | None = None,
             base: str = "annex1-pass") -> tuple[dict[str, str], dict[str, str]]:
    found = validate(with_changes(sample(base), values, tables), today=TODAY)
    return ({p.path: p.code for p in found.errors}, {p.path: p.code for p in found.warnings})


@pytest.mark.parametrize("name", ["annex1-pass", "annex2-pass"])
def test_samples_are_valid(name: str) -> None:
    errors, warnings = problems(base=name)
    assert errors == {} and warnings == {}


def test_required_fields_per_form() -> None:
    errors, _ = problems({"enterprise.name": None, "contact.email": None})
    assert errors == {"enterprise.name": "required", "contact.email": "required"}


def test_conditional_fields() -> None:
    errors, _ = problems({"exclusion.controlling_relation": True})
    assert errors == {"exclusion.controlling_relation_names": "required"}
    _, warnings = problems({"enterprise.stock_code": "688001"})  # not listed: hidden
    assert warnings == {"enterprise.stock_code": "field.hidden"}


@pytest.mark.parametrize(("values", "path", "code"), [
    ({"enterprise.uscc": "9132059458441736XA"}, "enterprise.uscc", "uscc.checksum"),
    ({"legal_rep.mobile": "1234567890"}, "legal_rep.mobile", "mobile.format"),
    ({"contact.email": "shen@@example"}, "contact.email", None),
    ({"enterprise.postcode": "21512"}, "enterprise.postcode", None),
    ({"enterprise.registered_on": date(2030, 1, 1)}, "enterprise.registered_on", "date.future"),
    ({"enterprise.registered_capital": D("-1.00")}, "enterprise.registered_capital",
     "money.negative"),
    ({"finance.2021.operating_revenue": D("1.234")}, "finance.2021.operating_revenue",
     "money.decimals"),
    ({"distinctiveness.market_share": D("100.01")}, "distinctiveness.market_share", None),
    ({"enterprise.size": "huge"}, "enterprise.size", "choice.unknown"),
    ({"enterprise.industry_code": "99"}, "enterprise.industry_code", "code.unknown"),
])
def test_field_errors(values: dict[str, Any], path: str, code: str | None) -> None:
    errors, _ = problems(values)
    assert path in errors
    if code:
        assert errors[path] == code


def test_negative_net_profit_is_allowed() -> None:
    errors, _ = problems({"finance.2021.net_profit": D("-120.50")})
    assert errors == {}


def test_cross_field_checks() -> None:
    errors, _ = problems({"finance.2020.main_revenue": D("16380.01")})
    assert errors == {"finance.2020.main_revenue": "revenue.main_exceeds_operating"}
    errors, _ = problems({"finance.2019.rd_staff": 269})
    assert errors == {"finance.2019.rd_staff": "staff.rd_exceeds_employees"}
    errors, _ = problems({"enterprise.niche_code": "3983"})  # a 39xx class under division 34
    assert errors == {"enterprise.niche_code": "niche.industry_mismatch"}


def test_table_rows_are_checked_column_by_column() -> None:
    rows = [{"type": "invention_patent", "title": "x", "granted_on": date(2020, 1, 1),
             "related": True, "in_use": True}]
    errors, _ = problems(tables={"innovation.class1_ip": rows})
    assert errors == {"innovation.class1_ip[1].number": "required"}
    joint = [{"kind": "engineering_center", "name": "n", "level": "municipal", "mode": "joint"}]
    errors, _ = problems(tables={"innovation.rd_institution": joint})
    assert errors == {"innovation.rd_institution[1].partner": "required"}


def test_certificate_validity_may_lie_in_the_future() -> None:
    rows = [{"kind": "management_system", "name": "ISO 9001", "number": "1", "issuer": "x",
             "valid_until": date(2030, 1, 1)}]
    errors, _ = problems(tables={"refinement.certifications": rows})
    assert errors == {}


def test_stored_computed_values_are_rechecked() -> None:
    errors, _ = problems({"specialization.main_revenue_share": D("96.25")})
    assert errors == {}
    errors, _ = problems({"specialization.main_revenue_share": D("50.00")})
    assert errors == {"specialization.main_revenue_share": "computed.mismatch"}


def test_messages_name_the_field_in_both_languages() -> None:
    found = validate(with_changes(sample(), {"legal_rep.mobile": "12"}), today=TODAY)
    message = found.errors[0].message
    assert "法定代表人手机" in message.zh and "Legal representative: mobile" in message.en


def test_uscc_region_mismatch_is_a_warning() -> None:
    _, warnings = problems({"enterprise.region_province": "31"})
    assert warnings == {"enterprise.uscc": "uscc.region"}


def test_normalized_makes_full_width_input_canonical() -> None:
    record = with_changes(sample(), {"enterprise.uscc": "９１３２０５９４５８４４１７３６ｘｎ"})
    assert validate(record, today=TODAY).errors == []
    assert dumps(normalized(record, today=TODAY)) == dumps(sample())


def test_size_is_cross_checked_against_the_2011_standard() -> None:
    _, warnings = problems({"enterprise.size": "small"})  # 318 staff, 1.95亿: medium (工业)
    assert warnings == {"enterprise.size": "size.mismatch"}
    found = validate(with_changes(sample(), {"enterprise.size": "large"}), today=TODAY)
    assert "“中型”" in found.warnings[0].message.zh and "“大型”" in found.warnings[0].message.zh
    _, warnings = problems({"finance.2021.employees": 1000, "finance.2021.rd_staff": 79,
                            "finance.2021.operating_revenue": D("40000.00"),
                            "enterprise.size": "large"})
    assert warnings == {}  # ≥ 1000 staff and ≥ 4亿: large, as ticked
    _, warnings = problems({"enterprise.industry_code": "65", "enterprise.niche_code": "6513",
                            "enterprise.size": "small"})
    assert "enterprise.size" not in warnings  # software: no shipped thresholds, nothing said


def _ip(kind: str, number: str) -> dict[str, Any]:
    return {"type": kind, "number": number, "title": "t", "granted_on": date(2020, 1, 1),
            "related": True, "in_use": True}


def test_patent_numbers_are_checked_in_patent_rows_only() -> None:
    # issue 12 (7): a wrong check character is a typo the platform will reject
    errors, _ = problems(tables={"innovation.class1_ip": [
        _ip("invention_patent", "ZL201710601862.3"), _ip("invention_patent", "ZL201710601862.4"),
        _ip("plant_variety", "CNA20170123.4"), _ip("ic_layout", "BS.12500123.4")]})
    assert errors == {"innovation.class1_ip[2].number": "patent.checksum"}
    found = validate(with_changes(sample(), tables={"innovation.class1_ip": [
        _ip("invention_patent", "201710601862.4")]}), today=TODAY)
    [problem] = found.errors
    assert "Ⅰ类知识产权第 1 行" in problem.message.zh and "“授权号”" in problem.message.zh
    assert "“3”" in problem.message.zh


def test_normalized_writes_patent_numbers_canonically() -> None:
    record = with_changes(sample(), tables={"innovation.class1_ip": [
        _ip("invention_patent", "２０１７ １０６０ １８６２．３"), _ip("plant_variety", "cna 1")]})
    rows = normalized(record, today=TODAY).tables["innovation.class1_ip"]
    assert [r["number"] for r in rows] == ["ZL201710601862.3", "cna 1"]


def test_the_samples_carry_valid_patent_numbers() -> None:
    for name in ("annex1-pass", "annex2-pass", "annex1-large-50ip"):
        rows = sample(name).tables["innovation.class1_ip"]
        assert rows and all(str(r["number"]).startswith("ZL") for r in rows)
        assert validate(sample(name), today=TODAY).errors == []
