"""Fixtures of the home / attachments / check-and-export tests: an in-memory keyring, a started
home window on the per-test data folder, and a small generated PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from giantdesk.ui.home import HomeWindow

TODAY = date(2022, 7, 1)


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict (copied from tests/export/conftest.py)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def home(qtbot: QtBot, giantdesk_home: Path) -> Iterator[HomeWindow]:
    """A started home window (quiet: messages go to last_error / last_info)."""
    window = HomeWindow(lang="zh", today=TODAY)
    window.quiet = True
    qtbot.addWidget(window)
    window.show()
    assert window.start(), window.last_error
    yield window
    window.close()
    window.shutdown()


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from giantdesk.export.demo import sample_pdf

    path = tmp_path_factory.mktemp("pdf") / "营业执照（测试）.pdf"
    path.write_bytes(sample_pdf("Business licence (test)", ["for the GUI tests"]))
    return path
