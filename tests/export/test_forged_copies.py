"""Forged copies: built only from the documented format, every one is ``invalid`` (exit 1) with a
message naming the copy and what differs — whoever signed the bundle."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from giantdesk.cli import main
from giantdesk.export.bundle import DOCX, ENTRY_SHEET, PDF, RECORD
from giantdesk.export.context import RenderContext
from giantdesk.export.docx_render import render_docx
from giantdesk.export.entry_sheet import render_entry_sheet
from giantdesk.export.fonts import load_fonts
from giantdesk.export.pdf import render_pdf
from giantdesk.export.signing import Signer
from giantdesk.export.verify import Report, verify_bundle
from giantdesk.forms.record import Submission, loads
from tests.export.bundletools import Members, read_members, replaced, resigned, write_members
from tests.export.conftest import FINALIZED

RENDER = {PDF: render_pdf, DOCX: render_docx, ENTRY_SHEET: render_entry_sheet}
FORGED_REVENUE = Decimal("987654321.00")
FORGED_ADDRESS = "上海市浦东新区世纪大道 1 号 88 楼"


@pytest.fixture(scope="module")
def fresh() -> Signer:
    """The forger's own key, made for the occasion."""
    return Signer.from_raw(bytes(range(200, 232)))


@pytest.fixture(scope="module")
def members(bundle: Path) -> Members:
    return read_members(bundle)


@pytest.fixture(scope="module")
def original(members: Members) -> Submission:
    return loads(dict((i.filename, d) for i, d in members)[RECORD])


@pytest.fixture(scope="module")
def rekeyed(members: Members, original: Submission, fresh: Signer) -> Members:
    """The bundle as a forger holding only their own key makes it: every copy re-rendered
    honestly from the real record with the forger's key id (to be re-signed with that key)."""
    ctx = RenderContext.of(original, FINALIZED, fresh.key_id)
    out = members
    for member, render in RENDER.items():
        out = replaced(out, member, render(ctx))
    return out


def forged_context(original: Submission, key_id: str) -> RenderContext:
    """A changed record rendered as if it were the original: the original's bytes, hash and
    fingerprint, but another revenue and address in every value printed."""
    real = RenderContext.of(original, FINALIZED, key_id)
    changed = original.copy()
    changed.values["finance.2021.operating_revenue"] = FORGED_REVENUE
    changed.values["enterprise.address"] = FORGED_ADDRESS
    return RenderContext(changed, real.record_bytes, real.sha256, real.fingerprint, FINALIZED,
                         key_id)


def three_strings_pdf(original: Submission, lines: list[str]) -> bytes:
    """A one-page PDF printing the fingerprint, the USCC and the name (and ``lines``)."""
    fonts = load_fonts()
    real = RenderContext.of(original, FINALIZED)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setFont(fonts.body, 11)
    for i, text in enumerate([f"指纹 / Fingerprint: {real.fingerprint}", real.uscc,
                              str(original.values["enterprise.name"]), *lines]):
        canvas.drawString(72, 760 - 18 * i, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def one_line_pdf(text: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setFont(load_fonts().body, 11)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def empty_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def three_strings_docx(original: Submission, lines: list[str]) -> bytes:
    real = RenderContext.of(original, FINALIZED)
    document = Document()
    for text in [real.fingerprint, real.uscc, str(original.values["enterprise.name"]), *lines]:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def empty_docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def invalid(path: Path, trust: str | None = None) -> Report:
    report = verify_bundle(path, trust=trust)
    assert report.readable and not report.valid and report.exit_code == 1, report.problem
    assert report.problem is not None and report.record_bytes is not None
    assert report.verified_record is None  # nothing to import
    return report


@pytest.mark.parametrize("member", [PDF, DOCX, ENTRY_SHEET])
def test_a_copy_rerendered_from_a_changed_record_is_found(
        member: str, rekeyed: Members, original: Submission, fresh: Signer,
        tmp_path: Path) -> None:
    """The forger re-renders from a changed record with the original fingerprint and their own
    key id, and signs a new manifest with their own key."""
    forged = RENDER[member](forged_context(original, fresh.key_id))
    path = write_members(tmp_path / "f.zip", resigned(replaced(rekeyed, member, forged), fresh))
    report = invalid(path)
    assert report.problem is not None
    assert (report.problem.member, report.problem.code) == (member, "copy.differs")
    message = report.problem.message
    # the first differing value: the address comes before the revenue in every copy
    assert "通讯地址" in message.zh and "address" in message.en.lower(), message
    if member != DOCX:
        assert re.search(r"第 \d+ 页", message.zh) and re.search(r"page \d+", message.en)
    assert "上海市浦东新区" in str(report.problem.found)
    assert str(original.values["enterprise.address"])[:10] in str(report.problem.expected)
    # with --trust naming the forger's key: still invalid
    assert invalid(path, trust=fresh.key_id).problem == report.problem


def test_a_changed_revenue_alone_is_named(rekeyed: Members, original: Submission,
                                          fresh: Signer, tmp_path: Path) -> None:
    real = RenderContext.of(original, FINALIZED, fresh.key_id)
    changed = original.copy()
    changed.values["finance.2021.operating_revenue"] = FORGED_REVENUE
    ctx = RenderContext(changed, real.record_bytes, real.sha256, real.fingerprint, FINALIZED,
                        fresh.key_id)
    path = write_members(tmp_path / "r.zip",
                         resigned(replaced(rekeyed, ENTRY_SHEET, render_entry_sheet(ctx)), fresh))
    problem = invalid(path).problem
    assert problem is not None and problem.code == "copy.differs"
    assert "营业收入" in problem.message.zh and "987654321" in str(problem.found)


@pytest.mark.parametrize("member", [PDF, DOCX, ENTRY_SHEET])
@pytest.mark.parametrize("kind", ["three strings", "three strings and a key id", "empty"])
def test_a_copy_replaced_by_another_document(member: str, kind: str, rekeyed: Members,
                                             original: Submission, fresh: Signer,
                                             tmp_path: Path) -> None:
    lines = [f"营业收入 {FORGED_REVENUE}", FORGED_ADDRESS]
    if kind == "three strings and a key id":
        lines.append(f"签名密钥 {fresh.key_id}")
    if kind == "empty":
        forged = empty_docx() if member == DOCX else empty_pdf()
    elif member == DOCX:
        forged = three_strings_docx(original, lines)
    else:
        forged = three_strings_pdf(original, lines)
    path = write_members(tmp_path / "d.zip", resigned(replaced(rekeyed, member, forged), fresh))
    problem = invalid(path).problem
    assert problem is not None and problem.member == member
    assert problem.code in ("copy.differs", "copy.key_id")
    assert member in problem.message.zh and member in problem.message.en


def test_the_reported_forgery(rekeyed: Members, original: Submission, fresh: Signer,
                              tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The case of the issue: application.pdf replaced by a one-page PDF with the three strings
    and 营业收入 987654321.00 and another address, entry-sheet.pdf by a one-line PDF, the manifest
    rewritten and signed with a fresh Ed25519 key — with and without --trust."""
    forged = replaced(rekeyed, PDF, three_strings_pdf(
        original, [f"营业收入 {FORGED_REVENUE}", FORGED_ADDRESS, f"签名密钥 {fresh.key_id}"]))
    forged = replaced(forged, ENTRY_SHEET, one_line_pdf("线上填报录入单"))
    path = write_members(tmp_path / "forged.zip", resigned(forged, fresh))
    for extra in ([], ["--trust", fresh.key_id]):
        assert main(["--lang", "en", "verify", str(path), *extra]) == 1
        out = capsys.readouterr().out
        assert out.splitlines()[0] == f"signing key id: {fresh.key_id}"
        assert "INVALID" in out and "application.pdf" in out


def test_a_copy_printing_another_key_id(members: Members, original: Submission,
                                        signer: Signer, other_signer: Signer,
                                        tmp_path: Path) -> None:
    real = RenderContext.of(original, FINALIZED, other_signer.key_id)
    path = write_members(tmp_path / "k.zip",
                         resigned(replaced(members, DOCX, render_docx(real)), signer))
    problem = invalid(path).problem
    assert problem is not None
    assert (problem.member, problem.code) == (DOCX, "copy.key_id")
    assert (problem.expected, problem.found) == (signer.key_id, other_signer.key_id)


def test_same_text_other_bytes(members: Members, signer: Signer, tmp_path: Path) -> None:
    """The same text with other bytes: valid at the text level when the manifest does not
    claim this installation's renderer; a changed copy when it does (then the bytes must be
    identical)."""
    pdf = dict((i.filename, d) for i, d in members)[PDF]
    other = pdf.replace(b"/Producer (GiantDesk", b"/Producer (GiantDusk", 1)
    assert other != pdf and len(other) == len(pdf)
    changed = replaced(members, PDF, other)
    text_level = verify_bundle(write_members(tmp_path / "t.zip", resigned(changed, signer)))
    assert text_level.valid, text_level.problem
    assert [c.mode for c in text_level.copies] == ["text", "identical", "identical"]
    assert text_level.copies[0].printed_key_ids == (signer.key_id,)
    strict = invalid(write_members(tmp_path / "s.zip",
                                   resigned(changed, signer, keep_render=True)))
    assert strict.problem is not None
    assert (strict.problem.member, strict.problem.code) == (PDF, "copy.bytes")


def test_an_older_bundle_without_renderer_inputs_still_verifies(
        members: Members, signer: Signer, tmp_path: Path) -> None:
    """Bundles written before the manifest recorded the renderer inputs (and by zipfile)."""
    report = verify_bundle(write_members(tmp_path / "old.zip", resigned(members, signer)))
    assert report.valid, report.problem
    assert [c.mode for c in report.copies] == ["identical"] * 3


def test_copies_rendered_with_other_fonts_verify_by_text(
        record: Submission, signer: Signer, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another installation (here: the monospaced face of the shipped heading font for every
    text) lays the copies out differently: the bytes differ, the text does not."""
    from giantdesk.export import fonts
    from giantdesk.export.bundle import Renderers, export_bundle

    usual = fonts.choose_fonts

    def mono() -> fonts.FontChoice:
        choice = usual()
        face = fonts.FontFile(choice.heading.path, 1, "body")  # WenQuanYi Micro Hei Mono
        return fonts.FontChoice(face, fonts.FontFile(choice.heading.path, 1, "heading"),
                                choice.symbol)

    with monkeypatch.context() as patch:
        patch.setattr(fonts, "choose_fonts", mono)
        path = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                             renderers=Renderers(render_pdf, render_docx,
                                                 render_entry_sheet)).path
    report = verify_bundle(path)
    assert report.valid, report.problem
    assert [c.mode for c in report.copies] == ["text", "identical", "text"]
