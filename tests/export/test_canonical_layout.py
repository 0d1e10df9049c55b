"""The canonical zip layout: the exporter writes exactly it, verify accepts nothing else."""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from giantdesk.export.bundle import DOCX, PDF, zip_date_time
from giantdesk.export.verify import verify_bundle
from giantdesk.export.zipcanon import CanonicalZipWriter, ZipLayout, read_layout
from giantdesk.export.zipsafe import Limits
from tests.export.bundletools import read_members, write_members

PE_HEADER = b"MZ" + bytes(62) + b"This program cannot be run in DOS mode.\r\n" + bytes(65536 - 105)


def problem(path: Path) -> tuple[str | None, str]:
    report = verify_bundle(path)
    assert report.readable and report.exit_code == 1, report.problem
    assert report.problem is not None and report.verified_record is None
    return report.problem.member, report.problem.code


def layout_of(data: bytes) -> ZipLayout:
    return read_layout(io.BytesIO(data), len(data), Limits())


def test_the_canonical_writer_writes_what_zipfile_wrote(bundle: Path) -> None:
    """Bundles written before this writer existed (by ``zipfile``) have the same bytes."""
    members = read_members(bundle)
    old_style = io.BytesIO()
    with zipfile.ZipFile(old_style, "w", zipfile.ZIP_STORED) as zf:
        for info, data in members:
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.create_system, copy.external_attr = 3, 0o100644 << 16
            zf.writestr(copy, data)
    ours = io.BytesIO()
    writer = CanonicalZipWriter(ours, members[0][0].date_time)
    for info, data in members:
        writer.add_bytes(info.filename, data)
    writer.finish()
    assert ours.getvalue() == old_style.getvalue() == bundle.read_bytes()


def test_the_layout_is_derived_from_the_directory(bundle: Path) -> None:
    data = bundle.read_bytes()
    layout = layout_of(data)
    assert layout.entries[0].offset == 0
    assert layout.cd_offset + len(layout.tail) == len(data)
    for a, b in zip(layout.entries, layout.entries[1:], strict=False):
        assert a.end == b.offset
        assert data[a.offset:a.data_offset] == a.header


def test_bytes_before_the_first_member(bundle: Path, tmp_path: Path) -> None:
    """A polyglot: a 64 KB PE header in front, offsets as they were or adjusted (``zip -A``)."""
    plain = tmp_path / "plain.zip"
    plain.write_bytes(PE_HEADER + bundle.read_bytes())
    assert problem(plain) == (None, "zip.prefix")
    adjusted = tmp_path / "adjusted.zip"
    adjusted.write_bytes(PE_HEADER)
    with zipfile.ZipFile(adjusted, "a") as zf:
        for info, data in read_members(bundle):
            zf.writestr(info, data)
    assert zipfile.ZipFile(adjusted).namelist()[0] == "submission.json"  # any tool opens it
    assert problem(adjusted)[1] == "zip.prefix"


def test_a_comment_and_data_after_the_end(bundle: Path, tmp_path: Path) -> None:
    script = b"<script>alert('bundle')</script>"
    data = bundle.read_bytes()
    commented = tmp_path / "comment.zip"
    commented.write_bytes(data[:-2] + struct.pack("<H", len(script)) + script)
    assert zipfile.ZipFile(commented).comment == script
    assert problem(commented) == (None, "zip.comment")
    trailing = tmp_path / "trailing.zip"
    trailing.write_bytes(data + script)
    assert problem(trailing) == (None, "zip.trailing_data")


def test_reordered_members(bundle: Path, tmp_path: Path) -> None:
    members = read_members(bundle)
    names = [i.filename for i, _ in members]
    a, b = names.index(PDF), names.index(DOCX)
    members[a], members[b] = members[b], members[a]
    assert problem(write_members(tmp_path / "r.zip", members)) == (DOCX, "zip.layout.order")


def test_deflated_members(bundle: Path, tmp_path: Path) -> None:
    members = read_members(bundle)
    members[0][0].compress_type = zipfile.ZIP_DEFLATED
    path = write_members(tmp_path / "d.zip", members)
    assert problem(path) == ("submission.json", "zip.compression")


def test_zip64(bundle: Path, tmp_path: Path) -> None:
    data = bundle.read_bytes()
    layout = layout_of(data)
    directory = layout.tail[:-22]
    count = len(layout.entries)
    zip64_end = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count,
                            len(directory), layout.cd_offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, layout.cd_offset + len(directory), 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                      0xFFFFFFFF, 0)
    path = tmp_path / "zip64.zip"
    path.write_bytes(data[:layout.cd_offset] + directory + zip64_end + locator + end)
    assert zipfile.ZipFile(path).namelist()[0] == "submission.json"  # a zip any tool opens
    assert problem(path) == (None, "zip.zip64")
    # a zip64 extra field in the local headers (what zipfile writes with force_zip64)
    forced = tmp_path / "forced.zip"
    with zipfile.ZipFile(forced, "w") as zf:
        for info, member in read_members(bundle):
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.create_system, copy.external_attr = 3, 0o100644 << 16
            with zf.open(copy, "w", force_zip64=True) as out:
                out.write(member)
    assert problem(forced)[1].startswith("zip.")


def test_other_per_member_fields(bundle: Path, tmp_path: Path) -> None:
    extra = tmp_path / "x.zip"
    with zipfile.ZipFile(extra, "w") as zf:
        for index, (info, data) in enumerate(read_members(bundle)):
            if index == 1:
                info.extra = b"\x55\x54\x05\x00\x01\x00\x00\x00\x00"  # a timestamp
            zf.writestr(info, data)
    assert problem(extra)[1] == "zip.layout.field"
    members = read_members(bundle)
    members[2][0].external_attr = 0o100755 << 16  # executable
    assert problem(write_members(tmp_path / "m.zip", members))[1] == "zip.layout.field"
    # every member the same, but not the finalization time
    moment = zip_date_time(datetime(2023, 1, 1, tzinfo=UTC))
    members = read_members(bundle)
    for info, _ in members:
        info.date_time = moment
    assert problem(write_members(tmp_path / "t.zip", members)) == (None, "zip.layout.time")
    # a directory entry
    members = read_members(bundle)
    folder = zipfile.ZipInfo("attachments/", members[0][0].date_time)
    folder.external_attr = 0o040755 << 16
    members.insert(1, (folder, b""))
    assert problem(write_members(tmp_path / "dir.zip", members)) == ("attachments/",
                                                                      "zip.directory")


def test_a_local_header_that_differs_from_the_directory(bundle: Path, tmp_path: Path) -> None:
    data = bytearray(bundle.read_bytes())
    entry = layout_of(bytes(data)).entries[3]
    data[entry.offset + 10] ^= 0x02  # the local header's time only
    path = tmp_path / "lh.zip"
    path.write_bytes(bytes(data))
    assert problem(path) == (entry.name, "zip.local_header")


@pytest.mark.parametrize("field", ["version made by", "flags", "internal attributes"])
def test_non_canonical_directory_fields(bundle: Path, tmp_path: Path, field: str) -> None:
    data = bytearray(bundle.read_bytes())
    layout = layout_of(bytes(data))
    at = layout.cd_offset
    offset = {"version made by": 4, "flags": 8, "internal attributes": 36}[field]
    data[at + offset] ^= 0x04
    path = tmp_path / "f.zip"
    path.write_bytes(bytes(data))
    assert problem(path) == ("submission.json", "zip.layout.field")


