"""Test-wide settings: no display, no real user data, no OS keyring prompts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything can create a QApplication: with no display Qt would abort the interpreter.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "resources" / "samples"


@pytest.fixture(autouse=True)
def giantdesk_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data folder, never the user's."""
    home = tmp_path_factory.mktemp("giantdesk-home")
    monkeypatch.setenv("GIANTDESK_HOME", str(home))
    yield home


@pytest.fixture
def samples() -> Path:
    return SAMPLES
