"""The printable copy: deterministic, Chinese, footed, QR-coded, with room for the seal."""

from __future__ import annotations

import io
import re
import sys
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from giantdesk.export import fonts as font_module
from giantdesk.export import qrpayload
from giantdesk.export.cjkwrap import NO_END, NO_START
from giantdesk.export.context import RenderContext
from giantdesk.export.doctext import squeeze
from giantdesk.export.entry_sheet import render_entry_sheet
from giantdesk.export.fonts import (
    SHIPPED_BODY,
    SHIPPED_HEADING,
    SHIPPED_SYMBOL,
    FontError,
    font_files,
    fonts_dir,
    load_fonts,
    markup,
    missing_glyphs,
)
from giantdesk.export.layout import (
    CAPTIONS,
    CHECKED,
    UNCHECKED,
    build_layout,
    caption,
    enterprise_line,
    key_id_text,
    signoff_pieces,
)
from giantdesk.export.pdf import MARGIN_X, render_pdf
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.model import Note
from giantdesk.forms.record import Submission
from tests.export.printtools import FINALIZED, KEY_ID, MM, context, page_texts, qr_codes, words

SAMPLES_AND_STRESS = ["annex1-pass", "annex2-pass", "annex1-large-50ip", "stress"]


@pytest.fixture(scope="module", params=["annex1-pass", "annex2-pass"])
def rendered(request: pytest.FixtureRequest) -> tuple[RenderContext, bytes]:
    ctx = context(request.param)
    return ctx, render_pdf(ctx)


_CACHE: dict[tuple[str, str], bytes] = {}


def rendering(name: str, kind: str = "pdf") -> tuple[RenderContext, bytes]:
    """Each sample rendered once per test session (rendering dominates the time)."""
    ctx = context(name)
    if (name, kind) not in _CACHE:
        _CACHE[name, kind] = (render_pdf if kind == "pdf" else render_entry_sheet)(ctx)
    return ctx, _CACHE[name, kind]


def test_same_context_same_bytes() -> None:
    assert render_pdf(context("annex1-pass")) == rendering("annex1-pass")[1]


@pytest.mark.parametrize("epoch", ["1656664215", "1", "abc", "99999999999999999999"])
def test_the_copies_do_not_depend_on_source_date_epoch(monkeypatch: pytest.MonkeyPatch,
                                                       epoch: str) -> None:
    """Probe bundles.forged: reportlab takes an invariant document's time from
    $SOURCE_DATE_EPOCH and digests it into the PDF's /ID, so a bundle exported with the variable
    set was "other bytes" (invalid) when verified without it; a value that is not a number
    ended every rendering (export, verify) in a ValueError or OverflowError."""
    ctx = context("annex1-pass")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = render_pdf(ctx), render_entry_sheet(ctx)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert (render_pdf(ctx), render_entry_sheet(ctx)) == plain


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
    for needle in (name, ctx.uscc, ctx.fingerprint, ctx.sha256, CHECKED, UNCHECKED):
        assert needle in text
    revenue = ctx.record.values["finance.2021.operating_revenue"]
    assert isinstance(revenue, Decimal)
    assert f"{revenue:,.2f}" in text
    assert f"{ctx.record.values['finance.2020.total_assets']:,.2f}" in text
    # the key id exactly as verify looks for it
    assert key_id_text(KEY_ID) == f"签名密钥编号：{KEY_ID}"
    assert key_id_text(KEY_ID) in text


def test_province_by_name_and_percent_without_space() -> None:
    ctx, data = rendering("annex1-pass")
    text = "\n".join(page_texts(data))
    assert ctx.record.values["enterprise.region_province"] == "32"
    assert "江苏省" in text and "32 江苏省" not in text
    assert "96.25%" in text and "96.25 %" not in text


def test_chinese_only_footer_and_none_on_the_cover(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    texts = page_texts(data)
    total = len(texts)
    title = ctx.definition.title.zh
    assert ctx.fingerprint not in texts[0] and "页" not in texts[0]  # the cover: no footer
    for n, text in enumerate(texts[1:], start=2):
        assert f"第 {n} 页 共 {total} 页" in text
        assert f"指纹：{ctx.fingerprint}" in text
        assert title in text
        assert enterprise_line(build_layout(ctx), ctx.uscc) in text
    everything = "\n".join(texts)
    for english in ("Fingerprint", "page ", "Enterprise", "USCC", "Signing key", "unsigned"):
        assert english not in everything


def test_page_two_reads_page_n_of_total() -> None:
    texts = page_texts(rendering("annex1-pass")[1])
    assert f"第 2 页 共 {len(texts)} 页" in texts[1]


@pytest.mark.parametrize("name", SAMPLES_AND_STRESS)
@pytest.mark.parametrize("kind", ["pdf", "entry"])
def test_every_page_qr_code_decodes_at_100_dpi(name: str, kind: str) -> None:
    ctx, data = rendering(name, kind)
    pages = qr_codes(data, dpi=100)
    assert len(pages) == len(pypdf.PdfReader(io.BytesIO(data)).pages)
    assert all(codes == [ctx.qr_payload] for codes in pages), pages
    read = qrpayload.decode(pages[0][0])
    assert (read.uscc, read.sha256, read.fingerprint) == (ctx.uscc, ctx.sha256, ctx.fingerprint)


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
    assert any("UMing" in n for n in names) and any("MicroHei" in n for n in names)


def test_tables_sit_on_the_page_frame() -> None:
    data = rendering("annex1-pass")[1]
    page3 = words(data, 3)
    heading = next(w for w in page3 if w.text.startswith("一、"))
    label = next(w for w in page3 if w.text.startswith("企业名称"))
    assert abs(heading.x0 - MARGIN_X) < 1.5  # no frame padding
    assert abs(label.x0 - (MARGIN_X + 3)) < 1.5  # the cell padding only


@pytest.mark.parametrize("kind", ["pdf", "entry"])
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(kind: str) -> None:
    ctx, data = rendering("stress", kind)
    # whole cells: a unit ("%"), the entry sheet's box to tick once typed ("☐")
    cells = {UNCHECKED} | {f.unit.zh for f in ctx.definition.fields.values() if f.unit}
    lines = [line.strip() for text in page_texts(data) for line in text.splitlines()]
    lines = [line for line in lines if line and line not in cells]
    starts = [line for line in lines if line[0] in NO_START]
    ends = [line for line in lines if line[-1] in NO_END]
    assert not starts and not ends, (starts[:5], ends[:5])


@pytest.mark.parametrize("name", SAMPLES_AND_STRESS)
def test_declaration_signoff_and_signature_on_one_page(name: str) -> None:
    ctx, data = rendering(name)
    pages = [squeeze(t) for t in page_texts(data)]
    layout = build_layout(ctx)
    part = next(p for p in layout.parts if p.part.id == layout.declaration_part)
    declaration, signoff = [e.text for e in part.entries[-2:]]
    where = [i for i, t in enumerate(pages) if squeeze(declaration)[:20] in t]
    assert len(where) == 1
    page = pages[where[0]]
    assert squeeze(declaration) in page
    for needle in (*signoff_pieces(signoff), caption("declaration"), key_id_text(KEY_ID),
                   ctx.sha256):
        assert squeeze(needle) in page, needle


@pytest.mark.parametrize("name", ["annex1-pass", "annex1-large-50ip"])
def test_room_for_a_45_mm_seal_on_the_seal_caption(name: str) -> None:
    _, data = rendering(name)
    texts = page_texts(data)
    number = next(i for i, t in enumerate(texts, start=1) if "企业（盖章）" in t)
    found = words(data, number)
    seal = next(w for w in found if "盖章" in w.text)
    date = [w for w in found if w.text in ("年", "月", "日")]
    half = 22.5 * MM
    inside = [w for w in found
              if w.x1 > seal.cx - half and w.x0 < seal.cx + half
              and w.y1 > seal.cy - half and w.y0 < seal.cy + half
              and w is not seal and w not in date]
    assert not inside, [w.text for w in inside]
    esig = next(w for w in found if w.text == caption("declaration"))
    assert esig.y0 - seal.cy > half


def test_long_values_flow_across_pages_and_nothing_is_lost() -> None:
    ctx = context("annex1-pass")
    record = ctx.record.copy()
    big = "".join(f"第{i:04d}句：专精特新企业说明文字，用于检验长文本换行与分页（不丢字）。"
                  for i in range(700))[:20000]
    record.values["innovation.description"] = big
    rows = []
    for i in range(60):
        row = dict(record.tables["innovation.class1_ip"][0])
        row["number"] = f"ZL2016{i:08d}.7"
        rows.append(row)
    rows[30]["title"] = "".join(f"〔{i:04d}〕" for i in range(800))  # one cell of 4,800
    record.tables["innovation.class1_ip"] = rows
    long_ctx = RenderContext.of(record, FINALIZED)
    data = render_pdf(long_ctx)
    layout = build_layout(long_ctx)
    footer = {layout.title, f"指纹：{long_ctx.fingerprint}",
              enterprise_line(layout, long_ctx.uscc)}
    body = []
    for text in page_texts(data):
        body += [line for line in text.splitlines()
                 if line.strip() not in footer and not re.fullmatch(r".*第 \d+ 页 共 \d+ 页", line)]
    flat = squeeze("\n".join(body))
    assert squeeze(big) in flat  # the 20,000 characters, in order, without a gap
    tokens = [f"〔{i:04d}〕" for i in range(800)]
    assert sum(t in flat for t in tokens) >= 795  # a page break may cut one
    assert "ZL201600000059.7" in flat
    header = load_definition("annex1-batch4").table("innovation.class1_ip")
    assert header is not None
    label = header.columns[1].label.zh
    assert sum(label in t for t in page_texts(data)) >= 3  # the header row repeats


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_the_fonts_have_every_glyph_the_forms_print(form_id: str) -> None:
    fonts = load_fonts()
    layout = build_layout(RenderContext.of(Submission.empty(load_definition(form_id)), FINALIZED))
    definition = layout.definition
    texts = [layout.title, layout.cover_title, layout.cover_subtitle, layout.issuer,
             CHECKED, UNCHECKED, *(m.zh for m in CAPTIONS.values()),
             *(n.text for n in layout.instructions)]
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
    missing |= set().union(*(missing_glyphs(t, fonts, fonts.heading) for t in texts))
    assert not missing


def test_markup_falls_back_per_character_and_keeps_blanks() -> None:
    fonts = load_fonts()
    text = markup("☑是　☐否 <a&b>\n下一行", fonts)
    assert f'<font face="{fonts.symbol}">☑</font>' in text
    assert "&lt;a&amp;b&gt;" in text and "<br/>" in text
    assert "\u3000" not in text and "\u00a0" in text
    rare = next(chr(c) for c in sorted(fonts.heading_chars - fonts.body_chars) if c > 0x4E00)
    assert f'<font face="{fonts.heading}">{rare}</font>' in markup(f"甲{rare}乙", fonts)


def test_the_shipped_fonts_and_their_roles() -> None:
    shipped = fonts_dir()
    files = font_files()
    assert [(f.role, f.path.name) for f in files] == [
        ("body", SHIPPED_BODY), ("heading", SHIPPED_HEADING), ("symbol", SHIPPED_SYMBOL)]
    assert all(f.path.parent == shipped and f.path.is_file() for f in files)
    licences = {p.name for p in shipped.iterdir() if "LICENSE" in p.name or "ARPHICPL" in p.name}
    assert {"ARPHICPL.TXT", "LICENSE-arphic-uming.txt", "LICENSE-wqy-microhei.txt",
            "LICENSE-dejavu.txt"} <= licences
    fonts = load_fonts()
    assert fonts.body != fonts.heading


def test_frozen_app_finds_its_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "resources" / "fonts"
    bundled.mkdir(parents=True)
    for name in (SHIPPED_BODY, SHIPPED_HEADING, SHIPPED_SYMBOL):
        (bundled / name).write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert fonts_dir() == bundled


def test_missing_fonts_are_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setattr(font_module, "resource_dirs", lambda: (tmp_path,))
    with pytest.raises(FontError) as caught:
        fonts_dir()
    assert SHIPPED_BODY in caught.value.message.zh
    assert str(tmp_path) in caught.value.message.en


def test_empty_record_renders() -> None:
    for form_id in FORM_IDS:
        record = Submission.empty(load_definition(form_id))
        assert render_pdf(RenderContext.of(record, FINALIZED)).startswith(b"%PDF")
