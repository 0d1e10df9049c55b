"""Form core: the cost of one field edit (incremental) against a full re-validation.

Run: ``python -m bench.bench_forms``. The baseline is what a naive form tool does on every
keystroke — validate the whole record and evaluate every rule — measured in the same run on the
largest sample (50 IP rows). A frame at 60 Hz is 16.7 ms.
"""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.timing import summary, time_calls
from giantdesk.forms.live import LiveForm
from giantdesk.forms.record import loads
from giantdesk.forms.rules import evaluate_rules
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import validate

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "samples" / "annex1-large-50ip.json"
TODAY = date(2022, 6, 20)






def main() -> None:
    record = loads(SAMPLE.read_bytes())
    live = LiveForm(record, today=TODAY)
    rows = len(record.tables["innovation.class1_ip"])

    def full(i: int) -> None:
        validate(record, today=TODAY)
        evaluate_rules(Scope.of(record, TODAY))

    def edit_revenue(i: int) -> None:  # a grid cell feeding computed fields and 3 rules
        live.set_value("finance.2021.operating_revenue", Decimal(19460 + i % 7))

    def edit_text(i: int) -> None:  # a plain text field: no rule reads it
        live.set_value("enterprise.address", f"江苏省苏州市星湖街 {i % 97} 号")

    def edit_ip_table(i: int) -> None:  # a 50-row table: its check re-validates every row
        rows_now = list(live.scope.rows("innovation.class1_ip"))
        rows_now[i % rows] = {**rows_now[i % rows], "in_use": bool(i % 2)}
        live.set_rows("innovation.class1_ip", rows_now)

    full_times = time_calls(full, 30)
    print(f"sample: {SAMPLE.name} ({len(record.values)} values, {rows} IP rows)")
    print(f"full validation + all rules (baseline) {summary(full_times)}")
    base = statistics.median(full_times)
    for label, fn in (("edit: grid cell (revenue)", edit_revenue),
                      ("edit: text field", edit_text),
                      ("edit: IP table row", edit_ip_table)):
        times = time_calls(fn, 300)
        ratio = statistics.median(times) / base
        print(f"{label:38} {summary(times)}   = {ratio:.3f} × baseline")


if __name__ == "__main__":
    main()
