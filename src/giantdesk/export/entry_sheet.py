"""The online entry sheet (``entry-sheet.pdf``): every value in the order the platform asks for it.

One row per value a clerk types into the online platform: the field's label, its unit, the exact
text to type (amounts without thousands separators, e.g. ``19460.00``; a multichoice as one
ticked option per line; "不填" for an optional field left empty) and a box to tick once typed.
The order is the form definition's (part by part): the platform's order is assumed to be the
form's, and the sheet says so. Computed values are not typed; they are shown for cross-checking.

Each part and each repeating table is a table of its own whose column header and title repeat at
the top of every page it runs onto. A value is set as one piece of text for copying: where it
wraps, the PDF carries the unwrapped text as ``/ActualText`` so a copy from a PDF viewer has no
line breaks that were not in the value.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Spacer, Table

from giantdesk.export.cjkwrap import CJKParagraph
from giantdesk.export.context import RenderContext
from giantdesk.export.fonts import load_fonts, markup
from giantdesk.export.layout import (
    NOT_APPLICABLE,
    UNCHECKED,
    FieldEntry,
    GridEntry,
    Layout,
    PartEntry,
    TableEntry,
    build_layout,
    caption,
    enterprise_line,
    finalized_text,
)
from giantdesk.export.pdf import (
    FRAME_WIDTH,
    GRID_LINE,
    HEADER_FILL,
    SPLIT_IN_ROW,
    Footer,
    Styles,
    build_pdf,
    grid_style,
    make_styles,
)

NUMBER_WIDTH = 11 * mm
UNIT_WIDTH = 14 * mm
DONE_WIDTH = 11 * mm
LABEL_WIDTH = 58 * mm
TEXT_WIDTH = FRAME_WIDTH - NUMBER_WIDTH - UNIT_WIDTH - DONE_WIDTH - LABEL_WIDTH
WIDTHS = [NUMBER_WIDTH, LABEL_WIDTH, UNIT_WIDTH, TEXT_WIDTH, DONE_WIDTH]
#: Rows per table: a longer section continues in a new table titled "…（续）" (reportlab lays a
#: table out again on every page it splits; many short tables keep a 500-row table linear).
CHUNK_ROWS = 150


class CopyableParagraph(CJKParagraph):
    """A paragraph whose text, when copied from the PDF, is ``actual`` (the value without the
    line breaks wrapping adds): drawn inside a ``/Span <</ActualText …>>`` marked-content
    sequence (PDF 32000-1 §14.9.4; poppler copies it, as does Acrobat). A part of a
    paragraph split across pages (made by reportlab without ``actual``) carries the text of
    its own lines."""

    def __init__(self, text: Any, style: Any = None, *args: Any, actual: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        self._actual = actual

    def draw(self) -> None:
        lines = getattr(getattr(self, "blPara", None), "lines", ())
        if len(lines) < 2:
            super().draw()
            return
        actual = self._actual
        if actual is None:
            actual = "".join(word.text for line in lines for word in line.words)
        utf16 = ("\ufeff" + actual).encode("utf-16-be").hex().upper()
        self.canv._code.append(f"/Span <</ActualText <{utf16}>>> BDC")
        super().draw()
        self.canv._code.append("EMC")


class _Sheet:
    def __init__(self, layout: Layout, styles: Styles) -> None:
        self.layout = layout
        self.s = styles
        self.tables: list[Flowable] = []
        self.count = 0
        self.rows: list[list[Any]] = []
        self.commands: list[tuple[Any, ...]] = []
        self.standalone = False  # printed even without entries (a note such as "无")
        self.title = ""

    def _header(self) -> list[Any]:
        keys = ("number", "item", "unit", "value", "entry_done")
        return [self.s.para(caption(k, self.layout.lang), self.s.head_cell) for k in keys]

    def section(self, text: str, note: str = "", *, standalone: bool = False) -> None:
        """Start a table: the column header and ``text`` (repeated on every page it runs to)."""
        self.close()
        self.title = text
        self.standalone = standalone
        cell = self.s.para(text + (f"　{note}" if note else ""), self.s.subheading)
        self.rows = [self._header(), [cell, "", "", "", ""]]
        # rows top-aligned: a row split across pages keeps its short cells in its first part
        self.commands = [*grid_style(1), ("SPAN", (0, 1), (-1, 1)),
                         ("BACKGROUND", (0, 1), (-1, 1), HEADER_FILL),
                         ("VALIGN", (0, 2), (-1, -1), "TOP")]

    def close(self) -> None:
        if not self.rows or (len(self.rows) <= 2 and not self.standalone):
            self.rows = []
            return
        table = LongTable(self.rows, colWidths=WIDTHS, repeatRows=2, hAlign="LEFT",
                          splitInRow=SPLIT_IN_ROW)
        table.setStyle(self.s.table_style(self.commands))
        self.tables += [table, Spacer(1, 3 * mm)]
        self.rows = []

    def entry(self, label: str, e: FieldEntry) -> None:
        s = self.s
        if len(self.rows) - 2 >= CHUNK_ROWS:  # a new table, titled "…（续）"
            title = self.title
            self.section(f"{title}{caption('continued', self.layout.lang)}")
            self.title = title
        self.count += 1
        lang = self.layout.lang
        if not e.applicable:
            text, done, style = f"{NOT_APPLICABLE} {caption('skip', lang)}", NOT_APPLICABLE, s.small
        elif e.computed:
            text = f"{caption('computed', lang)}：{e.entry_text or NOT_APPLICABLE}"
            done, style = NOT_APPLICABLE, s.small
        elif not e.entry_text:
            text, done, style = f"（{caption('not_filled', lang)}）", NOT_APPLICABLE, s.small
        else:
            text, done, style = e.entry_text, UNCHECKED, s.cell
        value = CopyableParagraph(markup(text, s.fonts, style.fontName), style, actual=text)
        self.rows.append([[s.para(str(self.count), s.cell_center)], [s.para(label, s.cell)],
                          [s.para(e.unit, s.cell_center)], [value],
                          [s.para(done, s.cell_center)]])

    def part(self, part: PartEntry) -> None:
        layout = self.layout
        if part.blank:
            self.section(part.heading, f"（{caption('recommender_skip', layout.lang)}）",
                         standalone=True)
            self.close()
            return
        self.section(part.heading)
        for entry in part.entries:
            if isinstance(entry, FieldEntry):
                self.entry(entry.label, entry)
            elif isinstance(entry, GridEntry):
                for line in entry.lines:
                    for year, cell in zip(entry.years, line.cells, strict=True):
                        if cell is not None:
                            self.entry(f"{line.label}（{caption('year', year=year)}）", cell)
            elif isinstance(entry, TableEntry):
                self.table(part, entry)
        self.close()

    def table(self, part: PartEntry, t: TableEntry) -> None:
        title = f"{part.heading} · {t.label}"
        if not t.rows:
            self.section(title, f"（{caption('none')}）" if t.applicable else NOT_APPLICABLE,
                         standalone=True)
            self.close()
        else:
            self.section(title)
            for index, row in enumerate(t.rows, start=1):
                for e in row:
                    self.entry(f"{caption('row', n=index)} · {e.label}", e)
            self.close()
        self.section(f"{part.heading}{caption('continued', self.layout.lang)}")

    def flowables(self) -> list[Flowable]:
        self.close()
        return self.tables


def _heading(layout: Layout, ctx: RenderContext, s: Styles) -> list[Flowable]:
    definition = layout.definition
    info: list[tuple[str, str]] = []
    for field_id, value in (("enterprise.name", layout.enterprise_name),
                            ("enterprise.uscc", ctx.uscc)):
        f = definition.field(field_id)
        if f is not None:
            info.append((f.label.text(layout.lang), value))
    info += [(caption("fingerprint", layout.lang), ctx.fingerprint),
             (caption("finalized", layout.lang), finalized_text(layout))]
    table = Table([[s.para(k, s.cell), s.para(v, s.cell)] for k, v in info],
                  colWidths=[45 * mm, FRAME_WIDTH - 45 * mm], hAlign="LEFT")
    table.setStyle(s.table_style([*grid_style(0), ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                                  ("BOX", (0, 0), (-1, -1), 0.8, GRID_LINE)]))
    return [
        s.para(layout.title, s.heading),
        s.para(caption("entry_title", layout.lang), s.subheading),
        table,
        Spacer(1, 3 * mm),
        s.para(caption("entry_order", layout.lang), s.small),
        Spacer(1, 3 * mm),
    ]


def render_entry_sheet(ctx: RenderContext) -> bytes:
    """``entry-sheet.pdf``: what to type into the online platform, value by value."""
    layout = build_layout(ctx)
    styles = make_styles(load_fonts(), base_size=10)
    sheet = _Sheet(layout, styles)
    for part in layout.parts:
        sheet.part(part)
    title = f"{layout.title} — {caption('entry_title', layout.lang)}"
    enterprise = enterprise_line(layout, ctx.uscc)
    footer = Footer(title, ctx.fingerprint, ctx.qr_payload, styles.fonts, enterprise)
    story = [*_heading(layout, ctx, styles), *sheet.flowables()]
    return build_pdf(story, footer, ctx, title=title, subject=enterprise or title)
