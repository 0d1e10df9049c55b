"""Reading untrusted zip files without trusting them (zip slip, links, bombs, duplicates).

The bundle itself is read by :mod:`giantdesk.export.zipcanon` (one canonical layout, nothing
else); what is here serves it (:func:`name_problem`, :class:`Limits`, :class:`ZipProblem`) and
reads the zips *inside* a bundle, which other tools made (the DOCX copy): :func:`check_archive`
looks only at the directory and the local headers, before any member is read — names, types,
encryption, compression method, declared sizes against limits, every offset against the file,
overlapping entries; :func:`read_member` then reads a member through ``zipfile`` with a running
byte cap, so a header that lies about a size cannot exhaust memory. Nothing is ever written to
disk.
"""

from __future__ import annotations

import re
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from giantdesk.forms.messages import Message

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
CHUNK = 1 * MiB


@dataclass(frozen=True)
class Limits:
    max_members: int = 1000
    max_member_size: int = 2 * GiB
    max_total_size: int = 2 * GiB  # sum of the declared uncompressed sizes
    max_ratio: int = 200  # uncompressed : compressed, for members larger than ratio_floor
    ratio_floor: int = 1 * MiB
    max_name_bytes: int = 400


DEFAULT_LIMITS = Limits()


class ZipProblem(Exception):
    """What is wrong, in which member; ``expected``/``found`` for the report."""

    def __init__(self, member: str | None, code: str, message: Message,
                 expected: str | None = None, found: str | None = None) -> None:
        super().__init__(message.en)
        self.member = member
        self.code = code
        self.message = message
        self.expected = expected
        self.found = found


_DRIVE_RE = re.compile(r"^[A-Za-z]:")


def check_unique(name: str, seen: dict[str, str]) -> None:
    """Refuse ``name`` when a member of the same name was ``seen`` — also after NFC and case
    folding (one file on Windows and macOS); record it otherwise."""
    folded = unicodedata.normalize("NFC", name).casefold()
    if folded in seen:
        raise ZipProblem(name, "zip.duplicate",
                         Message(f"成员名重复：{name}（与 {seen[folded]} 相同）",
                                 f"duplicate member name: {name} (same as {seen[folded]})"),
                         "each name once", "twice")
    seen[folded] = name


def name_problem(name: str) -> ZipProblem | None:
    """Why ``name`` is not a safe member name, or None."""
    def bad(code: str, zh: str, en: str) -> ZipProblem:
        return ZipProblem(name, code, Message(f"成员名“{name!r}”{zh}", f"member name {name!r} {en}"),
                          "a relative path inside the bundle", repr(name))

    if not name:
        return bad("zip.name.empty", "为空", "is empty")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return bad("zip.name.control", "含控制字符", "contains control characters")
    if "\\" in name:
        return bad("zip.name.backslash", "含反斜杠", "contains a backslash")
    if name.startswith("/"):
        return bad("zip.name.absolute", "是绝对路径", "is an absolute path")
    if _DRIVE_RE.match(name):
        return bad("zip.name.drive", "含盘符", "starts with a drive letter")
    parts = name.rstrip("/").split("/")
    if any(p == ".." for p in parts):
        return bad("zip.name.parent", "含“..”（路径穿越）", "contains “..” (path traversal)")
    if any(p in ("", ".") for p in parts):
        return bad("zip.name.component", "含空或“.”路径段", "contains an empty or “.” component")
    return None


def _local_header_end(fh: BinaryIO, info: zipfile.ZipInfo, archive_size: int) -> int:
    """The offset where the member's data ends, from its local header (every offset checked
    against the file before it is sought: a garbled directory must not reach ``seek``)."""
    if not 0 <= info.header_offset <= archive_size - 30:
        raise ZipProblem(info.filename, "zip.overlap",
                         Message(f"成员 {info.filename} 的位置在文件以外",
                                 f"member {info.filename} lies outside the file"),
                         f"0…{archive_size - 30}", str(info.header_offset))
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise ZipProblem(info.filename, "zip.local_header",
                         Message(f"成员 {info.filename} 的本地文件头缺失或损坏",
                                 f"member {info.filename}: local file header missing or damaged"))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    end: int = info.header_offset + 30 + name_len + extra_len + info.compress_size
    return end


def check_archive(zf: zipfile.ZipFile, fh: BinaryIO, archive_size: int,
                  limits: Limits = DEFAULT_LIMITS) -> list[zipfile.ZipInfo]:
    """The members of ``zf`` if every one is safe to read; raises :class:`ZipProblem`."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise ZipProblem(None, "zip.too_many_members",
                         Message(f"成员过多：{len(infos)} 个（上限 {limits.max_members}）",
                                 f"too many members: {len(infos)} (limit {limits.max_members})"),
                         f"≤ {limits.max_members}", str(len(infos)))
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = name_problem(name)
        if problem is not None:
            raise problem
        if len(name.encode("utf-8")) > limits.max_name_bytes:
            raise ZipProblem(name, "zip.name.long", Message(f"成员名过长：{name[:60]}…",
                                                            f"member name too long: {name[:60]}…"))
        check_unique(name, seen)
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind == stat.S_IFLNK:
            raise ZipProblem(name, "zip.symlink",
                             Message(f"成员 {name} 是符号链接", f"member {name} is a symbolic link"),
                             "a regular file", "a symbolic link")
        if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
            raise ZipProblem(name, "zip.special_file",
                             Message(f"成员 {name} 不是普通文件", f"member {name} is not a regular file"),
                             "a regular file", oct(kind))
        if info.is_dir() and (info.file_size or info.compress_size):
            raise ZipProblem(name, "zip.directory_data",
                             Message(f"目录成员 {name} 带有数据", f"directory member {name} has data"))
        if info.flag_bits & 0x1:
            raise ZipProblem(name, "zip.encrypted",
                             Message(f"成员 {name} 已加密", f"member {name} is encrypted"),
                             "not encrypted", "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipProblem(name, "zip.compression",
                             Message(f"成员 {name} 使用了不支持的压缩方法 {info.compress_type}",
                                     f"member {name} uses unsupported compression method "
                                     f"{info.compress_type}"),
                             "stored or deflated", str(info.compress_type))
        if info.file_size > limits.max_member_size:
            raise ZipProblem(name, "zip.member_too_large",
                             Message(f"成员 {name} 声明的大小 {info.file_size} 字节超过上限",
                                     f"member {name} declares {info.file_size} bytes, over the "
                                     f"limit"),
                             f"≤ {limits.max_member_size}", str(info.file_size))
        total += info.file_size
        if total > limits.max_total_size:
            raise ZipProblem(name, "zip.total_too_large",
                             Message(f"解压后总大小超过上限 {limits.max_total_size} 字节",
                                     f"total uncompressed size exceeds {limits.max_total_size} "
                                     f"bytes"),
                             f"≤ {limits.max_total_size}", f"> {total - info.file_size} + "
                                                         f"{info.file_size}")
        if info.file_size > limits.ratio_floor and (
                info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            ratio = info.file_size // max(info.compress_size, 1)
            raise ZipProblem(name, "zip.ratio",
                             Message(f"成员 {name} 压缩比 {ratio}:1 异常（疑似压缩炸弹）",
                                     f"member {name} has a compression ratio of {ratio}:1 "
                                     f"(zip bomb?)"),
                             f"≤ {limits.max_ratio}:1", f"{ratio}:1")
    # Entries must not overlap one another (overlapping entries are how a small zip expands
    # to a huge total) and must lie inside the file.
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for i, info in enumerate(ordered):
        end = _local_header_end(fh, info, archive_size)
        limit = ordered[i + 1].header_offset if i + 1 < len(ordered) else archive_size
        if info.header_offset < 0 or end > limit:
            raise ZipProblem(info.filename, "zip.overlap",
                             Message(f"成员 {info.filename} 的数据与其他成员重叠或超出文件",
                                     f"member {info.filename}: data overlaps another member or "
                                     f"runs past the end of the file"))
    return infos


class MemberReadError(Exception):
    def __init__(self, member: str, detail: str) -> None:
        super().__init__(f"{member}: {detail}")
        self.member = member
        self.detail = detail


def iter_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int,
                sink: Callable[[bytes], object] | None = None, keep: bool = False) -> tuple[int, bytes]:
    """Read a member in chunks, never more than ``cap`` or its declared size.

    Returns (bytes read, the data if ``keep``). Raises :class:`MemberReadError` for a damaged
    member (bad CRC, bad deflate data, a header that lies) — zip data from outside may break
    ``zipfile`` in many ways, and every one of them is a damaged member here.
    """
    limit = min(cap, info.file_size)
    parts: list[bytes] = []
    done = 0
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(min(CHUNK, limit - done + 1))
                if not chunk:
                    break
                done += len(chunk)
                if done > limit:
                    raise MemberReadError(info.filename, f"more data than the {limit} bytes "
                                                         f"allowed")
                if sink is not None:
                    sink(chunk)
                if keep:
                    parts.append(chunk)
    except MemberReadError:
        raise
    except Exception as exc:  # hostile data: any failure means "damaged member"
        raise MemberReadError(info.filename, f"{type(exc).__name__}: {exc}"[:200]) from None
    return done, b"".join(parts)


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The whole member (at most ``cap`` bytes, else :class:`MemberReadError`)."""
    if info.file_size > cap:
        raise MemberReadError(info.filename, f"{info.file_size} bytes, over the {cap} allowed")
    return iter_member(zf, info, cap, keep=True)[1]
