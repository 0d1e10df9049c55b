"""Carry-over says what it did: parts carried, review-only items to fill, attachments offered
and carried (shared from a draft, through the intake from a bundle)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from giantdesk.cli import main
from giantdesk.forms.record import loads
from giantdesk.store import Store, open_store
from giantdesk.store.carryover import (
    carry_attachments,
    carry_over,
    offer_from_bundle,
    offer_from_draft,
)
from tests.store.test_attachments import make_pdf

TODAY = date(2022, 6, 20)


@pytest.fixture
def store() -> Iterator[Store]:
    s = open_store()
    yield s
    s.close()


def test_the_report_says_what_was_carried_and_what_is_left(samples: Path) -> None:
    result = carry_over(loads((samples / "annex1-pass.json").read_bytes()), today=TODAY)
    by_part = {p.part_id: p for p in result.carried}
    assert by_part["basic"].title.zh == "一、企业情况" and by_part["basic"].fields == 29
    assert (by_part["innovation"].tables, by_part["innovation"].rows) == (4, 6)
    assert "review" not in by_part
    assert result.review_only == ["review.original_batch", "review.recognition_document",
                                  "review.recognized_on", "review.changes",
                                  "review.development"]
    assert result.to_fill == result.review_only  # the sample is complete otherwise
    report = result.report()
    assert "一、企业情况：29 项" in report.zh and "复核专有、待填写：原认定批次" in report.zh
    assert "Review-only, to fill: Batch of the original recognition" in report.en


def test_a_drafts_attachments_are_offered_and_shared(store: Store, samples: Path,
                                                     tmp_path: Path) -> None:
    source = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
    licence = store.add_attachment(source, "business_license", make_pdf(tmp_path / "执照.pdf"))
    audit = store.add_attachment(source, "audit_report", make_pdf(tmp_path / "审计.pdf", pages=2))
    result = carry_over(store.get_record(source), today=TODAY)
    result.offered = offer_from_draft(store, source)
    assert [(o.category, o.name) for o in result.offered] == [
        ("business_license", "执照.pdf"), ("audit_report", "审计.pdf")]
    assert "2 个附件，可一并转入" in result.report().zh
    target = store.import_record(result.record)
    added, refused = carry_attachments(store, target, result.offered, source_draft=source)
    assert [a.name for a in added] == ["执照.pdf", "审计.pdf"] and refused == []
    copies = store.attachments(target)
    assert [a.path for a in copies] == [licence.path, audit.path]  # one stored copy, shared
    assert [r.action for r in store.history(target, "@attachments")] == ["attach", "attach"]
    # asked again: nothing twice
    added, refused = carry_attachments(store, target, result.offered[:1], source_draft=source)
    assert added == [] and "未重复添加" in refused[0][1].zh
    # removing it from the new draft leaves the source's copy in place
    store.remove_attachment(target, copies[0].id)
    assert licence.path.exists()


def test_a_bundles_attachments_go_through_the_intake(capsys: pytest.CaptureFixture[str],
                                                     samples: Path, tmp_path: Path) -> None:
    from giantdesk.export.attachments import Attachment
    from giantdesk.export.bundle import export_bundle
    from giantdesk.export.signing import Signer

    record = loads((samples / "annex1-pass.json").read_bytes())
    files = [Attachment("business_license", make_pdf(tmp_path / "营业执照.pdf")),
             Attachment("audit_report", make_pdf(tmp_path / "审计报告 2021.pdf", pages=2))]
    bundle = export_bundle(record, tmp_path / "out", attachments=files,
                           signer=Signer.from_raw(bytes(32)),
                           finalized_at=datetime(2022, 7, 1, tzinfo=UTC)).path
    offered = offer_from_bundle(bundle)
    assert [(o.category, o.name) for o in offered] == [
        ("business_license", "营业执照.pdf"), ("audit_report", "审计报告 2021.pdf")]
    assert offer_from_bundle(samples / "annex1-pass.json") == []

    assert main(["drafts", "carry-over", str(bundle)]) == 0
    out, err = capsys.readouterr()
    assert "复核专有、待填写" in err and "--attachments" in err
    with open_store() as store:
        assert store.attachments(int(out)) == []
    assert main(["--lang", "en", "drafts", "carry-over", str(bundle), "--attachments"]) == 0
    out, err = capsys.readouterr()
    assert "2 attachment(s) carried" in err and "Carried over:" in err
    with open_store() as store:
        carried = store.attachments(int(out))
        assert [(a.category, a.name) for a in carried] == [
            ("business_license", "营业执照.pdf"), ("audit_report", "审计报告 2021.pdf")]
        assert [a.sha256 for a in carried] == [
            hashlib.sha256(f.path.read_bytes()).hexdigest() for f in files]


def test_a_bundles_attachments_carried_are_the_signed_bytes(samples: Path, tmp_path: Path,
                                                             store: Store) -> None:
    """What is offered comes from the verified manifest (with its hashes), and a member whose
    bytes differ from the signed hash — the bundle swapped or damaged after verifying — is
    refused, not stored."""
    import dataclasses

    from giantdesk.export.attachments import Attachment
    from giantdesk.export.bundle import export_bundle
    from giantdesk.export.signing import Signer

    record = loads((samples / "annex1-pass.json").read_bytes())
    licence = make_pdf(tmp_path / "营业执照.pdf")
    bundle = export_bundle(record, tmp_path / "out", attachments=[
        Attachment("business_license", licence)], signer=Signer.from_raw(bytes(32)),
        finalized_at=datetime(2022, 7, 1, tzinfo=UTC)).path
    offered = offer_from_bundle(bundle)
    assert [o.sha256 for o in offered] == [hashlib.sha256(licence.read_bytes()).hexdigest()]
    target = store.import_record(carry_over(record, today=TODAY).record)
    forged = [dataclasses.replace(offered[0], sha256="0" * 64)]
    added, refused = carry_attachments(store, target, forged, bundle=bundle)
    assert added == [] and "校验之后被改动" in refused[0][1].zh
    assert store.attachments(target) == []
    added, refused = carry_attachments(store, target, offered, bundle=bundle)
    assert [a.name for a in added] == ["营业执照.pdf"] and refused == []
