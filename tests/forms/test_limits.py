"""The record reader refuses what cannot be stored or printed (issue 10, points 1 and 2).

Each case was accepted before the reader had limits: ``check`` called it valid, then ``export``,
``drafts import`` or carry-over ended in a traceback (UnicodeEncodeError, lxml's "All strings
must be XML compatible", reportlab's LayoutError) or ran for minutes.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from giantdesk.forms import limits
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.model import NON_TEXT_TYPES, FieldType
from giantdesk.forms.record import (
    LIMIT_CODES,
    RecordError,
    Submission,
    check_limits,
    dump_bytes,
    loads,
    max_record_bytes,
)
from giantdesk.forms.validation import validate
from giantdesk.forms.validators import InvalidValue
from giantdesk.forms.values import parse_input

from .helpers import SAMPLES, TODAY, sample, with_changes


def raw_sample(name: str = "annex1-pass") -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def refused(data: dict[str, Any], *, ascii_json: bool = True) -> list[tuple[str, str, str]]:
    """(path, code, en message) of every problem the reader names; fails if it accepts."""
    text = json.dumps(data, ensure_ascii=ascii_json)
    with pytest.raises(RecordError) as err:
        loads(text.encode("utf-8", "surrogatepass"))
    return [(p.path, p.code, p.message.en) for p in err.value.problems]


def printable(message: str) -> bool:
    return limits.bad_character(message) is None and message.encode("utf-8")


# --------------------------------------------------------------------------------------------
# Characters


@pytest.mark.parametrize("bad", ["\ud800", "\udfff", "\ud83d"])
def test_lone_surrogate_in_a_value_is_refused_naming_the_field(bad: str) -> None:
    data = raw_sample()
    data["values"]["enterprise.name"] = f"苏州精研{bad}微动科技"
    [(path, code, message)] = refused(data)
    assert (path, code) == ("enterprise.name", "text.character")
    assert "Enterprise name" in message and f"U+{ord(bad):04X}" in message
    assert "character 5" in message and printable(message)


def test_lone_surrogate_in_a_table_cell_and_a_choice_is_refused() -> None:
    data = raw_sample()
    data["tables"]["innovation.class1_ip"][1]["title"] = "交叉\udc80滚子"
    data["values"]["refinement.info_system_areas"] = ["rd_design", "manu\ud800"]
    problems = refused(data)
    assert {(p, c) for p, c, _ in problems} == {
        ("innovation.class1_ip[2].title", "text.character"),
        ("refinement.info_system_areas", "text.character")}
    assert all(printable(m) for _, _, m in problems)
    assert any("row 2" in m and "Title" in m for _, _, m in problems)


@pytest.mark.parametrize("bad", ["\x1b", "\x07", "\x01", "\x00", "\x7f", "\x85", "\ufffe",
                                 "\uffff", "\ufdd0", "\U0001fffe"])
def test_control_characters_and_noncharacters_in_a_name_are_refused(bad: str) -> None:
    data = raw_sample()
    data["values"]["legal_rep.name"] = f"顾{bad}明远"
    [(path, code, message)] = refused(data, ascii_json=False)
    assert (path, code) == ("legal_rep.name", "text.character")
    assert f"U+{ord(bad):04X}" in message and printable(message)


@pytest.mark.parametrize("brk", ["\n", "\t", "\r"])
def test_line_breaks_only_in_multi_line_text(brk: str) -> None:
    data = raw_sample()
    data["values"]["specialization.description"] = f"第一段{brk}第二段"
    assert loads(json.dumps(data)).values["specialization.description"] == f"第一段{brk}第二段"
    data["values"]["enterprise.address"] = f"星湖街{brk}328 号"
    [(path, code, message)] = refused(data)
    assert (path, code) == ("enterprise.address", "text.character")
    assert "single line" in message


def test_unknown_keys_with_surrogates_are_named_printably() -> None:
    data = raw_sample()
    data["values"]["bad\ud800key"] = "x"
    data["tables"]["innovation.class1_ip"][0]["col\udfffumn"] = "x"
    problems = refused(data)
    assert {p for p, _, _ in problems} == {"badU+D800key", "innovation.class1_ip[1].colU+DFFFumn"}
    assert all(printable(p) and printable(m) for p, _, m in problems)


def test_a_wrong_type_quoting_a_surrogate_is_shown_printably() -> None:
    data = raw_sample()
    data["values"]["finance.2021.employees"] = "3\ud8001"
    [(path, code, message)] = refused(data)
    assert (path, code) == ("finance.2021.employees", "record.type")
    assert "U+D800" in message and printable(message)


# --------------------------------------------------------------------------------------------
# Lengths, rows, size


def test_the_limits_are_in_the_field_model() -> None:
    definition = load_definition("annex1-batch4")
    for f in definition.fields.values():
        assert (f.max_length is None) == (f.type in NON_TEXT_TYPES), f.id
    assert definition.field("specialization.description").max_length == 2000  # type: ignore[union-attr]
    assert definition.field("enterprise.name").max_length == 200  # type: ignore[union-attr]
    assert definition.field("contact.email").max_length == 254  # type: ignore[union-attr]
    assert definition.field("finance.2021.employees").max_length is None  # type: ignore[union-attr]
    assert definition.table("innovation.class1_ip").max_rows == 500  # type: ignore[union-attr]
    assert definition.table("innovation.maker_china_top50").max_rows == 10  # type: ignore[union-attr]
    name = definition.field("enterprise.name")
    assert name is not None and name.remaining("一" * 190) == 10 and name.remaining("") == 200
    assert definition.field("finance.2021.employees").remaining("12") is None  # type: ignore[union-attr]
    for table in definition.tables.values():
        assert all(c.max_length is None or c.max_length > 0 for c in table.columns)


@pytest.mark.parametrize(("field", "limit"), [("specialization.description", 2000),
                                              ("enterprise.name", 200)])
def test_over_long_values_are_refused_at_the_limit_plus_one(field: str, limit: int) -> None:
    data = raw_sample()
    data["values"][field] = "长" * limit
    assert len(loads(json.dumps(data)).values[field]) == limit  # type: ignore[arg-type]
    data["values"][field] = "长" * (limit + 1)
    [(path, code, message)] = refused(data)
    assert (path, code) == (field, "text.too_long")
    assert f"at most {limit:,} characters, not {limit + 1:,}" in message


def test_over_long_table_cell_is_refused() -> None:
    data = raw_sample()
    data["tables"]["refinement.certifications"][0]["issuer"] = "x" * 201
    [(path, code, _)] = refused(data)
    assert (path, code) == ("refinement.certifications[1].issuer", "text.too_long")


def test_too_many_rows_are_refused_without_reading_them() -> None:
    data = raw_sample()
    rows = data["tables"]["innovation.class1_ip"]
    data["tables"]["innovation.class1_ip"] = (rows * 125)[:500]
    assert len(loads(json.dumps(data)).tables["innovation.class1_ip"]) == 500
    data["tables"]["innovation.class1_ip"] = [{"nonsense": 1}] * 100_000
    [(path, code, message)] = refused(data)
    assert (path, code) == ("innovation.class1_ip", "table.max_rows")
    assert "at most 500 rows, not 100,000" in message


def test_too_many_choices_are_refused() -> None:
    data = raw_sample()
    data["values"]["chain.role"] = ["fill_gap"] * 4
    [(path, code, _)] = refused(data)
    assert (path, code) == ("chain.role", "choice.too_many")


def test_a_record_over_the_size_limit_is_refused_before_parsing() -> None:
    limit = max_record_bytes()
    assert limit == load_definition("annex1-batch4").max_record_bytes == 8 * 1024 * 1024
    text = b'{"x": "' + b"a" * limit + b'"}'
    with pytest.raises(RecordError) as err:
        loads(text)
    [problem] = err.value.problems
    assert problem.code == "record.too_large" and "8 MB" in problem.message.en


def test_a_record_filled_to_every_limit_fits_the_size_limit() -> None:
    """The limits agree with each other: whatever passes every field and row limit can be
    written and read back (so a draft that the store accepted always exports and verifies)."""
    for form_id in FORM_IDS:
        definition = load_definition(form_id)
        record = Submission.empty(definition)
        for f in definition.fields.values():
            if f.max_length is not None and f.type is not FieldType.MULTICHOICE:
                record.values[f.id] = "长" * f.max_length
        for table in definition.tables.values():
            row = {c.id: "长" * c.max_length for c in table.columns
                   if c.max_length is not None and c.type is not FieldType.MULTICHOICE}
            record.tables[table.id] = [dict(row) for _ in range(table.max_rows)]
        data = dump_bytes(record)
        assert len(data) <= definition.max_record_bytes, (form_id, len(data))
        assert check_limits(record) == []
        assert loads(data).values == record.values


def test_limit_codes_are_what_the_commands_report_as_invalid() -> None:
    assert {"text.character", "text.too_long", "table.max_rows", "record.too_large"} <= LIMIT_CODES


# --------------------------------------------------------------------------------------------
# In-memory records and typed input go through the same checks


def test_check_limits_of_an_in_memory_record() -> None:
    record = with_changes(sample(), {"enterprise.name": "a\x1bb",
                                     "specialization.description": "长" * 2001})
    record.tables["innovation.class1_ip"] = record.tables["innovation.class1_ip"] * 126
    problems = {(p.path, p.code) for p in check_limits(record)}
    assert problems == {("enterprise.name", "text.character"),
                        ("specialization.description", "text.too_long"),
                        ("innovation.class1_ip", "table.max_rows")}
    assert check_limits(sample()) == []


@pytest.mark.parametrize(("field", "raw", "code"), [
    ("enterprise.name", "abc\x1bdef", "text.character"),
    ("enterprise.name", "abc\udc80", "text.character"),  # argv with invalid UTF-8 bytes
    ("enterprise.name", "x" * 201, "text.too_long"),
    ("specialization.description", "长" * 2001, "text.too_long"),
    ("contact.mobile", "139\x0012876543", "text.character"),
    ("enterprise.uscc", "9132059458441736XN\ufffe", "text.character"),
])
def test_typed_input_is_refused_the_same_way(field: str, raw: str, code: str) -> None:
    f = load_definition("annex1-batch4").field(field)
    assert f is not None
    with pytest.raises(InvalidValue) as err:
        parse_input(f, raw, today=TODAY)
    assert err.value.code == code
    assert limits.bad_character(err.value.message.zh + err.value.message.en) is None


def test_typed_line_breaks_fold_in_single_line_text_and_stay_in_multi_line_text() -> None:
    definition = load_definition("annex1-batch4")
    name, text = definition.field("enterprise.name"), definition.field("chain.description")
    assert name is not None and text is not None
    assert parse_input(name, "苏州\n精研\t科技", today=TODAY).value == "苏州 精研 科技"
    assert parse_input(text, "第一段\r\n\t第二段", today=TODAY).value == "第一段\n\t第二段"


def test_validation_reports_limits_of_a_live_record() -> None:
    record = with_changes(sample(), {"enterprise.name": "x" * 201})
    record.tables["innovation.maker_china_top50"] = [{"year": 2021, "group": "企业组"}] * 11
    found = validate(record, today=date(2022, 6, 20))
    codes = {(p.path, p.code) for p in found.errors}
    assert ("enterprise.name", "text.too_long") in codes
    assert ("innovation.maker_china_top50", "table.max_rows") in codes


def test_one_size_text_that_never_rounds_onto_the_limit() -> None:
    from giantdesk.forms.messages import size_text

    assert [size_text(n) for n in (900, 512 * 1024, 8 << 20, 21_000_000, 50 << 20)] == [
        "900 B", "512 KB", "8 MB", "20.03 MB", "50 MB"]
