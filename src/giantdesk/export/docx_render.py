"""The editable copy (``application.docx``): the same content and order as the printable copy.

Built with python-docx from :mod:`giantdesk.export.layout`. East-Asian fonts are set through
``w:eastAsia`` on every run and on the styles (宋体 body, 黑体 headings); the footer carries the
form title, the fingerprint and the page number. The bytes are deterministic: core properties
come from the finalization time and the package is re-zipped with a fixed member order and time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from giantdesk.export.context import RenderContext
from giantdesk.export.layout import (
    NOT_APPLICABLE,
    UNOFFICIAL_MARK,
    FieldEntry,
    GridEntry,
    Layout,
    NoteEntry,
    PartEntry,
    TableEntry,
    bilingual,
    build_layout,
    caption,
    column_widths,
    finalized_text,
)
from giantdesk.export.ooxml import borders, cell_margins, field_code, rezip, set_fonts, shade
from giantdesk.forms.model import DECIMAL_TYPES, INTEGER_TYPES, FieldDef

BODY_FONT = "宋体"  # East-Asian body font (SimSun)
HEADING_FONT = "黑体"  # East-Asian heading font (SimHei)
BODY_SIZE = Pt(10.5)  # 五号
CELL_SIZE = Pt(10)
TABLE_SIZE = Pt(9)  # repeating tables: more columns
SMALL_SIZE = Pt(8)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "EBEBEB"
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_MM = 20
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM
class _Writer:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.doc: Any = Document()
        self._setup()

    # -- document set-up ----------------------------------------------------------------------

    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(MARGIN_MM))
        section.footer_distance = Mm(8)
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.size = BODY_SIZE
        set_fonts(normal.element, BODY_FONT)
        normal.paragraph_format.space_after = Pt(2)
        for name, size in (("Heading 1", Pt(14)), ("Heading 2", Pt(11))):
            style = styles[name]
            style.font.size = size
            style.font.bold = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            set_fonts(style.element, HEADING_FONT)
            style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        self._footer(section)

    def _footer(self, section: Any) -> None:
        layout = self.layout
        footer = section.footer
        first = footer.paragraphs[0]
        self.run(first, layout.title + "　　", size=SMALL_SIZE)
        self.page_numbers(first)  # 第 {PAGE}/{NUMPAGES} 页 / page {PAGE}/{NUMPAGES}
        second = footer.add_paragraph()
        self.run(second, f"{bilingual('fingerprint')}: {layout.fingerprint}", size=Pt(9))

    def page_numbers(self, paragraph: Any) -> None:
        zh = caption("page", "zh", n="\0", total="\1")
        en = caption("page", "en", n="\0", total="\1")
        for text in (zh, " / ", en):
            for piece in _split_fields(text):
                if piece == "\0":
                    self._field(paragraph, "PAGE")
                elif piece == "\1":
                    self._field(paragraph, "NUMPAGES")
                elif piece:
                    self.run(paragraph, piece, size=SMALL_SIZE)

    def _field(self, paragraph: Any, instruction: str) -> None:
        for element in field_code(instruction):
            self.run(paragraph, "", size=SMALL_SIZE)._r.append(element)

    # -- primitives ---------------------------------------------------------------------------

    def run(self, paragraph: Any, text: str, *, size: Any = None, heading: bool = False,
            grey: bool = False) -> Any:
        run = paragraph.add_run(text)
        set_fonts(run._r, HEADING_FONT if heading else BODY_FONT)
        if size is not None:
            run.font.size = size
        if grey:
            run.font.color.rgb = GREY
            paragraph.paragraph_format.keep_with_next = True  # notes stay with what they annotate
        return run

    def para(self, text: str, *, size: Any = None, heading: bool = False, grey: bool = False,
             align: Any = None, style: str | None = None) -> Any:
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            self.run(paragraph, text, size=size, heading=heading, grey=grey)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def heading(self, text: str, level: int = 1) -> Any:
        paragraph = self.doc.add_paragraph(style=f"Heading {level}")
        self.run(paragraph, text, heading=True)
        return paragraph

    def page_break(self) -> None:
        self.run(self.doc.add_paragraph(), "").add_break(WD_BREAK.PAGE)

    def cell_text(self, cell: Any, text: str, *, align: Any = None, heading: bool = False,
                  size: Any = CELL_SIZE) -> None:
        paragraph = cell.paragraphs[0]
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = self.run(paragraph, line, size=size, heading=heading)
            if index < len(lines) - 1:
                run.add_break()
        paragraph.paragraph_format.space_after = Pt(0)
        if align is not None:
            paragraph.alignment = align

    def table(self, rows: int, widths_mm: Sequence[float], *, header: bool = False) -> Any:
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        cell_margins(table)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
            col.set(qn("w:w"), str(int(Mm(width).twips)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
        if header:
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
            for cell in table.rows[0].cells:
                shade(cell, HEADER_FILL)
        return table

    # -- the document -------------------------------------------------------------------------

    def cover(self) -> None:
        layout = self.layout
        for _ in range(6):
            self.para("")
        self.para(layout.cover_title, size=Pt(24), heading=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.para(layout.cover_subtitle, size=Pt(30), heading=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER)
        for _ in range(6):
            self.para("")
        table = self.doc.add_table(rows=len(layout.cover_lines), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for row, line in zip(table.rows, layout.cover_lines, strict=True):
            label, value = row.cells
            label.width, value.width = Mm(52), Mm(95)
            self.cell_text(label, f"{line.label}：", align=WD_ALIGN_PARAGRAPH.RIGHT, size=Pt(14))
            self.cell_text(value, line.value, size=Pt(14))
            borders(value, bottom=True)
            label.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
            value.vertical_alignment = WD_ALIGN_VERTICAL.BOTTOM
            row.height = Mm(13)
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (52, 95),
                              strict=True):
            col.set(qn("w:w"), str(int(Mm(width).twips)))
        for _ in range(8):
            self.para("")
        self.para(layout.issuer, size=Pt(16), heading=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        self.page_break()

    def instructions(self) -> None:
        layout = self.layout
        self.heading(caption("instructions", layout.lang))
        marked = any(n.official for n in layout.instructions) and \
            layout.instructions_have_unofficial
        for note in layout.instructions:
            self.para(note.text + (UNOFFICIAL_MARK if marked and not note.official else ""))
        if marked:
            self.para(caption("unofficial_items", layout.lang), size=SMALL_SIZE, grey=True)
        self.page_break()

    def fields(self, entries: list[FieldEntry], part_official: bool) -> None:
        table = self.table(len(entries), (62, TEXT_WIDTH_MM - 62))
        for row, entry in zip(table.rows, entries, strict=True):
            label, value = row.cells
            mark = UNOFFICIAL_MARK if part_official and not entry.official else ""
            self.cell_text(label, entry.label + mark)
            shade(label, HEADER_FILL)
            self.cell_text(value, _value_text(entry))

    def grid(self, g: GridEntry) -> None:
        year_width = (TEXT_WIDTH_MM - 62 - 16) / max(len(g.years), 1)
        table = self.table(len(g.lines) + 1, (62, 16, *([year_width] * len(g.years))),
                           header=True)
        head = table.rows[0].cells
        self.cell_text(head[0], caption("indicator"), align=WD_ALIGN_PARAGRAPH.CENTER,
                       heading=True)
        self.cell_text(head[1], caption("unit"), align=WD_ALIGN_PARAGRAPH.CENTER, heading=True)
        for cell, year in zip(head[2:], g.years, strict=True):
            self.cell_text(cell, caption("year", year=year), align=WD_ALIGN_PARAGRAPH.CENTER,
                           heading=True)
        for row, line in zip(table.rows[1:], g.lines, strict=True):
            cells = row.cells
            self.cell_text(cells[0], line.label)
            self.cell_text(cells[1], line.unit, align=WD_ALIGN_PARAGRAPH.CENTER)
            for cell, entry in zip(cells[2:], line.cells, strict=True):
                if entry is None or not entry.applicable:
                    self.cell_text(cell, NOT_APPLICABLE, align=WD_ALIGN_PARAGRAPH.CENTER)
                else:
                    self.cell_text(cell, entry.printed, align=WD_ALIGN_PARAGRAPH.RIGHT
                                   if _is_number(entry.field) else None)

    def repeating(self, t: TableEntry, part_official: bool) -> None:
        mark = UNOFFICIAL_MARK if part_official and not t.official else ""
        self.heading(t.label + mark, level=2)
        widths = column_widths([c.field for c in t.columns], TEXT_WIDTH_MM, first=12)
        table = self.table(1 + max(len(t.rows), 1), widths, header=True)
        head = table.rows[0].cells
        self.cell_text(head[0], caption("number"), align=WD_ALIGN_PARAGRAPH.CENTER, heading=True,
                       size=TABLE_SIZE)
        for cell, column in zip(head[1:], t.columns, strict=True):
            self.cell_text(cell, column.label_with_unit, align=WD_ALIGN_PARAGRAPH.CENTER,
                           heading=True, size=TABLE_SIZE)
        if not t.rows:
            merged = table.rows[1].cells[0].merge(table.rows[1].cells[-1])
            self.cell_text(merged, caption("none") if t.applicable else NOT_APPLICABLE,
                           align=WD_ALIGN_PARAGRAPH.CENTER)
            return
        for index, (row, values) in enumerate(zip(table.rows[1:], t.rows, strict=True), start=1):
            cells = row.cells
            self.cell_text(cells[0], str(index), align=WD_ALIGN_PARAGRAPH.CENTER,
                           size=TABLE_SIZE)
            for cell, entry in zip(cells[1:], values, strict=True):
                text = entry.text if entry.applicable else NOT_APPLICABLE
                self.cell_text(cell, text, align=WD_ALIGN_PARAGRAPH.RIGHT
                               if _is_number(entry.field) else None, size=TABLE_SIZE)

    def blank_box(self, text: str) -> None:
        table = self.table(1, (TEXT_WIDTH_MM,))
        cell = table.rows[0].cells[0]
        self.cell_text(cell, text, size=BODY_SIZE)
        lines = text.count("\n") + 1
        table.rows[0].height = Mm(max(60, lines * 9))

    def declaration(self) -> None:
        layout = self.layout
        self.heading(bilingual("declaration"), level=2)
        rows = [
            (bilingual("key_id"), layout.key_id or bilingual("unsigned")),
            (bilingual("fingerprint"), layout.fingerprint),
            (bilingual("sha256"), layout.sha256),
            (bilingual("finalized"), finalized_text(layout)),
            (bilingual("app"), f"GiantDesk {layout.app_version}"),
        ]
        table = self.table(len(rows), (48, TEXT_WIDTH_MM - 48))
        for row, (label, value) in zip(table.rows, rows, strict=True):
            self.cell_text(row.cells[0], label)
            shade(row.cells[0], HEADER_FILL)
            self.cell_text(row.cells[1], value)

    def part(self, part: PartEntry) -> None:
        layout = self.layout
        self.heading(part.heading)
        if not part.official:
            self.para(caption("unofficial_part", layout.lang), size=SMALL_SIZE, grey=True)
        elif part.has_unofficial_items:
            self.para(caption("unofficial_items", layout.lang), size=SMALL_SIZE, grey=True)
        if part.blank:
            self.para(caption("recommender", layout.lang), size=SMALL_SIZE, grey=True)
        pending: list[FieldEntry] = []
        for entry in part.entries:
            if isinstance(entry, FieldEntry):
                pending.append(entry)
                continue
            if pending:
                self.fields(pending, part.official)
                pending = []
            if isinstance(entry, GridEntry):
                self.grid(entry)
            elif isinstance(entry, TableEntry):
                self.repeating(entry, part.official)
            elif isinstance(entry, NoteEntry):
                if part.blank:
                    self.blank_box(entry.text)
                else:
                    mark = UNOFFICIAL_MARK if part.official and not entry.official else ""
                    paragraph = self.para("")
                    paragraph.paragraph_format.space_before = Pt(12)
                    for index, line in enumerate((entry.text + mark).split("\n")):
                        run = self.run(paragraph, line)
                        if index < entry.text.count("\n"):
                            run.add_break()
        if pending:
            self.fields(pending, part.official)
        if part.part.id == layout.declaration_part:
            self.declaration()

    def build(self) -> None:
        self.cover()
        self.instructions()
        for part in self.layout.parts:
            self.part(part)

    def properties(self, ctx: RenderContext) -> None:
        moment = ctx.finalized_at.astimezone(UTC).replace(tzinfo=None)
        props = self.doc.core_properties
        props.title = self.layout.title
        props.subject = self.layout.short_title
        name = next((line.value for line in self.layout.cover_lines if line.value), "")
        props.author = name or "GiantDesk"
        props.last_modified_by = name or "GiantDesk"
        props.keywords = ctx.fingerprint
        props.comments = f"{bilingual('fingerprint')}: {ctx.fingerprint}; SHA-256 {ctx.sha256}"
        props.category = ctx.record.form
        props.identifier = ctx.sha256
        props.version = ctx.record.form_version
        props.revision = 1
        props.created = moment
        props.modified = moment
        props.last_printed = moment
        props.language = "zh-CN"
        props.content_status = ""


def _split_fields(text: str) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in text:
        if ch in "\0\1":
            pieces += [current, ch]
            current = ""
        else:
            current += ch
    pieces.append(current)
    return pieces


def _is_number(f: FieldDef) -> bool:
    return f.type in DECIMAL_TYPES or f.type in INTEGER_TYPES


def _value_text(entry: FieldEntry) -> str:
    if not entry.applicable:
        return NOT_APPLICABLE
    printed = entry.printed
    if entry.unit and not entry.marks:
        printed = f"{printed} {entry.unit}" if printed else f"{'　' * 6}{entry.unit}"
    return printed


def render_docx(ctx: RenderContext) -> bytes:
    """``application.docx``: the editable copy of the record."""
    writer = _Writer(build_layout(ctx))
    writer.build()
    writer.properties(ctx)
    out = io.BytesIO()
    writer.doc.save(out)
    return rezip(out.getvalue())


__all__ = ["render_docx"]
