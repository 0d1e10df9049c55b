"""The text of a PDF or DOCX copy, read in memory, for :mod:`giantdesk.export.copies`.

Both readers take bytes already capped by the caller and never touch the disk. A PDF's text is
read page by page with pypdf, split into the body and the page furniture by where it is drawn.
A DOCX is itself a zip: it passes :func:`giantdesk.export.zipsafe.check_archive` before its XML
is parsed, and XML with a DOCTYPE (entity tricks) is refused.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from giantdesk.export.zipsafe import Limits, MiB, ZipProblem, check_archive, read_member
from giantdesk.forms.messages import Message
from giantdesk.logs import quiet_pypdf

DOCX_LIMITS = Limits(max_members=500, max_member_size=50 * MiB, max_total_size=100 * MiB)
MAX_PDF_PAGES = 2000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_PARTS = re.compile(r"^word/(document|footer\d*|header\d*)\.xml$")


class DocumentError(ValueError):
    """The copy cannot be read; ``message`` says why (in words: never a parser's class name,
    which goes to the log)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.message = Message(zh, en)


_log = logging.getLogger(__name__)


def squeeze(text: str) -> str:
    """Text compared without regard to layout: NFKC, every kind of whitespace removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class PageText:
    """One PDF page's text: the body, and the furniture (what is printed below the body's
    frame: footer, page number, fingerprint), each in content order."""

    body: str
    furniture: str

    @property
    def text(self) -> str:
        return self.body + "\n" + self.furniture


def pdf_pages(data: bytes, furniture_below: float) -> list[PageText]:
    """The text of every page, split at the height ``furniture_below`` (points from the page's
    bottom edge): pypdf reports where each piece of text is drawn."""
    from pypdf import PdfReader

    quiet_pypdf()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentError(f"超过 {MAX_PDF_PAGES} 页", f"more than {MAX_PDF_PAGES} pages")
        pages = []
        for page in reader.pages:
            body: list[str] = []
            furniture: list[str] = []

            def visit(text: str, cm: Sequence[float], tm: Sequence[float], *_: object,
                      body: list[str] = body, furniture: list[str] = furniture) -> None:
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                (furniture if y < furniture_below else body).append(text)

            page.extract_text(visitor_text=visit)
            pages.append(PageText("".join(body), "".join(furniture)))
        return pages
    except DocumentError:
        raise
    except Exception as exc:  # a third-party parser on untrusted bytes: any failure = unreadable
        _log.info("PDF copy unreadable: %r", exc)
        raise DocumentError("不是可读取的 PDF 文件", "not a readable PDF") from None


def _xml_text(data: bytes) -> str:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError("含有 DOCTYPE 的 XML 不予读取", "XML with a DOCTYPE is refused")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        _log.info("DOCX part unreadable: %r", exc)
        raise DocumentError("XML 已损坏", "damaged XML") from None
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        lines.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(lines)


def docx_text(data: bytes) -> str:
    """The text of the body, headers and footers of a DOCX, paragraph by paragraph."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # untrusted bytes: any failure means "not a DOCX"
        _log.info("DOCX copy unreadable: %r", exc)
        raise DocumentError("不是可读取的 DOCX 文件（zip 结构）", "not a readable DOCX (zip)") from None
    with zf:
        try:
            infos = check_archive(zf, io.BytesIO(data), len(data), DOCX_LIMITS)
        except ZipProblem as exc:
            raise DocumentError(f"DOCX 的 zip 结构不安全：{exc.message.zh}",
                                f"unsafe DOCX zip: {exc.message.en}") from None
        parts = sorted((i for i in infos if _TEXT_PARTS.match(i.filename)),
                       key=lambda i: (i.filename != "word/document.xml", i.filename))
        if not parts or parts[0].filename != "word/document.xml":
            raise DocumentError("缺少 word/document.xml", "no word/document.xml")
        try:
            return "\n".join(_xml_text(read_member(zf, i, DOCX_LIMITS.max_member_size))
                             for i in parts)
        except DocumentError:
            raise
        except Exception as exc:  # damaged member inside the DOCX
            _log.info("DOCX member unreadable: %r", exc)
            raise DocumentError("DOCX 已损坏", "damaged DOCX") from None
