"""Computed fields (ratios, growth rates, means): derived from typed values, never typed.

Values are computed exactly (``Decimal``) and rounded half-up to two decimals only for display
and for the stored copy; the rules compare the exact values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from giantdesk.forms.model import FieldDef, FormDefinition, Value

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Half-up to two decimals; an absurdly large value (only a malformed file has one) is
    returned as it is rather than failing."""
    with localcontext() as context:
        context.prec = 120
        try:
            return value.quantize(CENT, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            return value


def _number(value: Value | None) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    return None


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator × 100, or ``None`` when undefined (missing or zero base)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(current − previous) / previous × 100; undefined for a base ≤ 0 (research §1.4)."""
    if current is None or previous is None or previous <= 0:
        return None
    return (current - previous) / previous * HUNDRED


def _mean(values: list[Decimal | None]) -> Decimal | None:
    if not values or any(v is None for v in values):
        return None
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) / len(present)


def _sum(values: list[Decimal | None]) -> Decimal | None:
    if any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


_OPS: dict[str, Callable[[list[Decimal | None]], Decimal | None]] = {
    "ratio": lambda v: ratio(v[0], v[1]),
    "growth": lambda v: growth(v[0], v[1]),
    "mean": _mean,
    "sum": _sum,
}


def compute(f: FieldDef, get: Callable[[str], Value | Decimal | None]) -> Decimal | None:
    """The value of computed field ``f``, reading its inputs through ``get``."""
    assert f.computed is not None
    operands = [_number(get(i)) for i in f.computed.inputs]
    return _OPS[f.computed.op](operands)


@cache
def computed_order(definition: FormDefinition) -> tuple[FieldDef, ...]:
    """Computed fields in an order where every input is computed before it is used."""
    pending = [f for f in definition.fields.values() if f.computed]
    done: list[FieldDef] = []
    done_ids: set[str] = set()
    computed_ids = {f.id for f in pending}
    while pending:
        ready = [f for f in pending
                 if f.computed and all(i not in computed_ids or i in done_ids
                                       for i in f.computed.inputs)]
        if not ready:
            raise ValueError(f"{definition.id}: computed fields form a cycle")
        for f in ready:
            done.append(f)
            done_ids.add(f.id)
            pending.remove(f)
    return tuple(done)


@cache
def computed_dependents(definition: FormDefinition) -> dict[str, tuple[FieldDef, ...]]:
    """For each field id, the computed fields that depend on it, directly or not, in order."""
    order = computed_order(definition)
    direct: dict[str, set[str]] = {}
    for f in order:
        assert f.computed is not None
        for source in f.computed.inputs:
            direct.setdefault(source, set()).add(f.id)
    result: dict[str, tuple[FieldDef, ...]] = {}
    for source in list(direct):
        reached: set[str] = set()
        stack = list(direct[source])
        while stack:
            fid = stack.pop()
            if fid not in reached:
                reached.add(fid)
                stack.extend(direct.get(fid, ()))
        result[source] = tuple(f for f in order if f.id in reached)
    return result


def evaluate_all(definition: FormDefinition, values: Mapping[str, Value]) -> dict[str, Decimal]:
    """Every computed field that can be computed from ``values`` (exact, not rounded)."""
    scope: dict[str, Value | Decimal | None] = dict(values)
    out: dict[str, Decimal] = {}
    for f in computed_order(definition):
        result = compute(f, scope.get)
        scope[f.id] = result
        if result is not None:
            out[f.id] = result
    return out
