"""Fixtures of the home / attachments / check-and-export tests: a started home window on the per-test data folder, and a small generated PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from giantdesk.ui.home import HomeWindow

TODAY = date(2022, 7, 1)


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
