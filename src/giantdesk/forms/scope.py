"""What checks and rules read: a record's typed values plus its computed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from giantdesk.forms.computed import compute, computed_dependents, evaluate_all
from giantdesk.forms.model import FormDefinition, Value
from giantdesk.forms.record import Row, Submission


@dataclass
class Scope:
    """Typed values of one record; computed fields are read through :meth:`get` like typed ones."""

    definition: FormDefinition
    values: dict[str, Value]
    tables: dict[str, list[Row]]
    today: date
    computed: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, record: Submission, today: date) -> Scope:
        definition = record.definition
        typed = {k: v for k, v in record.values.items()
                 if (f := definition.field(k)) is not None and f.computed is None}
        scope = cls(definition, typed, record.tables, today)
        scope.computed = evaluate_all(definition, typed)
        return scope

    def get(self, field_id: str) -> Value | Decimal | None:
        if field_id in self.computed:
            return self.computed[field_id]
        return self.values.get(field_id)

    def number(self, field_id: str) -> Decimal | None:
        value = self.get(field_id)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            return None
        return Decimal(value)

    def has_table(self, table_id: str) -> bool:
        return table_id in self.tables

    def rows(self, table_id: str) -> list[Row]:
        return self.tables.get(table_id, [])

    def set_value(self, field_id: str, value: Value | None) -> set[str]:
        """Change one typed value; return the ids that changed (it and its computed dependents)."""
        if value is None:
            self.values.pop(field_id, None)
        else:
            self.values[field_id] = value
        changed = {field_id}
        for dependent in computed_dependents(self.definition).get(field_id, ()):
            result = compute(dependent, self.get)
            if result is None:
                if self.computed.pop(dependent.id, None) is not None:
                    changed.add(dependent.id)
            elif self.computed.get(dependent.id) != result:
                self.computed[dependent.id] = result
                changed.add(dependent.id)
        return changed

    def set_rows(self, table_id: str, rows: list[Row] | None) -> set[str]:
        if rows is None:
            self.tables.pop(table_id, None)
        else:
            self.tables[table_id] = rows
        return {table_id}
