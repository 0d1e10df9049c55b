"""Supporting materials (佐证材料): one intake for the store and the command line.

Every attachment — ``drafts attach``, the GUI, and ``export --attach`` — goes through the same
checks, with the same refusals and messages:

* the path must name a **regular file** (a FIFO, device, socket or folder is refused before it
  is opened: nothing can block); a **symlink** is followed only when it points inside the
  folder it is in (what the user chose), else refused;
* the content is recognised by its first bytes (PDF ``%PDF-``, JPEG ``FF D8 FF``, PNG
  signature; never by its extension); an empty file is refused;
* a PDF must end with ``%%EOF`` and open with pypdf (which reads lazily from the file): an
  encrypted, broken or page-less PDF is refused;
* the size limit (default 20 MB) is checked before and while reading.

:func:`ingest` copies the file in 1 MiB chunks to ``attachments/incoming/`` (same file system
as its final place), hashing on the way; :func:`place` renames it to its content-addressed
place ``attachments/blobs/<ab>/<sha256>``. Cancelling, a refusal or an error removes the
temporary copy: nothing is left behind. :func:`check_in_place` runs the same checks on a file
without copying it (the export streams it later and refuses it if it changed meanwhile).
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
from typing import Any, BinaryIO

from giantdesk import fileops
from giantdesk.forms import limits
from giantdesk.forms.messages import Message, size_text
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


@dataclass(frozen=True)
class Incoming:
    """A checked copy waiting in ``incoming/``: commit with :func:`place`, or :func:`discard`."""

    temp: Path
    name: str
    size: int
    sha256: str
    media_type: str


def open_source(source: Path) -> BinaryIO:
    """Open the file the user chose, refusing what is not a regular file of theirs."""
    name = source.name
    try:
        if source.is_symlink():
            # os.path.realpath: a link loop is an OSError (Path.resolve raises RuntimeError)
            target = Path(os.path.realpath(source, strict=True))
            folder = Path(os.path.realpath(source.absolute().parent))
            if not target.is_relative_to(folder):
                raise AttachmentRefused("attachment.symlink", Message(
                    f"“{name}”是指向所选文件夹以外的链接（{target}），未添加",
                    f"“{name}” is a link to a file outside the chosen folder ({target}); "
                    "it was not added"))
        return fileops.open_regular(source)
    except fileops.NotRegularFile as exc:
        raise AttachmentRefused("attachment.not_regular", Message(
            f"“{name}”不是普通文件（是{exc.kind.zh}），未添加",
            f"“{name}” is not a regular file (it is a {exc.kind.en}); it was not added")) from None
    except OSError as exc:
        raise AttachmentRefused("attachment.unreadable", Message(
            f"无法读取文件 {source}：{fileops.os_reason(exc).zh}", f"cannot read {source}: {fileops.os_reason(exc).en}")) \
            from exc


def _stream(handle: BinaryIO, name: str, max_bytes: int, out: BinaryIO | None,
            progress: Progress | None, cancel: Cancel | None) -> tuple[int, str, str]:
    """Read ``handle`` to its end (size limit, type by content, SHA-256), copying to ``out``."""
    total = os.fstat(handle.fileno()).st_size
    _check_size(name, total, max_bytes)
    digest = hashlib.sha256()
    size = 0
    media_type: str | None = None
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
        if out is not None:
            out.write(chunk)
        if progress is not None:
            progress(size, max(total, size))
    if media_type is None:
        raise AttachmentRefused("attachment.empty",
                                Message(f"“{name}”是空文件", f"“{name}” is empty"))
    return size, digest.hexdigest(), media_type


@dataclass(frozen=True)
class Checked:
    """A file that passed the intake's checks where it is."""

    path: Path
    name: str
    size: int
    sha256: str
    media_type: str


def check_in_place(source: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    """The intake's checks on ``source`` without copying it; raise when refused."""
    with open_source(source) as handle:
        size, sha256, media_type = _stream(handle, source.name, max_bytes, None, None, None)
        if media_type == "application/pdf":
            check_pdf_handle(handle, source.name)
    return Checked(source, source.name, size, sha256, media_type)


def ingest(layout: Layout, source: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
           progress: Progress | None = None, cancel: Cancel | None = None) -> Incoming:
    """Copy ``source`` into ``incoming/``, hashing and checking it; raise when refused."""
    name = limits.storable(source.name)  # a file name may hold bytes that are not UTF-8
    handle = open_source(source)
    fileops.private_dir(layout.incoming)
    temp = layout.incoming / f"{uuid.uuid4().hex}.part"
    try:
        with handle:
            with os.fdopen(fileops.create_private(temp), "wb") as out:
                size, sha256, media_type = _stream(handle, name, max_bytes, out, progress,
                                                   cancel)
                out.flush()
                os.fsync(out.fileno())
            if media_type == "application/pdf":
                check_pdf(temp, name)
        return Incoming(temp, name, size, sha256, media_type)
    except BaseException:
        with contextlib.suppress(OSError):
            fileops.unlink(temp)
        raise


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise AttachmentRefused("attachment.too_large", Message(
            f"“{name}”超过大小上限 {size_text(max_bytes)}（至少 {size_text(size)}）",
            f"“{name}” exceeds the size limit of {size_text(max_bytes)} (at least {size_text(size)})"))


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
    with open(path, "rb") as handle:
        check_pdf_handle(handle, name)


def check_pdf_handle(handle: BinaryIO, name: str) -> None:
    """:func:`check_pdf` on an open file (read from its start, whatever its position)."""
    size = os.fstat(handle.fileno()).st_size
    handle.seek(max(0, size - 1024))
    tail = handle.read()
    if b"%%EOF" not in tail:
        raise AttachmentRefused("attachment.pdf_broken", Message(
            f"“{name}”不是完整的 PDF 文件（缺少文件结尾标记 %%EOF，可能未下载完整或已损坏）",
            f"“{name}” is not a complete PDF (no %%EOF end marker: truncated or damaged)"))
    try:
        from pypdf import PdfReader

        from giantdesk.logs import quiet_pypdf

        quiet_pypdf()
        handle.seek(0)
        reader = PdfReader(_GuardedReader(handle), strict=False)  # type: ignore[arg-type]
        encrypted = bool(reader.is_encrypted)
        if not encrypted:
            pages = len(reader.pages)
            if pages < 1:
                raise ValueError("no pages")
    except AttachmentRefused:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input (kept as the cause)
        raise AttachmentRefused("attachment.pdf_broken", Message(
            f"“{name}”是损坏的 PDF 文件，无法打开；请用 PDF 阅读器打开并另存一份后再添加",
            f"“{name}” is a broken PDF that cannot be opened; open it in a PDF reader, save a "
            "copy and add that")) from exc
    if encrypted:
        raise AttachmentRefused("attachment.pdf_encrypted", Message(
            f"“{name}”是加密或设有密码的 PDF，请提交未加密的版本",
            f"“{name}” is an encrypted (password-protected) PDF; attach an unencrypted copy"))


def blob_path(layout: Layout, sha256: str) -> Path:
    return layout.attachments / "blobs" / sha256[:2] / sha256


def place(layout: Layout, incoming: Incoming) -> Path:
    """Move a checked copy to its content-addressed place (atomic rename); return it."""
    target = blob_path(layout, incoming.sha256)
    fileops.private_dir(target.parent)
    if target.exists() and target.stat().st_size == incoming.size:
        discard(incoming)  # the same bytes are already stored (another draft)
    else:
        fileops.replace(incoming.temp, target)
    return target


def discard(incoming: Incoming) -> None:
    with contextlib.suppress(OSError):
        fileops.unlink(incoming.temp)


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
                fileops.unlink(path)
                removed += 1
    return removed
