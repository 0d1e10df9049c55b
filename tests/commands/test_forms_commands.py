"""``giantdesk forms | check | rules | schema | --version`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from giantdesk import __version__
from giantdesk.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_forms_lists_both(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forms")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == [
        "annex1-batch4", "annex2-batch1-review"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize("name", ["annex1-pass", "annex2-pass"])
def test_check_valid_sample(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "check", str(SAMPLES / f"{name}.json"), "--format", "json")
    assert code == 0
    assert json.loads(out) == {"valid": True, "errors": [], "warnings": []}


def test_check_invalid_record(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = json.loads((SAMPLES / "annex1-pass.json").read_text(encoding="utf-8"))
    data["values"]["enterprise.uscc"] = "9132059458441736XA"
    del data["values"]["contact.email"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "--lang", "en", "check", str(path), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert {(e["field"], e["code"]) for e in report["errors"]} == {
        ("enterprise.uscc", "uscc.checksum"), ("contact.email", "required")}
    assert all(set(e) == {"field", "code", "message"} for e in report["errors"])
    assert any("Unified social credit code" in e["message"] for e in report["errors"])


@pytest.mark.parametrize("content", [b"{not json", b'{"format": "x"}', b"\xff\xfe\x00"])
def test_check_unreadable_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                  content: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and out == "" and str(path) in err


def test_check_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "/nonexistent/record.json")
    assert code == 2 and "/nonexistent/record.json" in err


def test_rules_json_shape_and_exit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", str(SAMPLES / "annex1-pass.json"), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["eligible"] is True
    first = report["rules"][0]
    assert {"id", "status", "values", "threshold", "text"} <= set(first)
    assert [r["id"] for r in report["rules"]][:3] == ["ZY-1", "ZY-2", "ZY-3"]
    code, out, _ = run(capsys, "rules", str(SAMPLES / "annex1-fail-jx3-debt-ratio.json"),
                       "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["eligible"] is False
    assert {r["id"]: r["status"] for r in report["rules"]}["JX-3"] == "fail"


def test_rules_text_mentions_2022_standard(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", str(SAMPLES / "annex1-pass.json"))
    assert code == 0 and "63号" in out and "满足全部认定条件" in out


def test_schema_describes_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "annex1-batch4")
    schema = json.loads(out)
    assert code == 0
    values = schema["properties"]["values"]["properties"]
    assert values["enterprise.uscc"]["pattern"]
    assert values["finance.2021.net_profit"]["pattern"].startswith("^-?")
    assert values["enterprise.size"]["enum"] == ["large", "medium", "small", "micro"]
    assert "innovation.class1_ip" in schema["properties"]["tables"]["properties"]


def test_console_script_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "giantdesk", "forms"], capture_output=True,
                            text=True, encoding="utf-8", check=False)
    assert result.returncode == 0 and "annex1-batch4" in result.stdout
