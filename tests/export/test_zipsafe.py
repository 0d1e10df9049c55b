"""Untrusted zips: every classic trick is refused before a member is read."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest

from giantdesk.export.verify import verify_bundle
from giantdesk.export.zipsafe import (
    Limits,
    MemberReadError,
    ZipProblem,
    check_archive,
    name_problem,
    read_member,
)


def make_zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]],
             compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def problem_of(path: Path, limits: Limits | None = None) -> tuple[str | None, str]:
    report = verify_bundle(path, limits=limits or Limits())
    assert not report.valid and report.problem is not None
    assert report.exit_code in (1, 2)
    return report.problem.member, report.problem.code


@pytest.mark.parametrize(("name", "code"), [
    ("../evil.txt", "zip.name.parent"),
    ("attachments/../../evil.txt", "zip.name.parent"),
    ("/etc/passwd", "zip.name.absolute"),
    ("..\\evil.txt", "zip.name.backslash"),
    ("C:/Windows/evil.txt", "zip.name.drive"),
    ("a//b.txt", "zip.name.component"),
    ("./a.txt", "zip.name.component"),
    ("a\x01b.txt", "zip.name.control"),
])
def test_dangerous_names(tmp_path: Path, name: str, code: str) -> None:
    path = make_zip(tmp_path / "evil.zip", [("submission.json", b"{}"), (name, b"x")])
    assert problem_of(path) == (name, code)


def test_safe_names_pass() -> None:
    for name in ("submission.json", "attachments/01-other-营业执照（副本）.pdf", "a/b/c.txt"):
        assert name_problem(name) is None


def test_symlink_entry(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("attachments/01-other-link")
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    path = make_zip(tmp_path / "link.zip", [(info, b"/etc/passwd")])
    assert problem_of(path) == ("attachments/01-other-link", "zip.symlink")


def test_device_entry(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("dev")
    info.external_attr = 0o020644 << 16
    assert problem_of(make_zip(tmp_path / "dev.zip", [(info, b"")])) == ("dev", "zip.special_file")


def test_directory_with_data(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("attachments/")
    info.external_attr = 0o040755 << 16
    path = make_zip(tmp_path / "dir.zip", [(info, b"data")])
    assert problem_of(path) == ("attachments/", "zip.directory_data")


@pytest.mark.parametrize("second", ["a.txt", "A.TXT", "a\u030a.txt"])
def test_duplicates(tmp_path: Path, second: str) -> None:
    first = "\u00e5.txt" if "\u030a" in second else "a.txt"
    with pytest.warns(UserWarning) if second == first else contextlib.nullcontext():
        path = make_zip(tmp_path / "dup.zip", [(first, b"1"), (second, b"2")])
    assert problem_of(path) == (second, "zip.duplicate")


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "bomb.zip", [("attachments/01-other-zeros.bin", bytes(20 << 20))],
                    zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 100_000
    # a bundle is never compressed: refused before the ratio matters
    assert problem_of(path) == ("attachments/01-other-zeros.bin", "zip.compression")
    # a DOCX copy may be deflated: there the ratio is what refuses it
    with path.open("rb") as fh, zipfile.ZipFile(fh) as zf, pytest.raises(ZipProblem) as caught:
        check_archive(zf, fh, path.stat().st_size)
    assert caught.value.code == "zip.ratio"


def test_declared_sizes_against_limits(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "big.zip", [("a", bytes(600)), ("b", bytes(600))])
    assert problem_of(path, Limits(max_member_size=500))[1] == "zip.member_too_large"
    assert problem_of(path, Limits(max_total_size=1000)) == ("b", "zip.total_too_large")
    assert problem_of(path, Limits(max_members=1)) == (None, "zip.too_many_members")


def _patch_central(data: bytes, index: int, offset: int, value: bytes) -> bytes:
    """Change bytes of the ``index``-th central directory header."""
    pos = -1
    for _ in range(index + 1):
        pos = data.index(b"PK\x01\x02", pos + 1)
    return data[:pos + offset] + value + data[pos + offset + len(value):]


def test_encrypted_member(tmp_path: Path) -> None:
    data = make_zip(tmp_path / "plain.zip", [("a.txt", b"secret")]).read_bytes()
    path = tmp_path / "enc.zip"
    path.write_bytes(_patch_central(data, 0, 8, b"\x01\x00"))
    assert problem_of(path) == ("a.txt", "zip.encrypted")


def test_unsupported_compression(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "bz.zip", [("a.txt", b"x" * 100)], zipfile.ZIP_BZIP2)
    assert problem_of(path) == ("a.txt", "zip.compression")


def test_overlapping_entries(tmp_path: Path) -> None:
    data = make_zip(tmp_path / "two.zip", [("a.txt", b"x" * 100), ("b.txt", b"y" * 100)])
    path = tmp_path / "overlap.zip"
    path.write_bytes(_patch_central(data.read_bytes(), 1, 42, b"\x00\x00\x00\x00"))
    with path.open("rb") as fh, zipfile.ZipFile(fh) as zf, pytest.raises(ZipProblem) as caught:
        check_archive(zf, fh, path.stat().st_size)
    assert caught.value.code == "zip.overlap"


@pytest.mark.parametrize("offset", [-1, -(1 << 20), 1 << 40, 0xFFFFFFF0])
def test_a_garbled_member_offset_never_reaches_seek(tmp_path: Path, offset: int) -> None:
    """A directory offset outside the file is refused before anything is sought (it used to
    end in ``OSError: [Errno 22]`` from ``seek``)."""
    data = make_zip(tmp_path / "two.zip", [("a.txt", b"x" * 100)]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("a.txt")
        info.header_offset = offset
        with pytest.raises(ZipProblem) as caught:
            check_archive(zf, io.BytesIO(data), len(data))
    assert caught.value.code == "zip.overlap"


def test_a_header_that_lies_about_the_size_is_capped(tmp_path: Path) -> None:
    payload = b"z" * 5000
    raw = make_zip(tmp_path / "lie.zip", [("a.txt", payload)]).read_bytes()
    # Declare 10 bytes in the central directory: reading stops there and the CRC fails.
    lying = _patch_central(raw, 0, 24, (10).to_bytes(4, "little"))
    with zipfile.ZipFile(io.BytesIO(lying)) as zf:
        info = zf.getinfo("a.txt")
        assert info.file_size == 10
        with pytest.raises(MemberReadError):
            read_member(zf, info, cap=1 << 20)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf, pytest.raises(MemberReadError):
        read_member(zf, zf.getinfo("a.txt"), cap=100)


def test_check_archive_accepts_a_plain_zip(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "ok.zip", [("a.txt", b"1"), ("b/c.txt", b"2")])
    with path.open("rb") as fh, zipfile.ZipFile(fh) as zf:
        infos = check_archive(zf, fh, path.stat().st_size)
    assert [i.filename for i in infos] == ["a.txt", "b/c.txt"]


def test_zip_problem_carries_both_languages() -> None:
    problem = name_problem("../x")
    assert isinstance(problem, ZipProblem)
    assert "路径穿越" in problem.message.zh and "traversal" in problem.message.en
