"""Issue 8: a bundle whose target another program holds (Windows semantics, emulated)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from giantdesk import fileops
from giantdesk.export.bundle import ExportError, Renderers, export_bundle
from giantdesk.export.signing import Signer
from giantdesk.forms.record import loads

from .conftest import FINALIZED

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics


def test_a_held_bundle_is_retried_then_reported(tmp_path: Path, samples_dir: Path,
                                                signer: Signer, renderers: Renderers,
                                                emulated: WindowsSemantics,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    record = loads((samples_dir / "annex1-pass.json").read_bytes())
    first = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                          renderers=renderers)
    emulated.hold(first.path, 2)  # an antivirus scanning the bundle written before
    again = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                          renderers=renderers)
    assert again.path == first.path and waits == [0.02, 0.05]
    emulated.hold(first.path, 1000)
    with pytest.raises(ExportError) as info:
        export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                      renderers=renderers)
    assert str(first.path) in info.value.message.zh and "压缩软件" in info.value.message.zh
    assert "archive program" in info.value.message.en and info.value.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.path.name]  # no .part left


def test_a_part_file_left_by_a_killed_export_is_removed_by_the_next(
        tmp_path: Path, samples_dir: Path, signer: Signer, renderers: Renderers) -> None:
    stale = tmp_path / ".giantdesk-5f3a9c1b2d4e.zip.part"
    stale.write_bytes(b"PK\x03\x04 half a bundle")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    record = loads((samples_dir / "annex1-pass.json").read_bytes())
    result = export_bundle(record, tmp_path, finalized_at=FINALIZED, signer=signer,
                           renderers=renderers)
    assert sorted(p.name for p in tmp_path.iterdir()) == [result.path.name]
