"""Every rule of PRODUCT.md §5 at, just below and just above its threshold."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from giantdesk.forms.rules import RULE_ORDER, Status, eligible, load_ruleset

from .helpers import rules_of, sample, with_changes

PASS, FAIL, WARN, NA = Status.PASS, Status.FAIL, Status.WARN, Status.NA


def status(rule_id: str, values: dict[str, Any] | None = None,
           tables: dict[str, Any] | None = None, base: str = "annex1-pass") -> Status:
    return rules_of(with_changes(sample(base), values, tables))[rule_id].status


def test_passing_samples_are_eligible() -> None:
    for name in ("annex1-pass", "annex2-pass"):
        results = rules_of(sample(name))
        assert eligible(results), {k: r.message.en for k, r in results.items()
                                   if r.status not in (PASS,)}


@pytest.mark.parametrize(("name", "rule_id"), [
    ("annex1-fail-zy2-main-share", "ZY-2"), ("annex1-fail-jx3-debt-ratio", "JX-3"),
    ("annex1-fail-ts1-market-share", "TS-1"), ("annex1-fail-cx3-ip", "CX-3"),
    ("annex1-fail-ex1-single-champion", "EX-1"),
])
def test_failing_samples_fail_exactly_one_criterion(name: str, rule_id: str) -> None:
    results = rules_of(sample(name))
    assert not eligible(results)
    assert [r for r in results if results[r].status is FAIL] == [rule_id]


def test_every_result_carries_numbers_threshold_and_official_text() -> None:
    results = rules_of(sample())
    ruleset = load_ruleset("measures-2022-63")
    assert list(results) == list(RULE_ORDER)
    for rule_id, result in results.items():
        assert result.text == ruleset.rules[rule_id].text
        assert result.threshold.zh and result.threshold.en, rule_id
        assert result.message.zh and result.message.en
    assert results["ZY-2"].values["share"] == "96.25%"
    assert "近2年主营业务收入平均增长率不低于5%" in results["ZY-3"].text.zh


@pytest.mark.parametrize(("years", "expected"), [(2, FAIL), (3, PASS), (4, PASS)])
def test_zy1_niche_years(years: int, expected: Status) -> None:
    assert status("ZY-1", {"specialization.niche_years": years}) is expected


def test_zy1_missing_is_na() -> None:
    assert status("ZY-1", {"specialization.niche_years": None}) is NA


@pytest.mark.parametrize("roles", [("fill_shortcoming",), ("fill_gap",), ("extend_strength",),
                                   ("fill_shortcoming", "fill_gap"), ()])
def test_zy1_has_no_two_year_exception_for_any_chain_role(roles: tuple[str, ...]) -> None:
    # issue 12 (5): "截至上年末…达到3年以上" in every copy of 附件3; the 2-year relaxation
    # for 补短板/填空白 was a later standard's idea and is gone (option and parameter alike)
    result = rules_of(with_changes(sample(), {"specialization.niche_years": 2,
                                              "chain.role": roles}))["ZY-1"]
    assert result.status is FAIL and "3" in result.threshold.zh
    assert "niche_years_relaxed" not in sample().definition.options
    assert "relaxed_min_years" not in load_ruleset("measures-2022-63").rules["ZY-1"].params


@pytest.mark.parametrize(("main", "expected"), [("6999.99", FAIL), ("7000.00", PASS),
                                                ("7000.01", PASS)])
def test_zy2_main_revenue_share(main: str, expected: Status) -> None:
    values = {"finance.2021.operating_revenue": D("10000.00"), "finance.2021.main_revenue": D(main)}
    assert status("ZY-2", values) is expected


def test_zy2_zero_revenue_is_na() -> None:
    values = {"finance.2021.operating_revenue": D(0), "finance.2021.main_revenue": D(0)}
    assert status("ZY-2", values) is NA


def _main(r0: str, r1: str, r2: str) -> dict[str, Any]:
    return {"finance.2019.main_revenue": D(r0), "finance.2020.main_revenue": D(r1),
            "finance.2021.main_revenue": D(r2)}


@pytest.mark.parametrize(("r2", "expected"), [("110.24", FAIL), ("110.25", PASS), ("110.26", PASS)])
def test_zy3_average_growth(r2: str, expected: Status) -> None:
    # 100 → 105 (+5%) → 110.25 (+5%): average exactly 5%
    assert status("ZY-3", _main("100", "105", r2)) is expected


def test_zy3_average_and_compound_disagree_gives_warn() -> None:
    # −50% then +60%: average +5% (passes), compound −10.6% (fails)
    result = rules_of(with_changes(sample(), _main("100", "50", "80")))["ZY-3"]
    assert result.status is WARN
    assert result.values["average"] == "5.00%" and result.values["compound"] == "-10.56%"


def test_zy3_base_not_positive_is_na() -> None:
    assert status("ZY-3", _main("0", "50", "80")) is NA


def test_jx1_information_systems() -> None:
    assert status("JX-1", {"refinement.info_system_areas": ()}) is FAIL
    assert status("JX-1", {"refinement.info_system_areas": ("other",)}) is PASS
    assert status("JX-1", {"refinement.info_system_areas": None}) is NA


def test_jx2_certifications() -> None:
    cert = {"kind": "management_system", "name": "ISO 9001", "number": "1", "issuer": "x"}
    assert status("JX-2", tables={"refinement.certifications": []}) is FAIL
    assert status("JX-2", tables={"refinement.certifications": [cert]}) is PASS
    assert status("JX-2", tables={"refinement.certifications": None}) is NA


@pytest.mark.parametrize(("liabilities", "expected"), [("6999.99", PASS), ("7000.00", PASS),
                                                       ("7000.01", FAIL)])
def test_jx3_debt_ratio(liabilities: str, expected: Status) -> None:
    values = {"finance.2021.total_assets": D("10000.00"),
              "finance.2021.total_liabilities": D(liabilities)}
    assert status("JX-3", values) is expected


@pytest.mark.parametrize(("share", "expected"), [("9.99", FAIL), ("10.00", PASS), ("10.01", PASS)])
def test_ts1_market_share(share: str, expected: Status) -> None:
    values = {"distinctiveness.market_share": D(share),
              "distinctiveness.main_product_sales": None, "distinctiveness.market_size": None}
    assert status("TS-1", values) is expected


def test_ts1_inconsistent_with_sales_and_market_size_warns() -> None:
    assert status("TS-1", {"distinctiveness.market_share": D("30.00")}) is WARN


def test_ts2_own_brand() -> None:
    assert status("TS-2", {"distinctiveness.own_brand": True}) is PASS
    assert status("TS-2", {"distinctiveness.own_brand": False}) is FAIL
    assert status("TS-2", {"distinctiveness.own_brand": None}) is NA


_NO_ROUTE = {"distinctiveness.trademark_numbers": None, "distinctiveness.brand_revenue": None}


def test_ts2_own_brand_by_the_revenue_route_needs_no_trademark() -> None:
    # 附件4: 主营产品或服务有自主知识产权，且满足以下之一：(1) 商标已注册；(2) 已经实现收入
    result = rules_of(with_changes(sample(), {
        **_NO_ROUTE, "distinctiveness.brand_revenue": D("3200.00")}))["TS-2"]
    assert result.status is PASS and "3,200.00万元" in result.message.zh
    assert status("TS-2", {**_NO_ROUTE, "distinctiveness.trademark_numbers": "第 1 号"}) is PASS


def test_ts2_needs_own_ip_and_one_route() -> None:
    assert status("TS-2", {"distinctiveness.own_ip": False}) is FAIL
    assert status("TS-2", {"distinctiveness.own_ip": None}) is NA
    result = rules_of(with_changes(sample(), _NO_ROUTE))["TS-2"]
    assert result.status is NA
    assert result.missing == ("distinctiveness.trademark_numbers", "distinctiveness.brand_revenue")
    assert status("TS-2", {**_NO_ROUTE, "distinctiveness.brand_revenue": D("0.00")}) is FAIL


def _rd(revenue: str, rd_2020: str, rd_2021: str, revenue_2020: str = "10000.00") -> dict[str, Any]:
    return {"finance.2021.operating_revenue": D(revenue), "finance.2021.main_revenue": D(revenue),
            "finance.2020.operating_revenue": D(revenue_2020),
            "finance.2020.rd_expense": D(rd_2020), "finance.2021.rd_expense": D(rd_2021)}


@pytest.mark.parametrize(("rd_2021", "expected"), [("599.99", FAIL), ("600.00", PASS),
                                                   ("600.01", PASS)])
def test_cx1_tier1_three_percent(rd_2021: str, expected: Status) -> None:
    # revenue 2亿: 3% of it is exactly 600万
    assert status("CX-1", _rd("20000.00", "400.00", rd_2021)) is expected


def test_cx1_each_of_two_years_must_reach_the_ratio() -> None:
    assert status("CX-1", _rd("20000.00", "299.00", "1000.00")) is FAIL


@pytest.mark.parametrize(("rd_2021", "expected"), [("449.99", FAIL), ("450.00", PASS),
                                                   ("450.01", PASS)])
def test_cx1_tier2_six_percent(rd_2021: str, expected: Status) -> None:
    # revenue 7500万 (between 5000万 and 1亿): 6% of it is exactly 450万
    assert status("CX-1", _rd("7500.00", "700.00", rd_2021)) is expected


def test_cx1_boundary_1yi_read_both_ways() -> None:
    # exactly 1亿: tier 1 (3%) in the primary reading, tier 2 (6%) in the other
    assert status("CX-1", _rd("10000.00", "700.00", "400.00")) is WARN  # 4%: passes only tier 1
    assert status("CX-1", _rd("10000.00", "700.00", "700.00")) is PASS  # 7%: passes both
    assert status("CX-1", _rd("10000.00", "700.00", "250.00")) is FAIL  # 2.5%: fails both


def _small(equity: tuple[str, str], rd: tuple[str, str], staff: int, employees: int = 100,
           revenue: str = "4999.99") -> dict[str, Any]:
    return {
        "finance.2021.operating_revenue": D(revenue), "finance.2021.main_revenue": D(revenue),
        "finance.2020.equity_financing": D(equity[0]), "finance.2021.equity_financing": D(equity[1]),
        "finance.2020.rd_expense": D(rd[0]), "finance.2021.rd_expense": D(rd[1]),
        "finance.2021.rd_staff": staff, "finance.2021.employees": employees,
    }


def test_cx1_tier3_equity_path() -> None:
    assert status("CX-1", _small(("4000", "4000"), ("0", "3000"), 50)) is PASS
    assert status("CX-1", _small(("4000", "3999.99"), ("0", "3000"), 50)) is FAIL
    assert status("CX-1", _small(("4000", "4000"), ("0", "2999.99"), 50)) is FAIL
    assert status("CX-1", _small(("4000", "4000"), ("0", "3000"), 49)) is FAIL


def test_cx1_tier3_rd_period_read_both_ways() -> None:
    # 3000万 as a two-year total passes; as the 2021 figure alone it does not
    assert status("CX-1", _small(("4000", "4000"), ("1500", "1500"), 60)) is WARN


def test_cx1_boundary_5000wan_read_both_ways() -> None:
    # exactly 5000万: tier 2 (6%) primarily, the equity path in the other reading
    values = {**_small(("0", "0"), ("700", "350"), 10, revenue="5000.00"),
              "finance.2020.operating_revenue": D("5000.00")}
    assert status("CX-1", values) is WARN  # 7% / 7%: passes tier 2, fails the equity path


def test_cx1_tier3_missing_equity_is_na() -> None:
    values = {**_small(("4000", "4000"), ("0", "3000"), 50), "finance.2021.equity_financing": None}
    assert status("CX-1", values) is NA


def test_cx2_rd_institution() -> None:
    assert status("CX-2", tables={"innovation.rd_institution": []}) is FAIL
    assert status("CX-2", tables={"innovation.rd_institution": None}) is NA


def _ip(related: bool = True, in_use: bool = True, transferred: bool = False) -> dict[str, Any]:
    return {"type": "invention_patent", "number": "ZL1", "title": "t", "related": related,
            "in_use": in_use, "transferred_recently": transferred}


@pytest.mark.parametrize(("rows", "expected"), [
    ([_ip()], FAIL), ([_ip(), _ip()], PASS), ([_ip(), _ip(), _ip()], PASS),
    ([_ip(), _ip(related=False)], FAIL), ([_ip(), _ip(in_use=False)], FAIL),
    ([_ip(), _ip(transferred=True)], FAIL),
])
def test_cx3_class1_ip(rows: list[dict[str, Any]], expected: Status) -> None:
    assert status("CX-3", tables={"innovation.class1_ip": rows}) is expected


@pytest.mark.parametrize(("award", "expected"), [
    ({"award": "国家科学技术进步奖二等奖", "year": 2019, "rank": 3}, PASS),
    ({"award": "国家科学技术进步奖二等奖", "year": 2019, "rank": 4}, FAIL),
    ({"award": "国家科学技术进步奖二等奖", "year": 2018, "rank": 1}, FAIL),
    ({"award": "国家技术发明奖", "year": 2021, "rank": 1}, PASS),
])
def test_cxd_national_award(award: dict[str, Any], expected: Status) -> None:
    assert status("CX-D", tables={"innovation.national_award": [award]}) is expected


def test_direct_path_replaces_the_general_path() -> None:
    no_ip = {"innovation.class1_ip": [_ip()]}
    record = with_changes(sample(), tables=no_ip)
    assert not eligible(rules_of(record))
    maker = {**no_ip, "innovation.maker_china_top50": [{"year": 2020, "group": "企业组 全国50强"}]}
    results = rules_of(with_changes(sample(), tables=maker))
    assert results["CX-D"].status is PASS and results["CX-3"].status is FAIL
    assert eligible(results)
    # the direct path does not replace the other groups
    worse = with_changes(sample(), {"distinctiveness.own_brand": False}, maker)
    assert not eligible(rules_of(worse))


def test_ly1_warns_but_does_not_block() -> None:
    # only 品 says 原则上 (issue 12 (1))
    results = rules_of(with_changes(sample(), {"field.category": "none"}))
    assert results["LY-1"].status is WARN and eligible(results)


def test_cy1_unanswered_is_not_eligible() -> None:
    # 链 is required: "认定需同时满足专、精、特、新、链、品六个方面指标" (issue 12 (1))
    results = rules_of(with_changes(sample(), {"chain.role": None, "chain.description": None}))
    assert results["CY-1"].status is NA
    assert results["CY-1"].missing == ("chain.role", "chain.description")
    assert "链" in results["CY-1"].message.zh
    assert not eligible(results)
    empty = rules_of(with_changes(sample(), {"chain.role": (), "chain.description": "  "}))
    assert empty["CY-1"].status is NA and not eligible(empty)


def test_cy1_half_answered_asks_for_the_other_half() -> None:
    only_text = rules_of(with_changes(sample(), {"chain.role": ()}))["CY-1"]
    only_role = rules_of(with_changes(sample(), {"chain.description": None}))["CY-1"]
    assert only_text.status is WARN and only_text.missing == ("chain.role",)
    assert only_role.status is WARN and only_role.missing == ("chain.description",)
    assert rules_of(sample())["CY-1"].status is PASS


@pytest.mark.parametrize("rule_field", [("EX-1", "exclusion.single_champion"),
                                        ("EX-2", "exclusion.controlling_relation"),
                                        ("EX-3", "exclusion.group_similar_product")])
def test_exclusions(rule_field: tuple[str, str]) -> None:
    rule_id, field_id = rule_field
    record = with_changes(sample(), {field_id: True})
    results = rules_of(record)
    assert results[rule_id].status is FAIL
    assert not eligible(results)
    assert status(rule_id, {field_id: None}) is NA


def test_el1_sme_and_provincial_title() -> None:
    assert status("EL-1", {"enterprise.size": "large"}) is FAIL
    assert status("EL-1", {"enterprise.province_title_valid": False}) is FAIL
    assert status("EL-1", {"enterprise.size": "micro"}) is PASS


@pytest.mark.parametrize("title", [False, None])
def test_el1_review_without_the_provincial_title_is_not_failed(title: bool | None) -> None:
    # issue 12 (2): first-batch "Little Giants" apply for review voluntarily; the provincial
    # title is a 4th-batch condition. The review's EL-1 checks the SME size only.
    record = with_changes(sample("annex2-pass"), {"enterprise.province_title_valid": title})
    results = rules_of(record)
    assert results["EL-1"].status is PASS and eligible(results)
    assert "省级" not in results["EL-1"].text.zh and "300号" in results["EL-1"].text.zh
    assert status("EL-1", {"enterprise.size": "large"}, base="annex2-pass") is FAIL
    assert status("EL-1", {"enterprise.size": None}, base="annex2-pass") is NA
    field = record.definition.field("enterprise.province_title_valid")
    assert field is not None and not field.required  # information, not a requirement
    annex1 = sample().definition.field("enterprise.province_title_valid")
    assert annex1 is not None and annex1.required


def test_missing_needed_input_blocks_eligibility() -> None:
    record = with_changes(sample(), {"finance.2021.total_assets": None})
    results = rules_of(record)
    assert results["JX-3"].status is NA
    assert not eligible(results)


def test_unverified_official_wording_is_flagged() -> None:
    results = rules_of(sample())
    assert results["CY-1"].text_verified is False
    assert results["CY-1"].as_json("zh")["text_verified"] is False
    assert all(r.text_verified for rid, r in results.items() if rid != "CY-1")
    # LY-1 is verified, from one provincial forward only, and says so
    assert "one provincial forward" in results["LY-1"].as_json("en")["text_source"]


def test_official_sentences_are_verbatim() -> None:
    rules = load_ruleset("measures-2022-63").rules
    assert ("符合制造强国战略十大重点产业领域（新一代信息技术产业、高档数控机床和机器人、航空航天装备、"
            "海洋工程装备及高技术船舶、先进轨道交通装备、节能与新能源汽车、电力装备、农机装备、新材料、"
            "高性能医疗器械）") in rules["LY-1"].text.zh
    assert rules["CX-D"].text.zh.startswith("（二）创新直通条件。满足以下一项即可：1.近三年获得")
    assert "。2.近三年进入“创客中国”" in rules["CX-D"].text.zh
    assert "5000万元—1亿元" in rules["CX-1"].text.zh and "5000万元-1亿元" not in rules["CX-1"].text.zh


def test_a_rule_reading_a_rejected_value_neither_passes_nor_fails() -> None:
    from giantdesk.forms.rules import check_rules
    from giantdesk.forms.scope import Scope

    from .helpers import TODAY

    # main-business revenue above operating revenue: ZY-2 would "pass" at 154%
    record = with_changes(sample(), {"finance.2021.main_revenue": D("30000.00")})
    ok, results = check_rules(record, Scope.of(record, TODAY))
    by_id = {r.id: r for r in results}
    assert by_id["ZY-2"].status is NA and "finance.2021.main_revenue" in by_id["ZY-2"].missing
    assert "请先改正" in by_id["ZY-2"].message.zh
    assert not ok


def test_negative_or_absurd_amounts_do_not_crash_the_rules() -> None:
    results = rules_of(with_changes(sample(), _main("100", "105", "-5")))
    assert results["ZY-3"].status is FAIL  # the average decides; no compound rate for < 0
    huge = with_changes(sample(), {"finance.2021.operating_revenue": D("1" + "0" * 60),
                                   "finance.2021.main_revenue": D("1" + "0" * 59)})
    assert rules_of(huge)["ZY-2"].status is FAIL


def test_jx2_warns_when_every_certificate_expired_before_the_declaration() -> None:
    from datetime import date

    cert = {"kind": "management_system", "name": "ISO 9001", "number": "1", "issuer": "x",
            "valid_until": date(2022, 6, 20)}
    assert status("JX-2", tables={"refinement.certifications": [cert]}) is WARN
    valid = {**cert, "valid_until": date(2022, 6, 21)}  # still valid on the declaration date
    assert status("JX-2", tables={"refinement.certifications": [cert, valid]}) is PASS
