"""The summary as a printable table (``.docx``, landscape A4, python-docx).

Only the columns with a ``print_mm`` width are printed (scaled down together when they do not
fit the page); the header row repeats on every page; the columns the province fills are shaded.
Below the table: the lines to sign, then the bundles that were not summarized and why. East-Asian
fonts are set through ``w:eastAsia`` with the helpers of the application's DOCX copy, and the
bytes are deterministic (fixed core properties, re-zipped with a fixed time).
"""

from __future__ import annotations

import io
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from giantdesk.export.docx_render import BODY_FONT, GREY, HEADER_FILL, HEADING_FONT
from giantdesk.export.ooxml import cell_margins, field_code, rezip, set_fonts, shade
from giantdesk.forms.messages import Message
from giantdesk.summaries.collect import ERROR, Cell, Summary
from giantdesk.summaries.render_xlsx import SEVERITY

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 297, 210
MARGIN_MM = 12
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM
TABLE_SIZE = Pt(8)
MANUAL_FILL = "FFF2CC"


def cell_text(cell: Cell) -> str:
    """How a cell is printed: money with thousands separators, percentages with 2 decimals."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if cell.format == "money" else f"{value:.2f}"
    return str(value)


class _Doc:
    def __init__(self) -> None:
        self.doc: Any = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(MARGIN_MM))
        section.footer_distance = Mm(6)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(10.5)
        set_fonts(normal.element, BODY_FONT)
        normal.paragraph_format.space_after = Pt(2)

    def run(self, paragraph: Any, text: str, *, size: Any = None, heading: bool = False,
            bold: bool = False, grey: bool = False, italic: bool = False) -> Any:
        run = paragraph.add_run(text)
        set_fonts(run._r, HEADING_FONT if heading else BODY_FONT)
        if size is not None:
            run.font.size = size
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True
        if grey:
            run.font.color.rgb = GREY
        return run

    def para(self, text: str, *, align: Any = None, **style: Any) -> Any:
        paragraph = self.doc.add_paragraph()
        if text:
            self.run(paragraph, text, **style)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def field(self, paragraph: Any, instruction: str) -> None:
        """A PAGE / NUMPAGES field."""
        for element in field_code(instruction):
            self.run(paragraph, "", size=Pt(8))._r.append(element)

    def table(self, widths_mm: list[float], rows: int) -> Any:
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        cell_margins(table, 20, 40)
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm,
                              strict=True):
            col.set(qn("w:w"), str(int(Mm(width).twips)))
        for row in table.rows:
            for c, width in zip(row.cells, widths_mm, strict=True):
                c.width = Mm(width)
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        return table

    def cell(self, cell: Any, text: str, *, align: Any = None, bold: bool = False,
             italic: bool = False, fill: str | None = None) -> None:
        paragraph = cell.paragraphs[0]
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = self.run(paragraph, line, size=TABLE_SIZE, bold=bold, italic=italic)
            if index < len(lines) - 1:
                run.add_break()
        paragraph.paragraph_format.space_after = Pt(0)
        if align is not None:
            paragraph.alignment = align
        if fill:
            shade(cell, fill)


def _widths(summary: Summary) -> list[float]:
    wanted = [c.print_mm or 0.0 for c in summary.definition.printed_columns]
    total = sum(wanted)
    scale = min(1.0, TEXT_WIDTH_MM / total) if total else 1.0
    return [round(w * scale, 1) for w in wanted]


def render_docx(summary: Summary) -> bytes:
    """The printable table's bytes (deterministic for the same summary)."""
    lang = summary.lang
    d = summary.definition
    w = _Doc()
    footer = w.doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    w.run(footer, f"{d.short_title.text(lang)}　　", size=Pt(8))
    w.run(footer, Message("第 ", "page ").text(lang), size=Pt(8))
    w.field(footer, "PAGE")
    w.run(footer, " / ", size=Pt(8))
    w.field(footer, "NUMPAGES")
    w.run(footer, Message(" 页", "").text(lang), size=Pt(8))

    w.para(d.title.text(lang), align=WD_ALIGN_PARAGRAPH.CENTER, size=Pt(16), heading=True)
    checked = Message(f"核对日期：{summary.as_of.isoformat()}",
                      f"Checked on {summary.as_of.isoformat()}").text(lang)
    w.para("　　　　".join([m.text(lang) for m in d.header_lines] + [checked]), size=Pt(10.5))
    w.para(d.notice.text(lang), size=Pt(8), grey=True)

    columns = d.printed_columns
    positions = [d.columns.index(c) for c in columns]
    table = w.table(_widths(summary), 1 + len(summary.rows))
    for c, column in zip(table.rows[0].cells, columns, strict=True):
        w.cell(c, column.label.text(lang), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
               fill=MANUAL_FILL if column.manual else HEADER_FILL)
    for row, values in zip(table.rows[1:], summary.rows, strict=True):
        for c, column, position in zip(row.cells, columns, positions, strict=True):
            value = values[position]
            numeric = isinstance(value.value, int | Decimal)
            w.cell(c, cell_text(value), italic=value.suggested,
                   align=WD_ALIGN_PARAGRAPH.RIGHT if numeric else None,
                   fill=MANUAL_FILL if column.manual else None)
    if not summary.rows:
        w.para(Message("（没有可汇总的文件包）", "(no bundle to summarize)").text(lang),
               align=WD_ALIGN_PARAGRAPH.CENTER)
    w.para("")
    for line in d.footer_lines:
        w.para(line.text(lang))

    counts = Message(
        f"已核验并汇总 {len(summary.rows)} 个文件包；{len(summary.errors)} 项问题（未汇总），"
        f"{len(summary.warnings)} 项提示。",
        f"{len(summary.rows)} bundle(s) verified and summarized; {len(summary.errors)} "
        f"problem(s) (not summarized), {len(summary.warnings)} warning(s).").text(lang)
    w.para("")
    w.para(counts, size=Pt(9), grey=True)
    if summary.problems:
        w.para(Message("文件包核验问题", "Bundle problems").text(lang), size=Pt(11),
               heading=True)
        headers = (Message("文件包", "Bundle"), Message("级别", "Severity"),
                   Message("问题", "Problem"))
        problems = w.table([90.0, 30.0, TEXT_WIDTH_MM - 120.0], 1 + len(summary.problems))
        for c, header in zip(problems.rows[0].cells, headers, strict=True):
            w.cell(c, header.text(lang), bold=True, fill=HEADER_FILL)
        for row, p in zip(problems.rows[1:], summary.problems, strict=True):
            detail = p.message.text(lang)
            if p.code:
                detail += f"（{p.code}" + (f"，{p.member}" if p.member else "") + "）"
            texts = (p.file, SEVERITY[p.severity].text(lang), detail)
            for index, (c, text) in enumerate(zip(row.cells, texts, strict=True)):
                w.cell(c, text, fill="F8D7DA" if p.severity == ERROR and index == 1 else None)

    moment = datetime.combine(summary.as_of, time(0, 0))
    props = w.doc.core_properties
    props.title = d.title.text(lang)
    props.subject = d.short_title.text(lang)
    props.author = "GiantDesk"
    props.last_modified_by = "GiantDesk"
    props.keywords = d.id
    props.comments = d.notice.text(lang)
    props.category = d.form
    props.revision = 1
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.language = "zh-CN" if not lang.startswith("en") else "en"
    out = io.BytesIO()
    w.doc.save(out)
    return bytes(rezip(out.getvalue()))


__all__ = ["cell_text", "render_docx"]
