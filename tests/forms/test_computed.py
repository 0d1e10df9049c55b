from __future__ import annotations

from decimal import Decimal as D

from giantdesk.forms.computed import computed_dependents, computed_order, growth, ratio, round2
from giantdesk.forms.definitions import load_definition
from giantdesk.forms.scope import Scope

from .helpers import TODAY, sample, with_changes


def test_ratio_and_growth_edge_cases() -> None:
    assert ratio(D(1), D(0)) is None and ratio(None, D(1)) is None
    assert ratio(D(7), D(10)) == D(70)
    assert growth(D(110), D(100)) == D(10)
    assert growth(D(10), D(0)) is None and growth(D(10), D(-5)) is None
    assert growth(D(80), D(100)) == D(-20)


def test_round_half_up() -> None:
    assert round2(D("2.345")) == D("2.35") and round2(D("-2.345")) == D("-2.35")


def test_order_puts_inputs_first() -> None:
    definition = load_definition("annex1-batch4")
    order = [f.id for f in computed_order(definition)]
    assert order.index("finance.2021.main_revenue_growth") < order.index(
        "specialization.avg_growth")


def test_dependents_are_transitive() -> None:
    definition = load_definition("annex1-batch4")
    deps = [f.id for f in computed_dependents(definition)["finance.2021.main_revenue"]]
    assert deps == ["finance.2021.main_revenue_growth", "specialization.main_revenue_share",
                    "specialization.avg_growth"]


def test_sample_values() -> None:
    scope = Scope.of(sample(), TODAY)
    assert round2(scope.computed["specialization.main_revenue_share"]) == D("96.25")
    assert round2(scope.computed["finance.2021.debt_ratio"]) == D("37.84")
    # 2019 growth from the optional 2018 figure (12480.00 → 13650.00); ZY-3 does not read it
    assert round2(scope.computed["finance.2019.main_revenue_growth"]) == D("9.38")
    without = Scope.of(with_changes(sample(), {"finance.2018.main_revenue": None}), TODAY)
    assert "finance.2019.main_revenue_growth" not in without.computed
    assert without.computed["specialization.avg_growth"] == scope.computed[
        "specialization.avg_growth"]
