"""``giantdesk drafts …``, ``backup``, ``restore`` from the command line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from giantdesk.cli import main
from giantdesk.forms.record import dumps, loads
from giantdesk.store import open_store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_show_list(capsys: pytest.CaptureFixture[str], samples: Path) -> None:
    sample = samples / "annex1-pass.json"
    code, out, _ = run(capsys, "drafts", "import", str(sample))
    assert code == 0 and out.strip() == "1"
    code, out, _ = run(capsys, "drafts", "show", "1", "--format", "json")
    assert out == dumps(loads(sample.read_bytes()))
    code, out, _ = run(capsys, "drafts", "show", "1")
    assert "enterprise.name\t企业名称" in out
    code, out, _ = run(capsys, "drafts", "list", "--format", "json")
    listed = json.loads(out)
    assert listed[0]["id"] == 1 and listed[0]["status"] == "editing"
    assert listed[0]["uscc"] == loads(sample.read_bytes()).values["enterprise.uscc"]
    code, out, _ = run(capsys, "--lang", "en", "drafts", "list")
    assert out.startswith("1\tannex1-batch4\tediting")


def test_set_prints_saved_or_refuses(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "drafts", "new", "annex1-batch4")[1].strip() == "1"
    code, out, _ = run(capsys, "drafts", "set", "1", "finance.2021.operating_revenue", "12,000")
    assert (code, out) == (0, "saved\n")
    code, out, err = run(capsys, "drafts", "set", "1", "finance.2021.operating_revenue", "abc")
    assert code == 1 and out == "" and "营业收入" in err and "finance.2021" in err
    code, out, err = run(capsys, "--lang", "en", "drafts", "set", "1", "contact.mobile", "123")
    assert code == 1 and "contact.mobile" in err and "Contact: mobile" in err
    code, _, err = run(capsys, "drafts", "set", "1", "finance.2021.debt_ratio", "10")
    assert code == 1 and "计算" in err
    code, _, err = run(capsys, "drafts", "set", "1", "no.field", "10")
    assert code == 1 and "no.field" in err
    code, _, err = run(capsys, "drafts", "set", "7", "enterprise.name", "x")
    assert code == 1 and "7" in err
    assert run(capsys, "drafts", "set", "1", "innovation.national_award[1].award", "奖")[0] == 0
    assert run(capsys, "drafts", "set", "1", "innovation.national_award[1].year", "2021")[0] == 0
    assert run(capsys, "drafts", "set", "1", "innovation.national_award[3].year", "2021")[0] == 1
    assert run(capsys, "drafts", "set", "1", "finance.2021.operating_revenue", "")[0] == 0
    record = json.loads(run(capsys, "drafts", "show", "1", "--format", "json")[1])
    assert record["values"] == {}
    assert record["tables"] == {"innovation.national_award": [{"award": "奖", "year": 2021}]}
    code, out, _ = run(capsys, "drafts", "history", "1", "finance.2021.operating_revenue")
    assert [line.split("\t")[3] for line in out.splitlines()] == ["set", "clear"]
    code, out, _ = run(capsys, "drafts", "history", "1", "--format", "json")
    assert len(json.loads(out)) == 5  # created + 4 changes


def test_finalize_reopen_and_restore_at(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "drafts", "new", "annex2-batch1-review")
    run(capsys, "drafts", "set", "1", "contact.name", "甲")
    code, out, _ = run(capsys, "drafts", "history", "1", "contact.name", "--format", "json")
    first_at = json.loads(out)[0]["at"]
    run(capsys, "drafts", "set", "1", "contact.name", "乙")
    code, out, _ = run(capsys, "drafts", "finalize", "1")
    assert code == 0 and out.strip().endswith("+00:00")
    code, _, err = run(capsys, "drafts", "set", "1", "contact.name", "丙")
    assert code == 1 and "reopen" in err
    assert run(capsys, "drafts", "reopen", "1")[0] == 0
    code, out, _ = run(capsys, "drafts", "restore", "1", "--at", first_at)
    assert code == 0
    assert json.loads(run(capsys, "drafts", "show", "1", "--format", "json")[1])[
        "values"]["contact.name"] == "甲"
    assert run(capsys, "drafts", "restore", "1", "--at", "yesterday")[0] == 2


def _signed_bundle(sample: Path, out: Path) -> Path:
    from datetime import UTC, datetime

    from giantdesk.export.bundle import export_bundle
    from giantdesk.export.signing import Signer

    return export_bundle(loads(sample.read_bytes()), out, signer=Signer.from_raw(bytes(32)),
                         finalized_at=datetime(2022, 7, 1, tzinfo=UTC)).path


def test_carry_over_from_record_and_bundle(capsys: pytest.CaptureFixture[str], samples: Path,
                                           tmp_path: Path) -> None:
    sample = samples / "annex1-pass.json"
    bundle = _signed_bundle(sample, tmp_path)
    code, out, _ = run(capsys, "drafts", "carry-over", str(bundle),
                       "--to", "annex2-batch1-review")
    assert code == 0
    code2, out2, _ = run(capsys, "drafts", "import", str(sample), "--to", "annex2-batch1-review")
    assert code2 == 0
    source = loads(sample.read_bytes())
    with open_store() as store:
        for draft_id in (int(out), int(out2)):
            record = store.get_record(draft_id)
            assert record.form == "annex2-batch1-review"
            assert record.values == source.values  # every shared field carried
            assert record.tables == source.tables
    empty_zip = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("other.txt", "x")
    code, _, err = run(capsys, "drafts", "carry-over", str(empty_zip))
    assert code == 1 and "manifest.json" in err


def test_carry_over_refuses_a_tampered_bundle(capsys: pytest.CaptureFixture[str], samples: Path,
                                              tmp_path: Path) -> None:
    bundle = _signed_bundle(samples / "annex1-pass.json", tmp_path)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "submission.json":
                data = data.replace(b'"19460.00"', b'"99460.00"')
            dst.writestr(info, data)
    code, _, err = run(capsys, "--lang", "en", "drafts", "carry-over", str(tampered))
    assert code == 1
    assert "does not verify" in err and "submission.json" in err
    with open_store() as store:
        assert store.list_drafts() == []  # nothing was carried


def test_attach_and_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from tests.store.test_attachments import make_pdf

    run(capsys, "drafts", "new", "annex1-batch4")
    pdf = make_pdf(tmp_path / "审计.pdf")
    code, out, _ = run(capsys, "drafts", "attach", "1", "audit_report", str(pdf))
    assert code == 0 and "审计.pdf" in out
    code, out, err = run(capsys, "drafts", "attach", "1", "audit_report", str(pdf))
    assert code == 1 and "审计.pdf" in err
    code, out, _ = run(capsys, "drafts", "attachments", "1", "--format", "json")
    assert json.loads(out)[0]["category"] == "audit_report"


def test_backup_and_restore_commands(capsys: pytest.CaptureFixture[str],
                                     giantdesk_home: Path) -> None:
    run(capsys, "drafts", "new", "annex1-batch4")
    code, out, _ = run(capsys, "backup")
    assert code == 0 and Path(out.strip()).is_file()
    run(capsys, "drafts", "new", "annex1-batch4")
    code, out, _ = run(capsys, "restore", "--list")
    assert code == 0 and "完好" in out
    # a healthy database is not replaced unless asked to: the refusal says what would be lost
    code, out, err = run(capsys, "--lang", "en", "restore")
    assert code == 1 and "healthy" in err and "--force" in err and "1 later change" in err
    assert len(json.loads(run(capsys, "drafts", "list", "--format", "json")[1])) == 2
    code, out, _ = run(capsys, "--lang", "en", "restore", "--force")
    assert code == 0 and "damaged" in out and "does not hold the 1 change(s)" in out
    assert len(json.loads(run(capsys, "drafts", "list", "--format", "json")[1])) == 1
    assert list((giantdesk_home / "damaged").glob("*giantdesk.sqlite3"))
    assert run(capsys, "restore", str(giantdesk_home / "nope.sqlite3"))[0] == 1


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                                "0001-01-01T00:00:00", "9999-12-31T23:59:59"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
def test_restore_at_the_ends_of_the_calendar(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, at: str,
                                             zone: str) -> None:
    """Probe records.arguments: a time whose UTC (or local offset) falls outside years 1–9999
    ended in OverflowError / ValueError tracebacks. It is now before or after every change."""
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        run(capsys, "drafts", "new", "annex1-batch4")
        run(capsys, "drafts", "set", "1", "enterprise.name", "甲公司")
        code, _, err = run(capsys, "--lang", "en", "drafts", "restore", "1", "--at", at)
        assert code == 0 and "Traceback" not in err, err
        name = json.loads(run(capsys, "drafts", "show", "1", "--format", "json")[1])[
            "values"].get("enterprise.name")
        assert name == (None if at.startswith("0001") else "甲公司")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("content, words", [
    (b"[]", "a record is a JSON object"),
    (b"{\"format\": 1", "not valid JSON"),
    (b"{\"a\": \"\xc0\xaf\"}", "not UTF-8"),
])
def test_carry_over_refuses_what_check_refuses_in_the_same_words(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, words: str) -> None:
    """Probe records.types: carry-over had its own reader — an unreadable record was exit 1
    (check, import and export: 2), with the problems joined differently."""
    path = tmp_path / "record.json"
    path.write_bytes(content)
    code_check, _, err_check = run(capsys, "--lang", "en", "check", str(path))
    code_import, _, err_import = run(capsys, "--lang", "en", "drafts", "import", str(path))
    code_carry, out, err_carry = run(capsys, "--lang", "en", "drafts", "carry-over", str(path))
    assert code_check == code_import == code_carry == 2 and out == ""
    assert words in err_carry and err_carry == err_import == err_check
    assert run(capsys, "drafts", "list", "--format", "json")[1].strip() == "[]"


@pytest.mark.parametrize("kind", ["fifo", "folder", "loop", "device-link"])
def test_show_output_refuses_what_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    """Probe paths.non-regular: ``drafts show -o FIFO`` blocked for ever; a folder, a socket or
    a link loop ended in tracebacks (IsADirectoryError, OSError)."""
    import os
    import subprocess
    import sys

    assert main(["drafts", "new", "annex1-batch4"]) == 0
    out = tmp_path / "draft.json"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "folder":
        out.mkdir()
    elif kind == "loop":
        out.symlink_to(out.name)
    else:
        out.symlink_to("/dev/null")
    result = subprocess.run([sys.executable, "-m", "giantdesk", "--lang", "en", "drafts", "show",
                             "1", "-o", str(out)], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ))
    assert result.returncode == 2 and str(out) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert out.is_symlink() or out.is_dir() or not out.is_file()
    assert not list(tmp_path.glob(".giantdesk-*"))


@pytest.mark.parametrize("draft", [str(2**63), str(10**30)])
def test_a_draft_id_past_sqlites_integers_is_no_draft(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path, draft: str) -> None:
    """Probe records.arguments: OverflowError ("Python int too large to convert to SQLite
    INTEGER") tracebacks from show, set, history, finalize, attach and export --draft."""
    assert run(capsys, "drafts", "new", "annex1-batch4")[0] == 0
    for argv in (["drafts", "show", draft], ["drafts", "set", draft, "enterprise.name", "x"],
                 ["drafts", "history", draft], ["drafts", "finalize", draft],
                 ["drafts", "reopen", draft], ["drafts", "attachments", draft],
                 ["drafts", "restore", draft, "--at", "2022-01-01T00:00:00"],
                 ["drafts", "delete-row", draft, "innovation.class1_ip", "1"],
                 ["drafts", "attach", draft, "other", str(tmp_path / "x.pdf")],
                 ["export", "--draft", draft, "--out", str(tmp_path / "out")]):
        code, _, err = run(capsys, "--lang", "en", *argv)
        assert code in (1, 2) and draft in err and "Traceback" not in err, (argv, err)


def test_text_the_store_cannot_encode_is_refused_with_a_message(
        capsys: pytest.CaptureFixture[str], samples: Path) -> None:
    """Probe records.arguments: a --title or a history field given as bytes that are not
    UTF-8 (lone surrogates in argv) ended in UnicodeEncodeError tracebacks from SQLite."""
    for argv in (["drafts", "new", "annex1-batch4", "--title", "\udcff\udcfe"],
                 ["drafts", "import", str(samples / "annex1-pass.json"), "--title", "a\udcff"]):
        code, out, err = run(capsys, "--lang", "en", *argv)
        assert (code, out) == (1, "") and "U+DCFF" in err and "title" in err, err
    assert run(capsys, "drafts", "new", "annex1-batch4")[0] == 0
    code, out, err = run(capsys, "--lang", "en", "drafts", "history", "1", "a\udcff")
    assert (code, out) == (1, "") and "U+DCFF" in err and "Traceback" not in err
    assert run(capsys, "drafts", "list", "--format", "json")[1].count('"id"') == 1


@pytest.mark.parametrize("size", ["nan", "inf", "1e308", "-1", "0"])
def test_max_mb_must_be_a_size(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               size: str) -> None:
    """Probe records.arguments: --max-mb nan/inf/1e308 ended in ValueError/OverflowError
    tracebacks (-1 and 0 refused every file as "larger than the limit")."""
    assert run(capsys, "drafts", "new", "annex1-batch4")[0] == 0
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    code, _, err = run(capsys, "--lang", "en", "drafts", "attach", "1", "other", str(pdf),
                       "--max-mb", size)
    assert code == 2 and "--max-mb expects a number of megabytes" in err and "Traceback" not in err


def test_show_output_writes_whole_or_names_the_problem(capsys: pytest.CaptureFixture[str],
                                                       samples: Path, tmp_path: Path) -> None:
    run(capsys, "drafts", "import", str(samples / "annex1-pass.json"))
    out = tmp_path / "草稿 %#.json"
    assert run(capsys, "drafts", "show", "1", "-o", str(out))[0] == 0
    assert loads(out.read_bytes()).values == loads(
        (samples / "annex1-pass.json").read_bytes()).values
    for target in (tmp_path, tmp_path / "no such folder" / "x.json"):
        code, _, err = run(capsys, "drafts", "show", "1", "-o", str(target))
        assert code == 2 and str(target) in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]
