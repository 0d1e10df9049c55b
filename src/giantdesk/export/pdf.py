"""The printable copy (``application.pdf``): A4, the official form's structure, from the record.

Everything printed comes from :mod:`giantdesk.export.layout` (the one walk over the form
definition). Every page carries a footer with the form title, page n/N, the record's fingerprint
and a QR code of the print payload (PRODUCT.md §4). Deterministic: the same context gives the same
bytes (reportlab ``invariant``, creation date = the finalization time).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from giantdesk.export.context import RenderContext
from giantdesk.export.fonts import Fonts, load_fonts, markup
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
from giantdesk.forms.model import DECIMAL_TYPES, INTEGER_TYPES, FieldDef

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 30 * mm  # room for the footer and its QR code
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
QR_SIZE = 22 * mm
GRID_LINE = colors.black
HEADER_FILL = colors.Color(0.92, 0.92, 0.92)
NOTE_GREY = colors.Color(0.35, 0.35, 0.35)


# -- shared PDF machinery (also used by the entry sheet) ------------------------------------------


@dataclass(frozen=True)
class Styles:
    fonts: Fonts
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    head_cell: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_line: ParagraphStyle
    cover_issuer: ParagraphStyle

    def para(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain text (escaped; symbols the font lacks switched to the symbol
        font; line breaks kept)."""
        style = style or self.body
        return Paragraph(markup(text, self.fonts, style.fontName), style)

    def table_style(self, commands: Sequence[tuple[Any, ...]]) -> TableStyle:
        """A table style whose plain-string cells use the CJK font (reportlab's default is
        Helvetica, which would be referenced, unembedded, for empty cells)."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.fonts.body), *commands])


def make_styles(fonts: Fonts, base_size: float = 10.5) -> Styles:
    def style(name: str, size: float, *, font: str | None = None, leading: float | None = None,
              align: int = TA_LEFT, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font or fonts.body, fontSize=size,
                              leading=leading or size * 1.45, alignment=align, wordWrap="CJK",
                              **extra)

    cell = base_size - 1
    return Styles(
        fonts=fonts,
        body=style("gd-body", base_size, spaceAfter=3),
        cell=style("gd-cell", cell),
        cell_right=style("gd-cell-r", cell, align=TA_RIGHT),
        cell_center=style("gd-cell-c", cell, align=TA_CENTER),
        head_cell=style("gd-head", cell, font=fonts.heading, align=TA_CENTER),
        small=style("gd-small", 8, textColor=NOTE_GREY),
        note=style("gd-note", base_size, spaceBefore=4, spaceAfter=4),
        heading=style("gd-h1", 14, font=fonts.heading, spaceBefore=8, spaceAfter=4,
                      keepWithNext=1),
        subheading=style("gd-h2", base_size, font=fonts.heading, spaceBefore=6, spaceAfter=3,
                         keepWithNext=1),
        cover_title=style("gd-cover-t", 24, font=fonts.heading, align=TA_CENTER, leading=36),
        cover_subtitle=style("gd-cover-s", 30, font=fonts.heading, align=TA_CENTER, leading=44),
        cover_line=style("gd-cover-l", 14, leading=20),
        cover_issuer=style("gd-cover-i", 16, font=fonts.heading, align=TA_CENTER),
    )


def grid_style(header_rows: int = 1) -> list[tuple[Any, ...]]:
    """The bordered look of every table: black grid, grey header, cells top-aligned."""
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_LINE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
    return commands


@dataclass(frozen=True)
class Footer:
    title: str
    fingerprint: str
    qr_payload: str
    fonts: Fonts
    extra: str = ""  # a second, smaller line (e.g. the enterprise and its USCC)


def _pdf_date(moment: datetime) -> Callable[..., str]:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    stamp = moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return lambda *_: stamp


class FooterCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that keeps each page until the end, then stamps every page's footer with the
    page count, the fingerprint and the QR code (drawn once as a form XObject)."""

    def __init__(self, *args: Any, footer: Footer, finalized_at: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []
        self.setDateFormatter(_pdf_date(finalized_at))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            if number == 1:
                self._define_qr()
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _define_qr(self) -> None:
        """The QR code as module squares (no renderer state: no stray fonts), quiet zone 4."""
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self._footer.qr_payload)
        code.make()
        count = code.getModuleCount()
        module = QR_SIZE / (count + 8)
        self.beginForm("gd-qr")
        self.setFillColor(colors.black)
        for row in range(count):
            for col in range(count):
                if code.isDark(row, col):
                    self.rect((col + 4) * module, (count + 3 - row) * module, module, module,
                              stroke=0, fill=1)
        self.endForm()

    def _draw_footer(self, number: int, total: int) -> None:
        f = self._footer
        self.saveState()
        qr_x = PAGE_WIDTH - MARGIN_X - QR_SIZE
        qr_y = 5 * mm
        text_right = qr_x - 3 * mm
        self.setStrokeColor(colors.Color(0.5, 0.5, 0.5))
        self.setLineWidth(0.4)
        self.line(MARGIN_X, MARGIN_BOTTOM - 3 * mm, PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM - 3 * mm)
        self.setFillColor(colors.black)
        self.setFont(f.fonts.body, 8)
        self.drawString(MARGIN_X, 20 * mm, f.title)
        self.drawRightString(text_right, 20 * mm, bilingual("page", n=number, total=total))
        self.setFont(f.fonts.body, 9)
        self.drawString(MARGIN_X, 14 * mm, f"{bilingual('fingerprint')}: {f.fingerprint}")
        if f.extra:
            self.setFont(f.fonts.body, 7.5)
            self.drawString(MARGIN_X, 8.5 * mm, f.extra)
        self.translate(qr_x, qr_y)
        self.doForm("gd-qr")
        self.restoreState()


def build_pdf(story: Sequence[Flowable], footer: Footer, ctx: RenderContext, *, title: str,
              subject: str) -> bytes:
    """Lay out ``story`` on A4 pages with the footer on each; deterministic bytes."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, invariant=1, title=title, subject=subject,
        author=footer.extra or title, creator=f"GiantDesk {ctx.app_version}",
        producer=f"GiantDesk {ctx.app_version} (ReportLab)", keywords=ctx.fingerprint,
        lang="zh-CN", initialFontName=footer.fonts.body)
    doc.build(list(story), canvasmaker=partial(FooterCanvas, footer=footer,
                                               finalized_at=ctx.finalized_at))
    return out.getvalue()


def enterprise_line(layout: Layout, ctx: RenderContext) -> str:
    """"企业 / Enterprise: <name>  <USCC>" for the footer and the metadata (name from the cover)."""
    name = next((line.value for line in layout.cover_lines if line.value), "")
    return "  ".join(p for p in (f"{bilingual('enterprise')}: {name}" if name else "", ctx.uscc)
                     if p)


# -- the printable copy ---------------------------------------------------------------------------


LABEL_WIDTH = 62 * mm
VALUE_WIDTH = FRAME_WIDTH - LABEL_WIDTH


def _is_number(f: FieldDef) -> bool:
    return f.type in DECIMAL_TYPES or f.type in INTEGER_TYPES


def _label(s: Styles, entry: FieldEntry | TableEntry | GridEntry, text: str,
           part_official: bool, style: ParagraphStyle | None = None) -> Paragraph:
    mark = UNOFFICIAL_MARK if part_official and not entry.official else ""
    return s.para(text + mark, style or s.cell)


#: Longer values are cut into rows of at most this many characters (at line ends when possible),
#: so that no single table row is taller than a page.
CHUNK = 450


def chunks(text: str, limit: int = CHUNK) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after a line when possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        joined = f"{current}\n{line}" if current else line
        if current and len(joined) > limit:
            pieces.append(current)
            current = line
        else:
            current = joined
    pieces.append(current)
    return pieces


def _value_text(entry: FieldEntry) -> str:
    if not entry.applicable:
        return NOT_APPLICABLE
    printed = entry.printed
    if entry.unit and not entry.marks:
        printed = f"{printed} {entry.unit}" if printed else f"{'　' * 6}{entry.unit}"
    return printed


def _fields_table(s: Styles, entries: list[FieldEntry], part_official: bool) -> Table:
    rows: list[list[Paragraph | str]] = []
    commands: list[tuple[Any, ...]] = [
        *grid_style(0)[1:], ("BOX", (0, 0), (-1, -1), 0.5, GRID_LINE),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, GRID_LINE),
        ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL)]
    for e in entries:
        pieces = chunks(_value_text(e))
        first = len(rows)
        rows.append([_label(s, e, e.label, part_official), s.para(pieces[0], s.cell)])
        rows += [["", s.para(piece, s.cell)] for piece in pieces[1:]]
        if first:
            commands.append(("LINEABOVE", (0, first), (-1, first), 0.5, GRID_LINE))
        if len(pieces) > 1:
            commands.append(("VALIGN", (0, first), (0, first), "TOP"))
            commands.append(("TOPPADDING", (0, first + 1), (-1, len(rows) - 1), 0))
    table = Table(rows, colWidths=[LABEL_WIDTH, VALUE_WIDTH], hAlign="LEFT")
    table.setStyle(s.table_style(commands))
    return table


def _grid_table(s: Styles, g: GridEntry) -> Table:
    header = [s.para(caption("indicator"), s.head_cell), s.para(caption("unit"), s.head_cell)]
    header += [s.para(caption("year", year=y), s.head_cell) for y in g.years]
    rows: list[list[Paragraph]] = [header]
    for line in g.lines:
        row = [s.para(line.label, s.cell), s.para(line.unit, s.cell_center)]
        for cell in line.cells:
            if cell is None or not cell.applicable:
                row.append(s.para(NOT_APPLICABLE, s.cell_center))
            else:
                row.append(s.para(cell.printed, s.cell_right if _is_number(cell.field)
                                  else s.cell))
        rows.append(row)
    year_width = (FRAME_WIDTH - 62 * mm - 16 * mm) / max(len(g.years), 1)
    table = Table(rows, colWidths=[62 * mm, 16 * mm] + [year_width] * len(g.years), repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(s.table_style(grid_style(1)))
    return table


def _repeating_table(s: Styles, t: TableEntry) -> Table:
    header = [s.para(caption("number"), s.head_cell)]
    header += [s.para(c.label_with_unit, s.head_cell) for c in t.columns]
    rows: list[list[Paragraph | str]] = [header]
    longest = 0
    for index, row in enumerate(t.rows, start=1):
        cells: list[Paragraph | str] = [s.para(str(index), s.cell_center)]
        for e in row:
            style = s.cell_right if _is_number(e.field) else s.cell
            text = e.text if e.applicable else NOT_APPLICABLE
            longest = max(longest, len(text))
            cells.append(s.para(text, style))
        rows.append(cells)
    commands = grid_style(1)
    if not t.rows:
        rows.append([s.para(caption("none") if t.applicable else NOT_APPLICABLE, s.cell_center)]
                    + [""] * len(t.columns))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(rows, colWidths=column_widths([c.field for c in t.columns], FRAME_WIDTH,
                                                first=10 * mm),
                  repeatRows=1, hAlign="LEFT",
                  # a row taller than a page must split inside (rare: only huge cell texts)
                  splitInRow=1 if longest > CHUNK else 0)
    table.setStyle(s.table_style(commands))
    return table


def _blank_box(s: Styles, text: str) -> Table:
    """A bordered box for the recommending unit to write in (the note's own lines and blanks)."""
    lines = text.count("\n") + 1
    table = Table([[s.para(text, s.body)]], colWidths=[FRAME_WIDTH],
                  rowHeights=[max(60 * mm, lines * 9 * mm)])
    table.setStyle(s.table_style([("BOX", (0, 0), (-1, -1), 0.8, GRID_LINE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 8),
                               ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    return table


def _declaration(s: Styles, layout: Layout) -> Flowable:
    rows = [
        [s.para(bilingual("key_id"), s.cell),
         s.para(layout.key_id or bilingual("unsigned"), s.cell)],
        [s.para(bilingual("fingerprint"), s.cell), s.para(layout.fingerprint, s.cell)],
        [s.para(bilingual("sha256"), s.cell), s.para(layout.sha256, s.cell)],
        [s.para(bilingual("finalized"), s.cell), s.para(finalized_text(layout), s.cell)],
        [s.para(bilingual("app"), s.cell), s.para(f"GiantDesk {layout.app_version}", s.cell)],
    ]
    table = Table(rows, colWidths=[48 * mm, FRAME_WIDTH - 48 * mm], hAlign="LEFT")
    table.setStyle(s.table_style([*grid_style(0), ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL)]))
    return KeepTogether([Spacer(1, 4 * mm), s.para(bilingual("declaration"), s.subheading),
                         table])


def _cover(s: Styles, layout: Layout) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 45 * mm), s.para(layout.cover_title, s.cover_title),
                             Spacer(1, 10 * mm), s.para(layout.cover_subtitle, s.cover_subtitle),
                             Spacer(1, 45 * mm)]
    label_width = 50 * mm
    value_width = 95 * mm
    rows = []
    for line in layout.cover_lines:
        value = line.value
        style = s.cover_line
        # keep a filled value on one line (the verifier searches the text for it): shrink it
        while value and style.fontSize > 8 and _string_width(value, style) > value_width - 6:
            style = ParagraphStyle(f"{style.name}-", parent=style, fontSize=style.fontSize - 0.5,
                                   leading=20)
        rows.append([s.para(f"{line.label}：", s.cover_line), s.para(value, style)])
    table = Table(rows, colWidths=[label_width, value_width], rowHeights=[14 * mm] * len(rows))
    table.setStyle(s.table_style([("LINEBELOW", (1, 0), (1, -1), 0.6, GRID_LINE),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("ALIGN", (0, 0), (0, -1), "RIGHT")]))
    story += [table, Spacer(1, 50 * mm), s.para(layout.issuer, s.cover_issuer), PageBreak()]
    return story


def _string_width(text: str, style: ParagraphStyle) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, style.fontName, style.fontSize))


def _instructions(s: Styles, layout: Layout) -> list[Flowable]:
    story: list[Flowable] = [s.para(caption("instructions", layout.lang), s.heading)]
    marked = any(n.official for n in layout.instructions) and layout.instructions_have_unofficial
    for note in layout.instructions:
        story.append(s.para(note.text + (UNOFFICIAL_MARK if marked and not note.official
                                         else ""), s.note))
    if marked:
        story.append(s.para(caption("unofficial_items", layout.lang), s.small))
    story.append(PageBreak())
    return story


def _part(s: Styles, layout: Layout, part: PartEntry) -> list[Flowable]:
    head: list[Flowable] = [s.para(part.heading, s.heading)]
    if not part.official:
        head.append(s.para(caption("unofficial_part", layout.lang), s.small))
    elif part.has_unofficial_items:
        head.append(s.para(caption("unofficial_items", layout.lang), s.small))
    if part.blank:
        head.append(s.para(caption("recommender", layout.lang), s.small))
    head.append(Spacer(1, 2 * mm))
    story: list[Flowable] = [CondPageBreak(45 * mm)]
    pending: list[FieldEntry] = []

    def flush() -> None:
        if pending:
            story.append(_fields_table(s, list(pending), part.official))
            pending.clear()

    for entry in part.entries:
        if isinstance(entry, FieldEntry):
            pending.append(entry)
            continue
        flush()
        if isinstance(entry, GridEntry):
            story.append(_grid_table(s, entry))
        elif isinstance(entry, TableEntry):
            story.append(Spacer(1, 2 * mm))
            story.append(_label(s, entry, entry.label, part.official, s.subheading))
            story.append(_repeating_table(s, entry))
        elif isinstance(entry, NoteEntry):
            if part.blank:
                story.append(_blank_box(s, entry.text))
            else:
                mark = UNOFFICIAL_MARK if part.official and not entry.official else ""
                story.append(Spacer(1, 4 * mm))
                story.append(s.para(entry.text + mark, s.note))
        story.append(Spacer(1, 2 * mm))
    flush()
    if part.part.id == layout.declaration_part:
        story.append(_declaration(s, layout))
    # the heading never ends a page: keep it with the part's first block
    first = next((i for i, f in enumerate(story) if i and not isinstance(f, Spacer)), len(story))
    return [*story[:1], KeepTogether(head + story[1:first + 1]), *story[first + 1:]]


def story_of(layout: Layout, styles: Styles) -> list[Flowable]:
    story = _cover(styles, layout) + _instructions(styles, layout)
    for part in layout.parts:
        story += _part(styles, layout, part)
    return story


def render_pdf(ctx: RenderContext) -> bytes:
    """``application.pdf``: the printable copy of the record."""
    layout = build_layout(ctx)
    styles = make_styles(load_fonts())
    extra = enterprise_line(layout, ctx)
    footer = Footer(layout.title, ctx.fingerprint, ctx.qr_payload, styles.fonts, extra)
    return build_pdf(story_of(layout, styles), footer, ctx, title=layout.title,
                     subject=extra or layout.title)
