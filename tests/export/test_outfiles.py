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


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_replaced_not_written_into(tmp_path: Path) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    write_file(fifo, b"{}")  # would block forever if the FIFO were opened for writing
    assert fifo.is_file() and fifo.read_bytes() == b"{}"


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
