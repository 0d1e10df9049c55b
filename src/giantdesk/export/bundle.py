"""Write the signed bundle (PRODUCT.md §4): one deterministic ``.zip`` per export.

Members, in this order: ``submission.json``, ``attachments/<nn>-<category>-<name>``…,
``application.pdf``, ``application.docx``, ``entry-sheet.pdf``, ``manifest.json``,
``manifest.sig``. The copies are rendered on a worker thread while the attachments stream in
(hashing and file I/O release the GIL), which is why they follow the attachments.
The zip has the one canonical layout of :mod:`giantdesk.export.zipcanon` (which ``verify``
requires): every member STORED (deflate output depends on the zlib build, STORED bytes do not,
and the copies and attachments are compressed formats anyway), the same timestamp (the
finalization time in UTC) and attributes, no extra fields, no comment. So the same record,
attachments, key and finalization time always give the same bytes; the manifest also records
what the copies' bytes depend on (:mod:`giantdesk.export.renderinfo`).

Attachments are streamed through one reused buffer (hashed while copied), never read whole, so
the memory used does not grow with their size. The zip is written
to a temporary file in the output folder and renamed at the end (``os.replace``); on an error,
a cancellation or Ctrl+C the temporary file is removed, so nothing partial is ever left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO, cast

from giantdesk import fileops
from giantdesk.export.attachments import Attachment, AttachmentError, check_category, member_names
from giantdesk.export.context import RenderContext
from giantdesk.export.manifest import Manifest, MemberEntry
from giantdesk.export.outfiles import create_beside, discard
from giantdesk.export.renderinfo import this_installation
from giantdesk.export.signing import Signer, load_or_create_signer
from giantdesk.export.zipcanon import BUFFER, CanonicalZipWriter, DateTime
from giantdesk.export.zipsafe import CHUNK, DEFAULT_LIMITS
from giantdesk.forms.messages import Message, size_text
from giantdesk.forms.record import Submission
from giantdesk.forms.validation import normalized, validate

RECORD, PDF, DOCX, ENTRY_SHEET = ("submission.json", "application.pdf", "application.docx",
                                  "entry-sheet.pdf")
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
ATTACHMENTS_DIR = "attachments/"

Renderer = Callable[[RenderContext], bytes]
Progress = Callable[[int, int], None]  # (bytes done, bytes in all)
Cancel = threading.Event | Callable[[], bool]


class ExportError(Exception):
    """The export is refused or failed; ``message`` says why, ``exit_code`` 1 refused / 2 I/O."""

    def __init__(self, message: Message, exit_code: int = 1) -> None:
        super().__init__(message.en)
        self.message = message
        self.exit_code = exit_code


class ExportCancelled(ExportError):
    def __init__(self) -> None:
        super().__init__(Message("导出已取消，未留下任何文件", "export cancelled; no file was left"))


@dataclass(frozen=True)
class Renderers:
    pdf: Renderer
    docx: Renderer
    entry_sheet: Renderer

    @classmethod
    def default(cls) -> Renderers:
        """The real renderers (imported when first needed)."""
        found: list[Renderer] = []
        for module_name, function in _RENDERERS:
            try:
                module = importlib.import_module(module_name)
                found.append(getattr(module, function))
            except (ImportError, AttributeError) as exc:
                raise ExportError(Message(
                    f"本程序缺少文档生成模块（{module_name}.{function}），安装不完整",
                    f"a renderer is missing ({module_name}.{function}): broken installation"),
                    2) from exc
        return cls(*found)


_RENDERERS = (("giantdesk.export.pdf", "render_pdf"),
              ("giantdesk.export.docx_render", "render_docx"),
              ("giantdesk.export.entry_sheet", "render_entry_sheet"))


@dataclass(frozen=True)
class BundleResult:
    path: Path
    sha256: str  # of submission.json
    fingerprint: str
    key_id: str
    finalized_at: datetime
    size: int  # of the zip


# --------------------------------------------------------------------------------------------
# Time and names


def finalization_time(environ: Mapping[str, str] | None = None,
                      now: datetime | None = None) -> datetime:
    """``SOURCE_DATE_EPOCH`` (whole seconds since 1970, UTC) when set, else now; UTC, no µs."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH")
    if raw is not None and raw.strip():
        try:
            seconds = int(raw.strip())
            moment = datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError):
            raise ExportError(Message(
                f"环境变量 SOURCE_DATE_EPOCH 应为整数秒数，而不是“{raw}”",
                f"SOURCE_DATE_EPOCH must be a whole number of seconds, not “{raw}”"), 2) from None
        return moment
    return (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC, whole seconds; a naive time is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def bundle_name(uscc: str, form_id: str, finalized_at: datetime) -> str:
    safe_uscc = re.sub(r"[^0-9A-Za-z]", "", uscc) or "NOUSCC"
    return f"{safe_uscc}-{form_id}-{utc(finalized_at).strftime('%Y%m%d%H%M%S')}.zip"


def zip_date_time(moment: datetime) -> DateTime:
    """The zip timestamp of every member: the UTC finalization time, clamped to 1980–2107."""
    m = utc(moment)
    stamp = (m.year, m.month, m.day, m.hour, m.minute, m.second)
    return max((1980, 1, 1, 0, 0, 0), min(stamp, (2107, 12, 31, 23, 59, 58)))


# --------------------------------------------------------------------------------------------
# Export


def _cancelled(cancel: Cancel | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


def _check_record(record: Submission, today: date) -> None:
    findings = validate(record, today=today)
    if findings.errors:
        zh = [f"记录有 {len(findings.errors)} 个错误，不能导出："]
        en = [f"the record has {len(findings.errors)} error(s) and cannot be exported:"]
        for p in findings.errors:
            zh.append(f"  {p.path}: {p.message.zh}")
            en.append(f"  {p.path}: {p.message.en}")
        raise ExportError(Message("\n".join(zh), "\n".join(en)), 1)


def _attachment_sizes(attachments: Sequence[Attachment]) -> list[int]:
    sizes = []
    for a in attachments:
        try:
            check_category(a.category)
        except AttachmentError as exc:
            raise ExportError(exc.message, 2) from None
        try:
            st = a.path.stat()
        except OSError as exc:
            raise ExportError(Message(f"无法读取佐证材料 {a.path}：{fileops.os_reason(exc).zh}",
                                      f"cannot read attachment {a.path}: {fileops.os_reason(exc).en}"),
                              2) from None
        if not a.path.is_file():
            raise ExportError(Message(f"佐证材料 {a.path} 不是普通文件",
                                      f"attachment {a.path} is not a regular file"), 2)
        if a.size is not None and st.st_size != a.size:
            raise ExportError(_changed(a.path), 1)
        sizes.append(st.st_size)
    # What verify accepts (zipsafe.DEFAULT_LIMITS): never write a bundle our own verify refuses.
    if sum(sizes) > DEFAULT_LIMITS.max_total_size - 64 * 1024 * 1024:
        limit = size_text(DEFAULT_LIMITS.max_total_size - 64 * 1024 * 1024)
        raise ExportError(Message(
            f"佐证材料合计 {size_text(sum(sizes))}，超过上限 {limit}",
            f"the attachments total {size_text(sum(sizes))}, over the limit of {limit}"), 1)
    most = DEFAULT_LIMITS.max_members - 6  # the record, the three copies, manifest, signature
    if len(sizes) > most:
        raise ExportError(Message(f"佐证材料有 {len(sizes)} 份，最多 {most} 份",
                                  f"{len(sizes)} attachments; at most {most}"), 1)
    return sizes


def _changed(path: Path) -> Message:
    return Message(f"佐证材料 {path} 在添加后已被修改，请重新添加后再导出",
                   f"attachment {path} has changed since it was added; attach it again")


class _Writer:
    """The zip being written, with progress, cancellation and the manifest entries."""

    def __init__(self, zf: CanonicalZipWriter, total: int, progress: Progress | None,
                 cancel: Cancel | None) -> None:
        self.zf, self.total = zf, total
        self.progress, self.cancel = progress, cancel
        self.done = 0
        self.entries: list[MemberEntry] = []
        self.buffer = memoryview(bytearray(BUFFER))  # reused for every attachment

    def tick(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)
        if _cancelled(self.cancel):
            raise ExportCancelled()

    def add_bytes(self, name: str, data: bytes, listed: bool = True) -> None:
        self.zf.add_bytes(name, data)
        if listed:
            self.entries.append(MemberEntry(name, len(data), hashlib.sha256(data).hexdigest()))
        self.tick(len(data) if listed else 0)  # the total counts the listed members only

    def add_file(self, name: str, attachment: Attachment, size: int) -> None:
        digest = hashlib.sha256()
        copied = 0
        try:
            with cast(io.BufferedReader, fileops.open_regular(attachment.path)) as src:
                self.zf.begin(name, size)
                while copied <= size:
                    n = src.readinto(self.buffer[:min(BUFFER, size - copied + 1)])
                    if not n:
                        break
                    copied += n
                    if copied > size:
                        break
                    chunk = self.buffer[:n]
                    digest.update(chunk)
                    self.zf.write(chunk)
                    self.tick(n)
        except OSError as exc:
            raise ExportError(Message(f"读取佐证材料 {attachment.path} 失败：{fileops.os_reason(exc).zh}",
                                      f"reading attachment {attachment.path} failed: "
                                      f"{fileops.os_reason(exc).en}"), 2) from None
        sha = digest.hexdigest()
        if copied != size or (attachment.sha256 is not None and attachment.sha256 != sha):
            raise ExportError(_changed(attachment.path), 1)
        self.zf.end()
        self.entries.append(MemberEntry(name, size, sha))


def export_bundle(record: Submission, out_dir: Path, *,
                  attachments: Sequence[Attachment] = (),
                  finalized_at: datetime | None = None,
                  signer: Signer | None = None,
                  renderers: Renderers | None = None,
                  progress: Progress | None = None,
                  cancel: Cancel | None = None,
                  today: date | None = None) -> BundleResult:
    """Validate ``record``, render its copies, and write the signed bundle into ``out_dir``.

    ``finalized_at`` defaults to :func:`finalization_time`; ``signer`` to the user's key from
    the credential store (created on first use); ``renderers`` to the real PDF/DOCX/entry-sheet
    renderers. Raises :class:`ExportError` (or :class:`ExportCancelled`) and then leaves nothing.
    """
    today = today or date.today()
    _check_record(record, today)
    # Canonical values (a full-width USCC typed in a file becomes half-width) in every copy.
    record = normalized(record, today=today)
    sizes = _attachment_sizes(attachments)
    names = member_names(list(attachments))
    moment = utc(finalized_at) if finalized_at is not None else finalization_time()
    signer = signer or load_or_create_signer()
    renderers = renderers or Renderers.default()
    ctx = RenderContext.of(record, moment, key_id=signer.key_id)
    total = len(ctx.record_bytes) + sum(sizes)  # the copies are added once rendered
    abort = threading.Event()

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = create_beside(out_dir, ".giantdesk-", ".zip.part")
    except OSError as exc:
        raise ExportError(Message(f"无法写入文件夹 {out_dir}：{fileops.os_reason(exc).zh}",
                                  f"cannot write to the folder {out_dir}: {fileops.os_reason(exc).en}"),
                          2) from None
    target = out_dir / bundle_name(ctx.uscc, record.form, moment)
    try:
        with short_gil_slices(), \
                ThreadPoolExecutor(max_workers=1, thread_name_prefix="giantdesk-render") as pool:
            copies = pool.submit(_render_copies, ctx, renderers, cancel, abort)
            try:
                with os.fdopen(fd, "w+b") as fh:
                    _write_zip(fh, copies, list(zip(names, attachments, sizes, strict=True)),
                               ctx, signer, zip_date_time(moment), total, progress, cancel)
                    fh.flush()
                    os.fsync(fh.fileno())
            finally:
                abort.set()  # an error or a cancellation: stop rendering at the next copy
        _place(tmp, target)
    except OSError as exc:
        reason = fileops.os_reason(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        raise ExportError(Message(f"写入 {target} 失败：{where}{reason.zh}",
                                  f"writing {target} failed: {where}{reason.en}"), 2) from None
    finally:
        discard(tmp)  # gone already after the rename; else retried, never raised over the error
    return BundleResult(target, ctx.sha256, ctx.fingerprint, signer.key_id, moment,
                        target.stat().st_size)


@contextlib.contextmanager
def short_gil_slices() -> Iterator[None]:
    """While the renderer thread computes, let the copying thread (which gives up the GIL for
    every read, hash and write) get it back quickly instead of after the default 5 ms."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _render_copies(ctx: RenderContext, renderers: Renderers, cancel: Cancel | None,
                   abort: threading.Event) -> list[tuple[str, bytes]]:
    """The three copies, rendered on the worker thread."""
    from giantdesk.export.fonts import FontError  # with reportlab: only when rendering

    rendered = []
    for member, render in ((PDF, renderers.pdf), (DOCX, renderers.docx),
                           (ENTRY_SHEET, renderers.entry_sheet)):
        if abort.is_set() or _cancelled(cancel):
            raise ExportCancelled()
        try:
            rendered.append((member, render(ctx)))
        except FontError as exc:  # the shipped fonts missing: the message says which and where
            raise ExportError(exc.message, 2) from exc
        except OSError as exc:  # a font or template missing: a broken installation, not the disk
            where = f"{exc.filename}: " if exc.filename else ""
            raise ExportError(Message(
                f"生成 {member} 失败（{where}{fileops.os_reason(exc).zh}），程序安装可能不完整",
                f"rendering {member} failed ({where}{fileops.os_reason(exc).en}); the installation "
                f"may be incomplete"), 2) from exc
    return rendered


def _write_zip(fh: BinaryIO, copies: Future[list[tuple[str, bytes]]],
               files: list[tuple[str, Attachment, int]], ctx: RenderContext, signer: Signer,
               when: DateTime, total: int, progress: Progress | None,
               cancel: Cancel | None) -> None:
    zf = CanonicalZipWriter(fh, when)
    writer = _Writer(zf, total, progress, cancel)
    writer.add_bytes(RECORD, ctx.record_bytes)
    for name, attachment, size in files:
        writer.add_file(name, attachment, size)
    rendered = copies.result()
    writer.total += sum(len(data) for _, data in rendered)
    for name, data in rendered:
        writer.add_bytes(name, data)
    manifest = Manifest(ctx.app_version, ctx.record.form, ctx.record.form_version,
                        ctx.finalized_at, tuple(writer.entries), signer.public_raw,
                        signer.key_id, this_installation()).to_bytes()
    writer.add_bytes(MANIFEST, manifest, listed=False)
    writer.add_bytes(SIGNATURE, signer.sign(manifest), listed=False)
    zf.finish()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _place(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target`` atomically; never replace a different existing bundle."""
    if target.exists() and _file_sha256(target) != _file_sha256(tmp):
        raise ExportError(Message(
            f"{target} 已存在且内容不同，未覆盖。请换一个输出文件夹，或先移走原文件。",
            f"{target} already exists with different content and was not overwritten: choose "
            f"another output folder or move the old file away."), 1)
    try:  # retried while an antivirus or an archive program holds the old file
        fileops.replace(tmp, target)
    except fileops.FileBusy as exc:
        raise ExportError(exc.message, 2) from None
    fileops.fsync_dir(target.parent)  # make the rename itself durable
