"""File operations that behave the same on Windows and POSIX, and the emulation that proves it."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from giantdesk import fileops

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics

# The emulation on Linux; the POSIX-only probes (FIFOs, /dev/zero, modes) not on Windows.
pytestmark = [pytest.mark.windows_semantics,
              pytest.mark.skipif(os.name == "nt", reason="POSIX probes and the emulation")]


def test_the_emulation_refuses_what_windows_refuses(tmp_path: Path,
                                                    windows_semantics: WindowsSemantics) -> None:
    from tests.winsem import FakeMsvcrt

    path = tmp_path / "a.bin"
    path.write_bytes(b"owner text")
    # fsync needs a handle opened for writing (the old backup code opened it read-only)
    fd = os.open(path, os.O_RDONLY)
    with pytest.raises(OSError) as info:
        os.fsync(fd)
    os.close(fd)
    assert info.value.errno == errno.EBADF
    fileops.fsync_file(path)  # read-write: fine
    # a file open in this process can be neither replaced nor deleted
    other = tmp_path / "b.bin"
    other.write_bytes(b"x")
    with open(path, "rb"), pytest.raises(PermissionError):
        os.replace(other, path)
    with open(other, "rb"), pytest.raises(PermissionError):
        other.unlink()
    os.replace(other, path)
    # "another program" holds it for two attempts
    windows_semantics.hold(path, 2)
    for _ in range(2):
        with pytest.raises(PermissionError):
            path.unlink()
    path.unlink()
    # a mandatory lock on the text makes it unreadable through another handle
    locked = tmp_path / "lock"
    locked.write_bytes(b"pid 1@host")
    with open(locked, "r+b") as holder:
        FakeMsvcrt.locking(holder.fileno(), FakeMsvcrt.LK_NBLCK, 1)  # byte 0, as the old code
        with pytest.raises(PermissionError), open(locked, "rb") as reader:
            reader.read()
        FakeMsvcrt.locking(holder.fileno(), FakeMsvcrt.LK_UNLCK, 1)
        assert fileops.try_lock(holder)  # the far byte: the text stays readable
        assert locked.read_bytes() == b"pid 1@host"
        with open(locked, "r+b") as second:
            assert not fileops.try_lock(second)
        fileops.unlock(holder)


def test_replace_waits_out_a_short_hold(tmp_path: Path, windows_semantics: WindowsSemantics,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    source, target = tmp_path / "new", tmp_path / "汇总表.xlsx"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    windows_semantics.hold(target, 2)
    fileops.replace(source, target)
    assert target.read_bytes() == b"new" and waits == [0.02, 0.05]


def test_a_file_held_for_good_is_reported_in_words(tmp_path: Path,
                                                   windows_semantics: WindowsSemantics,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    source, target = tmp_path / "new", tmp_path / "汇总表.xlsx"
    source.write_bytes(b"new")
    target.write_bytes(b"old")
    windows_semantics.hold(target, 100)
    with pytest.raises(fileops.FileBusy) as info:
        fileops.replace(source, target)
    assert waits == list(fileops.RETRY_DELAYS) and round(sum(waits), 2) == 1.22
    message = info.value.message
    assert str(target) in message.zh and "Excel" in message.zh and "重试 7 次" in message.zh
    assert str(target) in message.en and "Excel" in message.en and "7 times" in message.en
    assert target.read_bytes() == b"old" and source.exists()  # nothing half-done
    held = tmp_path / "giantdesk.sqlite3"
    held.write_bytes(b"")
    windows_semantics.hold(held, 100)
    with pytest.raises(fileops.FileBusy) as info:
        fileops.unlink(held)
    assert "杀毒软件" in info.value.message.zh and "antivirus" in info.value.message.en
    assert "删除" in info.value.message.zh


@pytest.mark.posix_semantics
def test_a_real_permission_error_is_not_retried(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)

    def denied(*_: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(PermissionError) as info:
        fileops.replace(tmp_path / "a", tmp_path / "b")
    assert not isinstance(info.value, fileops.FileBusy) and waits == []


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    started = time.monotonic()
    for path, kind in ((fifo, "named pipe"), (Path("/dev/zero"), "device"),
                       (tmp_path, "folder")):
        with pytest.raises(fileops.NotRegularFile) as info:
            fileops.read_limited(path, 100)
        assert kind in info.value.message.en and str(path) in info.value.message.zh
    assert time.monotonic() - started < 5  # nothing blocked
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 101)
    with pytest.raises(fileops.FileTooLarge):
        fileops.read_limited(big, 100)
    assert fileops.read_limited(big, 101) == b"x" * 101
    link = tmp_path / "link"
    link.symlink_to(fifo)
    with pytest.raises(fileops.NotRegularFile):
        fileops.open_regular(link)


def test_stale_temporary_files_are_removed_but_not_one_being_written(tmp_path: Path) -> None:
    _stale_temps(tmp_path)  # Windows: an open file cannot be deleted


@pytest.mark.posix_semantics
def test_stale_temporary_files_posix(tmp_path: Path) -> None:
    _stale_temps(tmp_path)  # POSIX: the writer's flock marks it in use


def _stale_temps(tmp_path: Path) -> None:
    stale = tmp_path / ".giantdesk-0123.zip.part"
    stale.write_bytes(b"half a bundle")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fd, live = fileops.create_temp(tmp_path, ".giantdesk-", ".zip.part")
    os.utime(live, (old, old))
    fresh = tmp_path / ".giantdesk-4567.zip.part"
    fresh.write_bytes(b"")
    try:
        assert fileops.remove_stale_temps(tmp_path, ".giantdesk-", ".zip.part", 60) == 1
    finally:
        os.close(fd)
    assert not stale.exists() and live.exists() and fresh.exists()


@pytest.mark.posix_semantics
def test_posix_private_files(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        folder = fileops.private_dir(tmp_path / "data" / "inner")
        fd = fileops.create_private(folder / "f")
        os.close(fd)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "f").stat().st_mode) == 0o600
    open_folder = tmp_path / "open"
    open_folder.mkdir(mode=0o755)
    open_folder.chmod(0o755)
    fileops.private_dir(open_folder)
    assert stat.S_IMODE(open_folder.stat().st_mode) == 0o700


def test_the_scratch_folder_is_reused_and_removed_at_exit(tmp_path: Path) -> None:
    code = ("import sys; from giantdesk.fileops import scratch_dir\n"
            "a = scratch_dir(); assert scratch_dir() == a\n"
            "(a / 'x.pdf').write_bytes(b'%PDF'); print(a)\n")
    env = dict(os.environ, TMPDIR=str(tmp_path))
    stale = tmp_path / "giantdesk-open-old"
    stale.mkdir()
    old = time.time() - 7200
    os.utime(stale, (old, old))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=60, check=True).stdout.strip()
    assert Path(out).parent == tmp_path
    assert not Path(out).exists()  # removed when the process ended
    assert not stale.exists()  # an earlier run's, left behind: removed


@pytest.mark.posix_semantics
def test_access_denied_on_a_folder_is_not_taken_for_a_busy_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows says "Access is denied" (winerror 5) both for a file another program is
    deleting and for a folder (or a read-only file) in the way: only the first is waited out."""
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    monkeypatch.setattr(fileops, "_windows", lambda: True)

    def denied(*_: object) -> None:
        exc = PermissionError(errno.EACCES, "[WinError 5] Access is denied")
        exc.winerror = 5  # type: ignore[attr-defined]
        raise exc

    monkeypatch.setattr(os, "replace", denied)
    folder = tmp_path / "汇总表.xlsx"
    folder.mkdir()
    with pytest.raises(PermissionError) as info:
        fileops.replace(tmp_path / "new", folder)
    assert not isinstance(info.value, fileops.FileBusy) and waits == []
    file = tmp_path / "held.xlsx"
    file.write_bytes(b"")
    with pytest.raises(fileops.FileBusy):
        fileops.replace(tmp_path / "new", file)
    assert waits == list(fileops.RETRY_DELAYS)


def test_system_errors_are_said_in_the_users_words(tmp_path: Path) -> None:
    # the C library's texts are English everywhere (also on a Chinese Windows)
    with pytest.raises(OSError) as missing:
        open(tmp_path / "缺少的 文件.json", "rb")  # noqa: SIM115
    assert fileops.os_reason(missing.value) == fileops.Message(
        "找不到该文件或文件夹", "no such file or folder")
    full = OSError(errno.ENOSPC, "No space left on device")
    assert fileops.os_reason(full).zh == "磁盘空间已满"
    fifo = fileops.NotRegularFile(tmp_path / "x", fileops.Message("管道", "pipe"))
    assert fileops.os_reason(fifo) == fileops.Message("不是普通文件", "not a regular file")
    odd = OSError(999_999, "something odd")
    assert fileops.os_reason(odd).zh == "something odd"  # unknown: the system's text


def test_a_missing_bundle_is_named_in_chinese(tmp_path: Path) -> None:
    from giantdesk.export.verify import verify_bundle

    report = verify_bundle(tmp_path / "没有 100% #1.zip")
    assert report.problem is not None
    assert "找不到该文件或文件夹" in report.problem.message.zh
    assert "No such file" not in report.problem.message.zh
