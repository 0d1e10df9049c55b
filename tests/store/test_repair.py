"""A draft's unreadable stored values put back to their last readable recorded value (or
removed), recorded in the history; the rest of the draft and the other drafts untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from giantdesk.forms.record import dumps, loads
from giantdesk.store import DamagedContent, DraftFinalized, open_store
from giantdesk.store.deep_check import deep_check
from giantdesk.store.repair import Repaired, repair_draft
from tests.store.test_hostile import sql


def test_unreadable_values_come_back_from_the_history(giantdesk_home: Path,
                                                      samples: Path) -> None:
    sample = loads((samples / "annex1-pass.json").read_bytes())
    with open_store() as store:
        draft = store.import_record(sample)
        other = store.import_record(sample, title="另一份")
        store.set_value(draft, "contact.name", "李四")
    sql(giantdesk_home,
        # a value whose text is broken, and one whose every recorded value is broken too
        f"UPDATE field_values SET value_json='{{\"broken' WHERE draft_id={draft} "
        "AND field_id='contact.name'",
        f"UPDATE field_values SET value_json=CAST(X'C3FF' AS TEXT) WHERE draft_id={draft} "
        "AND field_id='contact.fax'",
        f"UPDATE revisions SET new_json='[1,' WHERE draft_id={draft} AND path='contact.fax'",
        # a table cell that is not UTF-8, and one of the wrong type
        f"UPDATE table_cells SET value_json=CAST(X'C3FF' AS TEXT) WHERE draft_id={draft} "
        "AND table_id='innovation.class1_ip' AND row_no=2 AND column_id='title'",
        f"UPDATE table_cells SET value_json='17' WHERE draft_id={draft} "
        "AND table_id='innovation.class1_ip' AND row_no=3 AND column_id='granted_on'")
    with open_store() as store:
        with pytest.raises(DamagedContent) as damaged:
            store.get_record(draft)
        assert {w for w, _ in damaged.value.problems} == {
            "contact.name", "contact.fax", "innovation.class1_ip[2].title",
            "innovation.class1_ip[3].granted_on"}
        before_other = dumps(store.get_record(other))

        done = repair_draft(store, draft)
        assert sorted(done, key=lambda r: r.where) == [
            Repaired("contact.fax", False), Repaired("contact.name", True),
            Repaired("innovation.class1_ip[2].title", True),
            Repaired("innovation.class1_ip[3].granted_on", True)]
        record = store.get_record(draft)  # readable again
        assert record.values["contact.name"] == "李四"  # the newest readable recorded value
        assert "contact.fax" not in record.values  # none readable: to fill in again
        rows = record.tables["innovation.class1_ip"]
        assert rows == sample.tables["innovation.class1_ip"]
        assert dumps(store.get_record(other)) == before_other
        repairs = [(r.path, r.action) for r in store.history(draft)[-3:]]
        assert sorted(repairs) == [("contact.fax", "clear"), ("contact.name", "restore"),
                                   ("innovation.class1_ip", "restore")]
        # no stored value is damaged any more (the damaged old revisions stay as evidence)
        assert not [f for f in deep_check(store)
                    if f.draft_id == draft and isinstance(f.where, str)]
        assert repair_draft(store, draft) == []  # nothing left to repair
        # the history rebuilds the repaired draft
        assert store.state_at(draft, store.history(draft)[-1].at).tables[
            "innovation.class1_ip"] == rows


def test_a_finalized_draft_is_not_changed(giantdesk_home: Path, samples: Path) -> None:
    with open_store() as store:
        draft = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        store.finalize(draft)
    sql(giantdesk_home, f"UPDATE field_values SET value_json='[' WHERE draft_id={draft} "
                        "AND field_id='contact.name'")
    with open_store() as store, pytest.raises(DraftFinalized):
        repair_draft(store, draft)
