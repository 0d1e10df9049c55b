from __future__ import annotations

import json

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
