from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from giantdesk.cli import main


def test_doctor_reports_each_part(capsys: pytest.CaptureFixture[str]) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        code = main(["--lang", "en", "doctor", "--format", "json"])
    finally:
        keyring.set_keyring(previous)
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"version", "data", "keyring", "fonts"}
    assert report["fonts"]["ok"] and report["data"]["ok"]
    assert report["keyring"]["ok"] is False and "PYTHON_KEYRING_BACKEND" in report["keyring"]["detail"]
    assert code == 1  # something needs attention


def test_doctor_speaks_one_language_and_names_missing_fonts(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from giantdesk.export import fonts

    assert main(["drafts", "new", "annex1-batch4"]) == 0
    capsys.readouterr()
    main(["--lang", "zh", "doctor"])
    out = capsys.readouterr().out
    assert "（1 份草稿）" in out and "draft(s)" not in out and "正文 " in out
    assert "body " not in out
    # the fonts doctor is for: missing from the installation (was a FontError traceback)
    monkeypatch.setattr(fonts, "resource_dirs", lambda: [tmp_path])
    assert main(["--lang", "en", "doctor"]) == 1
    out = capsys.readouterr().out
    assert "✗ CJK fonts (printed copies): the shipped fonts" in out and str(tmp_path) in out
