"""Issue 8: a summary workbook that Excel holds (Windows semantics, emulated)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from giantdesk import fileops
from giantdesk.cli import main

from .conftest import Bundles

if TYPE_CHECKING:
    from tests.winsem import WindowsSemantics


def test_a_workbook_held_by_excel_is_retried_then_named(
        tmp_path: Path, bundles: Bundles, capsys: pytest.CaptureFixture[str],
        emulated: WindowsSemantics, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(fileops, "_sleep", waits.append)
    xlsx = tmp_path / "推荐汇总表.xlsx"
    argv = ["--lang", "zh", "summarize", "annex3", str(bundles.passing), "--out", str(xlsx),
            "--as-of", "2022-07-20", "--force"]
    xlsx.write_bytes(b"filled in by the province")
    emulated.hold(xlsx, 2)  # Excel closing it a moment later
    assert main(argv) == 0, capsys.readouterr().err
    assert waits == [0.02, 0.05] and xlsx.read_bytes().startswith(b"PK")
    xlsx.write_bytes(b"filled in again")
    emulated.hold(xlsx, 1000)  # Excel keeps it open
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and str(xlsx) in err and "Excel" in err and "Traceback" not in err
    assert xlsx.read_bytes() == b"filled in again"
    assert sorted(p.name for p in tmp_path.iterdir()) == [xlsx.name]  # no temporary file left
