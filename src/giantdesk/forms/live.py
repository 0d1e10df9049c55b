"""A form being edited: validation and rule results kept current one edit at a time.

On each edit only the checks and rules that read the changed field (or a computed field that
depends on it) are re-run, so the cost of a keystroke does not grow with the size of the form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from giantdesk.forms.model import Value
from giantdesk.forms.record import Problem, Row, Submission
from giantdesk.forms.rules import (
    RULE_ORDER,
    RuleResult,
    eligible,
    evaluate_rule,
    guard_invalid_inputs,
    rule_inputs,
)
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import Check, Findings, checks_for


@dataclass(frozen=True)
class Update:
    """What one edit changed: ids whose values changed, checks re-run, rules re-evaluated."""

    changed: frozenset[str]
    checks: tuple[str, ...]
    rules: dict[str, RuleResult]


class LiveForm:
    def __init__(self, record: Submission, *, today: date) -> None:
        self.form = record.form
        self.scope = Scope.of(record, today)
        definition = self.scope.definition
        self._checks = checks_for(definition)
        self._checks_by_input: dict[str, list[Check]] = defaultdict(list)
        for check in self._checks:
            for source in check.inputs:
                self._checks_by_input[source].append(check)
        self._rules_by_input: dict[str, list[str]] = defaultdict(list)
        for rule_id, inputs in rule_inputs(definition).items():
            for source in inputs:
                self._rules_by_input[source].append(rule_id)
        self._findings: dict[str, Findings] = {}
        for check in self._checks:
            self._run(check)
        #: Rule results as evaluated; ``results`` is what is shown (a rule that read a value the
        #: checker rejects is ``n/a`` there, see ``rules.guard_invalid_inputs``).
        self._raw: dict[str, RuleResult] = {
            rid: evaluate_rule(rid, self.scope) for rid in RULE_ORDER}
        self.results = self._guarded()

    def _guarded(self) -> dict[str, RuleResult]:
        errors = (p for found in self._findings.values() for p in found.errors)
        return guard_invalid_inputs(self._raw, self.scope.definition, errors)

    def _run(self, check: Check) -> None:
        out = Findings()
        check.run(self.scope, out)
        self._findings[check.id] = out

    def _refresh(self, changed: set[str]) -> Update:
        checks: dict[str, Check] = {}
        rules: set[str] = set()
        for source in changed:
            for check in self._checks_by_input.get(source, ()):
                checks[check.id] = check
            rules.update(self._rules_by_input.get(source, ()))
        for check in checks.values():
            self._run(check)
        self._raw.update({rid: evaluate_rule(rid, self.scope) for rid in RULE_ORDER if rid in rules})
        shown = self._guarded()
        updated = {rid: r for rid, r in shown.items() if self.results.get(rid) != r}
        self.results = shown
        return Update(frozenset(changed), tuple(checks), updated)

    def set_value(self, field_id: str, value: Value | None) -> Update:
        return self._refresh(self.scope.set_value(field_id, value))

    def set_rows(self, table_id: str, rows: list[Row] | None) -> Update:
        return self._refresh(self.scope.set_rows(table_id, rows))

    def problems(self, check_ids: tuple[str, ...] | None = None) -> Findings:
        """Errors and warnings, in the form's order (of all checks, or of ``check_ids``)."""
        out = Findings()
        wanted = None if check_ids is None else set(check_ids)
        for check in self._checks:
            if wanted is None or check.id in wanted:
                found = self._findings[check.id]
                out.errors.extend(found.errors)
                out.warnings.extend(found.warnings)
        return out

    def problems_at(self, field_id: str) -> list[Problem]:
        found = self.problems()
        return [p for p in found.errors + found.warnings if p.path == field_id]

    @property
    def eligible(self) -> bool:
        return eligible(self.results)

    def record(self) -> Submission:
        definition = self.scope.definition
        return Submission(definition.id, definition.version, definition.rules,
                          dict(self.scope.values),
                          {k: [dict(r) for r in rows] for k, rows in self.scope.tables.items()})
