""".github/workflows/windows.yml cannot run here: check at least that it is valid YAML of the
expected shape and that everything it calls exists (renaming a script must not break it unseen)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def load() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_the_build_runs_on_windows_for_both_pythons() -> None:
    build = load()["jobs"]["build"]
    assert build["runs-on"] == "windows-latest"
    assert build["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert 'pip install -e ".[dev,package]"' in runs
    assert "pytest" in runs and "pyinstaller" in runs and "packaging/installer.py" in runs
    pytest_step = next(s for s in build["steps"] if "pytest" in s.get("run", ""))
    assert pytest_step["env"]["QT_QPA_PLATFORM"] == "offscreen"


def test_every_file_it_calls_exists() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    called = set(re.findall(r"(packaging/[\w.]+)", text))
    assert {"packaging/giantdesk.spec", "packaging/smoke_test.ps1", "packaging/installer.py",
            "packaging/installer_test.ps1"} <= called
    for path in called:
        assert (ROOT / path).is_file(), path


def test_the_release_takes_an_artifact_the_build_uploads() -> None:
    jobs = load()["jobs"]
    uploaded = {step["with"]["name"].replace("${{ matrix.python }}", python)
                for step in jobs["build"]["steps"] if step.get("uses", "").startswith(
                    "actions/upload-artifact") and "if" not in step
                for python in jobs["build"]["strategy"]["matrix"]["python"]}
    download = next(s for s in jobs["release"]["steps"]
                    if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["name"] in uploaded
    assert jobs["release"]["needs"] == "build"
    assert jobs["release"]["permissions"] == {"contents": "write"}
