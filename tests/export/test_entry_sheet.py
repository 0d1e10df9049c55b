"""The online entry sheet: every value, in the form's order, typeable as printed."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pypdf
import pytest

from giantdesk.export.context import RenderContext
from giantdesk.export.entry_sheet import render_entry_sheet
from giantdesk.export.layout import CAPTIONS, FieldEntry, GridEntry, build_layout
from giantdesk.forms.record import loads
from tests.conftest import SAMPLES

FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)


def context(name: str) -> RenderContext:
    return RenderContext.of(loads((SAMPLES / f"{name}.json").read_bytes()), FINALIZED)


@pytest.fixture(scope="module", params=["annex1-pass", "annex2-pass"])
def rendered(request: pytest.FixtureRequest) -> tuple[RenderContext, str, list[str]]:
    ctx = context(request.param)
    reader = pypdf.PdfReader(io.BytesIO(render_entry_sheet(ctx)))
    pages = [p.extract_text() for p in reader.pages]
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
    flat = "".join(text.split())  # a space where a line wraps is not extracted
    layout = build_layout(ctx)
    position = 0
    for part in layout.parts:
        if part.blank:
            continue
        position = flat.index("".join(part.heading.split()), position)
        for entry in part.entries:
            cells: list[FieldEntry] = []
            if isinstance(entry, FieldEntry):
                cells = [entry]
            elif isinstance(entry, GridEntry):
                cells = [c for line in entry.lines for c in line.cells if c]
            for cell in cells:
                if cell.applicable and cell.entry_text and not cell.computed:
                    found = flat.find("".join(cell.entry_text.split()), position)
                    assert found >= 0, cell.field.id
                    position = found


def test_computed_not_applicable_and_the_order_note(
        rendered: tuple[RenderContext, str, list[str]]) -> None:
    _, text, pages = rendered
    flat = text.replace("\n", "")
    assert CAPTIONS["computed"].zh in flat and CAPTIONS["computed"].en in flat
    assert CAPTIONS["skip"].zh in flat
    assert CAPTIONS["entry_order"].zh[:20] in flat
    assert CAPTIONS["recommender_skip"].zh in flat
    for n, page in enumerate(pages, start=1):
        assert f"第 {n}/{len(pages)} 页" in page and "Fingerprint" in page
