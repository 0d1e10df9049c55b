"""Test-wide settings: no display, no real user data, no OS keyring prompts, and Windows file
semantics for the store, export and summaries tests (every user runs GiantDesk on Windows)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

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


#: Test folders whose tests all run under emulated Windows file semantics (tests/winsem.py).
WINDOWS_SEMANTICS_DIRS = ("store", "export", "summaries")


@pytest.fixture(autouse=True)
def windows_semantics(request: pytest.FixtureRequest,
                      monkeypatch: pytest.MonkeyPatch) -> Iterator[object | None]:
    """Under ``tests/store``, ``tests/export`` and ``tests/summaries`` (or with the
    ``windows_semantics`` marker) the test runs with Windows file semantics emulated: fsync
    refused on read-only handles, replace/delete refused while a handle is open or while
    "another program" holds the file, mandatory byte-range locks. The fixture's value is the
    :class:`tests.winsem.WindowsSemantics` (None when off, and on Windows itself, where the
    real semantics apply). ``posix_semantics`` opts out (a test of POSIX-only behaviour: file
    modes)."""
    relative = Path(str(request.node.path)).resolve().relative_to(ROOT / "tests").parts
    wanted = (relative[0] in WINDOWS_SEMANTICS_DIRS
              or request.node.get_closest_marker("windows_semantics") is not None)
    if (not wanted or request.node.get_closest_marker("posix_semantics") is not None
            or os.name == "nt"):  # on Windows the real semantics apply
        yield None
        return
    from tests.winsem import WindowsSemantics

    yield WindowsSemantics().install(monkeypatch)


@pytest.fixture
def emulated(windows_semantics: object) -> object:
    """The emulation, for a test that needs its ``hold()``: on Windows (real semantics, no way
    to make "another program" hold a file) such a test does not apply."""
    if windows_semantics is None:
        pytest.skip("needs the Windows-semantics emulation (Linux); Windows has the real ones")
    return windows_semantics


@pytest.fixture
def samples() -> Path:
    return SAMPLES


class MemoryKeyring(KeyringBackend):
    """Keeps passwords in a dict; ``priority`` is only for keyring's bookkeeping."""

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
    """The process-wide keyring replaced by an in-memory one, restored afterwards."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
