"""The summary as an editable workbook (``.xlsx``, openpyxl).

Three sheets: the summary table (title, the recommending unit's lines, the "not the official
template" notice, one header row — frozen, filterable, repeated on every printed page — then one
row per verified bundle; the columns the province fills are yellow, prefilled suggestions are in
italics, a column with fixed choices gets a drop-down list), the problems (bundles not
summarized, with the first problem, and duplicates), and notes (what each column is).

Numbers are numbers (money and percentages with 2 decimals, counts as integers); text is always
stored as text, never as a formula, whatever a record contains. The bytes are deterministic: the
workbook's created/modified times come from the check date, and the package is re-zipped with a
fixed member order and time like the DOCX copies.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.packaging.core import DocumentProperties
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from giantdesk import __version__
from giantdesk.export.ooxml import rezip
from giantdesk.forms.messages import Message
from giantdesk.summaries.collect import ERROR, Cell, Summary
from giantdesk.summaries.tables import Column, describe_source

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
CHARSET_GB2312 = 134  # tells Excel the font is a Chinese one
NUMBER_FORMATS = {"money": "#,##0.00", "percent": "0.00", "int": "0"}
MANUAL_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FIRST_DATA_ROW = 5  # 1 title, 2 unit/date, 3 notice, 4 header

SHEETS = {"summary": Message("汇总表", "Summary"), "problems": Message("问题", "Problems"),
          "notes": Message("说明", "Notes")}


def _font(*, size: float = 10, bold: bool = False, italic: bool = False,
          heading: bool = False, color: str | None = None) -> Font:
    return Font(name=HEADING_FONT if heading else BODY_FONT, size=size, bold=bold,
                italic=italic, color=color, charset=CHARSET_GB2312)


def _put(ws: Any, row: int, col: int, value: Any, *, font: Font | None = None,
         number_format: str | None = None) -> Any:
    """Write one cell; text stays text (never a formula) and loses XML-illegal characters."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.value = value
    else:
        cell.value = value
    cell.font = font or _font()
    if number_format:
        cell.number_format = number_format
    return cell


def _banner(ws: Any, row: int, last_col: int, text: str, font: Font, height: float) -> None:
    _put(ws, row, 1, text, font=font)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(last_col, 1))
    ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[row].height = height


def _summary_sheet(ws: Any, summary: Summary) -> None:
    lang = summary.lang
    definition = summary.definition
    columns = definition.columns
    last = len(columns)
    wide = _first_page_columns(definition.columns)  # the banners stay on the first page
    _banner(ws, 1, wide, definition.title.text(lang), _font(size=16, heading=True), 28)
    checked = Message(f"核对日期：{summary.as_of.isoformat()}",
                      f"checked on {summary.as_of.isoformat()}").text(lang)
    lines = [m.text(lang) for m in definition.header_lines] + [checked]
    _banner(ws, 2, wide, "　　　　".join(lines), _font(size=11), 20)
    _banner(ws, 3, wide, definition.notice.text(lang), _font(size=9, color="595959"), 48)
    for index, column in enumerate(columns, start=1):
        cell = _put(ws, 4, index, column.label.text(lang), font=_font(bold=True))
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = MANUAL_FILL if column.manual else HEADER_FILL
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[4].height = 42
    for offset, row in enumerate(summary.rows):
        r = FIRST_DATA_ROW + offset
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = _data_cell(ws, r, index, value)
            if column.manual:
                cell.fill = MANUAL_FILL
    last_row = FIRST_DATA_ROW + len(summary.rows) - 1
    for index, column in enumerate(columns, start=1):
        if column.choices and summary.rows:
            options = ",".join(c.text(lang) for c in column.choices)
            dv = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            dv.error = Message("请从列表中选择", "choose from the list").text(lang)
            dv.errorTitle = column.label.text(lang)
            ws.add_data_validation(dv)
            letter = get_column_letter(index)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
    footer_row = max(last_row, 4) + 2
    for i, line in enumerate(definition.footer_lines):
        _put(ws, footer_row + i, 1, line.text(lang), font=_font(size=11))
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    ws.auto_filter.ref = f"A4:{get_column_letter(last)}{max(last_row, 4)}"
    ws.print_title_rows = "4:4"
    ws.print_title_cols = "A:B"  # many columns: printed over several pages, with 序号 and name
    _landscape(ws, fit_width=False)


def _first_page_columns(columns: tuple[Column, ...], page_chars: float = 110) -> int:
    """How many columns fit across a printed landscape page (at least one)."""
    total, count = 0.0, 0
    for column in columns:
        total += column.width
        if total > page_chars:
            break
        count += 1
    return max(count, 1)


def _data_cell(ws: Any, row: int, col: int, value: Cell) -> Any:
    number_format = NUMBER_FORMATS.get(value.format) \
        if isinstance(value.value, int | Decimal) else None
    cell = _put(ws, row, col, value.value, font=_font(italic=value.suggested),
                number_format=number_format)
    cell.border = BORDER
    numeric = isinstance(value.value, int | Decimal)
    cell.alignment = Alignment(horizontal="right" if numeric else "left", vertical="top",
                               wrap_text=not numeric)
    return cell


def _landscape(ws: Any, *, fit_width: bool = True) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


PROBLEM_HEADERS = (Message("序号", "No."), Message("文件包", "Bundle"),
                   Message("级别", "Severity"), Message("问题代码", "Code"),
                   Message("成员", "Member"), Message("说明", "Problem"),
                   Message("应为", "Expected"), Message("实际", "Found"))
PROBLEM_WIDTHS = (6, 44, 10, 20, 20, 60, 30, 30)
SEVERITY = {ERROR: Message("错误（未汇总）", "error (not summarized)"),
            "warning": Message("提示（已汇总）", "warning (summarized)")}


def _problems_sheet(ws: Any, summary: Summary) -> None:
    lang = summary.lang
    title = Message("文件包核验问题", "Bundle problems").text(lang)
    _banner(ws, 1, len(PROBLEM_HEADERS), title, _font(size=14, heading=True), 24)
    for index, (header, width) in enumerate(zip(PROBLEM_HEADERS, PROBLEM_WIDTHS, strict=True),
                                            start=1):
        cell = _put(ws, 2, index, header.text(lang), font=_font(bold=True))
        cell.fill, cell.border = HEADER_FILL, BORDER
        ws.column_dimensions[get_column_letter(index)].width = width
    if not summary.problems:
        _put(ws, 3, 2, Message("全部文件包均已通过核验，无问题",
                               "every bundle verified; no problems").text(lang))
    for offset, p in enumerate(summary.problems):
        values = (offset + 1, p.file, SEVERITY[p.severity].text(lang), p.code, p.member,
                  p.message.text(lang), p.expected, p.found)
        for index, value in enumerate(values, start=1):
            cell = _put(ws, 3 + offset, index, value,
                        number_format="0" if index == 1 else None)
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=index > 1, vertical="top")
    ws.freeze_panes = "A3"
    _landscape(ws)


def _notes_sheet(ws: Any, summary: Summary) -> None:
    lang = summary.lang
    d = summary.definition
    form = d.form_definition
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 50
    _put(ws, 1, 1, d.title.text(lang), font=_font(size=14, heading=True))
    official = Message("否（GiantDesk 拟定，可配置）", "no (GiantDesk's proposal, configurable)")
    keys = "、".join(summary.trusted_keys) if summary.trusted_keys else \
        Message("未指定（任何有效签名）", "none given (any valid signature)").text(lang)
    facts = (
        (Message("官方模板", "Official template"),
         (Message("是", "yes") if d.official else official).text(lang)),
        (Message("说明", "Notice"), d.notice.text(lang)),
        (Message("汇总表定义", "Table definition"), f"{d.id} {d.version}"),
        (Message("汇总的申请书", "Form summarized"), f"{form.short_title.text(lang)}（{d.form}）"),
        (Message("核对日期", "Checked on"), summary.as_of.isoformat()),
        (Message("找到的文件包", "Bundles found"), str(summary.found)),
        (Message("已汇总", "Summarized"), str(len(summary.rows))),
        (Message("未汇总（有问题）", "Not summarized (problems)"), str(len(summary.errors))),
        (Message("受信任的密钥编号", "Trusted key ids"), keys),
        (Message("生成软件", "Made by"), f"GiantDesk {__version__}"),
    )
    row = 3
    for label, fact in facts:
        _put(ws, row, 1, label.text(lang), font=_font(bold=True))
        cell = _put(ws, row, 2, fact)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(fact) > 60:  # merged cells do not grow by themselves
            ws.row_dimensions[row].height = 15 * (len(fact) // 60 + 1)
        row += 1
    row += 1
    headers = (Message("列编号", "Column id"), Message("列名", "Label"),
               Message("来源", "Source"), Message("说明", "Note"))
    for index, header in enumerate(headers, start=1):
        cell = _put(ws, row, index, header.text(lang), font=_font(bold=True))
        cell.fill, cell.border = HEADER_FILL, BORDER
    for column in d.columns:
        row += 1
        values = (column.id, column.label.text(lang), describe_source(column, form, lang),
                  column.note.text(lang) if column.note else None)
        for index, value in enumerate(values, start=1):
            cell = _put(ws, row, index, value)
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _landscape(ws)


def render_xlsx(summary: Summary) -> bytes:
    """The workbook's bytes (deterministic for the same summary)."""
    lang = summary.lang
    moment = datetime.combine(summary.as_of, time(0, 0))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS["summary"].text(lang)
    _summary_sheet(ws, summary)
    _problems_sheet(wb.create_sheet(SHEETS["problems"].text(lang)), summary)
    _notes_sheet(wb.create_sheet(SHEETS["notes"].text(lang)), summary)
    if summary.errors:  # a red tab: some bundles were not summarized
        wb[SHEETS["problems"].text(lang)].sheet_properties.tabColor = "C00000"
    title = summary.definition.title.text(lang)
    wb.properties = DocumentProperties(
        creator="GiantDesk", lastModifiedBy="GiantDesk", title=title,
        subject=summary.definition.short_title.text(lang), keywords=summary.definition.id,
        description=summary.definition.notice.text(lang), category=summary.definition.form,
        language="zh-CN" if not lang.startswith("en") else "en", created=moment,
        modified=moment)
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(wb, archive).save()  # not save_workbook(): it stamps "modified" with now
    return bytes(rezip(buffer.getvalue()))


__all__ = ["render_xlsx"]
