"""The drafts recycle bin: delete to the bin, restore within 30 days, purged after (said, and on
record); a finalized draft only with an explicit confirmation."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from giantdesk.cli import main
from giantdesk.forms.record import loads
from giantdesk.store import (
    DraftInBin,
    DraftPurged,
    FinalizedNeedsConfirmation,
    Store,
    load_draft_for_export,
    open_store,
)
from giantdesk.store.api import BIN_DAYS, now_utc, ts
from tests.store.test_attachments import make_pdf


@pytest.fixture
def store() -> Iterator[Store]:
    s = open_store()
    yield s
    s.close()


def _draft(store: Store, samples: Path) -> int:
    return store.import_record(loads((samples / "annex1-pass.json").read_bytes()), "甲公司")


def test_delete_and_restore(store: Store, samples: Path) -> None:
    draft_id = _draft(store, samples)
    other = store.create_draft("annex2-batch1-review")
    moment = store.delete_draft(draft_id)
    assert [d.id for d in store.list_drafts()] == [other]
    (binned,) = store.binned()
    assert binned.id == draft_id and binned.deleted_at == moment
    assert binned.purge_after == moment + timedelta(days=BIN_DAYS)
    assert [d.id for d in store.list_drafts(include_bin=True)] == [other, draft_id]
    # readable, not editable, not exportable
    assert store.get_record(draft_id).values["enterprise.name"]
    with pytest.raises(DraftInBin) as caught:
        store.set_value(draft_id, "contact.name", "乙")
    assert "undelete" in caught.value.message.en
    with pytest.raises(DraftInBin):
        load_draft_for_export(draft_id)
    store.undelete_draft(draft_id)
    assert {d.id for d in store.list_drafts()} == {draft_id, other} and store.binned() == []
    assert [(r.action, r.path) for r in store.history(draft_id, "@bin")] == [
        ("bin", "@bin"), ("unbin", "@bin")]
    store.set_value(draft_id, "contact.name", "乙")  # editable again


def test_a_finalized_draft_needs_an_explicit_confirmation(store: Store, samples: Path) -> None:
    draft_id = _draft(store, samples)
    store.finalize(draft_id)
    with pytest.raises(FinalizedNeedsConfirmation) as caught:
        store.delete_draft(draft_id)
    assert "--finalized" in caught.value.message.en and store.binned() == []
    store.delete_draft(draft_id, finalized=True)
    assert store.binned()[0].finalized
    store.undelete_draft(draft_id)
    assert store.draft(draft_id).finalized  # restored as it was


def test_purged_after_30_days_with_a_record(store: Store, samples: Path, tmp_path: Path) -> None:
    kept, purged = _draft(store, samples), _draft(store, samples)
    shared = make_pdf(tmp_path / "执照.pdf")
    store.add_attachment(kept, "business_license", shared)
    own = store.add_attachment(purged, "business_license", shared)  # same bytes: one copy
    alone = store.add_attachment(purged, "audit_report", make_pdf(tmp_path / "审计.pdf", pages=2))
    moment = store.delete_draft(purged)
    assert store.purge_bin(moment + timedelta(days=BIN_DAYS - 1)) == []
    (done,) = store.purge_bin(moment + timedelta(days=BIN_DAYS, seconds=1))
    assert (done.id, done.title, done.deleted_at) == (purged, "甲公司", moment)
    assert store.purge_bin(moment + timedelta(days=BIN_DAYS + 5)) == []  # once
    with pytest.raises(DraftPurged):
        store.draft(purged)
    with pytest.raises(DraftPurged):
        store.undelete_draft(purged)
    assert store.binned() == [] and [d.id for d in store.list_drafts()] == [kept]
    assert [p.id for p in store.purged()] == [purged]
    assert own.path.exists() and not alone.path.exists()  # the shared copy stays
    conn = sqlite3.connect(store.path)
    try:
        for table in ("field_values", "draft_tables", "table_cells", "attachments"):
            count = conn.execute(f"SELECT count(*) FROM {table} WHERE draft_id = ?",
                                 (purged,)).fetchone()[0]
            assert count == 0, table
        values = conn.execute("SELECT action, old_json, new_json FROM revisions "
                              "WHERE draft_id = ? ORDER BY id", (purged,)).fetchall()
        assert values[-1] == ("purge", f'"{ts(moment)}"', None)
        assert all(old is None and new is None for _a, old, new in values[:-1])
        assert conn.execute("SELECT count(*) FROM field_values WHERE draft_id = ?",
                            (kept,)).fetchone()[0] > 0
    finally:
        conn.close()


def test_cli_delete_bin_undelete_and_the_purge_notice(capsys: pytest.CaptureFixture[str],
                                                      samples: Path) -> None:
    assert main(["drafts", "import", str(samples / "annex1-pass.json"), "--title", "甲"]) == 0
    assert main(["drafts", "new", "annex1-batch4", "--title", "乙"]) == 0
    assert main(["drafts", "finalize", "1"]) == 0
    capsys.readouterr()
    assert main(["drafts", "delete", "1"]) == 1
    assert "--finalized" in capsys.readouterr().err
    assert main(["drafts", "delete", "1", "--finalized"]) == 0
    assert "已移到回收站" in capsys.readouterr().out
    assert main(["drafts", "delete", "2"]) == 0
    capsys.readouterr()
    assert main(["drafts", "list"]) == 0
    out = capsys.readouterr().out
    assert out == "还没有草稿\n"
    assert main(["--lang", "en", "drafts", "bin"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["2", "1"]
    assert "purged after" in lines[0]
    assert main(["drafts", "undelete", "2"]) == 0
    assert "已从回收站恢复" in capsys.readouterr().out
    assert main(["drafts", "undelete", "2"]) == 0  # again: it is not in the bin any more
    assert "不在回收站中，没有改动" in capsys.readouterr().out
    # draft 1 was deleted 31 days ago: the next command purges it and says so
    with open_store() as store:
        path = store.path
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE drafts SET deleted_at = ? WHERE id = 1",
                     (ts(now_utc() - timedelta(days=31)),))
    conn.close()
    assert main(["drafts", "list"]) == 0
    captured = capsys.readouterr()
    assert "草稿 1「甲」在回收站中已超过 30 天" in captured.err and "已永久清除" in captured.err
    assert captured.out.startswith("2\t")
    assert main(["drafts", "bin", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bin"] == [] and [p["id"] for p in report["purged"]] == [1]
    assert main(["drafts", "show", "1"]) == 1
    assert "永久清除" in capsys.readouterr().err


def test_a_new_draft_is_named_after_its_enterprise(store: Store) -> None:
    draft_id = store.create_draft("annex1-batch4")
    from giantdesk.forms.definitions import load_definition

    assert store.draft(draft_id).title == load_definition("annex1-batch4").short_title.zh
    store.set_value(draft_id, "enterprise.name", "福州精研轴承有限公司")
    assert store.draft(draft_id).title == "福州精研轴承有限公司"
    store.set_value(draft_id, "enterprise.name", "福州精研轴承股份有限公司")  # follows
    assert store.draft(draft_id).title == "福州精研轴承股份有限公司"
    assert [r.action for r in store.history(draft_id, "@title")] == ["title", "title"]
    store.set_title(draft_id, "2022 申报")  # chosen by the user: kept from now on
    store.set_value(draft_id, "enterprise.name", "另一家公司")
    assert store.draft(draft_id).title == "2022 申报"


def test_the_quick_list_leaves_the_bin_out(store: Store) -> None:
    from giantdesk.store.listing import quick_list

    kept, binned = store.create_draft("annex1-batch4"), store.create_draft("annex1-batch4")
    store.delete_draft(binned)
    listed = quick_list(store.path)
    assert listed is not None and [d.id for d in listed] == [kept]
