"""The live form gives the same answers as a full re-validation, while re-running only what an
edit can affect."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from giantdesk.forms.live import LiveForm
from giantdesk.forms.record import dumps
from giantdesk.forms.rules import Status, evaluate_rules, guard_invalid_inputs
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import validate

from .helpers import TODAY, sample


def test_an_edit_re_evaluates_only_the_rules_that_read_it() -> None:
    live = LiveForm(sample(), today=TODAY)
    update = live.set_value("distinctiveness.market_share", D("9.00"))
    assert set(update.rules) == {"TS-1"}
    assert live.results["TS-1"].status is Status.FAIL
    assert not live.eligible
    assert all(c.startswith(("field:distinctiveness.market_share", "computed:"))
               for c in update.checks)


def test_computed_dependents_propagate() -> None:
    live = LiveForm(sample(), today=TODAY)
    update = live.set_value("finance.2020.main_revenue", D("15000.00"))
    assert {"finance.2020.main_revenue_growth", "finance.2021.main_revenue_growth",
            "specialization.avg_growth"} <= update.changed
    assert "ZY-3" in update.rules


def test_clearing_a_field_and_table() -> None:
    live = LiveForm(sample(), today=TODAY)
    live.set_value("enterprise.name", None)
    assert [p.code for p in live.problems_at("enterprise.name")] == ["required"]
    live.set_rows("innovation.class1_ip", None)
    assert live.results["CX-3"].status is Status.NA


def test_record_round_trip() -> None:
    live = LiveForm(sample(), today=TODAY)
    assert dumps(live.record()) == dumps(sample())


EDITS = st.lists(st.tuples(
    st.sampled_from(["finance.2021.operating_revenue", "finance.2021.main_revenue",
                     "finance.2020.main_revenue", "finance.2021.total_liabilities",
                     "finance.2021.rd_staff", "finance.2021.employees",
                     "distinctiveness.market_share", "specialization.niche_years",
                     "exclusion.controlling_relation", "enterprise.listing"]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=30000)),
), min_size=1, max_size=12)


def _typed(field_id: str, raw: int | None) -> Any:
    if raw is None:
        return None
    if field_id in ("finance.2021.rd_staff", "finance.2021.employees",
                    "specialization.niche_years"):
        return raw
    if field_id == "exclusion.controlling_relation":
        return raw % 2 == 0
    if field_id == "enterprise.listing":
        return ("no_plan", "planned", "listed")[raw % 3]
    return D(raw) / 100


@settings(max_examples=60, deadline=None)
@given(EDITS)
def test_incremental_equals_full(edits: list[tuple[str, int | None]]) -> None:
    live = LiveForm(sample(), today=TODAY)
    for field_id, raw in edits:
        live.set_value(field_id, _typed(field_id, raw))
    record = live.record()
    full = validate(record, today=TODAY)
    incremental = live.problems()
    assert [(p.path, p.code) for p in incremental.errors] == [(p.path, p.code) for p in full.errors]
    assert [(p.path, p.code) for p in incremental.warnings] == [
        (p.path, p.code) for p in full.warnings]
    expected = guard_invalid_inputs(evaluate_rules(Scope.of(record, TODAY)), record.definition,
                                    full.errors)
    assert {k: (r.status, r.values) for k, r in live.results.items()} == {
        k: (r.status, r.values) for k, r in expected.items()}
