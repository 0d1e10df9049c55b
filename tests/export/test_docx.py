"""The editable copy: deterministic, schema-ordered, clean properties, rows kept whole."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from giantdesk.export.context import RenderContext
from giantdesk.export.docx_render import pack_options, render_docx
from giantdesk.export.fonts import DOCX_BODY, DOCX_BODY_FALLBACK, DOCX_HEADING
from giantdesk.export.layout import build_layout, key_id_text, signature_lines
from giantdesk.export.ooxml import ZIP_TIME
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.record import Submission
from tests.export.printtools import FINALIZED, KEY_ID, context

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module", params=["annex1-pass", "annex2-pass", "stress"])
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
    for needle in (name, ctx.uscc, ctx.fingerprint, f"{revenue:,.2f}", "☑", "☐", ctx.sha256,
                   key_id_text(KEY_ID)):
        assert needle in text
    definition = ctx.definition
    positions = [text.index(f"{p.number.zh}、{p.title.zh}") for p in definition.parts]
    assert positions == sorted(positions)
    props = document.core_properties
    assert props.created == props.modified == FINALIZED
    assert props.last_printed is None
    assert props.title == definition.title.zh
    assert props.keywords == ctx.fingerprint
    assert props.author == name
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_no_template_leftovers_and_chinese_languages(
        rendered: tuple[RenderContext, bytes]) -> None:
    _, data = rendered
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        app = package.read("docProps/app.xml").decode()
        settings = etree.fromstring(package.read("word/settings.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
        fonts = etree.fromstring(package.read("word/fontTable.xml"))
        rels = package.read("_rels/.rels").decode() + package.read(
            "word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
    assert not any(n.startswith("customXml/") or "thumbnail" in n for n in names)
    assert "thumbnail" not in rels and "customXml" not in rels and "customXml" not in types
    assert "<Application>GiantDesk " in app and "Microsoft" not in app
    assert settings.find(f"{{{W}}}themeFontLang").get(f"{{{W}}}eastAsia") == "zh-CN"
    default = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    assert default.get(f"{{{W}}}eastAsia") == "zh-CN"
    table = {f.get(f"{{{W}}}name"): f for f in fonts}
    body = table[DOCX_BODY].find(f"{{{W}}}altName")
    assert body is not None and body.get(f"{{{W}}}val") == DOCX_BODY_FALLBACK
    assert "ＭＳ 明朝" not in table
    # every part the package lists is there, every relationship points to a part
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for rel_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
            base = "" if rel_name.startswith("_rels") else "word/"
            for rel in etree.fromstring(package.read(rel_name)):
                assert base + rel.get("Target") in names


def test_footer_chinese_page_fields_and_no_footer_on_the_cover(
        rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_footer.paragraphs).strip()
    footer = section.footer
    text = "\n".join(p.text for p in footer.paragraphs)
    assert f"指纹：{ctx.fingerprint}" in text and ctx.definition.title.zh in text
    assert "Fingerprint" not in text and "page" not in text
    instructions = [e.text.strip() for e in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "第 1 页 共 1 页" in text  # the fields' placeholders between 第 … 页 共 … 页


def test_every_run_and_the_styles_name_the_pdf_fonts(
        rendered: tuple[RenderContext, bytes]) -> None:
    _, data = rendered
    document = docx.Document(io.BytesIO(data))
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == DOCX_BODY
    assert document.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == DOCX_HEADING
    bodies = [document.element.body, *(s.footer._element for s in document.sections)]
    runs = [r for body in bodies for r in body.iter(qn("w:r"))]
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) in (DOCX_BODY, DOCX_HEADING)


def test_repeating_tables_repeat_their_header(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    repeated = [t for t in document.tables
                if t.rows[0]._tr.find(qn("w:trPr")) is not None
                and t.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None]
    assert len(repeated) == len(ctx.definition.tables) + 1  # + the year grid


def test_rows_are_kept_whole_except_long_text(rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    split = []
    for table in document.tables:
        for row in table.rows:
            tr_pr = row._tr.find(qn("w:trPr"))
            if tr_pr is None or tr_pr.find(qn("w:cantSplit")) is None:
                split.append(max((c.text for c in row.cells), key=len))
    long_texts = [v for v in ctx.record.values.values() if isinstance(v, str) and len(v) > 200]
    assert all(any(text in value or value in text for value in long_texts) for text in split)
    assert len(split) == len(long_texts)  # the stress record's descriptions; none otherwise


def test_the_declaration_block_is_kept_with_the_next(
        rendered: tuple[RenderContext, bytes]) -> None:
    ctx, data = rendered
    document = docx.Document(io.BytesIO(data))
    lines = signature_lines(build_layout(ctx))
    block = next(t for t in document.tables if t.rows[0].cells[0].text == lines[0])
    assert [r.cells[0].text for r in block.rows] == list(lines)
    children = list(document.element.body)
    index = children.index(block._tbl)
    layout = build_layout(ctx)
    part = next(p for p in layout.parts if p.part.id == layout.declaration_part)
    declaration = part.entries[-2].text
    start = next(i for i, e in enumerate(children)
                 if "".join(t.text or "" for t in e.iter(qn("w:t"))).startswith(declaration))
    # from the declaration to the signature block, every paragraph keeps with the next
    assert index - start >= 3  # declaration, sign-off, heading
    for element in children[start:index]:
        for p in element.iter(qn("w:p")):
            assert p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None


def test_options_are_packed_whole() -> None:
    options = ["☐工业“六基”：核心基础零部件", "☐制造强国：新一代信息技术产业", "☑不属于以上领域"]
    packed = pack_options(options, width_ems=20)
    assert packed.split("\n") == options
    assert pack_options(["☐是", "☑否"], 20) == "☐是\u3000 ☑否"


# -- ECMA-376 Part 1 (transitional): the order of the children of every element we write --------

SEQUENCES: dict[str, list[str]] = {
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
            "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"],
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
            "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
            "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
            "pPrChange"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
              "tblPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
             "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns",
             "cellDel", "cellMerge", "tcPrChange"],
    "tblBorders": ["top", "left", "start", "bottom", "right", "end", "insideH", "insideV"],
    "tcBorders": ["top", "left", "start", "bottom", "right", "end", "insideH", "insideV",
                  "tl2br", "tr2bl"],
    "tblCellMar": ["top", "left", "start", "bottom", "right", "end"],
    "sectPr": ["headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz",
               "pgMar", "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt",
               "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter",
               "docGrid", "printerSettings", "sectPrChange"],
    "tbl": ["tblPr", "tblGrid", "tr"],
    "tr": ["tblPrEx", "trPr", "tc"],
    "tc": ["tcPr", "p|tbl"],
    "p": ["pPr", "r|bookmarkStart|bookmarkEnd|hyperlink|fldSimple"],
    "r": ["rPr", "t|br|tab|fldChar|instrText|cr|lastRenderedPageBreak"],
}
#: w:trPr is a choice (any order), each property at most once; w:ins/w:del/w:trPrChange last.
TR_PR = {"cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
         "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"}


def _rank(sequence: list[str], name: str) -> int:
    for index, group in enumerate(sequence):
        if name in group.split("|"):
            return index
    raise AssertionError(f"unexpected child w:{name}")


def schema_order_problems(root: etree._Element) -> list[str]:
    problems = []
    for element in root.iter(f"{{{W}}}*"):
        parent = etree.QName(element).localname
        children = [etree.QName(c).localname for c in element if
                    isinstance(c.tag, str) and etree.QName(c).namespace == W]
        if parent == "trPr":
            if len(set(children)) != len(children) or not set(children) <= TR_PR:
                problems.append(f"trPr: {children}")
            continue
        sequence = SEQUENCES.get(parent)
        if sequence is None or (parent == "rPr" and element.getparent() is not None and \
                etree.QName(element.getparent()).localname == "pPr"):
            continue  # (a paragraph mark's rPr has the same sequence; checked as rPr anyway)
        try:
            ranks = [_rank(sequence, c) for c in children]
        except AssertionError as exc:
            problems.append(f"{parent}: {exc}")
            continue
        if ranks != sorted(ranks):
            problems.append(f"{parent}: {children}")
        singles = [c for c in children if not any(
            c in g.split("|") for g in sequence if "|" in g or g in ("tr", "tc"))]
        if len(set(singles)) != len(singles):
            problems.append(f"{parent}: repeated {children}")
    return problems


@pytest.mark.parametrize("part", ["word/document.xml", "word/footer1.xml", "word/styles.xml"])
def test_every_element_in_schema_order(rendered: tuple[RenderContext, bytes], part: str) -> None:
    _, data = rendered
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        if part not in names:  # the footer part's number is python-docx's choice
            part = next(n for n in names if n.startswith("word/footer"))
        root = etree.fromstring(package.read(part))
    assert not schema_order_problems(root)


def test_the_order_check_finds_a_misplaced_element() -> None:
    bad = etree.fromstring(
        f'<w:tbl xmlns:w="{W}"><w:tblPr><w:tblLook w:val="04A0"/><w:tblCellMar/></w:tblPr>'
        f'<w:tblGrid/></w:tbl>')
    assert schema_order_problems(bad) == ["tblPr: ['tblLook', 'tblCellMar']"]


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_empty_record_renders(form_id: str) -> None:
    record = Submission.empty(load_definition(form_id))
    data = render_docx(RenderContext.of(record, FINALIZED))
    assert docx.Document(io.BytesIO(data)).paragraphs
