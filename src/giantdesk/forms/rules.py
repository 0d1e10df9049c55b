"""The rule engine for the 2022 recognition standard (Measures 63号, 附件3; PRODUCT.md §5).

Thresholds and official sentences live in ``forms/rules/<rules id>.json``; the logic of each rule
lives here, keyed by its fixed id. Every result carries its status, the numbers it used, the
threshold and the official sentence. Where the standard can be read two ways (tier boundaries,
the period of the 3000万 R&D expense, average vs compound growth) both readings are computed
and a disagreement gives ``warn``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from giantdesk.forms.computed import growth, ratio, round2
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FormDefinition
from giantdesk.forms.record import Problem, Submission
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import is_missing, validate


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    NA = "n/a"


#: Statuses that do not stop a criterion from being met.
MET = frozenset({Status.PASS, Status.WARN})


@dataclass(frozen=True)
class RuleText:
    id: str
    group: str
    title: Message
    text: Message  # the official sentence the rule enforces
    params: dict[str, Any]
    text_verified: bool = True  # False: the wording was not found in a primary source
    text_source: str = ""  # where the wording comes from, when it is not the usual copies


@dataclass(frozen=True)
class RuleSet:
    id: str
    title: Message
    notice: Message
    groups: dict[str, Message]
    rules: dict[str, RuleText]


@dataclass(frozen=True)
class RuleResult:
    id: str
    group: str
    status: Status
    values: dict[str, str]
    threshold: Message
    text: Message
    message: Message
    missing: tuple[str, ...] = ()
    text_verified: bool = True
    text_source: str = ""

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.id, "group": self.group, "status": self.status.value,
            "values": self.values, "threshold": self.threshold.text(lang),
            "text": self.text.text(lang),
            "text_verified": self.text_verified,
            "text_source": self.text_source,
            "message": self.message.text(lang), "missing": list(self.missing),
        }


@dataclass
class Outcome:
    """What a rule function returns; the engine adds id, group and official sentence."""

    status: Status
    message: Message
    values: dict[str, str] = field(default_factory=dict)
    threshold: Message = field(default_factory=lambda: Message("", ""))
    missing: tuple[str, ...] = ()
    #: The sentence the rule enforced, when it is not the rule's usual one (EL-1 for a review).
    text: Message | None = None


@cache
def load_ruleset(rules_id: str) -> RuleSet:
    text = resources.files("giantdesk.forms").joinpath(f"rules/{rules_id}.json").read_text(
        encoding="utf-8")
    raw = json.loads(text)
    return RuleSet(
        id=raw["id"], title=Message(*raw["title"]), notice=Message(*raw["notice"]),
        groups={k: Message(*v) for k, v in raw["groups"].items()},
        rules={rid: RuleText(rid, r["group"], Message(*r["title"]), Message(*r["text"]),
                             r["params"], r.get("text_certainty", "V") != "U",
                             r.get("text_source", ""))
               for rid, r in raw["rules"].items()},
    )


# --------------------------------------------------------------------------------------------
# Helpers

def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{round2(value)}%"


def money(value: Decimal | None) -> str:
    return "—" if value is None else f"{round2(value):,}万元"


def _d(raw: Any) -> Decimal:
    return Decimal(str(raw))


def _missing(scope: Scope, *field_ids: str) -> tuple[str, ...]:
    return tuple(f for f in field_ids if scope.get(f) is None)


def _na(missing: tuple[str, ...], scope: Scope) -> Outcome:
    labels = [_label(scope.definition, fid) for fid in missing]
    return Outcome(Status.NA, Message("缺少数据：" + "、".join(m.zh for m in labels),
                                      "Missing: " + "; ".join(m.en for m in labels)),
                   missing=missing)


def _at_least(minimum: object) -> Message:
    return Message(f"≥ {minimum} 项", f">= {minimum}")


def _at_least_pct(minimum: object) -> Message:
    return Message(f"≥ {minimum}%", f">= {minimum}%")


_STATED = Message("说明在产业链中的作用并附佐证", "role stated, with evidence")
_KEY_FIELD = Message("属于三类重点领域之一", "one of the three key-field lists")
_SME_TITLE = Message("中小企业，且省级专精特新称号在有效期内",
                     "an SME with a valid provincial title")
_SME = Message("中小企业（非大型企业）", "an SME (not a large enterprise)")


def _ge(value: Decimal, threshold: Decimal) -> Status:
    return Status.PASS if value >= threshold else Status.FAIL


def _fin(year: int, key: str) -> str:
    return f"finance.{year}.{key}"


# --------------------------------------------------------------------------------------------
# The rules. Each takes (scope, params, Y) and declares the ids it reads.

RuleFn = Callable[[Scope, dict[str, Any], int], Outcome]


@dataclass(frozen=True)
class RuleSpec:
    id: str
    inputs: Callable[[int], frozenset[str]]
    evaluate: RuleFn


_SPECS: dict[str, RuleSpec] = {}


def rule(rule_id: str, inputs: Callable[[int], set[str]]) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        _SPECS[rule_id] = RuleSpec(rule_id, lambda y: frozenset(inputs(y)), fn)
        return fn
    return register


@rule("ZY-1", lambda y: {"specialization.niche_years"})
def _zy1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    # "截至上年末…达到3年以上", with no exception: every copy of 附件3 reads so (issue 12).
    years = scope.number("specialization.niche_years")
    if years is None:
        return _na(_missing(scope, "specialization.niche_years"), scope)
    minimum = _d(p["min_years"])
    status = _ge(years, minimum)
    return Outcome(status, Message(f"从事特定细分市场 {years} 年，要求 ≥ {minimum} 年",
                                   f"{years} years in the niche; at least {minimum} required"),
                   {"niche_years": str(years)}, Message(f"≥ {minimum} 年", f">= {minimum} years"))


@rule("ZY-2", lambda y: {_fin(y, "main_revenue"), _fin(y, "operating_revenue")})
def _zy2(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    main, operating = scope.number(_fin(y, "main_revenue")), scope.number(_fin(y, "operating_revenue"))
    if main is None or operating is None:
        return _na(_missing(scope, _fin(y, "main_revenue"), _fin(y, "operating_revenue")), scope)
    share = ratio(main, operating)
    minimum = _d(p["min_percent"])
    values = {"main_revenue": str(main), "operating_revenue": str(operating), "share": pct(share)}
    if share is None:
        return Outcome(Status.NA, Message(f"{y}年营业收入为 0，无法计算占比",
                                          f"{y} operating revenue is 0; the share is undefined"),
                       values, _at_least_pct(minimum))
    return Outcome(_ge(share, minimum),
                   Message(f"{y}年主营业务收入占营业收入 {pct(share)}，要求 ≥ {minimum}%",
                           f"{y}: main business is {pct(share)} of revenue; at least {minimum}%"),
                   values, _at_least_pct(minimum))


@rule("ZY-3", lambda y: {_fin(t, "main_revenue") for t in (y - 2, y - 1, y)})
def _zy3(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    ids = [_fin(t, "main_revenue") for t in (y - 2, y - 1, y)]
    r0, r1, r2 = (scope.number(i) for i in ids)
    minimum = _d(p["min_percent"])
    threshold = _at_least_pct(minimum)
    if scope.definition.options.get("zy3_review_waiver"):
        return Outcome(Status.NA, Message("本批次复核不考核此项", "Waived for this review batch"),
                       threshold=threshold)
    if r0 is None or r1 is None or r2 is None:
        return _na(_missing(scope, *ids), scope)
    values = {f"main_revenue_{y - 2}": str(r0), f"main_revenue_{y - 1}": str(r1),
              f"main_revenue_{y}": str(r2)}
    g1, g2 = growth(r1, r0), growth(r2, r1)
    if g1 is None or g2 is None:
        return Outcome(Status.NA, Message(
            "基期主营业务收入 ≤ 0，增长率无法计算，请附说明",
            "A base-year main-business revenue is ≤ 0, so growth is undefined; explain it"),
            values, threshold)
    average = (g1 + g2) / 2
    # the compound rate needs a non-negative end value (a negative revenue is a data error that
    # the checker names; the average still gives the primary reading)
    compound = ((r2 / r0).sqrt() - 1) * 100 if r2 >= 0 else None
    values.update({f"growth_{y - 1}": pct(g1), f"growth_{y}": pct(g2), "average": pct(average),
                   "compound": pct(compound)})
    primary = _ge(average, minimum)
    if compound is not None and primary != _ge(compound, minimum):
        return Outcome(Status.WARN, Message(
            f"算术平均增长率 {pct(average)} 与复合增长率 {pct(compound)} 分别位于 {minimum}% 两侧；"
            "认定口径未明确，请核实",
            f"Average growth {pct(average)} and compound growth {pct(compound)} fall on different"
            f" sides of {minimum}%; the official reading is unclear"), values, threshold)
    return Outcome(primary, Message(
        f"近2年主营业务收入平均增长率 {pct(average)}（复合 {pct(compound)}），要求 ≥ {minimum}%",
        f"Average growth {pct(average)} (compound {pct(compound)}); at least {minimum}%"),
        values, threshold)


@rule("JX-1", lambda y: {"refinement.info_system_areas"})
def _jx1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    areas = scope.get("refinement.info_system_areas")
    if not isinstance(areas, tuple):
        return _na(("refinement.info_system_areas",), scope)
    minimum = int(p["min_areas"])
    status = Status.PASS if len(areas) >= minimum else Status.FAIL
    return Outcome(status, Message(f"{len(areas)} 项核心业务采用信息系统支撑，要求 ≥ {minimum} 项",
                                   f"{len(areas)} core business area(s) on information systems;"
                                   f" at least {minimum}"),
                   {"areas": ",".join(areas)}, _at_least(minimum))


@rule("JX-2", lambda y: {"refinement.certifications"})
def _jx2(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    if not scope.has_table("refinement.certifications"):
        return _na(("refinement.certifications",), scope)
    kinds = ("management_system", "product_developed_country")
    rows = [r for r in scope.rows("refinement.certifications") if r.get("kind") in kinds]
    count = len(rows)
    minimum = int(p["min_count"])
    status = Status.PASS if count >= minimum else Status.FAIL
    message = Message(f"管理体系认证或发达国家和地区产品认证 {count} 项，要求 ≥ {minimum} 项",
                      f"{count} certification(s); at least {minimum}")
    on = scope.definition.reference_date
    if status is Status.PASS and on is not None:
        def still_valid(row: dict[str, Any]) -> bool:
            until = row.get("valid_until")
            return not isinstance(until, date) or until >= on

        valid = [r for r in rows if still_valid(r)]
        if len(valid) < minimum:
            status = Status.WARN
            message = Message(f"所列认证证书在申报时（{on.isoformat()}）均已过有效期，请核对或更新",
                              f"every certificate listed had expired by the declaration date "
                              f"({on.isoformat()}); check or renew")
    return Outcome(status, message, {"certifications": str(count)}, _at_least(minimum))


@rule("JX-3", lambda y: {_fin(y, "total_liabilities"), _fin(y, "total_assets")})
def _jx3(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    liabilities = scope.number(_fin(y, "total_liabilities"))
    assets = scope.number(_fin(y, "total_assets"))
    maximum = _d(p["max_percent"])
    if liabilities is None or assets is None:
        return _na(_missing(scope, _fin(y, "total_liabilities"), _fin(y, "total_assets")), scope)
    debt = ratio(liabilities, assets)
    values = {"total_liabilities": str(liabilities), "total_assets": str(assets), "ratio": pct(debt)}
    if debt is None:
        return Outcome(Status.NA, Message("资产总额为 0，无法计算资产负债率",
                                          "Total assets are 0; the ratio is undefined"),
                       values, Message(f"≤ {maximum}%", f"<= {maximum}%"))
    status = Status.PASS if debt <= maximum else Status.FAIL
    return Outcome(status, Message(f"{y}年末资产负债率 {pct(debt)}，要求 ≤ {maximum}%",
                                   f"Debt ratio at the end of {y}: {pct(debt)}; at most {maximum}%"),
                   values, Message(f"≤ {maximum}%", f"<= {maximum}%"))


@rule("TS-1", lambda y: {"distinctiveness.market_share", "distinctiveness.main_product_sales",
                         "distinctiveness.market_size"})
def _ts1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    share = scope.number("distinctiveness.market_share")
    minimum = _d(p["min_percent"])
    if share is None:
        return _na(("distinctiveness.market_share",), scope)
    values = {"market_share": pct(share)}
    status = _ge(share, minimum)
    message = Message(f"主导产品全国细分市场占有率 {pct(share)}，要求 ≥ {minimum}%",
                      f"National niche share {pct(share)}; at least {minimum}%")
    derived = ratio(scope.number("distinctiveness.main_product_sales"),
                    scope.number("distinctiveness.market_size"))
    if derived is not None:
        values["derived_share"] = pct(derived)
        if abs(derived - share) > Decimal("0.5") and status is Status.PASS:
            return Outcome(Status.WARN, Message(
                f"填报占有率 {pct(share)} 与“主导产品销售额 ÷ 细分市场规模”（{pct(derived)}）不一致",
                f"Declared share {pct(share)} differs from sales ÷ market size ({pct(derived)})"),
                values, _at_least_pct(minimum))
    return Outcome(status, message, values, _at_least_pct(minimum))


_BRAND = Message("拥有自主品牌：有自主知识产权，且商标已注册或已实现收入",
                 "own brand: own IP, and a registered trademark or revenue")
_BRAND_IDS = ("distinctiveness.own_brand", "distinctiveness.own_ip",
              "distinctiveness.trademark_numbers", "distinctiveness.brand_revenue")


@rule("TS-2", lambda y: set(_BRAND_IDS))
def _ts2(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    """附件4: 主营产品或服务有自主知识产权，且满足以下之一：(1) 品牌已经商标局正式注册；
    (2) 产品或服务已经实现收入."""
    brand, own_ip = scope.get("distinctiveness.own_brand"), scope.get("distinctiveness.own_ip")
    if not isinstance(brand, bool):
        return _na(("distinctiveness.own_brand",), scope)
    values = {"own_brand": str(brand).lower()}
    if not brand:
        return Outcome(Status.FAIL, Message("未拥有自主品牌", "No own brand"), values, _BRAND)
    if not isinstance(own_ip, bool):
        return _na(("distinctiveness.own_ip",), scope)
    values["own_ip"] = str(own_ip).lower()
    if not own_ip:
        return Outcome(Status.FAIL, Message("主营产品或服务没有自主知识产权，不构成自主品牌",
                                            "The main products carry no own IP: not an own brand"),
                       values, _BRAND)
    trademarks = scope.get("distinctiveness.trademark_numbers")
    revenue = scope.number("distinctiveness.brand_revenue")
    routes = []
    if isinstance(trademarks, str) and trademarks.strip():
        routes.append(Message("商标已注册", "trademark registered"))
        values["trademark_numbers"] = trademarks
    if revenue is not None:
        values["brand_revenue"] = money(revenue)
        if revenue > 0:
            routes.append(Message(f"已实现收入 {money(revenue)}", f"revenue of {money(revenue)}"))
    if routes:
        return Outcome(Status.PASS, Message(
            "拥有自主品牌（有自主知识产权；" + "、".join(r.zh for r in routes) + "）",
            "Owns a brand (own IP; " + ", ".join(r.en for r in routes) + ")"), values, _BRAND)
    if revenue is not None:  # a revenue of 0 and no trademark: neither route holds
        return Outcome(Status.FAIL, Message(
            "商标未注册，品牌产品或服务也未实现收入，不构成自主品牌",
            "No registered trademark and no revenue from the brand: not an own brand"),
            values, _BRAND)
    missing = ("distinctiveness.trademark_numbers", "distinctiveness.brand_revenue")
    return Outcome(Status.NA, Message(
        "请填写商标注册号或自主品牌产品或服务收入（满足其一即可）",
        "Give the trademark registration numbers or the revenue from the brand (one is enough)"),
        values, _BRAND, missing)


def _cx1_inputs(y: int) -> set[str]:
    keys = ("operating_revenue", "rd_expense", "equity_financing", "rd_staff", "employees")
    return {_fin(t, k) for t in (y - 1, y) for k in keys}


def _tier(revenue: Decimal, p: dict[str, Any], inclusive_upper: bool) -> int:
    """1, 2 or 3. The primary reading puts exactly 1亿 in tier 1 and exactly 5000万 in tier 2;
    the other reading ("以上" exclusive) puts them one tier lower."""
    t1, t2 = _d(p["tier1_min_revenue"]), _d(p["tier2_min_revenue"])
    if inclusive_upper:
        return 1 if revenue >= t1 else 2 if revenue >= t2 else 3
    return 1 if revenue > t1 else 2 if revenue > t2 else 3


def _intensity_test(scope: Scope, p: dict[str, Any], y: int, tier: int,
                    values: dict[str, str]) -> tuple[Status | None, tuple[str, ...]]:
    minimum = _d(p["tier1_min_intensity" if tier == 1 else "tier2_min_intensity"])
    ok = True
    missing: list[str] = []
    for t in (y - 1, y):
        rd, revenue = scope.number(_fin(t, "rd_expense")), scope.number(_fin(t, "operating_revenue"))
        if rd is None or revenue is None:
            missing += _missing(scope, _fin(t, "rd_expense"), _fin(t, "operating_revenue"))
            continue
        intensity = ratio(rd, revenue)
        values[f"rd_intensity_{t}"] = pct(intensity)
        ok = ok and intensity is not None and intensity >= minimum
    if missing:
        return None, tuple(missing)
    return (Status.PASS if ok else Status.FAIL), ()


def _equity_test(scope: Scope, p: dict[str, Any], y: int, values: dict[str, str],
                 two_year_rd: bool) -> tuple[Status | None, tuple[str, ...]]:
    ids = [_fin(t, k) for t in (y - 1, y) for k in ("equity_financing", "rd_expense")]
    ids += [_fin(y, "rd_staff"), _fin(y, "employees")]
    missing = _missing(scope, *ids)
    if missing:
        return None, missing
    num = scope.number
    equity = sum((num(_fin(t, "equity_financing")) or Decimal(0) for t in (y - 1, y)), Decimal(0))
    rd_total = sum((num(_fin(t, "rd_expense")) or Decimal(0) for t in (y - 1, y)), Decimal(0))
    rd_last = num(_fin(y, "rd_expense")) or Decimal(0)
    staff_share = ratio(num(_fin(y, "rd_staff")), num(_fin(y, "employees")))
    values.update({"equity_financing_2y": money(equity), "rd_expense_2y": money(rd_total),
                   f"rd_expense_{y}": money(rd_last), "rd_staff_share": pct(staff_share)})
    rd = rd_total if two_year_rd else rd_last
    ok = (equity >= _d(p["tier3_min_equity"]) and rd >= _d(p["tier3_min_rd_expense"])
          and staff_share is not None and staff_share >= _d(p["tier3_min_rd_staff_share"]))
    return (Status.PASS if ok else Status.FAIL), ()


def _cx1_reading(scope: Scope, p: dict[str, Any], y: int, tier: int, two_year_rd: bool,
                 values: dict[str, str]) -> tuple[Status | None, tuple[str, ...]]:
    if tier in (1, 2):
        return _intensity_test(scope, p, y, tier, values)
    return _equity_test(scope, p, y, values, two_year_rd)


_TIER_TEXT = {
    1: Message("营业收入 ≥ 1亿元：近2年研发费用占比均 ≥ {a}%", "revenue ≥ 100M: R&D ≥ {a}% each year"),
    2: Message("营业收入 5000万–1亿元：近2年研发费用占比均 ≥ {b}%",
               "revenue 50–100M: R&D ≥ {b}% each year"),
    3: Message("营业收入 < 5000万元：近2年股权融资 ≥ {e}万元、研发费用 ≥ {r}万元、研发人员占比 ≥ {s}%",
               "revenue < 50M: equity ≥ {e}, R&D expense ≥ {r} (10k CNY), R&D staff ≥ {s}%"),
}


@rule("CX-1", _cx1_inputs)
def _cx1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    revenue = scope.number(_fin(y, "operating_revenue"))
    if revenue is None:
        return _na((_fin(y, "operating_revenue"),), scope)
    fmt = {"a": p["tier1_min_intensity"], "b": p["tier2_min_intensity"], "e": p["tier3_min_equity"],
           "r": p["tier3_min_rd_expense"], "s": p["tier3_min_rd_staff_share"]}
    tier = _tier(revenue, p, inclusive_upper=True)
    alt_tier = _tier(revenue, p, inclusive_upper=False)
    values = {"operating_revenue": money(revenue), "tier": str(tier)}
    primary, missing = _cx1_reading(scope, p, y, tier, True, values)
    threshold = _TIER_TEXT[tier].format(**fmt)
    if primary is None:
        return _na(missing, scope)
    alternatives = [(alt_tier, True)] if alt_tier != tier else []
    if 3 in (tier, alt_tier):
        alternatives.append((3, False))  # the 3000万 read as the 上年度 figure only
    readings = {primary}
    for alt_tier_, two_year in alternatives:
        alt, _ = _cx1_reading(scope, p, y, alt_tier_, two_year, dict(values))
        if alt is not None:
            readings.add(alt)
    if len(readings) > 1:
        return Outcome(Status.WARN, Message(
            f"按不同口径结论不同（档位边界或“研发费用3000万元”是否为两年合计未明确）；主口径：{threshold.zh}，结论“{primary}”",
            f"Readings disagree (tier boundary or whether the 30M R&D expense is a two-year total);"
            f" primary reading: {threshold.en}, result “{primary}”"),
            values, threshold)
    verdict = Message("满足", "met") if primary is Status.PASS else Message("不满足", "not met")
    return Outcome(primary, Message(f"{threshold.zh}：{verdict.zh}", f"{threshold.en}: {verdict.en}"),
                   values, threshold)


@rule("CX-2", lambda y: {"innovation.rd_institution"})
def _cx2(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    if not scope.has_table("innovation.rd_institution"):
        return _na(("innovation.rd_institution",), scope)
    count = len(scope.rows("innovation.rd_institution"))
    minimum = int(p["min_count"])
    return Outcome(Status.PASS if count >= minimum else Status.FAIL,
                   Message(f"研发机构 {count} 个，要求 ≥ {minimum} 个",
                           f"{count} R&D institution(s); at least {minimum}"),
                   {"institutions": str(count)}, _at_least(minimum))


@rule("CX-3", lambda y: {"innovation.class1_ip"})
def _cx3(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    if not scope.has_table("innovation.class1_ip"):
        return _na(("innovation.class1_ip",), scope)
    rows = scope.rows("innovation.class1_ip")
    counted = [r for r in rows if r.get("related") is True and r.get("in_use") is True
               and r.get("transferred_recently") is not True]
    minimum = int(p["min_count"])
    return Outcome(Status.PASS if len(counted) >= minimum else Status.FAIL, Message(
        f"与主导产品相关且已产生经济效益的Ⅰ类知识产权 {len(counted)} 项（共填报 {len(rows)} 项），要求 ≥ {minimum} 项",
        f"{len(counted)} qualifying Class I IP item(s) of {len(rows)} listed; at least {minimum}"),
        {"qualifying": str(len(counted)), "listed": str(len(rows))}, _at_least(minimum))


@rule("CX-D", lambda y: {"innovation.national_award", "innovation.maker_china_top50"})
def _cxd(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    first = y - int(p["years_back"]) + 1
    awards = scope.rows("innovation.national_award")
    makers = scope.rows("innovation.maker_china_top50")

    def year_ok(row: dict[str, Any]) -> bool:
        year = row.get("year")
        return isinstance(year, int) and first <= year <= y

    def rank_ok(row: dict[str, Any]) -> bool:
        rank = row.get("rank")
        return isinstance(rank, int) and rank <= int(p["max_rank"])

    good_awards = [r for r in awards if year_ok(r) and rank_ok(r)]
    good_makers = [r for r in makers if year_ok(r)]
    values = {"awards": str(len(good_awards)), "maker_china": str(len(good_makers))}
    threshold = Message(
        f"{first}–{y} 年国家级科技奖励获奖单位排名前 {p['max_rank']}，或“创客中国”全国50强企业组",
        f"a national award ranked in the top {p['max_rank']}, or the Maker-in-China top 50, "
        f"{first}–{y}")
    if good_awards or good_makers:
        return Outcome(Status.PASS, Message("满足创新直通条件", "Direct path met"), values, threshold)
    if not awards and not makers:
        return Outcome(Status.NA, Message("未填报创新直通条件（走一般性条件）",
                                          "Direct path not claimed (general path applies)"),
                       values, threshold)
    return Outcome(Status.FAIL, Message(
        f"填报的奖励或名单不在 {first}–{y} 年内，或排名不在前 {p['max_rank']} 名",
        f"The listed awards are outside {first}–{y} or ranked below {p['max_rank']}"),
        values, threshold)


@rule("CY-1", lambda y: {"chain.role", "chain.description"})
def _cy1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    """链 is one of the six groups that must all be met ("需同时满足专、精、特、新、链、品六个
    方面指标"; only 品 says 原则上): unanswered it is n/a, so the application is not eligible."""
    roles, text = scope.get("chain.role"), scope.get("chain.description")
    has_roles = isinstance(roles, tuple) and bool(roles)
    has_text = isinstance(text, str) and bool(text.strip())
    values = {"roles": ",".join(roles)} if isinstance(roles, tuple) and roles else {}
    if has_roles and has_text:
        return Outcome(Status.PASS, Message("已说明产业链配套作用（需佐证材料）",
                                            "Chain role stated (evidence needed)"), values, _STATED)
    if not has_roles and not has_text:
        return Outcome(Status.NA, Message(
            "未说明在产业链中的作用（补短板/锻长板/填空白）及情况；认定需同时满足专、精、特、新、链、品"
            "六个方面指标，此项必须说明",
            "The role in the industrial chain is not stated; all six groups (including the chain)"
            " must be met"), values, _STATED, ("chain.role", "chain.description"))
    if has_roles:
        return Outcome(Status.WARN, Message(
            "已勾选在产业链中的作用，请说明位于产业链关键环节及“补短板”“锻长板”“填空白”情况",
            "The role is ticked; describe the key link and what the enterprise achieves"),
            values, _STATED, ("chain.description",))
    return Outcome(Status.WARN, Message(
        "已有说明，请勾选在产业链中的作用（补短板/锻长板/填空白）",
        "The description is there; tick the role in the chain"), values, _STATED, ("chain.role",))


@rule("LY-1", lambda y: {"field.category"})
def _ly1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    category = scope.get("field.category")
    lists = ("six_foundations:", "ten_industries:", "network_power:")
    if isinstance(category, str) and category.startswith(lists):
        return Outcome(Status.PASS, Message("主导产品属于重点领域", "In a key field"),
                       {"category": category}, _KEY_FIELD)
    return Outcome(Status.WARN, Message(
        "主导产品未选择重点领域；该项为“原则上”要求，不作为否决项，但请说明",
        "No key field chosen; the standard says “in principle”, so this does not bar the"
        " application, but explain it"), {"category": str(category or "")},
        _KEY_FIELD)


def _exclusion(field_id: str) -> RuleFn:
    def evaluate(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
        flag = scope.get(field_id)
        if not isinstance(flag, bool):
            return _na((field_id,), scope)
        return Outcome(Status.FAIL if flag else Status.PASS,
                       Message("存在该情形，不予推荐" if flag else "不存在该情形",
                               "Applies: not recommended" if flag else "Does not apply"),
                       {field_id.split(".")[-1]: "true" if flag else "false"},
                       Message("不存在该情形", "does not apply"))
    return evaluate


def _only(field_id: str) -> Callable[[int], set[str]]:
    return lambda year: {field_id}


for _rid, _fid in (("EX-1", "exclusion.single_champion"),
                   ("EX-2", "exclusion.controlling_relation"),
                   ("EX-3", "exclusion.group_similar_product")):
    rule(_rid, _only(_fid))(_exclusion(_fid))


@rule("EL-1", lambda y: {"enterprise.size", "enterprise.province_title_valid"})
def _el1(scope: Scope, p: dict[str, Any], y: int) -> Outcome:
    size, title = scope.get("enterprise.size"), scope.get("enterprise.province_title_valid")
    values = {"size": str(size or ""), "province_title_valid": str(title).lower()}
    if not scope.definition.options.get("province_title_required", True):
        # A review (Annex 2): first-batch "Little Giants" apply for review voluntarily; the
        # provincial title is a condition of 4th-batch applicants only. Shown, not judged.
        text = Message(*p["sme_only_text"])
        if size == "large":
            return Outcome(Status.FAIL, Message("大型企业不属于中小企业",
                                                "A large enterprise is not an SME"),
                           values, _SME, text=text)
        if size is None:
            outcome = _na(("enterprise.size",), scope)
            outcome.text = text
            return outcome
        held = Message("", "")
        if title is True:
            held = Message("（省级称号：有效期内）", " (provincial title: valid)")
        elif title is False:
            held = Message("（省级称号：无或已过期，复核不作要求）",
                           " (provincial title: none or expired; not required for a review)")
        return Outcome(Status.PASS, Message(f"中小企业{held.zh}", f"An SME{held.en}"),
                       values, _SME, text=text)
    missing = _missing(scope, "enterprise.size", "enterprise.province_title_valid")
    if size == "large":
        return Outcome(Status.FAIL, Message("大型企业不属于中小企业，不能申报",
                                            "A large enterprise is not an SME"), values, _SME_TITLE)
    if title is False:
        return Outcome(Status.FAIL, Message("须为有效期内的省级专精特新中小企业",
                                            "A valid provincial title is required"),
                       values, _SME_TITLE)
    if missing:
        return _na(missing, scope)
    return Outcome(Status.PASS, Message("中小企业，省级专精特新称号在有效期内",
                                        "SME with a valid provincial title"), values, _SME_TITLE)


# --------------------------------------------------------------------------------------------
# Engine

RULE_ORDER = ("ZY-1", "ZY-2", "ZY-3", "JX-1", "JX-2", "JX-3", "TS-1", "TS-2", "CX-1", "CX-2",
              "CX-3", "CX-D", "CY-1", "LY-1", "EX-1", "EX-2", "EX-3", "EL-1")


@cache
def rule_inputs(definition: FormDefinition) -> dict[str, frozenset[str]]:
    return {rid: _SPECS[rid].inputs(definition.year) for rid in RULE_ORDER}


def evaluate_rule(rule_id: str, scope: Scope) -> RuleResult:
    ruleset = load_ruleset(scope.definition.rules)
    text = ruleset.rules[rule_id]
    outcome = _SPECS[rule_id].evaluate(scope, text.params, scope.definition.year)
    return RuleResult(rule_id, text.group, outcome.status, outcome.values, outcome.threshold,
                      outcome.text or text.text, outcome.message, outcome.missing,
                      text.text_verified, text.text_source)


def evaluate_rules(scope: Scope) -> dict[str, RuleResult]:
    return {rid: evaluate_rule(rid, scope) for rid in RULE_ORDER}


def group_met(results: dict[str, RuleResult], group: str) -> bool | None:
    """True / False, or None when an input it needs is missing."""
    def status_of(ids: tuple[str, ...]) -> bool | None:
        statuses = [results[i].status for i in ids]
        if any(s is Status.FAIL for s in statuses):
            return False
        if any(s is Status.NA for s in statuses):
            return None
        return True

    if group == "CX":
        if results["CX-D"].status is Status.PASS:
            return True
        return status_of(("CX-1", "CX-2", "CX-3"))
    ids = tuple(rid for rid in RULE_ORDER if results[rid].group == group)
    return status_of(ids)


def eligible(results: dict[str, RuleResult]) -> bool:
    groups = dict.fromkeys(r.group for r in results.values())
    return all(group_met(results, g) is True for g in groups)


def guard_invalid_inputs(results: Mapping[str, RuleResult], definition: FormDefinition,
                         errors: Iterable[Problem]) -> dict[str, RuleResult]:
    """A rule that read a value the checker rejects (say 主营业务收入 above 营业收入) cannot
    pass or fail on it: it becomes ``n/a`` naming the fields to correct first. A rule whose
    inputs are only *empty* (a required cell of a table row not filled yet) becomes ``n/a``
    naming what is still to fill — an empty field is not a wrong one."""
    wrong: set[str] = set()
    empty: set[str] = set()
    for problem in errors:
        (empty if is_missing(problem) else wrong).add(problem.path.split("[", 1)[0])
    if not wrong and not empty:
        return dict(results)
    inputs = rule_inputs(definition)
    out: dict[str, RuleResult] = {}
    for rule_id, result in results.items():
        bad = tuple(sorted(inputs[rule_id] & wrong))
        blank = tuple(sorted(inputs[rule_id] & empty))
        if bad:
            labels = [_label(definition, item) for item in bad]
            out[rule_id] = replace(result, status=Status.NA, missing=bad, message=Message(
                "以下数据有误，请先改正：" + "、".join(m.zh for m in labels),
                "Correct these values first: " + "; ".join(m.en for m in labels)))
        elif blank and result.status is not Status.NA:
            labels = [_label(definition, item) for item in blank]
            out[rule_id] = replace(result, status=Status.NA, missing=blank, message=Message(
                "以下项目待填写：" + "、".join(m.zh for m in labels),
                "Still to fill: " + "; ".join(m.en for m in labels)))
        else:
            out[rule_id] = result
    return out


def _label(definition: FormDefinition, item_id: str) -> Message:
    return definition.label_of(item_id)


def check_rules(record: Submission, scope: Scope) -> tuple[bool, list[RuleResult]]:
    """Every rule of ``record`` (its errors, if any, guarded as above) and the eligibility."""
    errors = validate(record, today=scope.today).errors
    results = guard_invalid_inputs(evaluate_rules(scope), scope.definition, errors)
    return eligible(results), [results[r] for r in RULE_ORDER]
