"""Attachments: streamed, hashed, checked by content; refusals and cancels leave nothing."""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from pathlib import Path

import pytest

from giantdesk.store import AttachmentCancelled, AttachmentRefused, Store, open_store


def make_png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    ihdr = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
           + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return path


def make_pdf(path: Path, password: str | None = None, pages: int = 1) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def store() -> Store:
    s = open_store()
    yield s  # type: ignore[misc]
    s.close()


def _leftovers(store: Store) -> list[Path]:
    root = store.layout.attachments
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_pdf_jpeg_png_are_accepted_hashed_and_copied(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    jpeg = tmp_path / "照片.jpg"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 3000 + b"\xff\xd9")
    files = {"audit_report": make_pdf(tmp_path / "审计报告.pdf", pages=3),
             "own_brand": jpeg, "business_license": make_png(tmp_path / "license.PNG")}
    seen = []
    for category, path in files.items():
        info = store.add_attachment(draft_id, category, path,
                                    progress=lambda done, total: seen.append((done, total)))
        assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert info.size == path.stat().st_size and info.path.read_bytes() == path.read_bytes()
    assert seen and seen[-1][0] == seen[-1][1]
    listed = store.attachments(draft_id)
    assert [a.category for a in listed] == ["business_license", "audit_report", "own_brand"]
    assert [a.media_type for a in listed] == ["image/png", "application/pdf", "image/jpeg"]
    assert [r.action for r in store.history(draft_id, "@attachments")] == ["attach"] * 3


def test_content_not_extension_decides(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    fake = tmp_path / "营业执照.pdf"
    fake.write_bytes(b"MZ\x90\x00 not really a pdf")
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "business_license", fake)
    assert info.value.code == "attachment.type" and "营业执照.pdf" in info.value.message.zh
    renamed = make_png(tmp_path / "scan.pdf")  # a PNG named .pdf is a PNG
    assert store.add_attachment(draft_id, "other", renamed).media_type == "image/png"
    assert len(_leftovers(store)) == 1


def test_encrypted_pdf_is_refused(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "audit_report",
                             make_pdf(tmp_path / "locked.pdf", password="secret"))
    assert info.value.code == "attachment.pdf_encrypted"
    assert "加密" in info.value.message.zh and "encrypted" in info.value.message.en
    assert _leftovers(store) == [] and store.attachments(draft_id) == []


@pytest.mark.parametrize("breakage", ["truncated", "garbage-body"])
def test_broken_pdf_is_refused(store: Store, tmp_path: Path, breakage: str) -> None:
    draft_id = store.create_draft("annex1-batch4")
    good = make_pdf(tmp_path / "good.pdf").read_bytes()
    bad = tmp_path / "bad.pdf"
    if breakage == "truncated":
        bad.write_bytes(good[: len(good) // 2])
    else:
        bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "audit_report", bad)
    assert info.value.code == "attachment.pdf_broken"
    assert "bad.pdf" in info.value.message.en
    assert "Error" not in info.value.message.en  # no exception class name in the dialog
    assert _leftovers(store) == []


@pytest.mark.parametrize("content", [
    b"%PDF-1.4\n1 0 obj " + b"[" * 200_000 + b"]" * 200_000 + b" endobj\n%%EOF\n",
    b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n",
], ids=["deep-nesting", "garbage-body"])
def test_a_broken_pdf_is_named_in_words_not_by_the_parsers_class(
        store: Store, tmp_path: Path, content: bytes) -> None:
    """Probe attachments.content: the refusal said "… cannot be opened (PdfReadError)" —
    a Python class name in a message for the user."""
    draft_id = store.create_draft("annex1-batch4")
    bad = tmp_path / "deep.pdf"
    bad.write_bytes(content)
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "audit_report", bad)
    assert info.value.code == "attachment.pdf_broken"
    for text in (info.value.message.zh, info.value.message.en):
        assert "deep.pdf" in text and not re.search(r"[A-Z][a-z]+(Error|Exception)", text)


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    big = tmp_path / "big.jpg"
    with open(big, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(3 * 1024 * 1024)
    with open_store(max_attachment_bytes=2 * 1024 * 1024) as small:
        draft_id = small.create_draft("annex1-batch4")
        with pytest.raises(AttachmentRefused) as info:
            small.add_attachment(draft_id, "other", big)
        assert info.value.code == "attachment.too_large" and "2 MB" in info.value.message.en
        assert _leftovers(small) == []
    with open_store() as default:  # 20 MB by default
        assert default.add_attachment(draft_id, "other", big).size == 3 * 1024 * 1024


def test_duplicates_are_refused_naming_the_earlier_one(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    first = make_png(tmp_path / "第一份.png")
    store.add_attachment(draft_id, "business_license", first)
    copy = tmp_path / "copy.png"
    copy.write_bytes(first.read_bytes())
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "other", copy)
    assert info.value.code == "attachment.duplicate"
    assert "第一份.png" in info.value.message.zh and "营业执照" in info.value.message.zh
    # another draft may attach the same file; it is stored once
    other = store.create_draft("annex2-batch1-review")
    store.add_attachment(other, "business_license", copy)
    assert len(_leftovers(store)) == 1


def test_cancel_leaves_nothing_behind(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    big = tmp_path / "scan.jpg"
    with open(big, "wb") as handle:
        handle.write(b"\xff\xd8\xff\xe0" + b"\x01" * (5 * 1024 * 1024))
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(AttachmentCancelled):
        store.add_attachment(draft_id, "other", big, cancel=cancel)
    assert _leftovers(store) == [] and store.attachments(draft_id) == []


def test_unknown_category_and_finalized_draft(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "photos", make_png(tmp_path / "a.png"))
    assert "business_license" in info.value.message.en
    store.finalize(draft_id)
    from giantdesk.store import DraftFinalized

    with pytest.raises(DraftFinalized):
        store.add_attachment(draft_id, "other", make_png(tmp_path / "b.png"))
    assert _leftovers(store) == []


def test_remove_attachment_deletes_an_unshared_copy(store: Store, tmp_path: Path) -> None:
    draft_id = store.create_draft("annex1-batch4")
    info = store.add_attachment(draft_id, "other", make_png(tmp_path / "a.png"))
    store.remove_attachment(draft_id, info.id)
    assert store.attachments(draft_id) == [] and not info.path.exists()
    assert [r.action for r in store.history(draft_id, "@attachments")] == ["attach", "detach"]


def test_a_link_loop_is_refused_with_a_message(store: Store, tmp_path: Path) -> None:
    """Probe paths.non-regular: ``Path.resolve(strict=True)`` raised RuntimeError on a loop."""
    draft_id = store.create_draft("annex1-batch4")
    loop = tmp_path / "loop.pdf"
    loop.symlink_to(loop.name)
    with pytest.raises(AttachmentRefused) as info:
        store.add_attachment(draft_id, "audit_report", loop)
    assert info.value.code == "attachment.unreadable" and "loop.pdf" in info.value.message.en
    assert _leftovers(store) == []


def test_a_repairable_pdf_is_taken_without_pypdf_noise(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A PDF whose cross-reference table is not where ``startxref`` says opens (pypdf repairs
    it) — and pypdf's warnings about it are not logged, so not printed on the command line
    (they were, in English: "incorrect startxref pointer(1)")."""
    import logging

    from giantdesk.cli import main

    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.NOTSET)  # as in a fresh process
    repaired = tmp_path / "审计 报告.pdf"
    repaired.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
        b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
        b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n")
    try:
        assert main(["drafts", "new", "annex1-batch4"]) == 0
        assert main(["drafts", "attach", "1", "audit_report", str(repaired)]) == 0
    finally:
        pypdf_log.setLevel(level)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []
