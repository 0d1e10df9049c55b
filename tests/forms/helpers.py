"""Building records for the form-core tests from the shipped samples."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from giantdesk.forms.record import Submission, loads
from giantdesk.forms.rules import RuleResult, evaluate_rules
from giantdesk.forms.scope import Scope

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
TODAY = date(2022, 6, 20)


def sample(name: str = "annex1-pass") -> Submission:
    return loads((SAMPLES / f"{name}.json").read_bytes())


def with_changes(record: Submission, values: dict[str, Any] | None = None,
                 tables: dict[str, Any] | None = None) -> Submission:
    """A copy with ``values`` set (None removes a field) and ``tables`` replaced."""
    out = record.copy()
    for key, value in (values or {}).items():
        if value is None:
            out.values.pop(key, None)
        else:
            out.values[key] = value
    for key, rows in (tables or {}).items():
        if rows is None:
            out.tables.pop(key, None)
        else:
            out.tables[key] = rows
    return out


def rules_of(record: Submission) -> dict[str, RuleResult]:
    return evaluate_rules(Scope.of(record, TODAY))
