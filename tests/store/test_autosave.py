"""The coalescing autosaver: bursts become one write; flush on close loses nothing."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from giantdesk.store import Autosaver, DraftFinalized, open_store


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_of_typing_is_one_write_and_one_revision() -> None:
    clock = Clock()
    with open_store() as store:
        draft_id = store.create_draft("annex1-batch4")
        saver = Autosaver(store, draft_id, delay=0.8, max_delay=5.0, clock=clock)
        for i, text in enumerate(["苏", "苏州", "苏州精", "苏州精研"]):
            clock.now = i * 0.1
            saver.set_value("enterprise.name", text)
            assert saver.tick() == 0  # still typing
        assert saver.pending and "enterprise.name" not in store.get_record(draft_id).values
        clock.now = 0.3 + 0.8
        assert saver.tick() == 1
        assert not saver.pending and saver.generation == 1
        assert store.get_record(draft_id).values["enterprise.name"] == "苏州精研"
        assert len(store.history(draft_id, "enterprise.name")) == 1


def test_continuous_typing_is_still_saved_after_max_delay() -> None:
    clock = Clock()
    with open_store() as store:
        draft_id = store.create_draft("annex1-batch4")
        saver = Autosaver(store, draft_id, delay=0.8, max_delay=2.0, clock=clock)
        written = 0
        for i in range(30):
            clock.now = i * 0.1
            saver.set_value("contact.name", f"名{i}")
            written += saver.tick()
        assert written >= 1


def test_flush_on_close_never_loses_the_last_value() -> None:
    with open_store() as store:
        draft_id = store.create_draft("annex1-batch4")
        saver = Autosaver(store, draft_id, delay=60)
        saver.set_value("finance.2021.operating_revenue", Decimal("12000"))
        saver.set_rows("innovation.national_award", [{"award": "国家技术发明奖二等奖"}])
        saver.set_value("contact.name", "沈")
        saver.set_value("contact.name", None)
        assert saver.close() == 2  # contact.name was set and cleared: nothing to write
        record = store.get_record(draft_id)
        assert record.values == {"finance.2021.operating_revenue": Decimal("12000.00")}
        assert record.tables == {"innovation.national_award": [{"award": "国家技术发明奖二等奖"}]}


def test_a_failed_write_keeps_the_edits_newer_ones_win() -> None:
    with open_store() as store:
        draft_id = store.create_draft("annex1-batch4")
        store.finalize(draft_id)
        saver = Autosaver(store, draft_id)
        saver.set_value("contact.name", "甲")
        with pytest.raises(DraftFinalized):
            saver.flush()
        assert saver.pending
        saver.set_value("contact.name", "乙")
        store.reopen(draft_id)
        assert saver.flush() == 1
        assert store.get_record(draft_id).values["contact.name"] == "乙"


def test_background_thread_mode_is_thread_safe() -> None:
    with open_store() as store:
        draft_id = store.create_draft("annex1-batch4")
        saver = Autosaver(store, draft_id, delay=0.01, max_delay=0.05)
        saver.start(interval=0.005)

        def typist(field: str) -> None:
            for i in range(200):
                saver.set_value(field, f"{field}-{i}")

        threads = [threading.Thread(target=typist, args=(f,))
                   for f in ("contact.name", "legal_rep.name", "enterprise.name")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        saver.close()
        assert saver.last_error is None
        values = store.get_record(draft_id).values
        assert values["contact.name"] == "contact.name-199"
        assert values["legal_rep.name"] == "legal_rep.name-199"
        assert values["enterprise.name"] == "enterprise.name-199"
