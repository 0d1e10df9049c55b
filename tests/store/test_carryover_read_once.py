"""Carry-over imports exactly the bytes verify checked: swapping or rewriting the bundle while
(or after) it is verified never gets an unsigned record in."""

from __future__ import annotations

import os
import threading
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from giantdesk.cli import main
from giantdesk.export import verify
from giantdesk.forms.record import Submission, loads
from giantdesk.store import open_store
from giantdesk.store.carryover import read_source
from giantdesk.store.errors import StoreError

REVENUE = "finance.2021.operating_revenue"


@pytest.fixture
def bundles(samples: Path, tmp_path: Path) -> tuple[Path, bytes, bytes]:
    """A signed bundle, and the bytes of an unsigned one (another revenue, same length)."""
    from giantdesk.export.bundle import export_bundle
    from giantdesk.export.signing import Signer

    signed = export_bundle(loads((samples / "annex1-pass.json").read_bytes()), tmp_path / "out",
                           signer=Signer.from_raw(bytes(32)),
                           finalized_at=datetime(2022, 7, 1, tzinfo=UTC)).path
    unsigned = tmp_path / "unsigned.zip"
    with zipfile.ZipFile(signed) as src, zipfile.ZipFile(unsigned, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "submission.json":
                data = data.replace(b'"19460.00"', b'"99460.00"')
            dst.writestr(info, data)
    return signed, signed.read_bytes(), unsigned.read_bytes()


def _before_the_read(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """``action`` runs inside verify, between reading the directory and the one pass."""
    real = verify.stream

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        action()
        return real(*args, **kwargs)

    monkeypatch.setattr(verify, "stream", wrapped)


def _after_verify(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """``action`` runs as soon as verify has returned (its file closed): where a second read
    of the file would come."""
    real = verify.verify_bundle

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        report = real(*args, **kwargs)
        action()
        return report

    monkeypatch.setattr(verify, "verify_bundle", wrapped)


def _revenue(record: Submission) -> Decimal:
    value = record.values[REVENUE]
    assert isinstance(value, Decimal)
    return value


def test_a_swap_after_the_read_changes_nothing(bundles: tuple[Path, bytes, bytes],
                                               monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    path, _, unsigned = bundles
    swap = tmp_path / "swap.zip"
    swap.write_bytes(unsigned)
    _after_verify(monkeypatch, lambda: os.replace(swap, path))
    record = read_source(path)
    assert _revenue(record) == Decimal("19460.00")  # what was verified, not what is there now
    assert path.read_bytes() == unsigned


def test_a_rewrite_during_the_read_is_refused(bundles: tuple[Path, bytes, bytes],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path, _, unsigned = bundles

    def rewrite() -> None:
        with path.open("r+b") as fh:
            fh.write(unsigned)
            fh.truncate()

    _before_the_read(monkeypatch, rewrite)
    with pytest.raises(StoreError) as caught:
        read_source(path)
    assert "submission.json" in caught.value.message.en


def test_a_rewrite_to_other_sizes_during_the_read_is_refused(
        bundles: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    path, signed, _ = bundles

    def truncate() -> None:
        with path.open("r+b") as fh:
            fh.truncate(len(signed) // 2)

    _before_the_read(monkeypatch, truncate)
    with pytest.raises(StoreError) as caught:
        read_source(path)
    assert "changed while it was being read" in caught.value.message.en


def test_concurrent_swaps_never_import_an_unsigned_record(
        bundles: tuple[Path, bytes, bytes], tmp_path: Path) -> None:
    """Another process keeps replacing and rewriting the file while carry-over runs."""
    path, signed, unsigned = bundles
    stop = threading.Event()

    def swapper() -> None:
        turn = 0
        while not stop.is_set():
            data = unsigned if turn % 2 else signed
            try:
                if turn % 3:
                    staged = tmp_path / f"staged-{turn % 2}.zip"
                    staged.write_bytes(data)
                    os.replace(staged, path)
                else:
                    with path.open("r+b") as fh:
                        fh.write(data)
            except PermissionError:  # Windows: not while carry-over holds the file open
                pass
            turn += 1

    thread = threading.Thread(target=swapper)
    thread.start()
    imported, refused = 0, 0
    try:
        for _ in range(40):
            try:
                record = read_source(path)
            except StoreError:
                refused += 1
                continue
            assert _revenue(record) == Decimal("19460.00")
            imported += 1
    finally:
        stop.set()
        thread.join()
    assert imported + refused == 40


def test_carry_over_command_imports_the_verified_bytes(
        bundles: tuple[Path, bytes, bytes], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    path, _, unsigned = bundles
    swap = tmp_path / "swap.zip"
    swap.write_bytes(unsigned)
    _after_verify(monkeypatch, lambda: os.replace(swap, path))
    assert main(["drafts", "carry-over", str(path), "--to", "annex2-batch1-review"]) == 0
    draft_id = int(capsys.readouterr().out)
    with open_store() as store:
        assert _revenue(store.get_record(draft_id)) == Decimal("19460.00")


def test_not_a_regular_file_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "bundle.zip"
    if not hasattr(os, "mkfifo"):
        folder = tmp_path / "folder.zip"
        folder.mkdir()
        fifo = folder
    else:
        os.mkfifo(fifo)
    with pytest.raises(StoreError) as caught:
        read_source(fifo)
    assert "not a regular file" in caught.value.message.en
