"""The shared walk over the definition: order, labels, units, conditions, values as printed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from giantdesk.export.context import RenderContext
from giantdesk.export.layout import (
    CHECKED,
    NOT_APPLICABLE,
    UNCHECKED,
    FieldEntry,
    GridEntry,
    Layout,
    NoteEntry,
    TableEntry,
    blank_box_parts,
    build_layout,
    closing_notes,
    column_widths,
    key_id_text,
    signature_lines,
    signoff_pieces,
)
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.model import FieldDef, FieldType, GridDef, TableDef
from giantdesk.forms.record import Submission, loads
from giantdesk.forms.values import display_text
from tests.conftest import SAMPLES

FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)


def sample(name: str) -> Submission:
    return loads((SAMPLES / f"{name}.json").read_bytes())


def layout_of(record: Submission, key_id: str | None = None) -> Layout:
    return build_layout(RenderContext.of(record, FINALIZED, key_id=key_id))


@pytest.fixture(scope="module")
def annex1() -> Layout:
    return layout_of(sample("annex1-pass"))


def fields_of(layout: Layout) -> dict[str, FieldEntry]:
    out: dict[str, FieldEntry] = {}
    for part in layout.parts:
        for entry in part.entries:
            if isinstance(entry, FieldEntry):
                out[entry.field.id] = entry
            elif isinstance(entry, GridEntry):
                out.update({c.field.id: c for line in entry.lines for c in line.cells if c})
    return out


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_order_and_labels_come_from_the_definition(form_id: str) -> None:
    definition = load_definition(form_id)
    layout = layout_of(Submission.empty(definition))
    assert [p.part.id for p in layout.parts] == [p.id for p in definition.parts]
    assert list(fields_of(layout)) == list(definition.fields)
    for part, entry in zip(definition.parts, layout.parts, strict=True):
        assert entry.heading == f"{part.number.zh}、{part.title.zh}"
        assert entry.official is part.official
        assert entry.blank is (part.filled_by != "enterprise")
        for item, printed in zip(part.items, entry.entries, strict=True):
            if isinstance(item, FieldDef):
                assert isinstance(printed, FieldEntry)
                assert printed.label == item.label.zh
                assert printed.unit == (item.unit.zh if item.unit else "")
            elif isinstance(item, TableDef):
                assert isinstance(printed, TableEntry)
                assert [c.label for c in printed.columns] == [c.label.zh for c in item.columns]
            elif isinstance(item, GridDef):
                assert isinstance(printed, GridEntry)
                assert [line.label for line in printed.lines] == [
                    r.template.label.zh for r in item.rows]
            else:
                assert isinstance(printed, NoteEntry)
                assert printed.text == item.text.zh
    assert [n.text for n in layout.instructions] == [n.text.zh for n in definition.instructions]


def test_values_are_display_text_and_entry_text_has_no_separators(annex1: Layout) -> None:
    fields = fields_of(annex1)
    revenue = fields["finance.2021.operating_revenue"]
    assert revenue.value == Decimal("19460.00")
    assert revenue.text == display_text(revenue.field, revenue.value) == "19,460.00"
    assert revenue.entry_text == "19460.00"
    assert revenue.unit == "万元"
    industry = fields["enterprise.industry_code"]
    assert industry.text == industry.entry_text == "34 通用设备制造业"


def test_computed_values_are_rounded_and_marked(annex1: Layout) -> None:
    fields = fields_of(annex1)
    ratio = fields["finance.2021.debt_ratio"]
    assert ratio.computed
    assert ratio.value == Decimal("37.84")
    assert ratio.text == "37.84" and ratio.unit == "%"


def test_grid_first_growth_cell_comes_from_the_optional_base_year(annex1: Layout) -> None:
    grid = next(e for p in annex1.parts for e in p.entries if isinstance(e, GridEntry))
    growth = next(line for line in grid.lines if line.key == "main_revenue_growth")
    assert all(c is not None for c in growth.cells)
    first = growth.cells[0]
    assert first is not None and first.text == "9.38"  # 2019 over the sample's 2018 figure


def test_checkboxes_list_every_option_and_tick_the_chosen(annex1: Layout) -> None:
    fields = fields_of(annex1)
    size = fields["enterprise.size"]
    assert [m.label for m in size.marks] == [c.label.zh for c in size.field.choices]
    assert [m.checked for m in size.marks] == [c.id == "medium" for c in size.field.choices]
    assert size.printed.startswith(f"{UNCHECKED}大型")
    assert f"{CHECKED}中型" in size.printed
    relation = fields["exclusion.controlling_relation"]
    assert relation.field.type is FieldType.BOOL
    assert relation.printed == f"{UNCHECKED}是　 {CHECKED}否"
    areas = fields["refinement.info_system_areas"]
    assert sum(m.checked for m in areas.marks) == len(annex1_value(areas))


def annex1_value(entry: FieldEntry) -> tuple[str, ...]:
    assert isinstance(entry.value, tuple)
    return entry.value


def test_unmet_condition_is_not_applicable(annex1: Layout) -> None:
    names = fields_of(annex1)["exclusion.controlling_relation_names"]
    assert not names.applicable
    assert names.text == names.entry_text == NOT_APPLICABLE
    assert names.marks == ()


def test_recommender_part_is_blank_even_when_the_record_has_values() -> None:
    record = sample("annex1-pass")
    layout = layout_of(record)
    blank = [p for p in layout.parts if p.blank]
    assert blank and all(isinstance(e, NoteEntry) for p in blank for e in p.entries)
    assert layout.declaration_part == "other"


def test_cover_fills_the_enterprise_name_only(annex1: Layout) -> None:
    lines = annex1.cover_lines
    assert [line.label for line in lines] == [m.zh for m in load_definition(
        "annex1-batch4").cover.lines]
    assert lines[0].value == "苏州精研微动科技股份有限公司"
    assert [line.value for line in lines[1:]] == ["", ""]


def test_unofficial_marking_comes_from_the_definition(annex1: Layout) -> None:
    by_id = {p.part.id: p for p in annex1.parts}
    assert by_id["basic"].official and by_id["basic"].has_unofficial_items
    assert not by_id["specialization"].official
    assert not by_id["specialization"].has_unofficial_items  # the part note says it all
    assert annex1.instructions_have_unofficial


def test_tables_rows_and_empty_tables(annex1: Layout) -> None:
    tables = {e.table.id: e for p in annex1.parts for e in p.entries
              if isinstance(e, TableEntry)}
    ip = tables["innovation.class1_ip"]
    assert len(ip.rows) == 4
    assert ip.rows[0][0].text == "发明专利"
    assert tables["innovation.national_award"].rows == ()
    assert tables["innovation.national_award"].applicable


def test_column_widths_fill_the_total() -> None:
    table = load_definition("annex1-batch4").table("innovation.class1_ip")
    assert table is not None
    widths = column_widths(table.columns, 170.0, first=10.0)
    assert widths[0] == 10.0
    assert sum(widths) == pytest.approx(170.0)
    assert len(widths) == len(table.columns) + 1


def test_province_printed_by_name_and_percent_without_space(annex1: Layout) -> None:
    fields = fields_of(annex1)
    province = fields["enterprise.region_province"]
    assert province.value == "32"
    assert province.text == province.entry_text == "江苏省"
    share = next(f for f in fields.values() if f.unit == "%" and f.value is not None)
    assert share.printed_with_unit == f"{share.printed}%"
    revenue = fields["finance.2021.operating_revenue"]
    assert revenue.printed_with_unit == "19,460.00 万元"


def test_key_id_and_signature_lines() -> None:
    layout = layout_of(sample("annex1-pass"), key_id="5647 5AA7 5463 474C")
    assert key_id_text("5647 5AA7 5463 474C") == "签名密钥编号：5647 5AA7 5463 474C"
    assert key_id_text(None) == "签名密钥编号：未签名"
    lines = signature_lines(layout)
    assert lines[0] == key_id_text("5647 5AA7 5463 474C")
    assert any(layout.sha256 in line for line in lines)
    assert all("/" not in line.split("：")[0] for line in lines)  # Chinese captions only


def test_declaration_notes_sign_off_and_blank_box() -> None:
    layout = layout_of(sample("annex2-pass"))
    part = next(p for p in layout.parts if p.part.id == layout.declaration_part)
    entries, notes = closing_notes(part)
    assert [n.note.id for n in notes] == ["other.declaration", "other.signature"]
    assert "复核申请书" in notes[0].text  # Annex 2 words its own declaration
    assert not any(isinstance(e, NoteEntry) for e in entries)
    assert signoff_pieces(notes[1].text) == ("法定代表人（签字）：", "企业（盖章）：",
                                             "年\u3000\u3000月\u3000\u3000日")
    box = next(e for p in layout.parts if p.blank for e in p.entries if isinstance(e, NoteEntry))
    head, tail = blank_box_parts(box.text)
    assert head.startswith("复核意见：☐通过") and "未通过原因" in head
    assert tail == ("（盖章）", "年\u3000\u3000月\u3000\u3000日")
