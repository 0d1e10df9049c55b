"""The editable copy: deterministic, East-Asian fonts on every run, the fingerprint in the footer."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn

from giantdesk.export.context import RenderContext
from giantdesk.export.docx_render import BODY_FONT, HEADING_FONT, render_docx
from giantdesk.export.ooxml import ZIP_TIME
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.record import Submission, loads
from tests.conftest import SAMPLES

FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)


def context(name: str) -> RenderContext:
    return RenderContext.of(loads((SAMPLES / f"{name}.json").read_bytes()), FINALIZED, "k3y1d")


@pytest.fixture(scope="module", params=["annex1-pass", "annex2-pass"])
def rendered(request: pytest.FixtureRequest) -> tuple[RenderContext, bytes]:
    ctx = context(request.param)
    return ctx, render_docx(ctx)


def all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_same_context_same_bytes() -> None:
    assert render_docx(context("annex1-pass")) == render_docx(context("annex1-pass"))


def test_zip_members_have_fixed_order_and_time(rendered: tuple[RenderContext, bytes]) -> None:
    _, data = rendered
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
        assert package.testzip() is None
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {ZIP_TIME}


def test_content_and_core_properties(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    text = all_text(document)
    name = ctx.record.values["enterprise.name"]
    assert isinstance(name, str)
    revenue = ctx.record.values["finance.2021.operating_revenue"]
    assert isinstance(revenue, Decimal)
    for needle in (name, ctx.uscc, ctx.fingerprint, f"{revenue:,.2f}", "☑", "☐", ctx.sha256):
        assert needle in text
    definition = ctx.definition
    positions = [text.index(f"{p.number.zh}、{p.title.zh}") for p in definition.parts]
    assert positions == sorted(positions)
    props = document.core_properties
    assert props.created == props.modified == FINALIZED
    assert props.title == definition.title.zh
    assert props.keywords == ctx.fingerprint
    assert props.author == name
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_footer_has_title_fingerprint_and_page_fields(
        rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    footer = document.sections[0].footer
    text = "\n".join(p.text for p in footer.paragraphs)
    assert ctx.fingerprint in text and ctx.definition.title.zh in text
    instructions = [e.text.strip() for e in footer._element.iter(qn("w:instrText"))]
    assert instructions.count("PAGE") == 2 and instructions.count("NUMPAGES") == 2


def test_every_run_and_the_styles_set_east_asian_fonts(
        rendered: tuple[RenderContext, bytes]) -> None:
    _, data = rendered
    document = docx.Document(io.BytesIO(data))
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == BODY_FONT
    assert document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == HEADING_FONT
    bodies = [document.element.body, *(s.footer._element for s in document.sections)]
    runs = [r for body in bodies for r in body.iter(qn("w:r"))]
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in (BODY_FONT, HEADING_FONT)


def test_repeating_tables_repeat_their_header(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    repeated = [t for t in document.tables
                if t.rows[0]._tr.find(qn("w:trPr")) is not None
                and t.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None]
    assert len(repeated) == len(ctx.definition.tables) + 1  # + the year grid


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_empty_record_renders(form_id: str) -> None:
    record = Submission.empty(load_definition(form_id))
    data = render_docx(RenderContext.of(record, FINALIZED))
    assert docx.Document(io.BytesIO(data)).paragraphs
