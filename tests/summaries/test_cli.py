"""``giantdesk summarize`` from the command line: outputs, stderr, exit codes, no overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from giantdesk.cli import main
from giantdesk.export.signing import Signer

from .conftest import Bundles
from .test_tables import shipped


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["--lang", "zh", "summarize", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_some_invalid(tmp_path: Path, bundles: Bundles,
                      capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, docx = tmp_path / "a3.xlsx", tmp_path / "a3.docx"
    code, out, err = run(capsys, "annex3", bundles.folder, "--out", xlsx, "--docx", docx,
                         "--as-of", "2022-07-20")
    assert code == 1
    assert bundles.tampered.name in err and "member.sha256" in err
    assert "已汇总 2 个文件包（2 家企业）" in out and str(xlsx) in out
    wb = openpyxl.load_workbook(xlsx)
    assert wb["汇总表"].cell(5, 2).value == "无锡乙传感科技有限公司"
    assert wb["问题"].cell(3, 2).value == bundles.tampered.name
    assert len(Document(str(docx)).tables[0].rows) == 3
    first = xlsx.read_bytes()
    # the same run again: same bytes, nothing to replace
    assert run(capsys, "annex3", bundles.folder, "--out", xlsx, "--docx", docx,
               "--as-of", "2022-07-20")[0] == 1
    assert xlsx.read_bytes() == first
    # other content: the (maybe filled-in) workbook is not overwritten without --force
    code, _, err = run(capsys, "annex3", bundles.passing, "--out", xlsx, "--as-of",
                       "2022-07-20")
    assert code == 1 and "--force" in err and xlsx.read_bytes() == first
    code, _, _ = run(capsys, "annex3", bundles.passing, "--out", xlsx, "--as-of",
                     "2022-07-20", "--force")
    assert code == 0 and xlsx.read_bytes() != first
    assert not list(tmp_path.glob(".giantdesk-*"))


def test_all_verified_trusted_english(tmp_path: Path, bundles: Bundles,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    key = Signer.from_raw(bytes(range(32))).key_id.replace(" ", "").lower()
    xlsx = tmp_path / "a4.xlsx"
    code = main(["--lang", "en", "summarize", "annex4", str(bundles.annex2), "--out", str(xlsx),
                 "--trust", key, "--as-of", "2022-07-20"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "summarized 2 bundle(s) (2 enterprise(s))" in out
    ws = openpyxl.load_workbook(xlsx)["Summary"]
    assert ws.cell(4, 2).value == "Enterprise"


def test_nothing_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "junk.zip").write_bytes(b"PK but not really")
    code, _, err = run(capsys, "annex3", tmp_path / "in", "--out", tmp_path / "x.xlsx")
    assert code == 2 and "junk.zip" in err and "未生成汇总表" in err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(("extra", "needle"), [
    (["--as-of", "20-07-2022"], "--as-of"),
    (["--trust", "nonsense"], "--trust"),
    (["--docx", "x.pdf"], ".docx"),
])
def test_bad_command_line(tmp_path: Path, bundles: Bundles, extra: list[str], needle: str,
                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "annex3", bundles.passing, "--out", tmp_path / "x.xlsx", *extra)
    assert code == 2 and needle in err


def test_unknown_table_and_custom_definition(tmp_path: Path, bundles: Bundles,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "annex5", bundles.passing, "--out", tmp_path / "x.xlsx")
    assert code == 2 and "annex3" in err
    raw = shipped("annex3-batch4")
    raw["columns"] = [c for c in raw["columns"] if c["id"] in ("seq", "name", "opinion")]
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run(capsys, "annex3", bundles.passing, "--out", tmp_path / "x.xlsx",
                     "--definition", mine, "--as-of", "2022-07-20")
    assert code == 0
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").worksheets[0]
    assert [c.value for c in ws[4]] == ["序号", "企业名称", "推荐意见"]
    code, _, err = run(capsys, "annex4", bundles.passing, "--out", tmp_path / "y.xlsx",
                       "--definition", mine)
    assert code == 2 and "annex1-batch4" in err


@pytest.mark.parametrize("kind", ["fifo", "device-link", "folder", "loop"])
def test_an_output_that_is_not_a_regular_file_is_refused_even_with_force(
        tmp_path: Path, bundles: Bundles, capsys: pytest.CaptureFixture[str],
        kind: str) -> None:
    """Probe paths.non-regular: --out naming a FIFO or a link to /dev/null was "exists with
    other content" (exit 1), and with --force the FIFO or link was replaced (as root a
    /dev/null named directly would have been); a link loop ended in a traceback."""
    import os

    out = tmp_path / "out.xlsx"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "device-link":
        out.symlink_to("/dev/null")
    elif kind == "folder":
        out.mkdir()
    else:
        out.symlink_to(out.name)
    for force in ([], ["--force"]):
        code, _, err = main_en(capsys, "summarize", "annex3", bundles.passing, "--out", out,
                               "--as-of", "2022-07-20", *force)
        assert code == 2 and str(out) in err and "Traceback" not in err, err
        assert ("folder" if kind == "folder" else "cannot write" if kind == "loop"
                else "not a regular file") in err
    assert out.is_symlink() if kind in ("device-link", "loop") else \
        out.is_dir() if kind == "folder" else not out.is_file()
    assert not list(tmp_path.glob(".giantdesk-*"))


def test_a_link_loop_in_a_folder_of_bundles_is_named(tmp_path: Path, bundles: Bundles,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Probe paths.non-regular: ``Path.resolve`` raised RuntimeError on the loop."""
    folder = tmp_path / "province"
    folder.mkdir()
    (folder / "loop.zip").symlink_to("loop.zip")
    (folder / "a.zip").write_bytes(bundles.passing.read_bytes())
    code, _, err = main_en(capsys, "summarize", "annex3", folder, "--out", tmp_path / "s.xlsx",
                           "--as-of", "2022-07-20")
    assert code == 1 and "loop.zip" in err and "Traceback" not in err


def main_en(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["--lang", "en", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_data_folder_that_cannot_be_made_is_named(tmp_path: Path, bundles: Bundles,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    in_the_way = tmp_path / "a file"
    in_the_way.write_bytes(b"")
    monkeypatch.setenv("GIANTDESK_HOME", str(in_the_way / "home"))  # the trust file's folder
    code = main(["summarize", "annex3", str(bundles.passing), "--out",
                 str(tmp_path / "out.xlsx"), "--as-of", "2022-07-20"])
    err = capsys.readouterr().err
    assert code == 2 and str(in_the_way / "home") in err and "Traceback" not in err
