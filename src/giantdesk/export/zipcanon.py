"""The bundle's zip layout, byte for byte: the writer and the reader share this one definition.

A bundle is a plain zip (PKWARE APPNOTE) in one canonical form. :class:`CanonicalZipWriter`
writes exactly this form and :func:`read_layout` + :func:`stream` accept nothing else:

* local header, data, local header, data, … from offset 0 with no gap; then the central
  directory; then the 22-byte end-of-central-directory record, which ends the file (no comment,
  nothing after it, nothing before the first local header);
* every member STORED (compressed size = size), "version needed" 20, "made by" 20 on Unix (3),
  general-purpose flags 0 — or 0x800 (UTF-8) exactly when the name is not ASCII —, no extra
  field, no file comment, no data descriptor, disk 0, internal attributes 0, external
  attributes ``0o100644 << 16`` (a regular file, rw-r--r--), the same DOS date and time on every
  member, the same fields in the local header as in the central directory;
* no zip64: the size limit (:data:`MAX_ARCHIVE_SIZE`) keeps every size and offset below 4 GiB,
  so no bundle ever needs it.

This is what Python's ``zipfile`` writes for STORED members to a seekable file, so bundles
written before this module existed have the same bytes.

Reading: :func:`read_layout` reads the end record and the central directory (every offset and
size is checked against the file before anything is sought or read) and derives the whole
expected layout; :func:`stream` then reads the file **once**, front to back, comparing every
header with the expected bytes and hashing each member (SHA-256 and CRC-32) as it passes, keeping
in memory only the members asked for. Everything a caller concludes comes from that one pass.
"""

from __future__ import annotations

import hashlib
import stat
import struct
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from giantdesk.export.zipsafe import Limits, ZipProblem, check_unique, name_problem
from giantdesk.forms.messages import Message

LOCAL_SIG, CENTRAL_SIG, END_SIG = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"
ZIP64_LOCATOR_SIG = b"PK\x06\x07"
_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # 30 bytes
_CENTRAL = struct.Struct("<4sBBHHHHHIIIHHHHHII")  # 46 bytes
_END = struct.Struct("<4sHHHHIIH")  # 22 bytes

VERSION = 20  # "version needed to extract" and "version made by": 2.0
MADE_ON = 3  # Unix
UTF8_FLAG = 0x800
FILE_MODE = 0o100644  # a regular file, rw-r--r--
EXTERNAL_ATTR = FILE_MODE << 16
#: Every size and offset fits in 32 bits below this: a canonical bundle never needs zip64.
MAX_ARCHIVE_SIZE = (1 << 32) - 1
#: Read buffer of :func:`stream` and of the writer's file copies (reused: memory stays flat).
BUFFER = 4 * 1024 * 1024

DateTime = tuple[int, int, int, int, int, int]


def dos_date_time(when: DateTime) -> tuple[int, int]:
    """(DOS time, DOS date) of ``when`` (1980–2107; seconds rounded down to even)."""
    year, month, day, hour, minute, second = when
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def encode_name(name: str) -> tuple[bytes, int]:
    """The name's bytes and flags: ASCII as is, anything else UTF-8 with the 0x800 flag."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_FLAG


def local_header(name: str, size: int, crc: int, when: DateTime) -> bytes:
    raw, flags = encode_name(name)
    time, date = dos_date_time(when)
    return _LOCAL.pack(LOCAL_SIG, VERSION, flags, 0, time, date, crc, size, size, len(raw), 0) + raw


def central_entry(name: str, size: int, crc: int, when: DateTime, offset: int) -> bytes:
    raw, flags = encode_name(name)
    time, date = dos_date_time(when)
    return _CENTRAL.pack(CENTRAL_SIG, VERSION, MADE_ON, VERSION, flags, 0, time, date, crc, size,
                         size, len(raw), 0, 0, 0, 0, EXTERNAL_ATTR, offset) + raw


def end_record(count: int, cd_size: int, cd_offset: int) -> bytes:
    return _END.pack(END_SIG, 0, 0, count, count, cd_size, cd_offset, 0)


# ----------------------------------------------------------------------------------------------
# Writing


class CanonicalZipWriter:
    """Writes members one after the other to a seekable binary file, then the directory.

    ``add_bytes`` for data in memory; ``begin``/``write``/``end`` to stream a member whose size
    is known in advance (the local header is written with CRC 0 and patched by ``end``).
    """

    def __init__(self, fh: BinaryIO, when: DateTime) -> None:
        self.fh, self.when = fh, when
        self.offset = 0
        self.central: list[bytes] = []
        self._open: tuple[str, int, int] | None = None  # name, size, header offset
        self._crc = 0
        self._written = 0

    def add_bytes(self, name: str, data: bytes) -> None:
        self.begin(name, len(data))
        self.write(data)
        self.end()

    def begin(self, name: str, size: int) -> None:
        if self._open is not None:
            raise RuntimeError("a member is still open")
        if self.offset + size > MAX_ARCHIVE_SIZE:
            raise ValueError("the bundle would need zip64")
        self._open, self._crc, self._written = (name, size, self.offset), 0, 0
        header = local_header(name, size, 0, self.when)
        self.fh.write(header)
        self.offset += len(header)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._open is None:
            raise RuntimeError("no member is open")
        self._crc = zlib.crc32(data, self._crc)
        self._written += len(data)
        if self._written > self._open[1]:
            raise ValueError(f"{self._open[0]}: more data than declared")
        self.fh.write(data)
        self.offset += len(data)

    def end(self) -> None:
        if self._open is None:
            raise RuntimeError("no member is open")
        name, size, header_offset = self._open
        if self._written != size:
            raise ValueError(f"{name}: {self._written} bytes written, {size} declared")
        self.fh.seek(header_offset)
        self.fh.write(local_header(name, size, self._crc, self.when))
        self.fh.seek(self.offset)
        self.central.append(central_entry(name, size, self._crc, self.when, header_offset))
        self._open = None

    def finish(self) -> None:
        if self._open is not None:
            raise RuntimeError("a member is still open")
        directory = b"".join(self.central)
        self.fh.write(directory)
        self.fh.write(end_record(len(self.central), len(directory), self.offset))
        self.offset += len(directory) + _END.size


# ----------------------------------------------------------------------------------------------
# Reading


class NotAZip(Exception):
    """No end-of-central-directory record at all: the file is not a zip (exit 2)."""


@dataclass(frozen=True)
class Entry:
    name: str
    offset: int  # of the local header
    size: int
    crc: int
    time: int  # DOS
    date: int  # DOS

    @property
    def header(self) -> bytes:
        """The local header this entry must have."""
        raw, flags = encode_name(self.name)
        return _LOCAL.pack(LOCAL_SIG, VERSION, flags, 0, self.time, self.date, self.crc,
                           self.size, self.size, len(raw), 0) + raw

    @property
    def data_offset(self) -> int:
        return self.offset + _LOCAL.size + len(encode_name(self.name)[0])

    @property
    def end(self) -> int:
        return self.data_offset + self.size


@dataclass(frozen=True)
class ZipLayout:
    entries: tuple[Entry, ...]
    cd_offset: int
    tail: bytes  # the central directory and the end record, as read
    size: int  # of the file

    def entry(self, name: str) -> Entry | None:
        return next((e for e in self.entries if e.name == name), None)


def _problem(code: str, zh: str, en: str, member: str | None = None,
             expected: str | None = None, found: str | None = None) -> ZipProblem:
    return ZipProblem(member, code, Message(zh, en), expected, found)


def _read_at(fh: BinaryIO, offset: int, length: int, size: int) -> bytes:
    """``length`` bytes at ``offset``, both checked against the file ``size`` first."""
    if offset < 0 or length < 0 or offset + length > size:
        raise _problem("zip.layout.bounds", "zip 目录指向文件以外的位置",
                       "the zip directory points outside the file",
                       expected=f"0…{size}", found=f"{offset}+{length}")
    fh.seek(offset)
    data = fh.read(length)
    if len(data) != length:
        raise _problem("file.changed", "读取时文件变短了（文件正在被改动？）",
                       "the file became shorter while being read (is it being changed?)")
    return data


def _diagnose_end(fh: BinaryIO, size: int) -> ZipProblem:
    """Why the last 22 bytes are not a canonical end record (or :class:`NotAZip`)."""
    window = min(size, _END.size + 0xFFFF)
    tail = _read_at(fh, size - window, window, size)
    at = tail.rfind(END_SIG)
    while at >= 0 and at + _END.size > len(tail):
        at = tail.rfind(END_SIG, 0, at)
    if at < 0:
        raise NotAZip("no end-of-central-directory record")
    comment = struct.unpack_from("<H", tail, at + 20)[0]
    after = len(tail) - at - _END.size
    if comment:
        return _problem("zip.comment", "压缩包带有注释（本程序导出的文件包没有注释）",
                        "the zip has a comment (bundles made by GiantDesk have none)",
                        expected="0", found=f"{comment} bytes")
    return _problem("zip.trailing_data", "压缩包结束记录之后还有数据",
                    "there are data after the zip's end record",
                    expected="0", found=f"{after} bytes")


def read_layout(fh: BinaryIO, size: int, limits: Limits,
                required: Sequence[str] = ()) -> ZipLayout:
    """The members and the exact expected layout, from the end record and the central
    directory only; raises :class:`ZipProblem` (named) or :class:`NotAZip`. Every name in
    ``required`` must be a member (``member.missing``; checked after the safety checks and
    before the canonical fields)."""
    if size < _END.size:
        raise NotAZip("too short")
    if size > MAX_ARCHIVE_SIZE:
        raise _problem("zip.total_too_large", "文件过大", "the file is too large",
                       expected=f"≤ {MAX_ARCHIVE_SIZE}", found=str(size))
    end = _read_at(fh, size - _END.size, _END.size, size)
    if end[:4] != END_SIG or end[20:22] != b"\x00\x00":
        raise _diagnose_end(fh, size)
    _, disk, cd_disk, n_disk, count, cd_size, cd_offset, _ = _END.unpack(end)
    locator = (_read_at(fh, size - _END.size - 20, 4, size) if size >= _END.size + 20
               else b"")
    if locator == ZIP64_LOCATOR_SIG or 0xFFFF in (n_disk, count) or \
            0xFFFFFFFF in (cd_size, cd_offset):
        raise _problem("zip.zip64", "压缩包使用了 zip64 格式（文件包不需要，也不使用）",
                       "the zip uses zip64 (bundles never need it)")
    if disk or cd_disk or n_disk != count:
        raise _problem("zip.layout.end", "压缩包结束记录不是单卷格式", "the end record is not a "
                       "single-disk one", expected=f"0 0 {count} {count}",
                       found=f"{disk} {cd_disk} {n_disk} {count}")
    if count > limits.max_members:
        raise _problem("zip.too_many_members",
                       f"成员过多：{count} 个（上限 {limits.max_members}）",
                       f"too many members: {count} (limit {limits.max_members})",
                       expected=f"≤ {limits.max_members}", found=str(count))
    if cd_size > count * (_CENTRAL.size + limits.max_name_bytes):
        raise _problem("zip.layout.directory", "中央目录的长度与成员数不符",
                       "the central directory is longer than its members need",
                       expected=f"≤ {count * (_CENTRAL.size + limits.max_name_bytes)}",
                       found=str(cd_size))
    if cd_offset + cd_size + _END.size != size:
        first = _read_at(fh, 0, 4, size) if size >= 4 else b""
        if first != LOCAL_SIG or cd_offset + cd_size + _END.size < size:
            raise _problem("zip.prefix", "第一个成员之前有其他数据（多格式拼接文件？）",
                           "there are data before the first member (a polyglot file?)",
                           expected="0", found=f"{size - cd_offset - cd_size - _END.size} bytes")
        raise _problem("zip.layout.directory", "中央目录的位置或长度与文件不符",
                       "the central directory's offset or size does not fit the file",
                       expected=str(size - _END.size - cd_size), found=str(cd_offset))
    directory = _read_at(fh, cd_offset, cd_size, size)
    entries = _parse_directory(directory, count, cd_offset, limits, required)
    if _read_at(fh, 0, 4, size) != LOCAL_SIG:
        raise _problem("zip.prefix", "第一个成员之前有其他数据（多格式拼接文件？）",
                       "there are data before the first member (a polyglot file?)")
    return ZipLayout(entries, cd_offset, directory + end, size)


def _field_problem(name: str, what: str, expected: object, found: object) -> ZipProblem:
    return _problem("zip.layout.field", f"成员 {name} 的 zip 字段“{what}”不是标准值",
                    f"member {name}: zip field “{what}” is not the canonical value",
                    name, str(expected), str(found))


@dataclass(frozen=True)
class _Record:
    """One central directory record, as found."""

    name: str
    fields: tuple[int, ...]  # the 17 integers of the fixed part, signature excluded


def _parse_directory(directory: bytes, count: int, cd_offset: int, limits: Limits,
                     required: Sequence[str]) -> tuple[Entry, ...]:
    """Two passes: first what makes a zip unsafe or not a bundle (named most usefully), then
    every canonical field, the order of the data and their contiguity."""
    records = _safe_records(directory, count, limits)
    names = {r.name for r in records}
    for name in required:
        if name not in names:
            raise ZipProblem(name, "member.missing", Message(f"缺少 {name}（不是完整的文件包）",
                                                             f"{name} is missing (not a complete "
                                                             f"bundle)"), name, "nothing")
    if not records:
        raise _problem("zip.layout.empty", "压缩包是空的", "the zip is empty")
    entries: list[Entry] = []
    for record in records:
        name = record.name
        # the method was checked in the first pass (STORED only)
        (made_version, made_on, need_version, flags, _, time, date, crc, csize, usize, _,
         extra_len, comment_len, disk, internal, external, offset) = record.fields
        for what, want, got in (("compressed size", usize, csize), ("version made by",
                                (VERSION, MADE_ON), (made_version, made_on)),
                                ("version needed", VERSION, need_version),
                                ("flags", encode_name(name)[1], flags),
                                ("extra field", 0, extra_len), ("comment", 0, comment_len),
                                ("disk", 0, disk), ("internal attributes", 0, internal),
                                ("external attributes", oct(EXTERNAL_ATTR), oct(external))):
            if want != got:
                raise _field_problem(name, what, want, got)
        entry = Entry(name, offset, usize, crc, time, date)
        expected_offset = entries[-1].end if entries else 0
        if offset != expected_offset:
            if not entries:
                raise _problem("zip.prefix", "第一个成员之前有其他数据（多格式拼接文件？）",
                               "there are data before the first member (a polyglot file?)",
                               name, "0", str(offset))
            raise _problem("zip.layout.gap" if offset > expected_offset else "zip.overlap",
                           f"成员 {name} 没有紧接在上一个成员之后",
                           f"member {name} does not start right after the previous one",
                           name, str(expected_offset), str(offset))
        if entry.end > cd_offset:
            raise _problem("zip.overlap", f"成员 {name} 的数据与中央目录重叠或超出文件",
                           f"member {name}: its data overlap the central directory or run past "
                           f"the end of the file", name, f"≤ {cd_offset}", str(entry.end))
        if entries and (time, date) != (entries[0].time, entries[0].date):
            raise _field_problem(name, "date/time", f"{entries[0].date}/{entries[0].time}",
                                 f"{date}/{time}")
        entries.append(entry)
    if entries[-1].end != cd_offset:
        raise _problem("zip.layout.gap", "最后一个成员与中央目录之间还有数据",
                       "there are data between the last member and the central directory",
                       entries[-1].name, str(entries[-1].end), str(cd_offset))
    return tuple(entries)


def _safe_records(directory: bytes, count: int, limits: Limits) -> list[_Record]:
    records: list[_Record] = []
    seen: dict[str, str] = {}
    pos = 0
    total = 0
    for _ in range(count):
        if pos + _CENTRAL.size > len(directory):
            raise _problem("zip.layout.directory", "中央目录被截断", "the central directory is "
                           "truncated")
        sig, *fields = _CENTRAL.unpack_from(directory, pos)
        (_, _, _, flags, method, _, _, _, csize, usize, name_len, extra_len, comment_len, _, _,
         external, offset) = fields
        if sig != CENTRAL_SIG:
            raise _problem("zip.layout.directory", "中央目录已损坏（记录标志不对）",
                           "the central directory is damaged (bad record signature)")
        if name_len > limits.max_name_bytes:
            raise _problem("zip.name.long", "成员名过长", "a member name is too long",
                           expected=f"≤ {limits.max_name_bytes} bytes", found=str(name_len))
        end_of_record = pos + _CENTRAL.size + name_len + extra_len + comment_len
        if end_of_record > len(directory):
            raise _problem("zip.layout.directory", "中央目录被截断",
                           "the central directory is truncated")
        raw = directory[pos + _CENTRAL.size:pos + _CENTRAL.size + name_len]
        try:
            name = raw.decode("utf-8" if flags & UTF8_FLAG else "ascii")
        except UnicodeDecodeError:
            raise _problem("zip.name.encoding", "成员名的编码不是 UTF-8（或 ASCII）",
                           "a member name is not UTF-8 (or ASCII)", expected="UTF-8",
                           found=raw[:60].hex()) from None
        problem = name_problem(name)
        if problem is not None:
            raise problem
        check_unique(name, seen)
        _check_kind(name, external, usize or csize)
        if flags & 0x1:
            raise ZipProblem(name, "zip.encrypted", Message(f"成员 {name} 已加密",
                                                            f"member {name} is encrypted"),
                             "not encrypted", "encrypted")
        if method != 0:
            raise ZipProblem(name, "zip.compression", Message(
                f"成员 {name} 经过压缩（方法 {method}）；文件包的成员一律不压缩（STORED）",
                f"member {name} is compressed (method {method}); bundle members are always "
                f"stored uncompressed"), "0 (stored)", str(method))
        if 0xFFFFFFFF in (csize, usize, offset):
            raise _problem("zip.zip64", f"成员 {name} 使用了 zip64", f"member {name} uses zip64",
                           name)
        if usize > limits.max_member_size:
            raise _problem("zip.member_too_large", f"成员 {name} 的大小 {usize} 字节超过上限",
                           f"member {name} declares {usize} bytes, over the limit", name,
                           f"≤ {limits.max_member_size}", str(usize))
        total += usize
        if total > limits.max_total_size:
            raise _problem("zip.total_too_large",
                           f"总大小超过上限 {limits.max_total_size} 字节",
                           f"the members add up to more than {limits.max_total_size} bytes",
                           name, f"≤ {limits.max_total_size}", str(total))
        records.append(_Record(name, tuple(fields)))
        pos = end_of_record
    if pos != len(directory):
        raise _problem("zip.layout.directory", "中央目录之后、结束记录之前还有数据",
                       "there are data between the central directory and the end record")
    return records


def _check_kind(name: str, external: int, size: int) -> None:
    kind = stat.S_IFMT(external >> 16)
    if kind == stat.S_IFLNK:
        raise ZipProblem(name, "zip.symlink",
                         Message(f"成员 {name} 是符号链接", f"member {name} is a symbolic link"),
                         "a regular file", "a symbolic link")
    if kind == stat.S_IFDIR or name.endswith("/"):
        if size:
            raise ZipProblem(name, "zip.directory_data", Message(
                f"目录成员 {name} 带有数据", f"directory member {name} has data"))
        raise ZipProblem(name, "zip.directory", Message(
            f"成员 {name} 是目录（文件包中没有目录成员）",
            f"member {name} is a directory (bundles have no directory members)"),
            "a regular file", "a directory")
    if kind not in (0, stat.S_IFREG):
        raise ZipProblem(name, "zip.special_file",
                         Message(f"成员 {name} 不是普通文件", f"member {name} is not a regular file"),
                         "a regular file", oct(kind))


@dataclass(frozen=True)
class Streamed:
    """One member as it passed: its size, SHA-256 and whether its CRC-32 matched."""

    size: int
    sha256: str
    crc_ok: bool


class Readable(Protocol):
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def read(self, size: int = -1, /) -> bytes: ...
    def readinto(self, buffer: memoryview, /) -> int | None: ...


class FileChanged(Exception):
    """The file did not hold, during the pass, what its directory said a moment before."""


def stream(fh: Readable, layout: ZipLayout, keep: Mapping[str, int],
           on_kept: Callable[[str, bytes], None] | None = None) -> tuple[dict[str, Streamed],
                                                                        dict[str, bytes]]:
    """Read the whole file once, front to back: every local header compared with the expected
    one, every member hashed; the members named in ``keep`` (name → cap) kept in memory and
    passed to ``on_kept`` as soon as complete. Raises :class:`ZipProblem` for a local header
    that differs, :class:`FileChanged` when the file does not end where it did before."""
    fh.seek(0)
    buffer = bytearray(BUFFER)
    view = memoryview(buffer)
    results: dict[str, Streamed] = {}
    kept: dict[str, bytes] = {}
    for entry in layout.entries:
        header = entry.header
        got = fh.read(len(header))
        if got != header:
            if len(got) != len(header):
                raise FileChanged(entry.name)
            raise ZipProblem(entry.name, "zip.local_header", Message(
                f"成员 {entry.name} 的本地文件头与中央目录不一致",
                f"member {entry.name}: the local header differs from the central directory"),
                header[:30].hex(), got[:30].hex())
        digest = hashlib.sha256()
        crc = 0
        left = entry.size
        cap = keep.get(entry.name)
        parts: list[bytes] | None = [] if cap is not None and entry.size <= cap else None
        while left:
            n = fh.readinto(view[:min(left, BUFFER)])
            if not n:
                raise FileChanged(entry.name)
            chunk = view[:n]
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            if parts is not None:
                parts.append(bytes(chunk))
            left -= n
        results[entry.name] = Streamed(entry.size, digest.hexdigest(), crc == entry.crc)
        if parts is not None:
            kept[entry.name] = b"".join(parts)
            if on_kept is not None:
                on_kept(entry.name, kept[entry.name])
    tail = fh.read(len(layout.tail) + 1)
    if tail != layout.tail:
        raise FileChanged("central directory")
    return results, kept
