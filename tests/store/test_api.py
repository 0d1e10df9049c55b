"""The store's API: exact round trip, edits through parse_input, history, restore, status."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from giantdesk.forms.record import Submission, dumps, loads
from giantdesk.store import (
    DraftFinalized,
    DraftNotFound,
    InvalidEdit,
    Store,
    load_draft_for_export,
    open_store,
)

TODAY = date(2022, 7, 1)


@pytest.fixture
def store() -> Store:
    s = open_store()
    yield s  # type: ignore[misc]
    s.close()


def _sample(samples: Path, name: str = "annex1-pass.json") -> Submission:
    return loads((samples / name).read_bytes())


@pytest.mark.parametrize("name", ["annex1-pass.json", "annex2-pass.json",
                                  "annex1-fail-cx3-ip.json"])
def test_import_round_trips_to_the_exact_bytes(store: Store, samples: Path, name: str) -> None:
    text = (samples / name).read_text("utf-8")
    draft_id = store.import_record(loads(text))
    assert dumps(store.get_record(draft_id)) == dumps(loads(text))
    store.close()
    with open_store() as again:  # and after reopening the database
        assert dumps(again.get_record(draft_id)) == dumps(loads(text))


def test_new_draft_is_empty_and_titled(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4", "试填")
    record = store.get_record(draft_id)
    assert record.values == {} and record.tables == {}
    info = store.draft(draft_id)
    assert (info.title, info.status, info.form_version) == ("试填", "editing", "2022.1")
    assert info.created_at.tzinfo is not None


def test_set_input_parses_like_the_gui(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    result = store.set_input(draft_id, "finance.2021.operating_revenue", "１２,３４５.6",
                             today=TODAY)
    assert result.value == Decimal("12345.6") and result.changed
    assert store.get_record(draft_id).values["finance.2021.operating_revenue"] == Decimal(
        "12345.60")
    assert '"finance.2021.operating_revenue": "12345.60"' in dumps(store.get_record(draft_id))
    again = store.set_input(draft_id, "finance.2021.operating_revenue", "12345.60", today=TODAY)
    assert not again.changed


def test_invalid_value_is_refused_naming_the_field_and_not_stored(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    store.set_input(draft_id, "contact.mobile", "13912345678", today=TODAY)
    with pytest.raises(InvalidEdit) as info:
        store.set_input(draft_id, "contact.mobile", "12345", today=TODAY)
    assert "contact.mobile" in info.value.message.zh and "contact.mobile" in info.value.message.en
    assert "手机" in info.value.message.zh
    assert store.get_record(draft_id).values["contact.mobile"] == "13912345678"
    assert len(store.history(draft_id, "contact.mobile")) == 1


def test_unknown_and_computed_fields_are_refused(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    with pytest.raises(InvalidEdit) as info:
        store.set_input(draft_id, "no.such.field", "1", today=TODAY)
    assert info.value.code == "store.unknown_field"
    with pytest.raises(InvalidEdit) as info:
        store.set_input(draft_id, "finance.2021.debt_ratio", "50", today=TODAY)
    assert info.value.code == "store.computed"
    with pytest.raises(InvalidEdit) as info:
        store.set_value(draft_id, "finance.2021.operating_revenue", "12")  # wrong type
    assert info.value.code == "store.type"
    with pytest.raises(DraftNotFound):
        store.set_input(999, "enterprise.name", "x", today=TODAY)


def test_empty_input_clears_and_is_recorded(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    store.set_input(draft_id, "contact.name", "沈经理", today=TODAY)
    result = store.set_input(draft_id, "contact.name", "  ", today=TODAY)
    assert result.value is None and result.changed
    assert "contact.name" not in store.get_record(draft_id).values
    assert [(r.action, r.old, r.new) for r in store.history(draft_id, "contact.name")] == [
        ("set", None, "沈经理"), ("clear", "沈经理", None)]


def test_table_cells_append_edit_clear_and_delete(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    t = "innovation.class1_ip"
    store.set_input(draft_id, f"{t}[1].number", "ZL201910000001.X", today=TODAY)
    store.set_input(draft_id, f"{t}[1].related", "是", today=TODAY)
    store.set_input(draft_id, f"{t}[2].number", "ZL2", today=TODAY)
    assert store.get_record(draft_id).tables[t] == [
        {"number": "ZL201910000001.X", "related": True}, {"number": "ZL2"}]
    store.set_input(draft_id, f"{t}[1].related", "", today=TODAY)
    assert store.get_record(draft_id).tables[t][0] == {"number": "ZL201910000001.X"}
    with pytest.raises(InvalidEdit) as info:
        store.set_input(draft_id, f"{t}[4].number", "x", today=TODAY)
    assert info.value.code == "store.row"
    with pytest.raises(InvalidEdit):
        store.set_input(draft_id, f"{t}[1].granted_on", "not a date", today=TODAY)
    with pytest.raises(InvalidEdit):
        store.set_input(draft_id, f"{t}[1].nope", "x", today=TODAY)
    assert store.delete_row(draft_id, t, 1)
    assert store.get_record(draft_id).tables[t] == [{"number": "ZL2"}]
    cell_history = store.history(draft_id, f"{t}[1].related")
    assert [r.action for r in cell_history] == ["set", "clear"]
    assert [r.action for r in store.history(draft_id, t)] == [
        "set", "set", "set", "clear", "delete"]


def test_history_records_user_time_old_and_new(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    before = datetime.now(UTC)
    store.set_value(draft_id, "enterprise.name", "甲")
    store.set_value(draft_id, "enterprise.name", "乙")
    revs = store.history(draft_id, "enterprise.name")
    assert [(r.old, r.new) for r in revs] == [(None, "甲"), ("甲", "乙")]
    assert all(r.at >= before - timedelta(seconds=1) and r.user for r in revs)
    assert store.draft(draft_id).updated_by == revs[-1].user


def test_restore_whole_draft_as_of_a_time(store: Store, samples: Path) -> None:
    record = _sample(samples)
    draft_id = store.import_record(record)
    middle = datetime.now(UTC)
    store.set_value(draft_id, "enterprise.name", "改过的名字")
    store.set_value(draft_id, "contact.email", None)
    store.set_rows(draft_id, "innovation.class1_ip", [])
    assert store.restore_at(draft_id, middle) == 3
    assert dumps(store.get_record(draft_id)) == dumps(record)
    assert dumps(store.state_at(draft_id, middle)) == dumps(record)
    # the restore is itself recorded and can be undone
    assert store.history(draft_id, "enterprise.name")[-1].action == "restore"
    assert store.restore_at(draft_id, datetime.now(UTC)) == 0


def test_restore_an_earlier_value(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    store.set_value(draft_id, "enterprise.name", "甲")
    store.set_value(draft_id, "enterprise.name", "乙")
    first = store.history(draft_id, "enterprise.name")[0]
    assert store.restore_revision(draft_id, first.id)
    assert store.get_record(draft_id).values["enterprise.name"] == "甲"


def test_finalized_is_read_only_until_reopened(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    store.set_value(draft_id, "enterprise.name", "甲")
    finalized_at = store.finalize(draft_id)
    assert finalized_at.tzinfo is not None and finalized_at.utcoffset() == timedelta(0)
    assert store.draft(draft_id).finalized_at == finalized_at
    with pytest.raises(DraftFinalized) as info:
        store.set_value(draft_id, "enterprise.name", "乙")
    assert "reopen" in info.value.message.en
    with pytest.raises(DraftFinalized):
        store.set_input(draft_id, "innovation.class1_ip[1].number", "x", today=TODAY)
    store.reopen(draft_id)
    assert store.draft(draft_id).finalized_at is None
    store.set_value(draft_id, "enterprise.name", "乙")
    actions = [r.action for r in store.history(draft_id, "@status")]
    assert actions == ["finalize", "reopen"]


def test_save_record_writes_only_the_differences(store: Store, samples: Path) -> None:
    record = _sample(samples)
    draft_id = store.save_record(None, record)
    n = len(store.history(draft_id))
    edited = record.copy()
    edited.values["enterprise.name"] = "新名称有限公司"
    del edited.values["contact.email"]
    edited.tables["innovation.national_award"] = [{"award": "国家科学技术进步奖二等奖"}]
    assert store.save_record(draft_id, edited) == draft_id
    assert dumps(store.get_record(draft_id)) == dumps(edited)
    # three changes, and the draft's title follows the enterprise name it was given
    assert len(store.history(draft_id)) == n + 4
    assert store.draft(draft_id).title == "新名称有限公司"
    store.save_record(draft_id, edited)
    assert len(store.history(draft_id)) == n + 4


def test_drafts_are_listed_with_their_enterprise(store: Store, samples: Path) -> None:
    a = store.import_record(_sample(samples))
    b = store.create_draft("annex2-batch1-review", "复核")
    store.set_value(b, "enterprise.uscc", "91350100M000100Y43")
    infos = {d.id: d for d in store.list_drafts()}
    assert infos[a].uscc == _sample(samples).values["enterprise.uscc"]
    assert infos[a].enterprise_name == _sample(samples).values["enterprise.name"]
    assert infos[b].uscc == "91350100M000100Y43"
    assert store.list_drafts()[0].id == b  # most recently changed first


def test_load_draft_for_export(store: Store, samples: Path, tmp_path: Path) -> None:
    from tests.store.test_attachments import make_png

    draft_id = store.import_record(_sample(samples))
    png = make_png(tmp_path / "执照.png")
    store.add_attachment(draft_id, "business_license", png)
    record, finalized_at, refs = load_draft_for_export(draft_id)
    assert dumps(record) == dumps(_sample(samples)) and finalized_at is None
    assert [(r.category, r.name, r.size) for r in refs] == [
        ("business_license", "执照.png", png.stat().st_size)]
    assert refs[0].path.read_bytes() == png.read_bytes()
    when = store.finalize(draft_id)
    assert load_draft_for_export(draft_id)[1] == when


def test_data_folder_default_and_override(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    import platformdirs

    from giantdesk.store import data_dir

    monkeypatch.setenv("GIANTDESK_HOME", str(tmp_path / "portable"))
    assert data_dir() == tmp_path / "portable" and (tmp_path / "portable").is_dir()
    monkeypatch.delenv("GIANTDESK_HOME")
    calls = []

    def fake(appname: str, appauthor: object = None) -> str:
        calls.append((appname, appauthor))
        return str(tmp_path / "platform")

    monkeypatch.setattr(platformdirs, "user_data_dir", fake)
    assert data_dir() == tmp_path / "platform"
    assert calls == [("GiantDesk", False)]


def test_a_draft_of_an_older_form_version_stays_readable(store: Store, samples: Path) -> None:
    import sqlite3

    draft_id = store.import_record(_sample(samples))
    path = store.path
    store.close()
    # What an older definition could have left: another version, a field this definition no
    # longer has, and a field whose type has since changed.
    with sqlite3.connect(path) as db:
        db.execute("UPDATE drafts SET form_version = '2021.9' WHERE id = ?", (draft_id,))
        db.execute("INSERT INTO field_values (draft_id, field_id, value_json) VALUES (?, ?, ?)",
                   (draft_id, "old.dropped_field", '"kept"'))
        db.execute("UPDATE field_values SET value_json = '\"nine\"' "
                   "WHERE draft_id = ? AND field_id = 'specialization.niche_years'", (draft_id,))
    with open_store() as again:
        record = again.get_record(draft_id)
        assert record.form_version == "2022.1"  # read through the current definition
        assert "specialization.niche_years" not in record.values  # not decodable any more …
        stored = again.stored_values(draft_id)
        assert stored["old.dropped_field"] == "kept"  # … but nothing is lost
        assert stored["specialization.niche_years"] == "nine"
        assert loads(dumps(record)).values == record.values  # exports a readable record
