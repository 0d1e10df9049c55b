from __future__ import annotations

import json
from importlib import resources

import pytest

from giantdesk.forms.definitions import FORM_IDS, DefinitionError, build_definition, load_definition
from giantdesk.forms.model import FieldType, GridDef, TableDef

FIXED_IDS = [
    "enterprise.name", "enterprise.uscc", "enterprise.registered_on", "enterprise.registered_capital",
    "enterprise.size", "enterprise.industry_code", "enterprise.niche_code", "enterprise.ownership",
    "enterprise.province_title_valid", "legal_rep.name", "legal_rep.mobile", "contact.name",
    "contact.mobile", "contact.email", "exclusion.single_champion",
    "exclusion.controlling_relation", "exclusion.controlling_relation_names",
    "exclusion.group_similar_product", "specialization.niche_years",
    "specialization.main_product", "refinement.info_system_areas",
    "distinctiveness.market_share", "distinctiveness.own_brand", "chain.role", "field.category",
]
FINANCE_KEYS = ["employees", "rd_staff", "operating_revenue", "main_revenue", "net_profit",
                "total_assets", "total_liabilities", "rd_expense", "equity_financing"]
FIXED_TABLES = {
    "refinement.certifications": ["kind", "name", "number", "issuer", "valid_until"],
    "innovation.rd_institution": ["kind", "level", "mode", "partner"],
    "innovation.class1_ip": ["type", "number", "title", "granted_on", "related", "in_use"],
    "innovation.national_award": ["award", "year", "rank"],
    "innovation.maker_china_top50": ["year", "group"],
}


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_fixed_ids_exist(form_id: str) -> None:
    definition = load_definition(form_id)
    for field_id in FIXED_IDS:
        assert definition.field(field_id) is not None, field_id
    for year in (2019, 2020, 2021):
        for key in FINANCE_KEYS:
            assert definition.field(f"finance.{year}.{key}") is not None
    for table_id, columns in FIXED_TABLES.items():
        table = definition.table(table_id)
        assert table is not None
        assert {c.id for c in table.columns} >= set(columns)


def test_annex1_parts_in_order() -> None:
    definition = load_definition("annex1-batch4")
    assert [p.number.zh for p in definition.parts] == list("一二三四五六七八九十")
    assert definition.parts[-1].filled_by == "recommender"
    assert definition.year == 2021 and definition.finance_years == (2019, 2020, 2021)
    assert definition.title.zh == "第四批专精特新“小巨人”企业申请书"


def test_annex2_reuses_annex1_and_adds_review() -> None:
    a1, a2 = load_definition("annex1-batch4"), load_definition("annex2-batch1-review")
    assert set(a1.fields) < set(a2.fields)
    review = a2.part_of("review.original_batch")
    assert review is not None and not review.official
    assert a2.title.zh == "第一批专精特新“小巨人”企业复核申请书"
    # shared fields are the same definitions, not copies that could drift
    assert a1.field("enterprise.uscc") == a2.field("enterprise.uscc")


def test_a_derived_form_replaces_a_note_of_a_shared_part() -> None:
    a1, a2 = load_definition("annex1-batch4"), load_definition("annex2-batch1-review")
    notes = [[i for i in d.parts[[p.id for p in d.parts].index("other")].items
              if not hasattr(i, "type")] for d in (a1, a2)]
    assert [n.id for n in notes[0]] == [n.id for n in notes[1]]  # same place, same ids
    assert "复核申请书" in notes[1][0].text.zh and "复核申请书" not in notes[0][0].text.zh
    assert notes[0][1] == notes[1][1]  # the sign-off line is shared
    raw = json.loads(resources.files("giantdesk.forms").joinpath(
        "definitions/annex2-batch1-review.json").read_text(encoding="utf-8"))
    other = next(p for p in raw["parts"] if p.get("ref") == "other")
    other["replace"][0]["note"] = "other.nothing"
    with pytest.raises(DefinitionError, match="nothing to replace"):
        build_definition(raw)


def test_labels_bilingual_and_units() -> None:
    definition = load_definition("annex1-batch4")
    for f in definition.fields.values():
        assert f.label.zh and f.label.en, f.id
        if f.type is FieldType.MONEY:
            assert f.unit is not None and f.unit.zh == "万元"
    net = definition.field("finance.2021.net_profit")
    assert net is not None and net.allow_negative


def test_grid_and_computed_cells() -> None:
    definition = load_definition("annex1-batch4")
    grid = next(i for p in definition.parts for i in p.items if isinstance(i, GridDef))
    assert grid.years == (2019, 2020, 2021)
    first = definition.field("finance.2019.main_revenue_growth")  # from the optional 2018 input
    assert first is not None and first.computed is not None
    assert first.computed.inputs == ("finance.2019.main_revenue", "finance.2018.main_revenue")
    base = definition.field("finance.2018.main_revenue")
    assert base is not None and not base.required and base.label.zh.startswith("2018年")
    growth = definition.field("finance.2021.main_revenue_growth")
    assert growth is not None and growth.computed is not None
    assert growth.computed.inputs == ("finance.2021.main_revenue", "finance.2020.main_revenue")


def test_unofficial_places_are_marked() -> None:
    definition = load_definition("annex1-batch4")
    unofficial = [p.id for p in definition.parts if not p.official]
    assert "specialization" in unofficial and "basic" not in unofficial
    assert not definition.field("finance.2021.total_assets").official  # type: ignore[union-attr]
    assert all(isinstance(t, TableDef) for t in definition.tables.values())


def test_loader_rejects_bad_definitions() -> None:
    base = {
        "id": "x", "version": "1", "rules": "measures-2022-63", "year": 2021,
        "title": ["t", "t"], "short_title": ["t", "t"],
        "cover": {"title": ["t", "t"], "subtitle": ["s", "s"], "lines": [], "issuer": ["i", "i"]},
        "instructions": [],
    }
    dup = {**base, "parts": [{"part": "p", "number": ["一", "1"], "title": ["p", "p"], "items": [
        {"field": "a", "label": ["a", "a"], "type": "text"},
        {"field": "a", "label": ["a", "a"], "type": "text"}]}]}
    with pytest.raises(DefinitionError, match="duplicate"):
        build_definition(dup)
    bad_condition = {**base, "parts": [{"part": "p", "number": ["一", "1"], "title": ["p", "p"],
                                        "items": [{"field": "a", "label": ["a", "a"], "type": "text",
                                                   "condition": {"field": "nope"}}]}]}
    with pytest.raises(DefinitionError, match="unknown field"):
        build_definition(bad_condition)
    bad_type = {**base, "parts": [{"part": "p", "number": ["一", "1"], "title": ["p", "p"],
                                   "items": [{"field": "a", "label": ["a", "a"], "type": "colour"}]}]}
    with pytest.raises(DefinitionError, match="unknown type"):
        build_definition(bad_type)


def test_unknown_form() -> None:
    with pytest.raises(KeyError):
        load_definition("annex9")


def _one_part(*items: dict[str, object], **extra: object) -> dict[str, object]:
    return {"id": "x", "version": "1", "rules": "measures-2022-63", "year": 2021,
            "title": ["t", "t"], "short_title": ["t", "t"], "instructions": [],
            "cover": {"title": ["t", "t"], "subtitle": ["s", "s"], "lines": [],
                      "issuer": ["i", "i"]},
            "parts": [{"part": "p", "number": ["一", "1"], "title": ["p", "p"],
                       "items": list(items)}], **extra}


def test_limits_come_from_the_definition() -> None:
    raw = _one_part({"field": "a", "label": ["a", "a"], "type": "text"},
                    {"field": "b", "label": ["b", "b"], "type": "longtext", "max_length": 50},
                    {"field": "c", "label": ["c", "c"], "type": "money"},
                    {"table": "t", "label": ["t", "t"], "max_rows": 3,
                     "columns": [{"field": "x", "label": ["x", "x"], "type": "text"}]},
                    limits={"max_length": {"text": 30, "*": 10}, "max_rows": 7,
                            "max_record_bytes": 1000})
    definition = build_definition(raw)
    assert definition.field("a").max_length == 30  # type: ignore[union-attr]
    assert definition.field("b").max_length == 50  # type: ignore[union-attr]
    assert definition.field("c").max_length is None  # type: ignore[union-attr]
    assert definition.table("t").max_rows == 3  # type: ignore[union-attr]
    assert definition.max_record_bytes == 1000
    assert build_definition(_one_part({"field": "a", "label": ["a", "a"],
                                       "type": "text"})).field("a").max_length == 100  # type: ignore[union-attr]


def test_loader_checks_divisions_and_row_dependent_types() -> None:
    with pytest.raises(DefinitionError, match="within"):
        build_definition(_one_part({"field": "c", "label": ["c", "c"], "type": "city"}))
    table = {"table": "t", "label": ["t", "t"], "columns": [
        {"field": "n", "label": ["n", "n"], "type": "text",
         "type_when": [{"field": "nope", "values": ["x"], "type": "patent"}]}]}
    with pytest.raises(DefinitionError, match="type_when"):
        build_definition(_one_part(table))


def test_the_patent_column_takes_its_type_from_the_row() -> None:
    table = load_definition("annex1-batch4").table("innovation.class1_ip")
    assert table is not None
    number = table.column("number")
    assert number is not None and number.type is FieldType.TEXT
    patent = number.for_row({"type": "invention_patent"})
    assert patent.type is FieldType.PATENT and patent.patent_kinds == ("invention",)
    assert number.for_row({"type": "plant_variety"}) is number


def test_a_derived_form_can_change_a_shared_field() -> None:
    annex1, annex2 = load_definition("annex1-batch4"), load_definition("annex2-batch1-review")
    title1 = annex1.field("enterprise.province_title_valid")
    title2 = annex2.field("enterprise.province_title_valid")
    assert title1 is not None and title2 is not None
    assert title1.required and not title2.required and title1.label == title2.label
    assert annex1.options["province_title_required"] is True
    assert annex2.options["province_title_required"] is False
    assert [n.id for n in annex2.instructions] == [
        "instructions.1", "instructions.2", "instructions.3", "instructions.4", "instructions.5"]


def test_sourced_sentences_are_marked_official() -> None:
    definition = load_definition("annex1-batch4")
    third = next(n for n in definition.instructions if n.id == "instructions.3")
    assert third.official and "上一完整会计年度" in third.text.zh
    assert "存在子公司或母公司的企业" in third.text.zh and "《企业会计准则》" in third.text.zh
    ip = definition.table("innovation.class1_ip")
    assert ip is not None and ip.column("transferred_recently").official  # type: ignore[union-attr]
    relation = definition.field("exclusion.controlling_relation")
    assert relation is not None and "50%" not in relation.label.zh
    assert relation.help is not None and "50%" in relation.help.zh
