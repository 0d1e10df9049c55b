"""The workbook and the printable table: content, layout facts, deterministic bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import Workbook

from giantdesk.summaries.collect import Summary, collect
from giantdesk.summaries.render_docx import render_docx
from giantdesk.summaries.render_xlsx import FIRST_DATA_ROW, _put, render_xlsx
from giantdesk.summaries.tables import load_summary

from .conftest import AS_OF, Bundles


@pytest.fixture(scope="module")
def annex3(bundles: Bundles) -> Summary:
    return collect(load_summary("annex3"), [bundles.folder], as_of=AS_OF)


@pytest.fixture(scope="module")
def annex4(bundles: Bundles) -> Summary:
    return collect(load_summary("annex4"), [bundles.annex2], as_of=AS_OF)


def test_two_runs_give_the_same_bytes(annex3: Summary, bundles: Bundles) -> None:
    again = collect(load_summary("annex3"), [bundles.folder], as_of=AS_OF)
    assert render_xlsx(annex3) == render_xlsx(again)
    assert render_docx(annex3) == render_docx(again)
    for data in (render_xlsx(annex3), render_docx(annex3)):
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert infos[0].filename == "[Content_Types].xml"


def test_workbook(annex3: Summary, bundles: Bundles) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(annex3)))
    assert wb.sheetnames == ["汇总表", "问题", "说明"]
    assert wb.properties.created == wb.properties.modified == datetime(2022, 7, 20)
    assert wb.properties.creator == "GiantDesk"
    ws = wb["汇总表"]
    assert ws["A1"].value == "第四批专精特新“小巨人”企业推荐汇总表"
    assert "不是官方模板" in ws["A3"].value
    headers = [c.value for c in ws[4]]
    assert headers == [c.label.zh for c in annex3.definition.columns]
    assert ws.freeze_panes == f"C{FIRST_DATA_ROW}"
    assert ws.auto_filter.ref == f"A4:{ws.cell(4, len(headers)).column_letter}6"
    rows = {ws.cell(r, 3).value: [c for c in ws[r]] for r in (FIRST_DATA_ROW, FIRST_DATA_ROW + 1)}
    a = {h: c for h, c in zip(headers, rows[bundles.uscc_a], strict=True)}
    b = {h: c for h, c in zip(headers, rows[bundles.uscc_b], strict=True)}
    revenue = a["2021年营业收入（万元）"]
    assert revenue.data_type == "n" and revenue.value == pytest.approx(19460.00)
    assert revenue.number_format == "#,##0.00"
    share = b["主营业务收入占比（%）"]
    assert share.value == pytest.approx(65.0) and share.number_format == "0.00"
    assert b["未满足的认定条件"].value == "主营业务收入占比（ZY-2）"
    assert a["自动核对结果"].value == "符合全部条件"
    assert a["企业名称"].font.name == "宋体"
    assert a["推荐意见"].fill.fgColor.rgb.endswith("FFF2CC")
    problems = wb["问题"]
    values = [c.value for c in problems[3]]
    assert values[1] == bundles.tampered.name and values[3] == "member.sha256"
    assert values[2] == "错误（未汇总）"
    notes = wb["说明"]
    texts = [c.value for row in notes.iter_rows() for c in row if c.value]
    assert "annex3-batch4 2022.1" in texts and "finance.2021.rd_intensity" in " ".join(
        str(t) for t in texts)


def test_workbook_review_choices(annex4: Summary) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(annex4)))
    ws = wb.worksheets[0]
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"通过,不通过"'
    headers = [c.value for c in ws[4]]
    col = headers.index("复核结果（通过/不通过）") + 1
    results = sorted(ws.cell(r, col).value for r in (FIRST_DATA_ROW, FIRST_DATA_ROW + 1))
    assert results == ["不通过", "通过"]
    assert ws.cell(FIRST_DATA_ROW, col).font.italic  # a suggestion


def test_text_is_never_a_formula() -> None:
    wb = Workbook()
    cell = _put(wb.active, 1, 1, '=HYPERLINK("http://example.invalid","x")\x01')
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://example.invalid","x")'


def test_printable_table(annex3: Summary, bundles: Bundles) -> None:
    doc = Document(io.BytesIO(render_docx(annex3)))
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (section.page_width or 0) > (section.page_height or 0)
    table, problems = doc.tables
    printed = annex3.definition.printed_columns
    assert [c.text for c in table.rows[0].cells] == [c.label.zh for c in printed]
    assert len(table.rows) == 3
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert body[1][1] == "苏州甲精密机械有限公司" and "19,460.00" in body[1]
    assert bundles.tampered.name in problems.rows[1].cells[0].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "第四批专精特新“小巨人”企业推荐汇总表" in text and "不是官方模板" in text
    run = table.rows[1].cells[1].paragraphs[0].runs[0]
    assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
    assert doc.core_properties.created == datetime(2022, 7, 20, tzinfo=UTC)
