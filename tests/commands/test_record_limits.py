"""Every command that takes a record goes through the one record reader (issue 10, points 1–2).

Before: ``check`` exited 0 on these records, then ``export`` / ``drafts import`` / carry-over
ended in tracebacks, and ``drafts set`` stored control characters ("saved").
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from giantdesk.cli import main

CASES = {
    "surrogate": (lambda d: d["values"].__setitem__("enterprise.name", "精研\ud800科技"),
                  "enterprise.name", "U+D800"),
    "control": (lambda d: d["values"].__setitem__("legal_rep.name", "顾\x1b明远"),
                "legal_rep.name", "U+001B"),
    "long": (lambda d: d["values"].__setitem__("specialization.description", "长" * 2001),
             "specialization.description", "at most 2,000 characters, not 2,001"),
    "rows": (lambda d: d["tables"].__setitem__(
        "innovation.class1_ip", d["tables"]["innovation.class1_ip"] * 126),
             "innovation.class1_ip", "at most 500 rows, not 504"),
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def bad_record(tmp_path: Path, samples: Path, case: str) -> Path:
    data: dict[str, Any] = json.loads((samples / "annex1-pass.json").read_text(encoding="utf-8"))
    CASES[case][0](data)
    path = tmp_path / f"{case}.json"
    path.write_bytes(json.dumps(data, ensure_ascii=True).encode("ascii"))
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_and_export_exit_1_with_the_same_message(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, samples: Path, case: str) -> None:
    path = bad_record(tmp_path, samples, case)
    _, field, fragment = CASES[case]
    code, out, _ = run(capsys, "--lang", "en", "check", str(path))
    assert code == 1
    [line, summary] = out.splitlines()
    kind, where, message = line.split("\t")
    assert (kind, where) == ("error", field) and fragment in message
    assert summary == "1 error(s), 0 warning(s)"
    code, out, err = run(capsys, "--lang", "en", "check", str(path), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["valid"] is False
    assert [(e["field"], e["message"]) for e in report["errors"]] == [(field, message)]
    code, out, err = run(capsys, "--lang", "en", "export", str(path), "--out",
                         str(tmp_path / "out"))
    assert code == 1 and out == ""
    assert f"{field}: {message}" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_and_carry_over_refuse_the_record(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, samples: Path, case: str) -> None:
    path = bad_record(tmp_path, samples, case)
    _, field, fragment = CASES[case]
    for argv in (("drafts", "import", str(path)),
                 ("drafts", "carry-over", str(path)),
                 ("drafts", "import", str(path), "--to", "annex2-batch1-review")):
        code, out, err = run(capsys, "--lang", "en", *argv)
        assert code == 1 and out == "", argv
        assert field in err and fragment in err and "Traceback" not in err
    assert run(capsys, "drafts", "list")[1].strip() == "还没有草稿"


def test_drafts_set_refuses_what_cannot_be_stored(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "drafts", "new", "annex1-batch4")[1].strip() == "1"
    for field, value, fragment in [
            ("enterprise.name", "abc\x1bdef", "U+001B"),
            ("enterprise.name", "abc\udc80", "U+DC80"),  # invalid UTF-8 in argv
            ("enterprise.name", "\x07", "U+0007"),
            ("enterprise.name", "x" * 201, "at most 200 characters, not 201"),
            ("chain.description", "长" * 2001, "at most 2,000 characters")]:
        code, out, err = run(capsys, "--lang", "en", "drafts", "set", "1", field, value)
        assert (code, out) == (1, ""), field
        assert field in err and fragment in err
    for row in range(1, 11):
        assert run(capsys, "drafts", "set", "1", f"innovation.maker_china_top50[{row}].year",
                   "2021")[0] == 0
    code, out, err = run(capsys, "--lang", "en", "drafts", "set", "1",
                         "innovation.maker_china_top50[11].year", "2021")
    assert (code, out) == (1, "") and "at most 10 rows, not 11" in err
    record = json.loads(run(capsys, "drafts", "show", "1", "--format", "json")[1])
    assert record["values"] == {}
    assert len(record["tables"]["innovation.maker_china_top50"]) == 10


def test_drafts_set_checks_a_patent_number_in_a_patent_row(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "drafts", "new", "annex1-batch4")[1].strip() == "1"
    assert run(capsys, "drafts", "set", "1", "innovation.class1_ip[1].type",
               "invention_patent")[0] == 0
    code, _, err = run(capsys, "--lang", "en", "drafts", "set", "1",
                       "innovation.class1_ip[1].number", "201710601862.4")
    assert code == 1 and "gives “3”, not “4”" in err
    assert run(capsys, "drafts", "set", "1", "innovation.class1_ip[1].number",
               "ＺＬ２０１７ １０６０ １８６２．３")[0] == 0
    record = json.loads(run(capsys, "drafts", "show", "1", "--format", "json")[1])
    assert record["tables"]["innovation.class1_ip"][0]["number"] == "ZL201710601862.3"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_check_refuses_a_fifo_and_a_device_without_reading(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "record.json"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    code, _, err = run(capsys, "--lang", "en", "check", str(fifo))
    assert code == 2 and "not a regular file" in err
    code, _, err = run(capsys, "--lang", "en", "check", "/dev/zero")
    assert code == 2 and "not a regular file" in err
    code, _, err = run(capsys, "--lang", "en", "drafts", "carry-over", str(fifo))
    assert code == 2 and "not a regular file" in err


def test_check_of_a_huge_file_reads_only_up_to_the_limit(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB of zero bytes
    code, out, _ = run(capsys, "--lang", "en", "check", str(path))
    assert code == 1 and "too large: 50 MB; the limit is 8 MB" in out
    code, _, err = run(capsys, "--lang", "en", "export", str(path), "--out", str(tmp_path / "o"))
    assert code == 1 and "too large: 50 MB; the limit is 8 MB" in err
    # the same reader, the same limit and words for import and carry-over (carry-over read up
    # to 16 MB and then said only that it was not a record)
    for argv in (("drafts", "import", str(path)), ("drafts", "carry-over", str(path))):
        code, _, err = run(capsys, "--lang", "en", *argv)
        assert code == 1 and "too large: 50 MB; the limit is 8 MB" in err, argv
