"""A draft at a glance (home list, check page): completeness and eligibility.

Nothing is judged here: "required" and "visible" are the definition's (``FieldDef.required``,
``condition_met``), "missing" is what validation reports as ``required`` / ``table.min_rows``,
and the criteria are ``rules.group_met`` of the ``LiveForm``'s results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from giantdesk.forms.live import LiveForm
from giantdesk.forms.model import TableDef
from giantdesk.forms.record import Submission
from giantdesk.forms.rules import group_met, load_ruleset
from giantdesk.forms.validation import condition_met

#: Validation codes that mean "a required item is empty".
MISSING_CODES = frozenset({"required", "table.min_rows"})


@dataclass(frozen=True)
class Glance:
    required: int  # required, visible items the enterprise fills in
    filled: int
    groups_failed: int
    groups_unknown: int  # a group whose inputs are missing
    errors: int
    warnings: int

    @property
    def percent(self) -> int:
        if self.required == 0:
            return 100
        return int(100 * self.filled / self.required)  # never shows 100 % before it is

    @property
    def eligible(self) -> bool:
        return self.groups_failed == 0 and self.groups_unknown == 0


def required_items(live: LiveForm) -> list[str]:
    """Ids of the required fields and tables the enterprise fills in and can currently see."""
    definition = live.scope.definition
    out: list[str] = []
    for part in definition.parts:
        if part.filled_by != "enterprise":
            continue
        for f in part.fields():
            if f.required and f.computed is None and condition_met(f.condition, live.scope.get):
                out.append(f.id)
        for item in part.items:
            if (isinstance(item, TableDef) and item.min_rows > 0
                    and condition_met(item.condition, live.scope.get)):
                out.append(item.id)
    return out


def glance(live: LiveForm) -> Glance:
    found = live.problems()
    required = required_items(live)
    wanted = set(required)
    missing = {p.path for p in found.errors if p.code in MISSING_CODES and p.path in wanted}
    ruleset = load_ruleset(live.scope.definition.rules)
    states = [group_met(live.results, g) for g in ruleset.groups]
    return Glance(len(required), len(required) - len(missing),
                  sum(1 for s in states if s is False), sum(1 for s in states if s is None),
                  len(found.errors), len(found.warnings))


def glance_record(record: Submission, today: date) -> Glance:
    return glance(LiveForm(record, today=today))
