"""The online entry sheet: every value, in the form's order, typeable and copyable as printed."""

from __future__ import annotations

import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from giantdesk.export.context import RenderContext
from giantdesk.export.doctext import squeeze
from giantdesk.export.entry_sheet import render_entry_sheet
from giantdesk.export.layout import (
    CAPTIONS,
    CHECKED,
    FieldEntry,
    GridEntry,
    TableEntry,
    build_layout,
    caption,
)
from tests.export.printtools import context, page_texts, tool


@pytest.fixture(scope="module", params=["annex1-pass", "annex2-pass"])
def rendered(request: pytest.FixtureRequest) -> tuple[RenderContext, str, list[str]]:
    ctx = context(request.param)
    pages = page_texts(render_entry_sheet(ctx))
    return ctx, "\n".join(pages), pages


def test_same_context_same_bytes() -> None:
    assert render_entry_sheet(context("annex2-pass")) == render_entry_sheet(
        context("annex2-pass"))


def test_amounts_are_typeable(rendered: tuple[RenderContext, str, list[str]]) -> None:
    ctx, text, _ = rendered
    revenue = ctx.record.values["finance.2021.operating_revenue"]
    assert isinstance(revenue, Decimal)
    assert f"{revenue:.2f}" in text
    assert f"{revenue:,.2f}" not in text
    assert ctx.uscc in text and ctx.fingerprint in text


def test_every_typed_value_in_the_form_order(
        rendered: tuple[RenderContext, str, list[str]]) -> None:
    ctx, text, _ = rendered
    flat = squeeze(text)
    layout = build_layout(ctx)
    position = 0
    for part in layout.parts:
        if part.blank:
            continue
        position = flat.index(squeeze(part.heading), position)
        for entry in part.entries:
            cells: list[FieldEntry] = []
            if isinstance(entry, FieldEntry):
                cells = [entry]
            elif isinstance(entry, GridEntry):
                cells = [c for line in entry.lines for c in line.cells if c]
            for cell in cells:
                if cell.applicable and cell.entry_text and not cell.computed:
                    found = flat.find(squeeze(cell.entry_text), position)
                    assert found >= 0, cell.field.id
                    position = found


def test_computed_not_applicable_blank_and_the_order_note(
        rendered: tuple[RenderContext, str, list[str]]) -> None:
    _, text, pages = rendered
    flat = text.replace("\n", "")
    assert CAPTIONS["computed"].zh in flat and CAPTIONS["computed"].en not in flat
    assert CAPTIONS["skip"].zh in flat
    assert f"（{CAPTIONS['not_filled'].zh}）" in flat  # an optional field left empty
    assert CAPTIONS["entry_order"].zh[:20] in flat
    assert CAPTIONS["recommender_skip"].zh in flat
    for n, page in enumerate(pages, start=1):
        assert f"第 {n} 页 共 {len(pages)} 页" in page and "指纹" in page
        assert "Fingerprint" not in page


def test_province_by_name_and_multichoice_one_option_per_line() -> None:
    ctx = context("annex1-pass")
    layout = build_layout(ctx)
    entries = {e.field.id: e for p in layout.parts for e in p.entries if isinstance(e, FieldEntry)}
    assert entries["enterprise.region_province"].entry_text == "江苏省"
    chosen = entries["refinement.self_assessment"]
    lines = chosen.entry_text.split("\n")
    assert len(lines) == len(ctx.record.values["refinement.self_assessment"]) > 1
    assert all(line.startswith(CHECKED) for line in lines)
    assert any("、" in line for line in lines)  # an option holding "、" stays one option


def test_table_rows_name_their_table_on_every_page() -> None:
    ctx = context("annex1-large-50ip")
    pages = page_texts(render_entry_sheet(ctx))
    layout = build_layout(ctx)
    part = next(p for p in layout.parts
                if any(isinstance(e, TableEntry) and e.table.id == "innovation.class1_ip"
                       for e in p.entries))
    table = next(e for e in part.entries
                 if isinstance(e, TableEntry) and e.table.id == "innovation.class1_ip")
    title = squeeze(f"{part.heading} · {table.label}")
    row_label = squeeze(caption("row", n=1))
    holding = [squeeze(p) for p in pages if squeeze(f"· {table.columns[0].label}") in squeeze(p)]
    assert len(holding) >= 3 and row_label in holding[0]
    assert all(title in p for p in holding)  # the table's name repeats on each of its pages


def test_wrapped_values_copy_out_without_line_breaks() -> None:
    ctx = context("annex1-pass")
    address = ctx.record.values["enterprise.address"]
    assert isinstance(address, str)
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "sheet.pdf"
        pdf.write_bytes(render_entry_sheet(ctx))
        text = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert address in text.splitlines()  # wrapped on the page, one line when copied
