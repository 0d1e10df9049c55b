"""Do the bundle's copies carry exactly the record? Re-render them and compare.

``verify`` renders ``application.pdf``, ``application.docx`` and ``entry-sheet.pdf`` again from
``submission.json``, the finalization time, the signer's key id and the generator version in the
manifest, with this installation's renderers, and compares each with the bundle's copy:

* **identical bytes** — the copy is exactly what GiantDesk makes from this record. This is
  required when the manifest's renderer inputs (:mod:`giantdesk.export.renderinfo`) and the
  GiantDesk version equal this installation's: any other bytes are then a changed copy.
* otherwise, **the same text** — every page's text (PDF, read with pypdf) or the document's
  text (DOCX: body, headers, footers) equals the re-rendered text once line wrapping and white
  space are ignored. Fonts, library versions and so pagination may differ between
  installations, so a PDF whose page count differs is compared as one stream of text (with the
  table headers repeated at the top of continuation pages set aside) and its page furniture
  page by page with the page numbers ignored. The key id printed on each copy must be the
  signer's.

A difference is reported with the copy, the page and the first label/value that differs.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from giantdesk import __version__
from giantdesk.export.context import RenderContext
from giantdesk.export.doctext import DocumentError, PageText, docx_text, pdf_pages, squeeze
from giantdesk.forms.messages import Message
from giantdesk.forms.record import Submission

PDF, DOCX, ENTRY_SHEET = "application.pdf", "application.docx", "entry-sheet.pdf"
COPIES = (PDF, DOCX, ENTRY_SHEET)
IDENTICAL, SAME_TEXT = "identical", "text"

#: What the copies print before the signer's key id: ``layout.CAPTIONS["key_id"]`` is
#: "签名密钥编号" ("签名密钥" before): the common prefix finds both, each once.
KEY_ID_CAPTIONS = ("签名密钥",)
_KEY_ID = re.compile(r"(?<![0-9A-Za-z])([0-9A-F]{4})\s*([0-9A-F]{4})\s*([0-9A-F]{4})\s*"
                     r"([0-9A-F]{4})(?![0-9A-Za-z])")


def printed_key_ids(text: str) -> list[str]:
    """Every key id (16 hex digits in groups of 4) printed within a short distance after a key
    id caption, in order."""
    found = []
    for caption in KEY_ID_CAPTIONS:
        for at in re.finditer(re.escape(caption), text):
            match = _KEY_ID.search(text, at.end(), at.end() + 80)
            if match:
                found.append(" ".join(match.groups()))
    return found


# ----------------------------------------------------------------------------------------------
# Re-rendering (cached: summaries and tests verify the same rendering more than once)

Render = Callable[[RenderContext], bytes]


def _renderers() -> dict[str, Render]:
    from giantdesk.export.docx_render import render_docx
    from giantdesk.export.entry_sheet import render_entry_sheet
    from giantdesk.export.pdf import render_pdf

    return {PDF: render_pdf, DOCX: render_docx, ENTRY_SHEET: render_entry_sheet}


_CACHE: OrderedDict[tuple[str, datetime, str, str], dict[str, bytes]] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()


def context(record: Submission, record_bytes: bytes, finalized_at: datetime, key_id: str,
            app_version: str) -> RenderContext:
    """What the exporter rendered the copies from (the version printed is the bundle's)."""
    ctx = RenderContext.of(record, finalized_at, key_id)
    if ctx.record_bytes != record_bytes:
        raise ValueError("the record's bytes are not canonical")
    return RenderContext(ctx.record, ctx.record_bytes, ctx.sha256, ctx.fingerprint,
                         finalized_at, key_id, app_version)


def rerender(ctx: RenderContext, stop: threading.Event | None = None) -> dict[str, bytes]:
    """The three copies as this installation renders them for ``ctx``."""
    key = (ctx.sha256, ctx.finalized_at, ctx.key_id or "", ctx.app_version)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    rendered = {}
    for member, render in _renderers().items():
        if stop is not None and stop.is_set():
            raise InterruptedError("verification ended")
        rendered[member] = render(ctx)
    with _LOCK:
        _CACHE[key] = rendered
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return rendered


# ----------------------------------------------------------------------------------------------
# Comparing


@dataclass(frozen=True)
class CopyCheck:
    member: str
    mode: str  # IDENTICAL or SAME_TEXT
    #: The key ids printed on the copy (read from its text: SAME_TEXT only).
    printed_key_ids: tuple[str, ...] = ()


class CopyProblem(Exception):
    def __init__(self, member: str, code: str, message: Message,
                 expected: str | Message | None = None,
                 found: str | Message | None = None) -> None:
        super().__init__(message.en)
        self.member, self.code, self.message = member, code, message
        self.expected, self.found = expected, found


@dataclass(frozen=True)
class Expectation:
    """What a copy must show, and how strictly it must match."""

    ctx: RenderContext
    rendered: dict[str, bytes]
    inputs_match: bool  # same GiantDesk, renderer inputs: bytes must be identical
    bundle_version: str  # the GiantDesk version that made the bundle
    furniture_below: float  # PDF: text drawn lower than this is page furniture


def check_copy(member: str, data: bytes, want: Expectation) -> CopyCheck:
    """Compare one copy with its re-rendering; raises :class:`CopyProblem`."""
    rendered = want.rendered[member]
    if data == rendered:
        return CopyCheck(member, IDENTICAL)
    try:
        if member == DOCX:
            ours: Sequence[PageText] = [PageText(docx_text(rendered), "")]
        else:
            ours = pdf_pages(rendered, want.furniture_below)
    except DocumentError as exc:  # our own rendering: a bug, not the bundle's fault
        raise RuntimeError(f"re-rendered {member} cannot be read: {exc}") from exc
    try:
        if member == DOCX:
            theirs: Sequence[PageText] = [PageText(docx_text(data), "")]
        else:
            theirs = pdf_pages(data, want.furniture_below)
    except DocumentError as exc:
        raise CopyProblem(member, "copy.unreadable", Message(
            f"{member} 无法读取（{exc.message.zh}）", f"{member} cannot be read ({exc.message.en})")) \
            from None
    key_ids = _check_key_ids(member, theirs, ours, want.ctx.key_id or "")
    if member == DOCX:
        _compare_text(member, theirs[0].text, ours[0].text, want)
    elif len(theirs) != len(ours) or any(squeeze(a.text) != squeeze(b.text)
                                         for a, b in zip(theirs, ours, strict=True)):
        # not page for page the same: other fonts may break the pages elsewhere
        _compare_repaginated(member, theirs, ours, want)
    if want.inputs_match:
        raise CopyProblem(member, "copy.bytes", Message(
            f"{member} 的文字与记录一致，但文件内容与本程序（同一版本、同样的字体和组件）按记录生成的副本"
            f"不同：版式、图形或字体被改动过",
            f"{member} has the record's text, but its bytes differ from the copy this "
            f"installation (the same GiantDesk version, fonts and libraries) renders from the "
            f"record: its layout, graphics or fonts were changed"),
            Message("与重新生成的副本逐字节相同", "byte-identical to the re-rendered copy"),
            Message("字节不同", "other bytes"))
    return CopyCheck(member, SAME_TEXT, tuple(key_ids))


def _check_key_ids(member: str, theirs: Sequence[PageText], ours: Sequence[PageText],
                   signer: str) -> list[str]:
    printed = printed_key_ids("\n".join(p.text for p in theirs))
    for key_id in printed:
        if key_id != signer:
            raise CopyProblem(member, "copy.key_id", Message(
                f"{member} 上印的签名密钥编号 {key_id} 不是签名者的密钥编号 {signer}",
                f"{member} prints the key id {key_id}, not the signer's key id {signer}"),
                signer, key_id)
    if not printed and printed_key_ids("\n".join(p.text for p in ours)):
        raise CopyProblem(member, "copy.key_id", Message(
            f"{member} 上没有印签名密钥编号（应为 {signer}）",
            f"{member} does not print the signer's key id ({signer})"),
            signer, Message("没有", "none"))
    return printed


def _repeated_headers(pages: Sequence[PageText]) -> set[str]:
    """Texts a page of our rendering starts with that already appeared earlier in it: the
    header rows a table repeats on each continuation page."""
    headers: set[str] = set()
    seen = squeeze(pages[0].body) if pages else ""
    for page in pages[1:]:
        run, best = "", ""
        for line in page.body.splitlines()[:12]:
            run += squeeze(line)
            if run and run not in seen:
                break
            best = run
        if len(best) >= 4:
            headers.add(best)
        seen += squeeze(page.body)
    return headers


@dataclass(frozen=True)
class _Stream:
    """The squeezed page bodies of a PDF as one text, continuation headers set aside."""

    text: str
    starts: list[int]  # where each page's part begins in ``text``
    skipped: list[int]  # how many squeezed characters were set aside at each page's top

    def locate(self, pages: Sequence[PageText], d: int) -> tuple[int, str]:
        """(page number, the line of that page) holding position ``d``."""
        index = max((i for i, start in enumerate(self.starts) if start <= d), default=0)
        if not pages:
            return 1, ""
        return index + 1, _line_at(pages[index].body, d - self.starts[index] +
                                   self.skipped[index])


def _stream(pages: Sequence[PageText], headers: set[str]) -> _Stream:
    parts, starts, skipped, at = [], [], [], 0
    for index, page in enumerate(pages):
        text = squeeze(page.body)
        cut = 0
        if index:
            for header in sorted(headers, key=len, reverse=True):
                if text.startswith(header):
                    cut = len(header)
                    break
        starts.append(at)
        skipped.append(cut)
        parts.append(text[cut:])
        at += len(text) - cut
    return _Stream("".join(parts), starts, skipped)


_DIGITS = re.compile(r"\d+")


def _compare_repaginated(member: str, theirs: Sequence[PageText], ours: Sequence[PageText],
                         want: Expectation) -> None:
    headers = _repeated_headers(ours)
    a, b = _stream(theirs, headers), _stream(ours, headers)
    if a.text != b.text:
        d = _first_difference(a.text, b.text)
        page, found = a.locate(theirs, d)
        _, expected = b.locate(ours, d)
        raise _difference(member, want, page, _where(want.ctx, b.text, d), expected, found)
    for number, sheet in enumerate(theirs, start=1):
        # the same page of ours (its last for pages beyond), page numbers ignored; what ours
        # prints of the record there (fingerprint, USCC) must be there exactly
        model = ours[min(number, len(ours)) - 1].furniture if ours else ""
        mine, yours = squeeze(model), squeeze(sheet.furniture)
        needles = [n for n in (squeeze(want.ctx.fingerprint), squeeze(want.ctx.uscc))
                   if n and n in mine]
        if _DIGITS.sub("#", yours) != _DIGITS.sub("#", mine) or \
                not all(n in yours for n in needles):
            raise CopyProblem(member, "copy.differs", Message(
                f"{member} 第 {number} 页的页脚与记录不符",
                f"{member} page {number}: the footer does not match the record"),
                model.strip() or "…", sheet.furniture.strip() or Message("（没有页脚）",
                                                                         "(no footer)"))


def _compare_text(member: str, a_text: str, b_text: str, want: Expectation) -> None:
    a, b = squeeze(a_text), squeeze(b_text)
    if a != b:
        d = _first_difference(a, b)
        raise _difference(member, want, None, _where(want.ctx, b, d), _line_at(b_text, d),
                          _line_at(a_text, d))


def _first_difference(a: str, b: str) -> int:
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def _line_at(text: str, d: int) -> str:
    """The line of ``text`` holding its ``d``-th non-blank character."""
    seen = 0
    for line in text.splitlines():
        seen += len(squeeze(line))
        if seen > d:
            return line.strip()
    return ""


def _labels(ctx: RenderContext) -> list[Message]:
    """Every label the copies print, in printing order, in both languages."""
    from giantdesk.export.layout import FieldEntry, GridEntry, Layout, TableEntry, build_layout

    def walk(layout: Layout) -> list[str]:
        out = [line.label for line in layout.cover_lines]
        for part in layout.parts:
            out.append(part.heading)
            for entry in part.entries:
                if isinstance(entry, FieldEntry):
                    out.append(entry.label)
                elif isinstance(entry, GridEntry):
                    out.append(entry.label)
                    out += [line.label for line in entry.lines]
                elif isinstance(entry, TableEntry):
                    out.append(entry.label)
                    out += [column.label for column in entry.columns]
        return out

    zh, en = walk(build_layout(ctx, "zh")), walk(build_layout(ctx, "en"))
    return [Message(z, e) for z, e in zip(zh, en, strict=False)]


def _where(ctx: RenderContext, text: str, d: int) -> Message | None:
    """The last label printed before position ``d`` of the squeezed rendered ``text``."""
    found, cursor = None, 0
    for label in _labels(ctx):
        needle = squeeze(label.zh)
        at = text.find(needle, cursor) if needle else -1
        if at < 0:
            continue
        if at > d:
            break
        found, cursor = label, at + len(needle)
    return found


def _difference(member: str, want: Expectation, page: int | None, label: Message | None,
                expected: str, found: str) -> CopyProblem:
    where_zh = f"第 {page} 页" if page else ""
    where_en = f" page {page}" if page else ""
    at_zh = f"，在“{label.zh}”处" if label else ""
    at_en = f", at “{label.en}”" if label else ""
    note = Message("", "")
    if want.bundle_version != __version__:
        note = Message(
            f"（此文件包由 GiantDesk {want.bundle_version} 生成，本程序为 {__version__}；若两版的版式"
            f"不同，请用 {want.bundle_version} 校验）",
            f" (the bundle was made by GiantDesk {want.bundle_version}, this is {__version__}; if "
            f"their layouts differ, verify with {want.bundle_version})")
    return CopyProblem(member, "copy.differs", Message(
        f"{member} {where_zh}的内容与记录 submission.json 不符{at_zh}{note.zh}",
        f"{member}{where_en} does not show the record in submission.json{at_en}{note.en}"),
        expected or "…", found or Message("（没有更多内容）", "(nothing more)"))
