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
