"""Verify: every kind of tampering is detected and named; nothing is ever written."""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import pytest

from giantdesk.export.bundle import (
    DOCX,
    ENTRY_SHEET,
    MANIFEST,
    PDF,
    RECORD,
    SIGNATURE,
    Renderers,
    export_bundle,
)
from giantdesk.export.demo import sample_pdf
from giantdesk.export.signing import Signer
from giantdesk.export.verify import verify_bundle
from giantdesk.forms.record import Submission, dump_bytes, loads
from tests.export.bundletools import (
    flip_byte,
    read_members,
    replaced,
    resigned,
    write_members,
)
from tests.export.conftest import FINALIZED


def check(path: Path, trust: str | None = None) -> tuple[str | None, str]:
    report = verify_bundle(path, trust=trust)
    assert not report.valid and report.exit_code == 1, report
    assert report.problem is not None
    assert report.checks[-1].status == "fail"
    return report.problem.member, report.problem.code


def test_a_byte_changed_in_any_member_is_detected(bundle: Path, tmp_path: Path) -> None:
    members = read_members(bundle)
    assert len(members) == 12
    for info, data in members:
        name = info.filename
        tampered = write_members(tmp_path / "t.zip", replaced(members, name, flip_byte(data)))
        member, code = check(tampered)
        if name == MANIFEST:
            assert code in ("manifest.invalid", "signature.invalid"), name
        elif name == SIGNATURE:
            assert (member, code) == (SIGNATURE, "signature.invalid")
        else:
            assert (member, code) == (name, "member.sha256"), name
        # and in the first and last byte as well
        for index in (0, len(data) - 1):
            tampered = write_members(tmp_path / "t.zip",
                                     replaced(members, name, flip_byte(data, index)))
            assert check(tampered)


def test_the_untouched_rewrite_is_still_valid(bundle: Path, tmp_path: Path) -> None:
    """The tampering helper itself changes nothing else."""
    assert verify_bundle(write_members(tmp_path / "same.zip", read_members(bundle))).valid


def test_a_damaged_member_with_a_bad_crc_is_named(bundle: Path, tmp_path: Path) -> None:
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo(PDF)
    data[info.header_offset + 30 + len(PDF.encode()) + 500] ^= 0xFF  # inside the PDF's data
    path = tmp_path / "crc.zip"
    path.write_bytes(bytes(data))
    assert check(path) == (PDF, "member.damaged")


def _info_like(name: str, like: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, like.date_time)
    info.create_system, info.external_attr = like.create_system, like.external_attr
    return info


def test_members_added_removed_renamed(bundle: Path, tmp_path: Path) -> None:
    members = read_members(bundle)
    extra_info = _info_like("attachments/07-other-extra.pdf", members[0][0])
    added = [*members[:7], (extra_info, b"%PDF"), *members[7:]]  # where attachments go
    assert check(write_members(tmp_path / "a.zip", added)) == (extra_info.filename,
                                                                "member.unlisted")
    misplaced = [*members[:-2], (extra_info, b"%PDF"), *members[-2:]]
    assert check(write_members(tmp_path / "p.zip", misplaced))[1] == "zip.layout.order"
    last = members[6][0].filename
    assert last.startswith("attachments/06-")
    for gone in (DOCX, last, MANIFEST, SIGNATURE):
        removed = [(i, d) for i, d in members if i.filename != gone]
        assert check(write_members(tmp_path / "r.zip", removed)) == (gone, "member.missing")
    # removing one in the middle breaks the numbering 01, 02, …
    gap = [(i, d) for i, d in members if not i.filename.startswith("attachments/03-")]
    assert check(write_members(tmp_path / "g.zip", gap))[1] == "zip.layout.name"
    old = next(i for i, _ in members if i.filename.startswith("attachments/03-"))
    new = _info_like(old.filename.replace("attachments/03-", "attachments/09-"), old)
    renamed = [(new if i is old else i, d) for i, d in members]
    assert check(write_members(tmp_path / "n.zip", renamed)) == (new.filename, "zip.layout.name")


def test_manifest_edited(bundle: Path, tmp_path: Path) -> None:
    members = read_members(bundle)
    manifest = dict((i.filename, d) for i, d in members)[MANIFEST]
    edited = manifest.replace(b'"version": "0.', b'"version": "9.')
    assert edited != manifest
    path = write_members(tmp_path / "m.zip", replaced(members, MANIFEST, edited))
    assert check(path) == (SIGNATURE, "signature.invalid")
    garbage = write_members(tmp_path / "g.zip", replaced(members, MANIFEST, b"not json"))
    assert check(garbage) == (MANIFEST, "manifest.invalid")


def test_signature_from_another_key(bundle: Path, tmp_path: Path, other_signer: Signer) -> None:
    members = read_members(bundle)
    manifest = dict((i.filename, d) for i, d in members)[MANIFEST]
    swapped = replaced(members, SIGNATURE, other_signer.sign(manifest))
    assert check(write_members(tmp_path / "s.zip", swapped)) == (SIGNATURE, "signature.invalid")
    short = replaced(members, SIGNATURE, b"\x00" * 10)
    assert check(write_members(tmp_path / "s.zip", short)) == (SIGNATURE, "signature.malformed")


def test_resigned_by_another_key_is_caught_by_the_printed_key_id(
        bundle: Path, tmp_path: Path, signer: Signer, other_signer: Signer) -> None:
    members = read_members(bundle)
    path = write_members(tmp_path / "o.zip", resigned(members, other_signer))
    # the signature itself holds, but the copies print the original signer's key id
    report = verify_bundle(path)
    assert report.problem is not None
    assert (report.problem.member, report.problem.code) == (PDF, "copy.key_id")
    assert (report.problem.expected, report.problem.found) == (other_signer.key_id,
                                                               signer.key_id)
    # with --trust naming the new key it is still invalid
    assert check(path, trust=other_signer.key_id) == (PDF, "copy.key_id")


def test_trust_names_the_only_key_accepted(tmp_path: Path, record: Submission, signer: Signer,
                                           other_signer: Signer, renderers: Renderers) -> None:
    path = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=other_signer,
                         renderers=renderers).path
    assert verify_bundle(path).valid  # a valid bundle by *some* key
    assert verify_bundle(path, trust=other_signer.key_id).valid
    member, code = check(path, trust=signer.key_id)
    assert (member, code) == (SIGNATURE, "signature.untrusted")
    report = verify_bundle(path, trust=signer.key_id)
    assert report.problem is not None
    assert report.problem.expected == signer.key_id
    assert report.problem.found == other_signer.key_id


@pytest.mark.parametrize("member, garbage", [
    (PDF, b"%PDF-1.4\n%%EOF\n"), (DOCX, b"PK\x05\x06" + bytes(18)), (DOCX, b"not a zip"),
    (ENTRY_SHEET, b""),
])
def test_an_unreadable_copy_is_named_in_words(bundle: Path, tmp_path: Path, signer: Signer,
                                              member: str, garbage: bytes) -> None:
    """Probe bundles.forged: "application.pdf cannot be read (not a readable PDF
    (PdfReadError))" — a parser's class name in verify's message, and English in the Chinese
    one."""
    members = read_members(bundle)
    path = write_members(tmp_path / "g.zip", resigned(replaced(members, member, garbage), signer))
    report = verify_bundle(path)
    assert report.problem is not None
    assert (report.problem.member, report.problem.code) == (member, "copy.unreadable")
    for lang in ("zh", "en"):
        text = report.problem.message.text(lang)
        assert member in text and not re.search(r"[A-Z][a-z]+(Error|Exception)", text), text
    assert not re.search(r"readable|damaged|unsafe", report.problem.message.zh), \
        report.problem.message.zh


def test_record_and_copies_must_agree(bundle: Path, tmp_path: Path, signer: Signer) -> None:
    members = read_members(bundle)
    data = dict((i.filename, d) for i, d in members)
    record = loads(data[RECORD])

    changed = record.copy()
    changed.values["enterprise.name"] = "另一家虚构公司有限公司"
    path = write_members(tmp_path / "c.zip",
                         resigned(replaced(members, RECORD, dump_bytes(changed)), signer))
    assert check(path) == (PDF, "copy.differs")

    invalid = record.copy()
    invalid.values["enterprise.uscc"] = "91320594MA1XYZ8K6X"
    path = write_members(tmp_path / "i.zip",
                         resigned(replaced(members, RECORD, dump_bytes(invalid)), signer))
    assert check(path) == (RECORD, "record.invalid")

    path = write_members(tmp_path / "u.zip",
                         resigned(replaced(members, RECORD, b'{"format": "x"}'), signer))
    assert check(path) == (RECORD, "record.unreadable")

    path = write_members(tmp_path / "f.zip", resigned(members, signer, form_version="2023.1"))
    assert check(path) == (MANIFEST, "manifest.form")

    blank_pdf = sample_pdf("no fingerprint here", [])
    path = write_members(tmp_path / "p.zip", resigned(replaced(members, PDF, blank_pdf), signer))
    assert check(path) == (PDF, "copy.key_id")  # nothing printed where the key id belongs

    path = write_members(tmp_path / "d.zip", resigned(replaced(members, DOCX, blank_pdf), signer))
    assert check(path) == (DOCX, "copy.unreadable")

    docx_without_name = _docx_with_text(data[DOCX], str(record.values["enterprise.name"]))
    path = write_members(tmp_path / "n.zip",
                         resigned(replaced(members, DOCX, docx_without_name), signer))
    assert check(path) == (DOCX, "copy.differs")


def _docx_with_text(docx: bytes, remove: str) -> bytes:
    """The DOCX with every run of ``remove`` cut out of its XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".xml"):
                data = data.replace(remove.encode(), b"")
                for ch in remove:  # names split over several runs
                    data = data.replace(f">{ch}<".encode(), b"><")
            dst.writestr(info, data)
    return out.getvalue()


def test_not_a_zip_is_exit_2(tmp_path: Path) -> None:
    for name, data in (("empty.zip", b""), ("text.zip", b"hello"), ("pdf.zip", b"%PDF-1.4\n")):
        path = tmp_path / name
        path.write_bytes(data)
        report = verify_bundle(path)
        assert not report.readable and report.exit_code == 2
        assert report.problem is not None and report.problem.code == "zip.unreadable"
    assert verify_bundle(tmp_path / "missing.zip").exit_code == 2
    assert verify_bundle(tmp_path).exit_code == 2  # a folder


def test_json_report_shape(bundle: Path) -> None:
    data = verify_bundle(bundle).as_json("en")
    assert set(data) >= {"valid", "problem", "key_id", "fingerprint", "form", "uscc", "checks"}
    assert data["valid"] is True and data["problem"] is None
    json.dumps(data)


def test_verify_writes_nothing_anywhere(bundle: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from giantdesk.cli import main

    scratch_tmp, cwd = tmp_path / "tmp", tmp_path / "cwd"
    scratch_tmp.mkdir()
    cwd.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_tmp))
    monkeypatch.setenv("TMPDIR", str(scratch_tmp))
    monkeypatch.chdir(cwd)
    from tests.export.test_zipsafe import make_zip

    evil = tmp_path / "evil"
    evil.mkdir()
    cases = [bundle,
             make_zip(evil / "slip.zip", [("../slipped.txt", b"x")]),
             make_zip(evil / "abs.zip", [("/tmp/giantdesk-absolute.txt", b"x")]),
             make_zip(evil / "bomb.zip", [("zeros", bytes(8 << 20))], zipfile.ZIP_DEFLATED)]
    before = sorted(p.name for p in bundle.parent.iterdir())
    for case in cases:
        main(["verify", str(case)])
    assert list(scratch_tmp.iterdir()) == [] and list(cwd.iterdir()) == []
    assert sorted(p.name for p in evil.iterdir()) == ["abs.zip", "bomb.zip", "slip.zip"]
    assert not (tmp_path / "slipped.txt").exists()
    assert not Path("/tmp/giantdesk-absolute.txt").exists()
    assert sorted(p.name for p in bundle.parent.iterdir()) == before


@pytest.mark.parametrize("failure", ["font", "other"])
def test_a_rendering_failure_is_named_in_words(bundle: Path, monkeypatch: pytest.MonkeyPatch,
                                               failure: str) -> None:
    """Probe bundles.forged (SOURCE_DATE_EPOCH=abc): "cannot render the copies again
    (ValueError: invalid literal for int() …)" — a class name and a parser's text for the
    user. A missing font is named by its own message; anything else goes to the log."""
    from giantdesk.export import verify as verify_module
    from giantdesk.export.fonts import FontError
    from giantdesk.forms.messages import Message

    def broken(*_args: object) -> dict[str, bytes]:
        if failure == "font":
            raise FontError(Message("找不到字体 uming.ttc", "the font uming.ttc was not found"))
        raise ValueError("invalid literal for int() with base 10: 'abc'")

    monkeypatch.setattr(verify_module, "rerender", broken)
    report = verify_bundle(bundle)
    assert report.problem is not None and report.problem.code == "verify.render_failed"
    for lang in ("zh", "en"):
        text = report.problem.message.text(lang)
        assert "Error" not in text and "invalid literal" not in text, text
    assert ("uming.ttc" in report.problem.message.en) == (failure == "font")
