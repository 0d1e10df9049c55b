"""The online entry sheet (``entry-sheet.pdf``): every value in the order the platform asks for it.

One row per value a clerk types into the online platform: the field's label, its unit, the exact
text to type (amounts without thousands separators, e.g. ``19460.00``) and a box to tick once
typed. The order is the form definition's (part by part): the platform's order is assumed to be the
form's, and the sheet says so. Computed values are not typed; they are shown for cross-checking.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from giantdesk.export.context import RenderContext
from giantdesk.export.fonts import load_fonts
from giantdesk.export.layout import (
    NOT_APPLICABLE,
    UNCHECKED,
    FieldEntry,
    GridEntry,
    Layout,
    PartEntry,
    TableEntry,
    bilingual,
    build_layout,
    caption,
    finalized_text,
)
from giantdesk.export.pdf import (
    CHUNK,
    FRAME_WIDTH,
    GRID_LINE,
    HEADER_FILL,
    Footer,
    Styles,
    build_pdf,
    chunks,
    enterprise_line,
    grid_style,
    make_styles,
)

NUMBER_WIDTH = 11 * mm
UNIT_WIDTH = 14 * mm
DONE_WIDTH = 11 * mm
LABEL_WIDTH = 62 * mm
TEXT_WIDTH = FRAME_WIDTH - NUMBER_WIDTH - UNIT_WIDTH - DONE_WIDTH - LABEL_WIDTH


class _Sheet:
    def __init__(self, layout: Layout, styles: Styles) -> None:
        self.layout = layout
        self.s = styles
        header = [caption("number"), caption("item"), caption("unit"), caption("value"),
                  caption("entry_done")]
        en = [caption(k, "en") for k in ("number", "item", "unit", "value", "entry_done")]
        self.rows: list[list[Paragraph | str]] = [
            [styles.para(f"{zh}\n{e}", styles.head_cell) for zh, e in zip(header, en,
                                                                            strict=True)]]
        self.commands: list[tuple[Any, ...]] = grid_style(1)
        self.count = 0

    def section(self, text: str, note: str = "") -> None:
        index = len(self.rows)
        cell = self.s.para(text + (f"　{note}" if note else ""), self.s.subheading)
        self.rows.append([cell, "", "", "", ""])
        self.commands += [("SPAN", (0, index), (-1, index)),
                          ("BACKGROUND", (0, index), (-1, index), HEADER_FILL)]

    def entry(self, label: str, e: FieldEntry) -> None:
        s = self.s
        self.count += 1
        if not e.applicable:
            text, done, style = f"{NOT_APPLICABLE} {caption('skip')} / {caption('skip', 'en')}", \
                NOT_APPLICABLE, s.small
        elif e.computed:
            text = f"{bilingual('computed')}: {e.entry_text or NOT_APPLICABLE}"
            done, style = NOT_APPLICABLE, s.small
        else:
            text, done, style = e.entry_text, UNCHECKED, s.cell
        pieces = chunks(text)
        first = len(self.rows)
        self.rows.append([s.para(str(self.count), s.cell_center), s.para(label, s.cell),
                          s.para(e.unit, s.cell_center), s.para(pieces[0], style),
                          s.para(done, s.cell_center)])
        self.rows += [["", "", "", s.para(piece, style), ""] for piece in pieces[1:]]
        if len(pieces) > 1:
            last = len(self.rows) - 1
            for col in (0, 1, 2, 4):
                self.commands.append(("SPAN", (col, first), (col, last)))

    def part(self, part: PartEntry) -> None:
        layout = self.layout
        if part.blank:
            self.section(part.heading, f"（{caption('recommender_skip', layout.lang)} / "
                                       f"{caption('recommender_skip', 'en')}）")
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
                self.table(entry)

    def table(self, t: TableEntry) -> None:
        if not t.rows:
            self.section(t.label, f"（{caption('none')} / {caption('none', 'en')}）"
                         if t.applicable else NOT_APPLICABLE)
            return
        self.section(t.label)
        for index, row in enumerate(t.rows, start=1):
            for e in row:
                self.entry(f"{caption('row', n=index)} · {e.label}", e)

    def flowable(self) -> Table:
        longest = max((len(p.text) for r in self.rows for p in r if isinstance(p, Paragraph)),
                      default=0)
        table = Table(self.rows, colWidths=[NUMBER_WIDTH, LABEL_WIDTH, UNIT_WIDTH, TEXT_WIDTH,
                                            DONE_WIDTH],
                      repeatRows=1, hAlign="LEFT", splitInRow=1 if longest > 4 * CHUNK else 0)
        table.setStyle(self.s.table_style(self.commands))
        return table


def _heading(layout: Layout, ctx: RenderContext, s: Styles) -> list[Flowable]:
    info = [
        (bilingual("enterprise"), next((c.value for c in layout.cover_lines if c.value), "")),
        ("USCC", ctx.uscc),
        (bilingual("fingerprint"), ctx.fingerprint),
        (bilingual("finalized"), finalized_text(layout)),
    ]
    table = Table([[s.para(k, s.cell), s.para(v, s.cell)] for k, v in info],
                  colWidths=[45 * mm, FRAME_WIDTH - 45 * mm], hAlign="LEFT")
    table.setStyle(s.table_style([*grid_style(0), ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                               ("BOX", (0, 0), (-1, -1), 0.8, GRID_LINE)]))
    return [
        s.para(f"{layout.title}", s.heading),
        s.para(bilingual("entry_title"), s.subheading),
        table,
        Spacer(1, 3 * mm),
        s.para(caption("entry_order", layout.lang), s.small),
        s.para(caption("entry_order", "en"), s.small),
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
    extra = enterprise_line(layout, ctx)
    footer = Footer(title, ctx.fingerprint, ctx.qr_payload, styles.fonts, extra)
    story = [*_heading(layout, ctx, styles), sheet.flowable()]
    return build_pdf(story, footer, ctx, title=title, subject=extra or title)
