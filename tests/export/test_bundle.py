"""The bundle writer: members and order, determinism, streaming, progress, cancellation."""

from __future__ import annotations

import json
import os
import stat
import threading
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from giantdesk.export.attachments import Attachment, member_names, sanitize_name
from giantdesk.export.bundle import (
    ExportCancelled,
    ExportError,
    Renderers,
    bundle_name,
    export_bundle,
    finalization_time,
    zip_date_time,
)
from giantdesk.export.fingerprint import fingerprint, record_sha256
from giantdesk.export.manifest import parse
from giantdesk.export.signing import Signer, signature_valid
from giantdesk.export.verify import verify_bundle
from giantdesk.forms.record import Submission, dump_bytes
from tests.export.conftest import FINALIZED

USCC = "91320594MA1XYZ8K6E"


def test_round_trip_record_bundle_verify(bundle: Path, record: Submission,
                                         sample_attachments: list[Attachment],
                                         signer: Signer) -> None:
    assert bundle.name == f"{record.values['enterprise.uscc']}-annex1-batch4-20220701083015.zip"
    names = [i.filename for i in zipfile.ZipFile(bundle).infolist()]
    assert names == ["submission.json", *member_names(sample_attachments), "application.pdf",
                     "application.docx", "entry-sheet.pdf", "manifest.json", "manifest.sig"]
    report = verify_bundle(bundle)
    assert report.valid, report.problem
    assert report.exit_code == 0
    assert report.key_id == signer.key_id
    assert report.fingerprint == fingerprint(record_sha256(dump_bytes(record)))
    assert report.form == "annex1-batch4"
    assert report.uscc == record.values["enterprise.uscc"]
    assert [c.id for c in report.checks if c.status == "pass"] == [
        "zip.layout", "signature", "members", "record", "copy:application.pdf",
        "copy:application.docx", "copy:entry-sheet.pdf"]
    # made by this installation: every copy is byte-identical to its re-rendering
    assert [(c.member, c.mode) for c in report.copies] == [
        ("application.pdf", "identical"), ("application.docx", "identical"),
        ("entry-sheet.pdf", "identical")]
    assert report.record_bytes == dump_bytes(record)


def test_members_are_byte_for_byte_and_the_manifest_lists_them(
        bundle: Path, record: Submission, sample_attachments: list[Attachment],
        signer: Signer) -> None:
    with zipfile.ZipFile(bundle) as zf:
        assert zf.read("submission.json") == dump_bytes(record)
        for name, attachment in zip(member_names(sample_attachments), sample_attachments,
                                    strict=True):
            assert zf.read(name) == attachment.path.read_bytes()
        manifest_bytes = zf.read("manifest.json")
        signature = zf.read("manifest.sig")
        infos = zf.infolist()
    manifest = parse(manifest_bytes)
    assert [m.path for m in manifest.members] == [i.filename for i in infos][:-2]
    assert manifest.finalized_at == FINALIZED
    assert manifest.form_id == "annex1-batch4" and manifest.form_version == "2022.1"
    assert manifest.public_key == signer.public_raw and manifest.key_id == signer.key_id
    assert len(signature) == 64 and signature_valid(signer.public_raw, signature, manifest_bytes)
    data = json.loads(manifest_bytes)
    assert data["finalized_at"] == "2022-07-01T08:30:15Z"
    assert manifest_bytes.endswith(b"}\n") and b"\r" not in manifest_bytes
    for info in infos:  # fixed, platform-independent zip fields
        assert info.date_time == (2022, 7, 1, 8, 30, 14)  # DOS time: 2-second resolution
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.create_system == 3
        assert info.external_attr == 0o100644 << 16
        assert not info.extra and not info.comment


def test_two_exports_are_byte_identical(tmp_path: Path, record: Submission, signer: Signer,
                                        real_renderers: Renderers,
                                        sample_attachments: list[Attachment]) -> None:
    first = export_bundle(record, tmp_path / "a", attachments=sample_attachments,
                          finalized_at=FINALIZED, signer=signer, renderers=real_renderers)
    second = export_bundle(record, tmp_path / "b", attachments=sample_attachments,
                           finalized_at=FINALIZED, signer=signer, renderers=real_renderers)
    assert first.path.name == second.path.name
    assert first.path.read_bytes() == second.path.read_bytes()


def test_finalization_time_is_source_date_epoch_else_now() -> None:
    assert finalization_time({"SOURCE_DATE_EPOCH": "1656664215"}) == FINALIZED
    now = datetime(2024, 3, 5, 10, 11, 12, 987654, tzinfo=UTC)
    assert finalization_time({}, now=now) == now.replace(microsecond=0)
    with pytest.raises(ExportError) as caught:
        finalization_time({"SOURCE_DATE_EPOCH": "yesterday"})
    assert "SOURCE_DATE_EPOCH" in caught.value.message.zh
    assert caught.value.exit_code == 2


def test_names_and_zip_times_are_utc_and_clamped() -> None:
    shanghai = datetime.fromisoformat("2022-07-01T16:30:15+08:00")
    assert bundle_name(USCC, "annex1-batch4", shanghai) == \
        f"{USCC}-annex1-batch4-20220701083015.zip"
    assert bundle_name("../x", "annex1-batch4", shanghai).startswith("x-annex1")
    assert zip_date_time(datetime(1970, 1, 1, tzinfo=UTC)) == (1980, 1, 1, 0, 0, 0)
    assert zip_date_time(datetime(2200, 1, 1, tzinfo=UTC)) == (2107, 12, 31, 23, 59, 58)


@pytest.mark.parametrize(("given", "expected"), [
    ("营业执照（副本）.pdf", "营业执照（副本）.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\张三\\审计报告.pdf", "审计报告.pdf"),
    ("bad\x00name\x1f.png", "badname.png"),
    ('a<b>c:d"e|f?g*h.jpg', "abcdefgh.jpg"),
    ("  spaced   out  .pdf ", "spaced out.pdf"),
    ("....", "file"),
    ("", "file"),
    ("e\u0301.pdf", "\u00e9.pdf"),  # NFC
])
def test_attachment_names_are_sanitized(given: str, expected: str) -> None:
    assert sanitize_name(given) == expected


def test_long_attachment_names_keep_their_extension() -> None:
    name = sanitize_name("很长的文件名" * 40 + ".pdf")
    assert len(name) <= 80 and name.endswith(".pdf")
    names = member_names([Attachment("other", Path(f"{i}.txt")) for i in range(120)])
    assert names[0] == "attachments/001-other-0.txt" and names[-1].startswith("attachments/120-")


def _big_attachment(folder: Path, size: int = 3 * 1024 * 1024 + 5) -> Attachment:
    path = folder / "big.bin"
    with path.open("wb") as fh:
        for i in range(size // 65536 + 1):
            fh.write(bytes([i % 251]) * min(65536, size - i * 65536))
    return Attachment("other", path)


def test_progress_reaches_the_total_and_only_grows(tmp_path: Path, record: Submission,
                                                   signer: Signer, renderers: Renderers) -> None:
    seen: list[tuple[int, int]] = []
    result = export_bundle(record, tmp_path / "out", attachments=[_big_attachment(tmp_path)],
                           finalized_at=FINALIZED, signer=signer, renderers=renderers,
                           progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 4  # the attachment came in several chunks
    dones = [d for d, _ in seen]
    assert dones == sorted(dones) and seen[-1][0] == seen[-1][1]
    assert verify_bundle(result.path).valid


@pytest.mark.parametrize("how", ["event", "callable", "interrupt"])
def test_cancelling_leaves_nothing(tmp_path: Path, record: Submission, signer: Signer,
                                   renderers: Renderers, how: str) -> None:
    out = tmp_path / "out"
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > 1024 * 1024:
            if how == "interrupt":
                raise KeyboardInterrupt
            stop.set()

    cancel = stop if how == "event" else stop.is_set
    expected = KeyboardInterrupt if how == "interrupt" else ExportCancelled
    with pytest.raises(expected):
        export_bundle(record, out, attachments=[_big_attachment(tmp_path)],
                      finalized_at=FINALIZED, signer=signer, renderers=renderers,
                      progress=progress, cancel=cancel)
    assert list(out.iterdir()) == []


def test_a_record_with_errors_is_refused(tmp_path: Path, record: Submission, signer: Signer,
                                         renderers: Renderers) -> None:
    broken = record.copy()
    broken.values["enterprise.uscc"] = "91320594MA1XYZ8K6X"
    del broken.values["enterprise.name"]
    with pytest.raises(ExportError) as caught:
        export_bundle(broken, tmp_path / "out", finalized_at=FINALIZED, signer=signer,
                      renderers=renderers)
    assert "enterprise.uscc" in caught.value.message.zh
    assert "enterprise.name" in caught.value.message.en
    assert caught.value.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_attachment_problems_are_named(tmp_path: Path, record: Submission, signer: Signer,
                                       renderers: Renderers) -> None:
    def export(*attachments: Attachment) -> ExportError:
        with pytest.raises(ExportError) as caught:
            export_bundle(record, tmp_path / "out", attachments=attachments,
                          finalized_at=FINALIZED, signer=signer, renderers=renderers)
        return caught.value

    missing = tmp_path / "nope.pdf"
    assert str(missing) in export(Attachment("other", missing)).message.en
    assert "valid ids" in export(Attachment("nonsense", missing)).message.en.lower()
    assert "regular file" in export(Attachment("other", tmp_path)).message.en
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 changed")
    changed = export(Attachment("other", path, size=3))
    assert "changed since it was added" in changed.message.en
    changed = export(Attachment("other", path, sha256="0" * 64))
    assert "changed since it was added" in changed.message.en
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_bundle_verify_would_refuse_is_not_written(
        tmp_path: Path, record: Submission, signer: Signer, renderers: Renderers,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Too many attachments for verify's member limit (or too large in all): refused before
    anything is written, never a signed bundle that our own verify calls invalid."""
    from giantdesk.export import bundle as bundle_module
    from giantdesk.export.zipsafe import Limits

    monkeypatch.setattr(bundle_module, "DEFAULT_LIMITS", Limits(max_members=8))
    files = []
    for n in range(3):
        path = tmp_path / f"{n}.txt"
        path.write_text(str(n))
        files.append(Attachment("other", path))
    with pytest.raises(ExportError) as caught:
        export_bundle(record, tmp_path / "out", attachments=files, finalized_at=FINALIZED,
                      signer=signer, renderers=renderers)
    assert caught.value.exit_code == 1 and "3 attachments; at most 2" in caught.value.message.en
    assert not (tmp_path / "out").exists()


def test_an_existing_different_bundle_is_not_overwritten(
        tmp_path: Path, record: Submission, signer: Signer, renderers: Renderers) -> None:
    out = tmp_path / "out"
    first = export_bundle(record, out, finalized_at=FINALIZED, signer=signer,
                          renderers=renderers)
    again = export_bundle(record, out, finalized_at=FINALIZED, signer=signer,
                          renderers=renderers)  # the same bytes: fine
    assert again.path == first.path
    other = tmp_path / "x.txt"
    other.write_text("x")
    before = first.path.read_bytes()
    with pytest.raises(ExportError) as caught:
        export_bundle(record, out, attachments=[Attachment("other", other)],
                      finalized_at=FINALIZED, signer=signer, renderers=renderers)
    assert "already exists" in caught.value.message.en
    assert first.path.read_bytes() == before
    assert [p.name for p in out.iterdir()] == [first.path.name]


def test_export_uses_the_keyring_key_when_no_signer_is_given(
        tmp_path: Path, record: Submission, renderers: Renderers, memory_keyring: object) -> None:
    result = export_bundle(record, tmp_path, finalized_at=FINALIZED, renderers=renderers,
                           today=date(2022, 7, 1))
    again = export_bundle(record, tmp_path / "2", finalized_at=FINALIZED, renderers=renderers)
    assert result.key_id == again.key_id
    assert verify_bundle(result.path, trust=result.key_id).valid


def test_the_store_and_the_bundle_share_the_category_ids() -> None:
    from giantdesk.export.attachments import CATEGORIES
    from giantdesk.forms.evidence import CATEGORIES as FIXED
    from giantdesk.store import CATEGORIES as STORE_CATEGORIES

    assert STORE_CATEGORIES is CATEGORIES is FIXED
    assert list(FIXED)[:3] == ["business_license", "audit_report", "social_insurance"]


def test_round_trip_of_the_review_form(tmp_path: Path, samples: Path, signer: Signer,
                                       renderers: Renderers) -> None:
    from giantdesk.forms.record import loads

    record = loads((samples / "annex2-pass.json").read_bytes())
    result = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                           renderers=renderers)
    assert "-annex2-batch1-review-" in result.path.name
    report = verify_bundle(result.path, trust=signer.key_id)
    assert report.valid, report.problem


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_the_bundle_gets_the_users_usual_permissions(tmp_path: Path, record: Submission,
                                                     signer: Signer,
                                                     renderers: Renderers) -> None:
    previous = os.umask(0o022)
    try:
        result = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                               renderers=renderers)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o644


def test_values_typed_in_a_file_are_exported_in_canonical_form(
        tmp_path: Path, record: Submission, signer: Signer, renderers: Renderers) -> None:
    typed = record.copy()
    uscc = str(record.values["enterprise.uscc"])
    typed.values["enterprise.uscc"] = " " + "".join(chr(ord(c) + 0xFEE0) for c in uscc.lower())
    result = export_bundle(typed, tmp_path, finalized_at=FINALIZED, signer=signer,
                           renderers=renderers)
    assert result.path.name.startswith(f"{uscc}-")
    with zipfile.ZipFile(result.path) as zf:
        assert json.loads(zf.read("submission.json"))["values"]["enterprise.uscc"] == uscc
    assert result.sha256 == record_sha256(dump_bytes(record))  # the same record as the sample


def test_missing_fonts_are_an_export_error_not_a_traceback(
        tmp_path: Path, record: Submission, signer: Signer, renderers: Renderers) -> None:
    """Probe records.* (run from a copy of src/ without resources/): the renderers' FontError
    ("the shipped fonts … were not found … reinstall the application") escaped export_bundle
    and ended the command in a traceback."""
    from giantdesk.export.fonts import FontError
    from giantdesk.forms.messages import Message

    def no_fonts(ctx: object) -> bytes:
        raise FontError(Message("找不到随附的字体", "the shipped fonts were not found"))

    broken = Renderers(pdf=no_fonts, docx=renderers.docx, entry_sheet=renderers.entry_sheet)
    with pytest.raises(ExportError) as info:
        export_bundle(record, tmp_path / "out", finalized_at=FINALIZED, signer=signer,
                      renderers=broken)
    assert info.value.exit_code == 2 and "fonts were not found" in info.value.message.en
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
