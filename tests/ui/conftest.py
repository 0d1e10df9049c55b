"""Fixtures of the GUI tests: a simulated user answering every dialog (``user``), a started home
window on the per-test data folder, and a small generated PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from giantdesk.ui.draft_window import DraftWindow
from giantdesk.ui.home import HomeWindow

from .user import DialogAnswerer, Watchdog

TODAY = date(2022, 7, 1)


@pytest.fixture(autouse=True)
def user(qapp: object) -> Iterator[DialogAnswerer]:
    """Answers the dialogs the app opens, as a user would (Escape unless ``user.plan`` says
    otherwise); what it saw is in ``user.seen``. Set up before, torn down after, the windows."""
    answerer = DialogAnswerer()
    yield answerer
    answerer.stop()


@pytest.fixture
def home(qtbot: QtBot, giantdesk_home: Path) -> Iterator[HomeWindow]:
    """A started home window (messages are also kept in last_error / last_info)."""
    window = HomeWindow(lang="zh", today=TODAY)
    qtbot.addWidget(window)
    window.show()
    assert window.start(), window.last_error
    yield window
    window.close()
    window.shutdown()


@pytest.fixture
def watchdog() -> Iterator[Watchdog]:
    """A hang fails the test (and, 30 s later, the run) instead of blocking it."""
    dog = Watchdog(240)
    yield dog
    dog.stop()
    assert not dog.expired, "the GUI hung: the watchdog ended it"


@pytest.fixture(scope="session")
def small_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from giantdesk.export.demo import sample_pdf

    path = tmp_path_factory.mktemp("pdf") / "营业执照（测试）.pdf"
    path.write_bytes(sample_pdf("Business licence (test)", ["for the GUI tests"]))
    return path


def open_sample(home: HomeWindow, samples: Path) -> tuple[DraftWindow, int]:
    """The sample Annex 1 imported as a new draft and opened in its window."""
    draft_id = home.import_file(samples / "annex1-pass.json")
    assert draft_id is not None
    window = home.open_draft(draft_id)
    assert isinstance(window, DraftWindow) and window.view is not None
    return window, draft_id
