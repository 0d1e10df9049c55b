"""The items a user confirmed ("已核实") are kept with the draft (migration 0005): not a
revision, refused on a finalized draft, purged with the draft's contents."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from giantdesk.forms.record import loads
from giantdesk.store import DraftFinalized, open_store
from giantdesk.store.api import now_utc


def test_confirmations_are_kept_with_the_draft(giantdesk_home: Path, samples: Path) -> None:
    with open_store() as store:
        draft = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
        other = store.create_draft("annex1-batch4")
        history = len(store.history(draft))
        store.confirm(draft, {"rule:TS-1\x1f特色化：填报占有率 12.60%": True, "b": True})
        store.confirm(other, {"b": True})
        store.confirm(draft, {"b": False, "c": True})
    with open_store() as store:  # another session
        assert store.confirmed(draft) == {"rule:TS-1\x1f特色化：填报占有率 12.60%", "c"}
        assert store.confirmed(other) == {"b"}
        assert len(store.history(draft)) == history  # not a revision
        store.finalize(draft)
        with pytest.raises(DraftFinalized):
            store.confirm(draft, {"d": True})
        store.reopen(draft)
        store.delete_draft(draft)
        store.purge_bin(now_utc() + timedelta(days=31))
        assert store.confirmed(draft) == set()  # purged with the contents
        assert store.confirmed(other) == {"b"}
