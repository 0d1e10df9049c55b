"""The three renderings (PDF, DOCX, entry sheet) of small, large and hostile records.

Run: ``python -m bench.bench_render``. The baseline, measured in the same run, is the rendering of
the passing Annex 1 sample; the others are reported as times and as multiples of it:

* ``annex1-large-50ip`` — the largest sample (50 IP rows);
* ``stress`` — ``tests/export/fixtures/annex1-stress.json``: a 38-character name, every
  description 1,400 characters of punctuation-rich text;
* ``huge`` — one description of 20,000 characters and 500 IP rows, one with a 5,000-character
  title: far beyond the form's limits, it must still render (a row or paragraph taller than a
  page splits across pages), in time roughly linear in its size.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.timing import time_calls
from giantdesk.export.context import RenderContext
from giantdesk.export.docx_render import render_docx
from giantdesk.export.entry_sheet import render_entry_sheet
from giantdesk.export.fonts import load_fonts
from giantdesk.export.pdf import render_pdf
from giantdesk.forms.record import Submission, loads

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"
FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)
RENDERERS: dict[str, Callable[[RenderContext], bytes]] = {
    "pdf": render_pdf, "docx": render_docx, "entry sheet": render_entry_sheet}


def huge() -> Submission:
    sys.path.insert(0, str(ROOT))
    from tests.export.fixtures.make_stress import description

    record = loads((SAMPLES / "annex1-pass.json").read_bytes())
    big = "".join(description(i) for i in range(15))[:20000]
    record.values["innovation.description"] = big
    rows = []
    for i in range(500):
        row = dict(record.tables["innovation.class1_ip"][0])
        row["number"] = f"ZL2016{i:08d}.7"
        rows.append(row)
    rows[250]["title"] = big[:5000]
    record.tables["innovation.class1_ip"] = rows
    return record


def main() -> None:
    load_fonts()  # registration (once per process) is not part of a rendering
    records = {
        "annex1-pass": loads((SAMPLES / "annex1-pass.json").read_bytes()),
        "annex1-large-50ip": loads((SAMPLES / "annex1-large-50ip.json").read_bytes()),
        "stress": loads((ROOT / "tests" / "export" / "fixtures" / "annex1-stress.json")
                        .read_bytes()),
        "huge": huge(),
    }
    base: dict[str, float] = {}
    for name, record in records.items():
        ctx = RenderContext.of(record, FINALIZED, "5647 5AA7 5463 474C")
        repeat = 1 if name == "huge" else 5
        for kind, render in RENDERERS.items():
            times = time_calls(lambda _i, render=render, ctx=ctx: render(ctx), repeat)
            median = statistics.median(times)
            base.setdefault(kind, median)
            print(f"{name:18} {kind:12} median {median * 1e3:8.0f} ms "
                  f"= {median / base[kind]:6.1f} × annex1-pass")


if __name__ == "__main__":
    main()
