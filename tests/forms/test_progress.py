"""Completeness per part, problems in plain words, items to confirm, the eligibility summary."""

from __future__ import annotations

from decimal import Decimal

from giantdesk.forms.definitions import load_definition
from giantdesk.forms.live import LiveForm
from giantdesk.forms.progress import (
    Kind,
    PartProgress,
    PartState,
    Verdict,
    eligibility,
    glance,
    items_to_confirm,
    kind_of,
    parts_progress,
    used_values,
)
from giantdesk.forms.record import Submission
from giantdesk.forms.rules import Status
from giantdesk.store.carryover import carry_over

from .helpers import TODAY, sample, with_changes


def empty(form: str = "annex1-batch4") -> LiveForm:
    return LiveForm(Submission.empty(load_definition(form)), today=TODAY)


def by_id(live: LiveForm, touched: tuple[str, ...] = (),
          refused: tuple[str, ...] = ()) -> dict[str, PartProgress]:
    return {p.part.id: p for p in parts_progress(live, touched=touched, refused=refused)}


def test_an_empty_draft_is_untouched_not_wrong() -> None:
    live = empty()
    parts = parts_progress(live)
    assert [p.state for p in parts] == [PartState.UNTOUCHED] * 9 + [PartState.RECOMMENDER]
    basic = parts[0]
    assert (basic.filled, basic.optional, basic.errors) == (0, False, 0)
    assert basic.total == 23  # required and visible now (conditional fields hidden)
    assert basic.summary.zh == "已填 0/23 · 未开始" and basic.summary.en == "0/23 filled · not started"
    innovation = parts[5]
    assert innovation.optional and innovation.summary.zh.startswith("选填 · 已填 0/")
    # every empty required field is "to fill", never "wrong"
    kinds = {kind_of(p) for p in live.problems().errors}
    assert kinds == {Kind.TO_FILL}
    g = glance(live)
    assert g.wrong == 0 and g.to_fill == g.errors and g.verdict is Verdict.UNKNOWN


def test_a_visited_part_is_to_fill_and_a_wrong_value_is_an_error() -> None:
    live = empty()
    parts = by_id(live, touched=("enterprise.name",))
    assert parts["basic"].state is PartState.TO_FILL
    assert parts["economics"].state is PartState.UNTOUCHED
    live.set_value("enterprise.name", "某某科技有限公司")
    live.set_value("enterprise.uscc", "91350100MA2XXXXX1")  # 17 characters: wrong
    basic = by_id(live)["basic"]
    assert basic.state is PartState.ERRORS
    assert basic.filled == 2 and basic.errors == 1
    assert "1 项需改正" in basic.summary.zh and "项待填写" in basic.summary.zh
    # a text the screen refused counts as one wrong value of its part
    economics = by_id(live, refused=("finance.2021.employees",))["economics"]
    assert economics.state is PartState.ERRORS and economics.errors == 1


def test_a_complete_sample_is_complete_everywhere() -> None:
    live = LiveForm(sample(), today=TODAY)
    states = {p.part.id: p.state for p in parts_progress(live)}
    assert set(states.values()) == {PartState.COMPLETE, PartState.RECOMMENDER}
    basic = parts_progress(live)[0]
    assert basic.filled == basic.total and basic.summary.zh == f"已填 {basic.total}/{basic.total}"
    summary = eligibility(live)
    assert summary.verdict is Verdict.MET and summary.short.zh == "全部满足"
    assert glance(live).eligible


def test_an_empty_input_of_a_rule_is_missing_data_not_wrong_data() -> None:
    record = with_changes(sample(), {"finance.2021.main_revenue": None})
    live = LiveForm(record, today=TODAY)
    zy2 = live.results["ZY-2"]
    assert zy2.status is Status.NA
    assert "缺少数据" in zy2.message.zh and "有误" not in zy2.message.zh
    assert "（2021年）" in zy2.message.zh  # a grid cell is named with its year
    # an empty cell of a table row: "to fill", not "wrong"
    rows = [dict(r) for r in sample().tables["innovation.class1_ip"]]
    del rows[0]["number"]
    live = LiveForm(with_changes(sample(), tables={"innovation.class1_ip": rows}), today=TODAY)
    cx3 = live.results["CX-3"]
    assert cx3.status is Status.NA and cx3.message.zh.startswith("以下项目待填写")
    # a wrong value still says so
    live = LiveForm(with_changes(sample(), {"finance.2021.main_revenue": Decimal("99999")}),
                    today=TODAY)
    assert live.results["ZY-2"].message.zh.startswith("以下数据有误")


def test_the_summary_names_the_failing_criterion_with_its_numbers() -> None:
    live = LiveForm(with_changes(sample(), {"distinctiveness.market_share": Decimal("8.2"),
                                            "distinctiveness.main_product_sales": None}),
                    today=TODAY)
    summary = eligibility(live)
    assert summary.verdict is Verdict.NOT_MET and summary.headline.zh == "1 项条件未满足"
    (line,) = summary.lines()
    assert line.message.zh == "特色化：主导产品全国细分市场占有率 8.20%，要求 ≥ 10%"
    assert line.message.en.startswith("Distinctiveness: National niche share 8.20%")
    assert line.rule_id == "TS-1" and line.target == "distinctiveness.market_share"
    g = glance(live)
    assert g.criteria.zh == "1 项未满足" and g.reasons == (line.message,)


def test_rule_warnings_are_items_to_confirm() -> None:
    # declared 12.60 % vs sales ÷ market size = 6.30 %: TS-1 says "请核实" in the panel…
    live = LiveForm(with_changes(sample(), {"distinctiveness.market_size": Decimal("248800")}),
                    today=TODAY)
    assert live.results["TS-1"].status is Status.WARN
    assert not live.problems().warnings
    (item,) = items_to_confirm(live)  # …so the check page asks for it too
    assert item.rule_id == "TS-1" and item.part_id == "distinctiveness"
    assert item.message.zh.startswith("特色化：填报占有率 12.60%") and "6.30%" in item.message.zh
    assert by_id(live)["distinctiveness"].state is PartState.CONFIRM
    assert glance(live).to_confirm == 1
    # the key changes when the numbers change (a tick must be given again)
    live.set_value("distinctiveness.market_size", Decimal("200000"))
    (again,) = items_to_confirm(live)
    assert again.key != item.key
    # field warnings are there too, in the form's order of parts
    live.set_value("enterprise.region_province", "11")  # USCC says 35 (Fujian)
    items = items_to_confirm(live)
    assert [i.part_id for i in items] == ["basic", "distinctiveness"]
    assert items[0].path == "enterprise.uscc" and items[0].rule_id is None


def test_criteria_are_not_all_met_while_review_fields_are_empty() -> None:
    carried = carry_over(sample(), today=TODAY)
    live = LiveForm(carried.record, today=TODAY)
    summary = eligibility(live)
    assert all(summary.groups.values())  # the carried data meet every criterion…
    assert summary.verdict is Verdict.MET_TO_FILL  # …but the review part is empty
    assert summary.short.zh == "暂满足，5 项待填写" and not glance(live).eligible
    assert by_id(live)["review"].state is PartState.UNTOUCHED
    review = sample("annex2-pass")
    for key, value in review.values.items():
        if key.startswith("review."):
            live.set_value(key, value)
    assert eligibility(live).verdict is Verdict.MET


def test_the_numbers_a_rule_used_are_named_by_their_labels() -> None:
    live = LiveForm(sample(), today=TODAY)
    definition = live.scope.definition
    shown = {rid: [(label.zh, value.zh) for label, value in used_values(definition, result)]
             for rid, result in live.results.items()}
    assert shown["ZY-3"][0] == ("其中：主营业务收入（2019年）", "13650.00 万元")
    assert ("2021年主营业务收入增长率", "18.39%") in shown["ZY-3"]
    assert shown["TS-1"][1] == ("主导产品销售额 ÷ 细分市场规模", "12.60%")
    assert shown["JX-1"] == [("采用信息系统支撑的核心业务", "研发设计、生产制造、供应链管理")]
    assert shown["EX-1"][0][1] == "否"
    for pairs in shown.values():  # never an id: no key, no field id, no choice id
        for label, value in pairs:
            assert "_" not in label and "." not in label.replace("。", "")
            assert "_" not in value
