"""The printable copy: deterministic, every page footed, the key values findable as text."""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from giantdesk.export import fonts as font_module
from giantdesk.export.context import RenderContext
from giantdesk.export.fonts import (
    FontError,
    FontFile,
    choose_fonts,
    fonts_dir,
    load_fonts,
    markup,
    missing_glyphs,
)
from giantdesk.export.layout import CAPTIONS, CHECKED, UNCHECKED, build_layout
from giantdesk.export.pdf import chunks, render_pdf
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.model import Note
from giantdesk.forms.record import Submission, loads
from tests.conftest import SAMPLES

FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)


def context(name: str, key_id: str | None = "k3y1d") -> RenderContext:
    return RenderContext.of(loads((SAMPLES / f"{name}.json").read_bytes()), FINALIZED, key_id)


@pytest.fixture(scope="module", params=["annex1-pass", "annex2-pass"])
def rendered(request: pytest.FixtureRequest) -> tuple[RenderContext, bytes]:
    ctx = context(request.param)
    return ctx, render_pdf(ctx)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_same_context_same_bytes() -> None:
    ctx = context("annex1-pass")
    assert render_pdf(ctx) == render_pdf(context("annex1-pass"))


def test_different_record_different_fingerprint_on_paper() -> None:
    ctx = context("annex1-pass")
    record = ctx.record.copy()
    record.values["contact.name"] = "张三"
    other = RenderContext.of(record, FINALIZED)
    assert other.fingerprint != ctx.fingerprint
    assert other.fingerprint in "".join(page_texts(render_pdf(other)))


def test_key_values_are_extractable_text(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    text = "\n".join(page_texts(data))
    name = ctx.record.values["enterprise.name"]
    assert isinstance(name, str)
    for needle in (name, ctx.uscc, ctx.fingerprint):
        assert needle in text
    revenue = ctx.record.values["finance.2021.operating_revenue"]
    assert isinstance(revenue, Decimal)
    assert f"{revenue:,.2f}" in text
    assert f"{ctx.record.values['finance.2020.total_assets']:,.2f}" in text
    assert ctx.key_id is not None and ctx.key_id in text
    assert ctx.sha256 in text
    assert CHECKED in text and UNCHECKED in text


def test_every_page_has_the_footer(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    texts = page_texts(data)
    total = len(texts)
    assert total >= 5
    title = ctx.definition.title.zh
    for n, text in enumerate(texts, start=1):
        assert f"指纹 / Fingerprint: {ctx.fingerprint}" in text
        assert f"第 {n}/{total} 页" in text and f"page {n}/{total}" in text
        assert title in text
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:  # the QR code: one form XObject drawn on every page
        xobjects = page["/Resources"]["/XObject"]
        assert any("qr" in str(k).lower() for k in xobjects)


def test_structure_in_order(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    text = "\n".join(page_texts(data))
    definition = ctx.definition
    positions = [text.index(f"{p.number.zh}、{p.title.zh}") for p in definition.parts]
    assert positions == sorted(positions)
    assert text.index(CAPTIONS["instructions"].zh) < positions[0]
    assert text.index(definition.cover.issuer.zh) < positions[0]
    assert CAPTIONS["unofficial_part"].zh in text


def test_metadata_and_embedded_fonts(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    reader = pypdf.PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta is not None
    assert meta["/CreationDate"] == "D:20220701083015+00'00'" == meta["/ModDate"]
    assert meta["/Keywords"] == ctx.fingerprint
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"]  # embedded TrueType
    assert not any("Helvetica" in n for n in names)
    assert all(re.match(r"/[A-Z]{6}\+", n) for n in names)  # subset


def test_long_text_and_long_tables_break_across_pages() -> None:
    ctx = context("annex1-pass")
    record = ctx.record.copy()
    long_text = "".join(f"第{i}段：专精特新企业说明文字，用于检验长文本换行与分页。\n" for i in range(150))
    record.values["innovation.description"] = long_text.strip()
    row = dict(record.tables["innovation.class1_ip"][0])
    rows = []
    for i in range(80):
        copy = dict(row)
        copy["number"] = f"ZL2016{i:08d}.7"
        rows.append(copy)
    record.tables["innovation.class1_ip"] = rows
    huge = dict(row)
    huge["title"] = "超长名称" * 800  # one cell taller than a page
    record.tables["refinement.certifications"][0]["name"] = "认证名称" * 900
    record.tables["innovation.class1_ip"].append(huge)
    data = render_pdf(RenderContext.of(record, FINALIZED))
    texts = page_texts(data)
    joined = "".join(texts).replace("\n", "")
    assert "第149段" in joined and "ZL201600000079.7" in joined
    header = load_definition("annex1-batch4").table("innovation.class1_ip")
    assert header is not None
    label = header.columns[1].label.zh
    assert sum(label in t for t in texts) >= 3  # the header row repeats on each page


def test_chunks_cut_long_text_without_losing_any() -> None:
    text = "甲" * 1000 + "\n" + "乙\n" * 300
    pieces = chunks(text, 450)
    assert all(len(p) <= 450 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_fonts_have_every_glyph_the_forms_print(form_id: str) -> None:
    fonts = load_fonts()
    layout = build_layout(RenderContext.of(Submission.empty(load_definition(form_id)), FINALIZED))
    definition = layout.definition
    texts = [layout.title, layout.cover_title, layout.cover_subtitle, layout.issuer,
             CHECKED, UNCHECKED, *(m.zh for m in CAPTIONS.values()),
             *(m.en for m in CAPTIONS.values()), *(n.text for n in layout.instructions)]
    for part in definition.parts:
        texts += [part.number.zh, part.title.zh]
        for item in part.items:
            texts.append(item.text.zh if isinstance(item, Note) else item.label.zh)
    for f in definition.fields.values():
        texts += [f.label.zh, *(c.label.zh for c in f.choices)]
    for t in definition.tables.values():
        for c in t.columns:
            texts += [c.label.zh, *(ch.label.zh for ch in c.choices)]
    missing = set().union(*(missing_glyphs(t, fonts) for t in texts))
    assert not missing


def test_markup_switches_to_the_symbol_font_and_keeps_blanks() -> None:
    fonts = load_fonts()
    text = markup("☑是　☐否 <a&b>\n下一行", fonts)
    assert f'<font face="{fonts.symbol}">☑</font>' in text
    assert "&lt;a&amp;b&gt;" in text and "<br/>" in text
    assert "\u3000" not in text and "\u00a0" in text


def test_font_choice_per_platform(tmp_path: Path) -> None:
    shipped = fonts_dir()
    assert (shipped / "wqy-microhei.ttc").is_file()
    assert sorted(p.name for p in shipped.glob("LICENSE-*.txt"))
    linux = choose_fonts("linux")
    assert linux.body == linux.heading == FontFile(shipped / "wqy-microhei.ttc", 0)
    # Windows without 宋体 → the shipped font; with 宋体 (+ 黑体) → the system fonts
    assert choose_fonts("win32", tmp_path) == linux
    (tmp_path / "simsun.ttc").write_bytes(b"")
    (tmp_path / "simhei.ttf").write_bytes(b"")
    windows = choose_fonts("win32", tmp_path)
    assert windows.body == FontFile(tmp_path / "simsun.ttc", 0)
    assert windows.heading == FontFile(tmp_path / "simhei.ttf", 0)


def test_frozen_app_finds_its_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "resources" / "fonts"
    bundled.mkdir(parents=True)
    (bundled / "wqy-microhei.ttc").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert fonts_dir() == bundled


def test_missing_fonts_are_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setattr(font_module, "resource_dirs", lambda: (tmp_path,))
    with pytest.raises(FontError) as caught:
        fonts_dir()
    assert "wqy-microhei.ttc" in caught.value.message.zh
    assert str(tmp_path) in caught.value.message.en


def test_empty_record_renders() -> None:
    for form_id in FORM_IDS:
        record = Submission.empty(load_definition(form_id))
        assert render_pdf(RenderContext.of(record, FINALIZED)).startswith(b"%PDF")
