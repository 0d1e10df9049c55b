"""Supporting materials (佐证材料): streamed in, hashed while copied, checked by content.

A file is copied in 1 MiB chunks to ``attachments/incoming/`` (same file system as its final
place), hashed on the way, recognised by its first bytes (PDF ``%PDF-``, JPEG ``FF D8 FF``,
PNG signature; never by its extension), and a PDF is opened with pypdf (which reads lazily from
the file) to refuse encrypted or broken ones. Only then is it renamed to its content-addressed
place ``attachments/blobs/<ab>/<sha256>``. Cancelling, a refusal or an error removes the
temporary copy: nothing is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from giantdesk.forms.messages import Message
from giantdesk.store.errors import AttachmentCancelled, AttachmentRefused
from giantdesk.store.paths import Layout

CHUNK = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: A single read larger than this while checking a PDF means pypdf is rebuilding a broken
#: cross-reference table by reading the whole file: refused as broken instead.
PDF_MAX_READ = 16 * 1024 * 1024


Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

_PNG = b"\x89PNG\r\n\x1a\n"


def sniff(head: bytes) -> str | None:
    """The media type recognised from the first bytes, or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(_PNG):
        return "image/png"
    return None


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class Incoming:
    """A checked copy waiting in ``incoming/``: commit with :func:`place`, or :func:`discard`."""

    temp: Path
    name: str
    size: int
    sha256: str
    media_type: str


def ingest(layout: Layout, source: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
           progress: Progress | None = None, cancel: Cancel | None = None) -> Incoming:
    """Copy ``source`` into ``incoming/``, hashing and checking it; raise when refused."""
    name = source.name
    try:
        handle = open(source, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise AttachmentRefused("attachment.unreadable", Message(
            f"无法读取文件 {source}：{exc.strerror}", f"cannot read {source}: {exc.strerror}")) from exc
    layout.incoming.mkdir(parents=True, exist_ok=True)
    temp = layout.incoming / f"{uuid.uuid4().hex}.part"
    try:
        with handle:
            total = os.fstat(handle.fileno()).st_size
            _check_size(name, total, max_bytes)
            digest = hashlib.sha256()
            size = 0
            media_type: str | None = None
            with open(temp, "xb") as out:
                while True:
                    if cancel is not None and cancel():
                        raise AttachmentCancelled(name)
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    if media_type is None:
                        media_type = sniff(chunk[:16])
                        if media_type is None:
                            raise AttachmentRefused("attachment.type", Message(
                                f"“{name}”不是 PDF、JPEG 或 PNG 文件（按文件内容判断，与扩展名无关）",
                                f"“{name}” is not a PDF, JPEG or PNG file (judged by its content, "
                                "not its extension)"))
                    size += len(chunk)
                    _check_size(name, size, max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
                    if progress is not None:
                        progress(size, max(total, size))
                out.flush()
                os.fsync(out.fileno())
            if media_type is None:
                raise AttachmentRefused("attachment.empty",
                                        Message(f"“{name}”是空文件", f"“{name}” is empty"))
            if media_type == "application/pdf":
                check_pdf(temp, name)
        return Incoming(temp, name, size, digest.hexdigest(), media_type)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise AttachmentRefused("attachment.too_large", Message(
            f"“{name}”超过大小上限 {_mib(max_bytes)}（至少 {_mib(size)}）",
            f"“{name}” exceeds the size limit of {_mib(max_bytes)} (at least {_mib(size)})"))


class _ReadTooLarge(Exception):
    pass


class _GuardedReader:
    """A file object for pypdf that refuses huge single reads (whole-file xref rebuilds)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > PDF_MAX_READ:
            here = self._handle.tell()
            end = os.fstat(self._handle.fileno()).st_size
            wanted = end - here if size is None or size < 0 else size
            if min(wanted, end - here) > PDF_MAX_READ:
                raise _ReadTooLarge
        data: bytes = self._handle.read(size)
        return data

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._handle, attr)


def check_pdf(path: Path, name: str) -> None:
    """Refuse an encrypted or broken PDF without loading it whole."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 1024))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise AttachmentRefused("attachment.pdf_broken", Message(
            f"“{name}”不是完整的 PDF 文件（缺少文件结尾标记 %%EOF，可能未下载完整或已损坏）",
            f"“{name}” is not a complete PDF (no %%EOF end marker: truncated or damaged)"))
    try:
        from pypdf import PdfReader

        with open(path, "rb") as handle:
            reader = PdfReader(_GuardedReader(handle), strict=False)  # type: ignore[arg-type]
            encrypted = bool(reader.is_encrypted)
            if not encrypted:
                pages = len(reader.pages)
                if pages < 1:
                    raise ValueError("no pages")
    except AttachmentRefused:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input
        raise AttachmentRefused("attachment.pdf_broken", Message(
            f"“{name}”是损坏的 PDF 文件，无法打开（{type(exc).__name__}）",
            f"“{name}” is a broken PDF that cannot be opened ({type(exc).__name__})")) from exc
    if encrypted:
        raise AttachmentRefused("attachment.pdf_encrypted", Message(
            f"“{name}”是加密或设有密码的 PDF，请提交未加密的版本",
            f"“{name}” is an encrypted (password-protected) PDF; attach an unencrypted copy"))


def blob_path(layout: Layout, sha256: str) -> Path:
    return layout.attachments / "blobs" / sha256[:2] / sha256


def place(layout: Layout, incoming: Incoming) -> Path:
    """Move a checked copy to its content-addressed place (atomic rename); return it."""
    target = blob_path(layout, incoming.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and target.stat().st_size == incoming.size:
        discard(incoming)  # the same bytes are already stored (another draft)
    else:
        os.replace(incoming.temp, target)
    return target


def discard(incoming: Incoming) -> None:
    with contextlib.suppress(OSError):
        incoming.temp.unlink()


def collect_garbage(layout: Layout, referenced: set[str], min_age: float = 3600.0) -> int:
    """Remove interrupted copies and unreferenced blobs older than ``min_age`` seconds."""
    removed = 0
    now = time.time()
    candidates: list[Path] = []
    if layout.incoming.is_dir():
        candidates.extend(layout.incoming.glob("*.part"))
    blobs = layout.attachments / "blobs"
    if blobs.is_dir():
        candidates.extend(p for p in blobs.glob("*/*") if p.name not in referenced)
    for path in candidates:
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > min_age:
                path.unlink()
                removed += 1
    return removed
