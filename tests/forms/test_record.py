from __future__ import annotations

import contextlib
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giantdesk.forms.definitions import load_definition
from giantdesk.forms.record import RecordError, Submission, dumps, loads

from .helpers import SAMPLES, sample


def _minimal(**values: object) -> str:
    return json.dumps({"format": "giantdesk.submission/1", "form": "annex1-batch4",
                       "form_version": "2022.1", "rules": "measures-2022-63",
                       "values": values, "tables": {}})


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_samples_are_canonical(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert dumps(loads(text)) == text


def test_canonical_format_details() -> None:
    record = Submission.empty(load_definition("annex1-batch4"))
    record.values["finance.2021.operating_revenue"] = Decimal("1234.5")
    record.values["finance.2021.net_profit"] = Decimal("-12")
    record.values["enterprise.registered_on"] = date(2011, 9, 6)
    record.values["refinement.info_system_areas"] = ("supply_chain", "rd_design")
    record.values["enterprise.name"] = "e\u0301"  # decomposed: written as NFC
    text = dumps(record)
    assert text.endswith("}\n") and "\r" not in text
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["values"]["finance.2021.operating_revenue"] == "1234.50"
    assert data["values"]["finance.2021.net_profit"] == "-12.00"
    assert data["values"]["enterprise.registered_on"] == "2011-09-06"
    assert data["values"]["refinement.info_system_areas"] == ["rd_design", "supply_chain"]
    assert data["values"]["enterprise.name"] == "\u00e9"
    assert '  "form": "annex1-batch4"' in text  # two-space indent


def test_same_record_same_bytes_regardless_of_insertion_order() -> None:
    a = sample()
    b = a.copy()
    b.values = dict(reversed(list(b.values.items())))
    assert dumps(a) == dumps(b)


@pytest.mark.parametrize(("text", "path"), [
    ("not json", ""),
    ("[]", ""),
    ('{"format": "other"}', "format"),
    (_minimal().replace("annex1-batch4", "annex7"), "form"),
    (_minimal().replace("2022.1", "2019.1"), "form_version"),
])
def test_unreadable_records_name_the_place(text: str, path: str) -> None:
    with pytest.raises(RecordError) as err:
        loads(text)
    assert err.value.problems[0].path == path
    assert err.value.problems[0].message.zh and err.value.problems[0].message.en


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("finance.2021.operating_revenue", 12.5, "1234.50"),  # a float: not exact
    ("finance.2021.employees", "12", "whole number"),
    ("enterprise.registered_on", "2021/01/01", "YYYY-MM-DD"),
    ("enterprise.registered_on", "2021-02-30", "YYYY-MM-DD"),
    ("exclusion.single_champion", "no", "true or false"),
    ("refinement.info_system_areas", "rd_design", "list"),
    ("enterprise.name", 7, "text"),
    ("no.such.field", "x", "no field"),
])
def test_malformed_values_name_the_field(field: str, value: object, fragment: str) -> None:
    with pytest.raises(RecordError) as err:
        loads(_minimal(**{field: value}))
    problem = err.value.problems[0]
    assert problem.path == field
    assert fragment in problem.message.en


@pytest.mark.parametrize("digits", [41, 4301, 100_000])
@pytest.mark.parametrize("field", ["finance.2019.employees", "enterprise.name"])
def test_integers_longer_than_any_value_name_the_field(field: str, digits: int) -> None:
    # past 4,300 digits Python refuses to convert; the field is named either way, not the parser
    text = _minimal(**{field: 0}).replace(f'"{field}": 0', f'"{field}": ' + "9" * digits)
    with pytest.raises(RecordError) as err:
        loads(text)
    problem = err.value.problems[0]
    assert problem.path == field
    assert "9999999999999999…" in problem.message.zh and "4300" not in problem.message.en


def test_duplicate_keys_and_bad_tables_rejected() -> None:
    dup = _minimal()[:-1].replace('"values": {}', '"values": {"enterprise.name": "a", "enterprise.name": "b"}') + "}"
    with pytest.raises(RecordError, match="twice"):
        loads(dup)
    bad_rows = json.loads(_minimal())
    bad_rows["tables"] = {"innovation.class1_ip": [{"type": "invention_patent", "related": "yes",
                                                    "colour": 1}]}
    with pytest.raises(RecordError) as err:
        loads(json.dumps(bad_rows))
    paths = [p.path for p in err.value.problems]
    assert paths == ["innovation.class1_ip[1].related", "innovation.class1_ip[1].colour"]


def test_every_problem_reported_not_just_first() -> None:
    with pytest.raises(RecordError) as err:
        loads(_minimal(**{"finance.2021.employees": "x", "finance.2020.employees": 1.5}))
    assert len(err.value.problems) == 2


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_reader_never_crashes_on_garbage(data: bytes) -> None:
    with contextlib.suppress(RecordError):
        loads(data)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(load_definition("annex1-batch4").fields)),
                       st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                                 st.lists(st.text(max_size=3), max_size=2)), max_size=6))
def test_reader_never_crashes_on_wrong_types(values: dict[str, object]) -> None:
    try:
        record = loads(_minimal(**values))
    except RecordError:
        return
    assert dumps(loads(dumps(record))) == dumps(record)  # the canonical text is a fixed point
