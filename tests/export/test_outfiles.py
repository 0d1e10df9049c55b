"""The one writer of files the user receives (summaries, the trust file, ``drafts show -o``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from giantdesk import fileops
from giantdesk.export.outfiles import CannotWrite, write_file

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics


def test_written_whole_and_nothing_left_beside(tmp_path: Path) -> None:
    target = tmp_path / "汇总 表 %#.xlsx"
    write_file(target, b"one")
    write_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_folder_or_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(CannotWrite) as info:
        write_file(tmp_path, b"x")
    assert str(tmp_path) in info.value.message.zh and "文件夹" in info.value.message.zh
    assert "folder" in info.value.message.en
    missing = tmp_path / "no such folder" / "out.json"
    with pytest.raises(CannotWrite) as info:
        write_file(missing, b"x")
    assert str(missing) in info.value.message.en and not missing.parent.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/null are POSIX")
@pytest.mark.parametrize("kind", ["fifo", "device-link"])
def test_a_fifo_or_a_device_is_neither_written_into_nor_replaced(tmp_path: Path,
                                                                 kind: str) -> None:
    """Opening a FIFO for writing would block for ever; renaming over it replaced it, and over
    a device — ``drafts show -o /dev/null`` run as root, as CI does — would replace the device
    node itself (probe paths.non-regular). Both are refused, naming the path and what it is."""
    target = tmp_path / "out.json"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/null")
    with pytest.raises(CannotWrite) as info:
        write_file(target, b"{}")
    assert str(target) in info.value.message.en and "not a regular file" in info.value.message.en
    assert not target.is_file() and (kind == "fifo" or target.is_symlink())
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_held_target_keeps_its_old_bytes_and_no_temporary_is_left(
        tmp_path: Path, emulated: WindowsSemantics, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileops, "_sleep", lambda _s: None)
    target = tmp_path / "trusted-keys.json"
    target.write_bytes(b"old")
    emulated.hold(target, 1000)
    with pytest.raises(fileops.FileBusy) as info:
        write_file(target, b"new")
    assert str(target) in info.value.message.zh
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
