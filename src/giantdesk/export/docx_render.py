"""The editable copy (``application.docx``): the same content and order as the printable copy.

Built with python-docx from :mod:`giantdesk.export.layout`, in Chinese. The runs and styles name
the fonts the PDF embeds (AR PL UMing CN for the body, WenQuanYi Micro Hei for headings) and the
font table gives Word 宋体 / 黑体 where those are not installed. Rows are kept whole across pages
(``w:cantSplit``) except those holding long text; the declaration, its sign-off with room for the
seal and the electronic-signature block are kept on one page. The cover has no footer; the other
pages read "第 n 页 共 N 页" (Word fields), the title, the fingerprint and the enterprise.

Deterministic bytes: core properties come from the finalization time, python-docx's template
leftovers are removed (:func:`ooxml.tidy_docx`) and the package is re-zipped with a fixed member
order and time.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from giantdesk.export.context import RenderContext
from giantdesk.export.fonts import (
    DOCX_BODY,
    DOCX_BODY_FALLBACK,
    DOCX_HEADING,
    DOCX_HEADING_FALLBACK,
)
from giantdesk.export.layout import (
    NOT_APPLICABLE,
    OPTION_GAP,
    UNOFFICIAL_MARK,
    FieldEntry,
    GridEntry,
    Layout,
    NoteEntry,
    PartEntry,
    TableEntry,
    blank_box_parts,
    build_layout,
    caption,
    closing_notes,
    column_widths,
    enterprise_line,
    signature_lines,
    signoff_pieces,
)
from giantdesk.export.ooxml import (
    LATIN_FONT,
    FontDecl,
    borders,
    cell_margins,
    field_code,
    insert_ordered,
    rezip,
    row_flag,
    set_fonts,
    shade,
    tidy_docx,
)

#: The 宋体 / 黑体 names (the provincial summaries name these; the application copy names the
#: fonts its PDF embeds, with these as Word's alternatives).
BODY_FONT = DOCX_BODY_FALLBACK
HEADING_FONT = DOCX_HEADING_FALLBACK
FONT_TABLE = (
    FontDecl(LATIN_FONT, "", charset="00"),
    FontDecl(DOCX_BODY, DOCX_BODY_FALLBACK),
    FontDecl(DOCX_HEADING, DOCX_HEADING_FALLBACK, family="swiss"),
    FontDecl(DOCX_BODY_FALLBACK, "SimSun"),
    FontDecl(DOCX_HEADING_FALLBACK, "SimHei", family="modern", pitch="fixed"),
)
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
LABEL_MM = 62
CELL_MARGIN_MM = 2.5  # left + right (cell_margins: 70 twips a side)
#: A value estimated longer than this many lines may split across pages (its row is not
#: kept whole); shorter rows move to the next page whole.
LONG_ROW_LINES = 8
#: Room for the seal above and below the seal caption, as in the PDF.
SEAL_ABOVE_MM = 24
SEAL_BELOW_MM = 22


def ems(text: str) -> float:
    """The width of ``text`` in ems, roughly: a Chinese character 1, anything else 0.55."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


def pack_options(options: Sequence[str], width_ems: float) -> str:
    """Options on lines no wider than ``width_ems`` (each option whole on one line when it
    fits), so that Word never breaks inside an option or between a tick box and its label."""
    lines: list[str] = []
    current = ""
    for option in options:
        joined = f"{current}{OPTION_GAP}{option}" if current else option
        if current and ems(joined) > width_ems:
            lines.append(current)
            current = option
        else:
            current = joined
    if current:
        lines.append(current)
    return "\n".join(lines)


def estimated_lines(text: str, width_mm: float, size_pt: float) -> int:
    per_line = max(width_mm / (size_pt * 0.3528), 1.0)
    return sum(max(1, -(-int(ems(line)) // int(per_line))) for line in text.split("\n"))


class _Writer:
    def __init__(self, layout: Layout, uscc: str) -> None:
        self.layout = layout
        self.uscc = uscc
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
        set_fonts(normal.element, DOCX_BODY)
        normal.paragraph_format.space_after = Pt(2)
        for name, size in (("Heading 1", Pt(14)), ("Heading 2", Pt(11))):
            style = styles[name]
            style.font.size = size
            style.font.bold = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            set_fonts(style.element, DOCX_HEADING)
            style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 6)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        # the cover has a footer of its own, empty
        section.different_first_page_header_footer = True
        self._footer(section)

    def _footer(self, section: Any) -> None:
        layout = self.layout
        footer = section.footer
        first = footer.paragraphs[0]
        self.run(first, layout.title + "　　", size=SMALL_SIZE, heading=True)
        self.page_numbers(first)  # 第 {PAGE} 页 共 {NUMPAGES} 页
        second = footer.add_paragraph()
        self.run(second, f"{caption('fingerprint')}：{layout.fingerprint}", size=Pt(9))
        enterprise = enterprise_line(layout, self.uscc)
        if enterprise:
            self.run(footer.add_paragraph(), enterprise, size=SMALL_SIZE)

    def page_numbers(self, paragraph: Any) -> None:
        for piece in _split_fields(caption("page", n="\0", total="\1")):
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
        set_fonts(run._r, DOCX_HEADING if heading else DOCX_BODY)
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
            self.lines(paragraph, text, size=size, heading=heading, grey=grey)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    def lines(self, paragraph: Any, text: str, **run_format: Any) -> None:
        """``text`` into ``paragraph``, its line breaks as ``w:br``."""
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = self.run(paragraph, line, **run_format)
            if index < len(lines) - 1:
                run.add_break()

    def heading(self, text: str, level: int = 1) -> Any:
        paragraph = self.doc.add_paragraph(style=f"Heading {level}")
        self.run(paragraph, text, heading=True)
        return paragraph

    def page_break(self) -> None:
        self.run(self.doc.add_paragraph(), "").add_break(WD_BREAK.PAGE)

    def cell_text(self, cell: Any, text: str, *, align: Any = None, heading: bool = False,
                  size: Any = CELL_SIZE, keep: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        self.lines(paragraph, text, size=size, heading=heading)
        paragraph.paragraph_format.space_after = Pt(0)
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        if align is not None:
            paragraph.alignment = align

    def table(self, rows: int, widths_mm: Sequence[float], *, header: bool = False,
              grid: bool = True) -> Any:
        table = self.doc.add_table(rows=rows, cols=len(widths_mm))
        if grid:
            table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        cell_margins(table)
        grid_cols = table._tbl.tblGrid
        for col, width in zip(grid_cols.findall(qn("w:gridCol")), widths_mm, strict=True):
            col.set(qn("w:w"), str(int(Mm(width).twips)))
        for row in table.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
        if header:
            row_flag(table.rows[0], "w:tblHeader")
            for cell in table.rows[0].cells:
                shade(cell, HEADER_FILL)
        return table

    # -- the document -------------------------------------------------------------------------

    def cover(self) -> None:
        layout = self.layout
        for _ in range(6):
            self.para("")
        self.para(layout.cover_title, size=Pt(22), heading=True, align=WD_ALIGN_PARAGRAPH.CENTER)
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
            row_flag(row, "w:cantSplit")
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
        value_mm = TEXT_WIDTH_MM - LABEL_MM
        table = self.table(len(entries), (LABEL_MM, value_mm))
        width_ems = (value_mm - CELL_MARGIN_MM) / (CELL_SIZE.pt * 0.3528) * 0.9
        for row, entry in zip(table.rows, entries, strict=True):
            label, value = row.cells
            mark = UNOFFICIAL_MARK if part_official and not entry.official else ""
            self.cell_text(label, entry.label + mark)
            shade(label, HEADER_FILL)
            options = entry.applicable and bool(entry.marks)
            text = pack_options(entry.options, width_ems) if options else entry.printed_with_unit
            self.cell_text(value, text)
            if options or estimated_lines(text, value_mm - CELL_MARGIN_MM,
                                          CELL_SIZE.pt) <= LONG_ROW_LINES:
                row_flag(row, "w:cantSplit")  # only long text may split across pages

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
        for row, line in zip(table.rows, [None, *g.lines], strict=True):
            row_flag(row, "w:cantSplit")
            if line is None:
                continue
            cells = row.cells
            self.cell_text(cells[0], line.label)
            self.cell_text(cells[1], line.unit, align=WD_ALIGN_PARAGRAPH.CENTER)
            for cell, entry in zip(cells[2:], line.cells, strict=True):
                if entry is None or not entry.applicable:
                    self.cell_text(cell, NOT_APPLICABLE, align=WD_ALIGN_PARAGRAPH.CENTER)
                else:
                    self.cell_text(cell, entry.printed, align=WD_ALIGN_PARAGRAPH.RIGHT
                                   if entry.is_number else None)

    def repeating(self, t: TableEntry, part_official: bool) -> None:
        mark = UNOFFICIAL_MARK if part_official and not t.official else ""
        self.heading(t.label + mark, level=2)
        widths = column_widths([c.field for c in t.columns], TEXT_WIDTH_MM, first=12)
        table = self.table(1 + max(len(t.rows), 1), widths, header=True)
        row_flag(table.rows[0], "w:cantSplit")
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
            row_flag(table.rows[1], "w:cantSplit")
            return
        for index, (row, values) in enumerate(zip(table.rows[1:], t.rows, strict=True), start=1):
            cells = row.cells
            self.cell_text(cells[0], str(index), align=WD_ALIGN_PARAGRAPH.CENTER,
                           size=TABLE_SIZE)
            long = False
            for cell, entry, width in zip(cells[1:], values, widths[1:], strict=True):
                text = entry.text if entry.applicable else NOT_APPLICABLE
                self.cell_text(cell, text, align=WD_ALIGN_PARAGRAPH.RIGHT
                               if entry.is_number else None, size=TABLE_SIZE)
                long = long or estimated_lines(text, width - CELL_MARGIN_MM,
                                               TABLE_SIZE.pt) > LONG_ROW_LINES
            if not long:
                row_flag(row, "w:cantSplit")

    def blank_box(self, text: str) -> None:
        """The recommending unit's box: what it asks for, room to write, and the seal and
        date lines at the bottom right with room for the seal (as in the PDF)."""
        head, tail = blank_box_parts(text)
        side = 75
        rows: list[tuple[str, str, float | None]] = [(head, "", None), ("", "", 42)]
        if tail:
            rows += [("", "\n".join(tail[:-1]) if len(tail) > 1 else tail[0], None),
                     ("", "", 20)]
            if len(tail) > 1:
                rows.append(("", tail[-1], None))
        rows.append(("", "", 6))
        table = self.table(len(rows), (TEXT_WIDTH_MM - side, side), grid=False)
        _box(table)
        for row, (left, right, height) in zip(table.rows, rows, strict=True):
            row_flag(row, "w:cantSplit")
            left_cell, right_cell = row.cells
            self.cell_text(left_cell, left, size=BODY_SIZE, keep=True)
            self.cell_text(right_cell, right, size=BODY_SIZE, keep=True,
                           align=WD_ALIGN_PARAGRAPH.CENTER)
            if height is not None:
                row.height = Mm(height)
                row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        first = table.rows[0].cells
        first[0].merge(first[1])

    def signoff(self, text: str) -> None:
        """The sign-off line as a block, as in the PDF: the first piece on the left, the
        others on the right with room for the seal above and below the seal caption."""
        pieces = signoff_pieces(text)
        left, middle = pieces[0], "\n".join(pieces[1:-1])
        date = pieces[-1] if len(pieces) > 1 else ""
        half = TEXT_WIDTH_MM / 2
        rows = [("", "", SEAL_ABOVE_MM), (left, middle, None), ("", "", SEAL_BELOW_MM),
                ("", date, None)]
        table = self.table(len(rows), (half, half), grid=False)
        for row, (left_text, right_text, height) in zip(table.rows, rows, strict=True):
            row_flag(row, "w:cantSplit")
            left_cell, right_cell = row.cells
            self.cell_text(left_cell, left_text, size=BODY_SIZE, keep=True)
            self.cell_text(right_cell, right_text, size=BODY_SIZE, keep=True,
                           align=WD_ALIGN_PARAGRAPH.CENTER)
            if height is not None:
                row.height = Mm(height)
                row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY

    def declaration(self, part: PartEntry, notes: Sequence[NoteEntry]) -> None:
        """The declaration, its sign-off and the electronic signature, kept on one page
        (every paragraph and row is kept with the next)."""
        signoff = notes[-1] if notes and len(signoff_pieces(notes[-1].text)) > 1 else None
        for note in notes:
            mark = UNOFFICIAL_MARK if part.official and not note.official else ""
            if note is signoff:
                self.signoff(note.text + mark)
            else:
                paragraph = self.para(note.text + mark)
                paragraph.paragraph_format.space_before = Pt(12)
                paragraph.paragraph_format.keep_with_next = True
        spacer = self.para("")
        spacer.paragraph_format.keep_with_next = True
        heading = self.heading(caption("declaration", self.layout.lang), level=2)
        heading.paragraph_format.keep_with_next = True
        lines = signature_lines(self.layout)
        table = self.table(len(lines), (TEXT_WIDTH_MM,), grid=False)
        _box(table)
        for index, (row, line) in enumerate(zip(table.rows, lines, strict=True)):
            row_flag(row, "w:cantSplit")
            self.cell_text(row.cells[0], line, keep=index < len(lines) - 1)

    def part(self, part: PartEntry) -> None:
        layout = self.layout
        self.heading(part.heading)
        if not part.official:
            self.para(caption("unofficial_part", layout.lang), size=SMALL_SIZE, grey=True)
        elif part.has_unofficial_items:
            self.para(caption("unofficial_items", layout.lang), size=SMALL_SIZE, grey=True)
        if part.blank:
            self.para(caption("recommender", layout.lang), size=SMALL_SIZE, grey=True)
        declaration = part.part.id == layout.declaration_part
        entries, closing = closing_notes(part) if declaration else (part.entries, ())
        pending: list[FieldEntry] = []
        for entry in entries:
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
                    paragraph = self.para(entry.text + mark)
                    paragraph.paragraph_format.space_before = Pt(12)
        if pending:
            self.fields(pending, part.official)
        if declaration:
            self.declaration(part, closing)

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
        name = self.layout.enterprise_name
        props.author = name or "GiantDesk"
        props.last_modified_by = name or "GiantDesk"
        props.keywords = ctx.fingerprint
        props.comments = f"{caption('fingerprint')}：{ctx.fingerprint}；SHA-256：{ctx.sha256}"
        props.category = ctx.record.form
        props.identifier = ctx.sha256
        props.version = ctx.record.form_version
        props.revision = 1
        props.created = moment
        props.modified = moment
        props.language = "zh-CN"
        props.content_status = ""


def _box(table: Any) -> None:
    """A border around the whole table and none inside."""
    element = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "6")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        element.append(line)
    insert_ordered(table._tbl.tblPr, element)


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


def render_docx(ctx: RenderContext) -> bytes:
    """``application.docx``: the editable copy of the record."""
    writer = _Writer(build_layout(ctx), ctx.uscc)
    writer.build()
    writer.properties(ctx)
    out = io.BytesIO()
    writer.doc.save(out)
    return rezip(tidy_docx(out.getvalue(), FONT_TABLE, f"GiantDesk {ctx.app_version}"))


__all__ = ["render_docx"]
