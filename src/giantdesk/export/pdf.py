"""The printable copy (``application.pdf``): A4, the official form's structure, from the record.

Everything printed comes from :mod:`giantdesk.export.layout` (the one walk over the form
definition), in Chinese. Every page but the cover carries a footer with the form title,
"第 n 页 共 N 页", the record's fingerprint and the enterprise; every page (the cover too) carries
the QR code of :mod:`giantdesk.export.qrpayload`. Lines are broken by :mod:`cjkwrap` (Chinese
rules); long values flow across pages. Deterministic: the same context gives the same bytes
(reportlab ``invariant``, creation date = the finalization time).
"""

from __future__ import annotations

import io
import math
import time
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
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from giantdesk.export.cjkwrap import CJKParagraph, keep
from giantdesk.export.context import RenderContext
from giantdesk.export.fonts import Fonts, font_runs, load_fonts, markup
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

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
#: QR code: version 4 (33 modules) at 0.7 mm a module = 23.1 mm, bottom right of every page; a
#: 4-module quiet zone around it is kept free of anything printed. At 100 dpi a module is
#: 2.8 pixels (decodes from an office scan; 0.55 mm did not at every position).
QR_MODULE = 0.7 * mm
QR_QUIET = 4 * QR_MODULE
QR_BOTTOM = 8 * mm  # lower edge of the symbol (its quiet zone starts 2.8 mm lower)
MARGIN_BOTTOM = 37 * mm  # the body ends above the QR code's quiet zone
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
GRID_LINE = colors.black
HEADER_FILL = colors.Color(0.92, 0.92, 0.92)
NOTE_GREY = colors.Color(0.35, 0.35, 0.35)
#: A row whose value is estimated longer than this many lines gets a table of its own that may
#: split inside the row at a page end; shorter rows move to the next page whole.
LONG_ROW_LINES = 8
#: reportlab's ``splitInRow``: a row may split inside (any remainder: reportlab refuses a split
#: whose remainder is below this, even for a row only a little taller than a page).
SPLIT_IN_ROW = 1
#: A long row starts on a new page unless at least this much room is left.
LONG_ROW_ROOM = 40 * mm
#: The sign-off block: clear space above and below the seal caption ("企业（盖章）") so that a
#: 45 mm company seal centred on it covers nothing else but the date.
SEAL_ABOVE = 24 * mm
SEAL_BELOW = 22 * mm


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

    def para(self, text: str, style: ParagraphStyle | None = None) -> CJKParagraph:
        """A paragraph of plain text (escaped; characters the font lacks set in a fallback
        font; line breaks kept; Chinese line breaking)."""
        style = style or self.body
        return CJKParagraph(markup(text, self.fonts, style.fontName), style)

    def table_style(self, commands: Sequence[tuple[Any, ...]]) -> TableStyle:
        """A table style whose plain-string cells use the CJK font (reportlab's default is
        Helvetica, which would be referenced, unembedded, for empty cells)."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.fonts.body), *commands])


def make_styles(fonts: Fonts, base_size: float = 10.5) -> Styles:
    def style(name: str, size: float, *, font: str | None = None, leading: float | None = None,
              align: int = TA_LEFT, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font or fonts.body, fontSize=size,
                              leading=leading or size * 1.5, alignment=align, wordWrap="CJK",
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
        note=style("gd-note", base_size, spaceBefore=4, spaceAfter=4, leading=base_size * 1.7),
        heading=style("gd-h1", 14, font=fonts.heading, spaceBefore=8, spaceAfter=4),
        subheading=style("gd-h2", base_size, font=fonts.heading, spaceBefore=6, spaceAfter=3),
        cover_title=style("gd-cover-t", 22, font=fonts.heading, align=TA_CENTER, leading=34),
        cover_subtitle=style("gd-cover-s", 30, font=fonts.heading, align=TA_CENTER, leading=44),
        cover_line=style("gd-cover-l", 14, leading=20),
        cover_issuer=style("gd-cover-i", 16, font=fonts.heading, align=TA_CENTER),
    )


def grid_style(header_rows: int = 1) -> list[tuple[Any, ...]]:
    """The bordered look of every table: black grid, grey header, cells centred vertically."""
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


def estimated_lines(text: str, width: float, size: float) -> int:
    """Roughly how many lines ``text`` takes in a column ``width`` points wide (Chinese
    characters one em, others about half)."""
    per_line = max(width / size, 1.0)
    total = 0
    for line in text.split("\n"):
        ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in line)
        total += max(1, math.ceil(ems / per_line))
    return total


@dataclass(frozen=True)
class Footer:
    title: str
    fingerprint: str
    qr_payload: str
    fonts: Fonts
    enterprise: str = ""  # "企业名称：…　统一社会信用代码：…"
    cover: bool = False  # the first page is a cover: the QR code only


def _pdf_date(moment: datetime) -> Callable[..., str]:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    stamp = moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return lambda *_: stamp


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR code of ``payload`` (error correction M, smallest version), row by row."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    try:
        code.addData(qrencoder.QRAlphaNum(payload))
    except ValueError:  # not in the alphanumeric set: bytes
        code.addData(payload)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]


class InvariantTimeStamp(TimeStamp):  # type: ignore[misc]  # reportlab is untyped
    """reportlab's document time, except that an invariant document (every copy GiantDesk
    renders) always gets reportlab's fixed invariant time. reportlab takes it from
    ``$SOURCE_DATE_EPOCH`` when that is set, and the PDF's /ID is a digest of it: a copy
    exported with the variable set was "other bytes" when verified without it (a genuine
    bundle called invalid), and a value that is not a number ended every rendering in a
    ValueError. The dates printed in the PDF are the finalization time anyway
    (``FooterCanvas`` sets them)."""

    FIXED = 946684800.0  # reportlab's invariant time (2000-01-01T00:00:00Z)

    def __init__(self, invariant: object = None) -> None:
        if not invariant:
            super().__init__(invariant)
            return
        self.t = self.FIXED
        self.lt = time.gmtime(self.FIXED)
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


pdfdoc.TimeStamp = InvariantTimeStamp  # the one name PDFDocument builds its time with


class FooterCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that keeps each page until the end, then stamps every page's footer with the
    page count, the fingerprint and the QR code (drawn once as a form XObject)."""

    def __init__(self, *args: Any, footer: Footer, finalized_at: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []
        self._qr = qr_modules(footer.qr_payload)
        self._qr_x = PAGE_WIDTH - MARGIN_X - len(self._qr) * QR_MODULE
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
            if not (number == 1 and self._footer.cover):
                self._draw_footer(number, total)
            self.saveState()
            self.translate(self._qr_x, QR_BOTTOM)
            self.doForm("gd-qr")
            self.restoreState()
            super().showPage()
        super().save()

    def _define_qr(self) -> None:
        """The QR code as module squares (no renderer state: no stray fonts)."""
        modules = self._qr
        count = len(modules)
        self.beginForm("gd-qr")
        self.setFillColor(colors.black)
        for row, line in enumerate(modules):
            for col, dark in enumerate(line):
                if dark:
                    self.rect(col * QR_MODULE, (count - 1 - row) * QR_MODULE, QR_MODULE,
                              QR_MODULE, stroke=0, fill=1)
        self.endForm()

    def _text(self, x: float, y: float, text: str, size: float, *, right: bool = False,
              font: str | None = None) -> None:
        """Draw ``text`` with the fonts' fallbacks (a rare character is never a blank box)."""
        runs = font_runs(text, self._footer.fonts, font)
        if right:
            x -= sum(stringWidth(t, f, size) for f, t in runs)
        for face, piece in runs:
            self.setFont(face, size)
            self.drawString(x, y, piece)
            x += stringWidth(piece, face, size)

    def _fit(self, text: str, size: float, width: float, minimum: float = 6.0) -> float:
        runs = font_runs(text, self._footer.fonts)
        while size > minimum and sum(stringWidth(t, f, size) for f, t in runs) > width:
            size -= 0.25
        return size

    def _draw_footer(self, number: int, total: int) -> None:
        f = self._footer
        self.saveState()
        text_right = self._qr_x - QR_QUIET
        width = text_right - MARGIN_X
        self.setStrokeColor(colors.Color(0.5, 0.5, 0.5))
        self.setLineWidth(0.4)
        top = MARGIN_BOTTOM - 3 * mm
        self.line(MARGIN_X, top, text_right, top)
        self.setFillColor(colors.black)
        page = caption("page", n=number, total=total)
        page_width = stringWidth(page, f.fonts.body, 9)
        self._text(MARGIN_X, top - 6 * mm, f.title,
                   self._fit(f.title, 9, width - page_width - 4 * mm), font=f.fonts.heading)
        self._text(text_right, top - 6 * mm, page, 9, right=True)
        self._text(MARGIN_X, top - 12 * mm, f"{caption('fingerprint')}：{f.fingerprint}", 9)
        if f.enterprise:
            size = self._fit(f.enterprise, 8, width)
            if sum(stringWidth(t, n, size) for n, t in font_runs(f.enterprise, f.fonts)) <= width:
                self._text(MARGIN_X, top - 18 * mm, f.enterprise, size)
            else:  # a very long name: name and USCC on two lines, the name still one run
                for index, line in enumerate(f.enterprise.split("\u3000")[:2]):
                    self._text(MARGIN_X, top - (17 + 4 * index) * mm, line,
                               self._fit(line, 7, width, 4.5))
        self.restoreState()


def build_pdf(story: Sequence[Flowable], footer: Footer, ctx: RenderContext, *, title: str,
              subject: str) -> bytes:
    """Lay out ``story`` on A4 pages with the footer on each; deterministic bytes."""
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, invariant=1, title=title, subject=subject,
        author=footer.enterprise or title, creator=f"GiantDesk {ctx.app_version}",
        producer=f"GiantDesk {ctx.app_version} (ReportLab)", keywords=ctx.fingerprint,
        lang="zh-CN", initialFontName=footer.fonts.body)
    # no frame padding: tables of FRAME_WIDTH sit exactly on the page frame
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(list(story), canvasmaker=partial(FooterCanvas, footer=footer,
                                               finalized_at=ctx.finalized_at))
    return out.getvalue()


# -- the printable copy ---------------------------------------------------------------------------


LABEL_WIDTH = 62 * mm
VALUE_WIDTH = FRAME_WIDTH - LABEL_WIDTH


def _label(s: Styles, entry: FieldEntry | TableEntry | GridEntry, text: str,
           part_official: bool, style: ParagraphStyle | None = None) -> CJKParagraph:
    mark = UNOFFICIAL_MARK if part_official and not entry.official else ""
    return s.para(text + mark, style or s.cell)


def entry_has_options(entry: FieldEntry) -> bool:
    return entry.applicable and bool(entry.marks)


def value_markup_text(entry: FieldEntry) -> str:
    """The value cell's text: options each kept whole on a line, else the value and unit."""
    if entry_has_options(entry):
        return OPTION_GAP.join(keep(option) for option in entry.options)
    return entry.printed_with_unit


def _fields_tables(s: Styles, entries: list[FieldEntry], part_official: bool) -> list[Flowable]:
    """Label | value rows: short rows grouped in one table (kept whole at a page end), each
    long row in a table of its own that may split inside the value."""
    tables: list[Flowable] = []
    group: list[list[Any]] = []
    commands = [*grid_style(0), ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL)]

    def flush() -> None:
        if group:
            table = Table(list(group), colWidths=[LABEL_WIDTH, VALUE_WIDTH], hAlign="LEFT")
            table.setStyle(s.table_style(commands))
            tables.append(table)
            group.clear()

    for e in entries:
        text = value_markup_text(e)
        label = _label(s, e, e.label, part_official)
        if (entry_has_options(e)
                or estimated_lines(text, VALUE_WIDTH - 6, s.cell.fontSize) <= LONG_ROW_LINES):
            group.append([label, s.para(text, s.cell)])
            continue
        flush()
        tables.append(CondPageBreak(LONG_ROW_ROOM))
        table = Table([[[label], [s.para(text, s.cell)]]], colWidths=[LABEL_WIDTH, VALUE_WIDTH],
                      hAlign="LEFT", splitInRow=SPLIT_IN_ROW)
        table.setStyle(s.table_style([*commands, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        tables.append(table)
    flush()
    return tables


def _grid_table(s: Styles, g: GridEntry) -> Table:
    header = [s.para(caption("indicator"), s.head_cell), s.para(caption("unit"), s.head_cell)]
    header += [s.para(caption("year", year=y), s.head_cell) for y in g.years]
    rows: list[list[CJKParagraph]] = [header]
    for line in g.lines:
        row = [s.para(line.label, s.cell), s.para(line.unit, s.cell_center)]
        for cell in line.cells:
            if cell is None or not cell.applicable:
                row.append(s.para(NOT_APPLICABLE, s.cell_center))
            else:
                row.append(s.para(cell.printed, s.cell_right if cell.is_number else s.cell))
        rows.append(row)
    year_width = (FRAME_WIDTH - 62 * mm - 16 * mm) / max(len(g.years), 1)
    table = Table(rows, colWidths=[62 * mm, 16 * mm] + [year_width] * len(g.years), repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(s.table_style(grid_style(1)))
    return table


def _repeating_table(s: Styles, t: TableEntry) -> Table:
    header = [s.para(caption("number"), s.head_cell)]
    header += [s.para(c.label_with_unit, s.head_cell) for c in t.columns]
    rows: list[list[Any]] = [header]
    for index, row in enumerate(t.rows, start=1):
        cells: list[Any] = [[s.para(str(index), s.cell_center)]]
        for e in row:
            text = e.text if e.applicable else NOT_APPLICABLE
            cells.append([s.para(text, s.cell_right if e.is_number else s.cell)])
        rows.append(cells)
    # rows top-aligned: a row split across pages keeps its short cells in its first part
    commands = [*grid_style(1), ("VALIGN", (0, 1), (-1, -1), "TOP")]
    if not t.rows:
        rows.append([s.para(caption("none") if t.applicable else NOT_APPLICABLE, s.cell_center)]
                    + [""] * len(t.columns))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    # cells are lists of flowables: a row taller than what is left of a page can split inside
    table = Table(rows, colWidths=column_widths([c.field for c in t.columns], FRAME_WIDTH,
                                                first=10 * mm),
                  repeatRows=1, hAlign="LEFT", splitInRow=SPLIT_IN_ROW)
    table.setStyle(s.table_style(commands))
    return table


def _blank_box(s: Styles, text: str) -> Table:
    """A bordered box for the recommending unit: what it asks for at the top, room to write,
    and the seal and date lines at the bottom right with room for the seal."""
    head, tail = blank_box_parts(text)
    side = 75 * mm
    rows: list[list[Any]] = [[s.para(head, s.body), ""], ["", ""]]
    heights: list[float | None] = [None, 42 * mm]
    if tail:
        seal = "\n".join(tail[:-1]) if len(tail) > 1 else tail[0]
        rows += [["", s.para(seal, s.cell_center)], ["", ""]]
        heights += [None, 20 * mm]
        if len(tail) > 1:
            rows.append(["", s.para(tail[-1], s.cell_center)])
            heights.append(None)
    rows.append(["", ""])
    heights.append(6 * mm)
    table = Table(rows, colWidths=[FRAME_WIDTH - side, side], rowHeights=heights)
    table.setStyle(s.table_style([("BOX", (0, 0), (-1, -1), 0.8, GRID_LINE),
                                  ("SPAN", (0, 0), (-1, 0)),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 8),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                  ("TOPPADDING", (0, 0), (-1, 0), 8)]))
    return table


def _signoff(s: Styles, text: str) -> Table:
    """The sign-off line as a block: the first piece (法定代表人（签字）) on the left, the
    others (企业（盖章）, then the date) on the right, with clear room above and below the
    seal caption for a 45 mm seal."""
    pieces = signoff_pieces(text)
    left, middle, date = pieces[0], "\n".join(pieces[1:-1]), pieces[-1] if len(pieces) > 1 else ""
    half = FRAME_WIDTH / 2
    rows = [["", ""], [s.para(left, s.body), s.para(middle, s.body)], ["", ""],
            ["", s.para(date, s.body)]]
    table = Table(rows, colWidths=[half, half], rowHeights=[SEAL_ABOVE, None, SEAL_BELOW, None])
    table.setStyle(s.table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("ALIGN", (1, 0), (1, -1), "CENTER"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _signature_block(s: Styles, layout: Layout) -> list[Flowable]:
    """"电子签署信息": key id, fingerprint, SHA-256, time, app — each line one text run."""
    table = Table([[s.para(line, s.cell)] for line in signature_lines(layout)],
                  colWidths=[FRAME_WIDTH], hAlign="LEFT")
    table.setStyle(s.table_style([("BOX", (0, 0), (-1, -1), 0.5, GRID_LINE),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                  ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                  ("TOPPADDING", (0, 0), (-1, 0), 5),
                                  ("BOTTOMPADDING", (0, -1), (-1, -1), 5)]))
    return [s.para(caption("declaration", layout.lang), s.subheading), table]


def _declaration(s: Styles, layout: Layout, part: PartEntry,
                 notes: Sequence[NoteEntry]) -> Flowable:
    """The declaration, its sign-off and the electronic signature: never split across pages."""
    block: list[Flowable] = [Spacer(1, 4 * mm)]
    signoff = notes[-1] if notes and len(signoff_pieces(notes[-1].text)) > 1 else None
    for note in notes:
        mark = UNOFFICIAL_MARK if part.official and not note.official else ""
        if note is signoff:
            block.append(_signoff(s, note.text + mark))
        else:
            block.append(s.para(note.text + mark, s.note))
    block.append(Spacer(1, 8 * mm))
    block += _signature_block(s, layout)
    return KeepTogether(block)


def _cover(s: Styles, layout: Layout) -> list[Flowable]:
    story: list[Flowable] = [Spacer(1, 40 * mm), s.para(layout.cover_title, s.cover_title),
                             Spacer(1, 10 * mm), s.para(layout.cover_subtitle, s.cover_subtitle),
                             Spacer(1, 40 * mm)]
    label_width = 50 * mm
    value_width = 95 * mm
    rows = []
    heights = []
    for line in layout.cover_lines:
        value = line.value
        style = s.cover_line
        # a long name: a smaller size first (down to 11 pt), then two lines
        while value and style.fontSize > 11 and _string_width(value, style) > value_width - 4:
            style = ParagraphStyle(f"{style.name}-", parent=style, fontSize=style.fontSize - 0.5,
                                   leading=(style.fontSize - 0.5) * 1.4)
        lines = max(1, math.ceil(_string_width(value, style) / (value_width - 4)))
        heights.append(max(14 * mm, lines * style.leading + 12))
        rows.append([s.para(f"{line.label}：", s.cover_line), s.para(value, style)])
    table = Table(rows, colWidths=[label_width, value_width], rowHeights=heights)
    table.setStyle(s.table_style([("LINEBELOW", (1, 0), (1, -1), 0.6, GRID_LINE),
                                  ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                  ("LEFTPADDING", (1, 0), (1, -1), 2),
                                  ("ALIGN", (0, 0), (0, -1), "RIGHT")]))
    story += [table, Spacer(1, 45 * mm), s.para(layout.issuer, s.cover_issuer), PageBreak()]
    return story


def _string_width(text: str, style: ParagraphStyle) -> float:
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


def _height(flowable: Flowable) -> float:
    if isinstance(flowable, KeepTogether):
        return sum(_height(f) for f in flowable._content)
    _, height = flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)
    return float(height + flowable.getSpaceBefore() + flowable.getSpaceAfter())


def _first_piece(block: Flowable) -> float:
    """The height of what ``block`` puts on a page at the least: a table's header and first
    row (a few lines of it when the row may split), or the whole of anything else."""
    if not isinstance(block, Table):
        return _height(block)
    block.wrap(FRAME_WIDTH, FRAME_HEIGHT)
    heights = block._rowHeights
    repeat = block.repeatRows if isinstance(block.repeatRows, int) else 0
    first = heights[repeat] if len(heights) > repeat else 0.0
    if block.splitInRow:
        first = min(first, LONG_ROW_ROOM)
    return float(sum(heights[:repeat]) + first)


def _keep_heading(story: list[Flowable], heads: int) -> list[Flowable]:
    """``story`` after a page break unless its first ``heads`` flowables (a heading and its
    notes), any paragraphs that follow (a table's title) and the first piece of the next
    block fit on this page: a heading never ends a page, and a long block does not jump to
    the next page whole (as reportlab's keepWithNext would make it)."""
    need = sum(_height(f) for f in story[:heads])
    for flowable in story[heads:]:
        if isinstance(flowable, CondPageBreak):
            continue
        if isinstance(flowable, (Spacer, CJKParagraph)):
            need += _height(flowable)
            continue
        need += _first_piece(flowable)
        break
    return [CondPageBreak(min(need + 2 * mm, FRAME_HEIGHT)), *story]


def _part(s: Styles, layout: Layout, part: PartEntry) -> list[Flowable]:
    story: list[Flowable] = [s.para(part.heading, s.heading)]
    if not part.official:
        story.append(s.para(caption("unofficial_part", layout.lang), s.small))
    elif part.has_unofficial_items:
        story.append(s.para(caption("unofficial_items", layout.lang), s.small))
    if part.blank:
        story.append(s.para(caption("recommender", layout.lang), s.small))
    story.append(Spacer(1, 2 * mm))
    heads = len(story)
    declaration = part.part.id == layout.declaration_part
    entries, closing = closing_notes(part) if declaration else (part.entries, ())
    pending: list[FieldEntry] = []

    def flush() -> None:
        if pending:
            story.extend(_fields_tables(s, list(pending), part.official))
            pending.clear()

    for entry in entries:
        if isinstance(entry, FieldEntry):
            pending.append(entry)
            continue
        flush()
        if isinstance(entry, GridEntry):
            story.append(_grid_table(s, entry))
        elif isinstance(entry, TableEntry):
            story.append(Spacer(1, 2 * mm))
            story += _keep_heading([_label(s, entry, entry.label, part.official, s.subheading),
                                    _repeating_table(s, entry)], 1)
        elif isinstance(entry, NoteEntry):
            if part.blank:
                story.append(_blank_box(s, entry.text))
            else:
                mark = UNOFFICIAL_MARK if part.official and not entry.official else ""
                story.append(Spacer(1, 4 * mm))
                story.append(s.para(entry.text + mark, s.note))
        story.append(Spacer(1, 2 * mm))
    flush()
    if declaration:
        story.append(_declaration(s, layout, part, closing))
    if part.blank:  # the recommending unit's boxes: on one page with their heading
        return [CondPageBreak(60 * mm), KeepTogether(story)]
    return _keep_heading(story, heads)


def story_of(layout: Layout, styles: Styles) -> list[Flowable]:
    story = _cover(styles, layout) + _instructions(styles, layout)
    for part in layout.parts:
        story += _part(styles, layout, part)
    while story and isinstance(story[-1], Spacer):
        story.pop()  # a spacer that no longer fits would start an empty last page
    return story


def render_pdf(ctx: RenderContext) -> bytes:
    """``application.pdf``: the printable copy of the record."""
    layout = build_layout(ctx)
    styles = make_styles(load_fonts())
    enterprise = enterprise_line(layout, ctx.uscc)
    footer = Footer(layout.title, ctx.fingerprint, ctx.qr_payload, styles.fonts, enterprise,
                    cover=True)
    return build_pdf(story_of(layout, styles), footer, ctx, title=layout.title,
                     subject=enterprise or layout.title)
