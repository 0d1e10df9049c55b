"""The app under a real X display (Xvfb, 1366×768): both windows fit the screen (at 100 % and
125 % scaling), Qt's own texts are Chinese, and SIGKILL 2 s after typing into a field without
leaving it loses nothing. The suite runs offscreen in one process, so each case is a child
process (``real_window.py``) with ``QT_QPA_PLATFORM=xcb`` on an Xvfb started here."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from giantdesk.forms.record import loads
from giantdesk.store import open_store

from .real_window import FAX, TYPED

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 1366, 768


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """An Xvfb at 1366×768 (installed by ``make sysdeps``: package xvfb)."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is needed for the real-window tests: run `make sysdeps` (apt: xvfb)"
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0",
                               f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def child_env(display: str, home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "GIANTDESK_"))}
    return {**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display, "GIANTDESK_HOME": str(home),
            "GIANTDESK_LANG": "zh", "PYTHONPATH": str(ROOT), **extra}


def run(scenario: str, env: dict[str, str], out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.ui.real_window", scenario, str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8")


def result_of(child: subprocess.Popen[str]) -> dict[str, object]:
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def inside(frame: list[int], area: list[int]) -> bool:
    x, y, w, h = frame
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


@pytest.mark.parametrize("scale", ["1", "1.25"])
def test_both_windows_fit_the_screen_and_qt_speaks_chinese(display: str, tmp_path: Path,
                                                           scale: str) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    env = child_env(display, tmp_path / "home", QT_SCALE_FACTOR=scale)
    found = result_of(run("fit", env, out))
    available = found["available"]
    assert isinstance(available, list)
    assert available[2] == round(WIDTH / float(scale)) or available[2] == int(WIDTH / float(scale))
    for window in ("home", "draft"):
        assert inside(found[window], available), (window, found[window], available)  # type: ignore[arg-type]
    assert found["cancel"] == "取消"
    for page in found["pages"]:  # type: ignore[attr-defined]
        assert page["needs"] <= page["width"], page  # no page needs sideways scrolling
    assert (out / "home.png").stat().st_size > 0 and (out / "draft.png").stat().st_size > 0


def test_sigkill_two_seconds_after_typing_loses_nothing(display: str, tmp_path: Path,
                                                        samples: Path) -> None:
    home = tmp_path / "home"
    with open_store(home) as store:
        draft_id = store.import_record(loads((samples / "annex1-pass.json").read_bytes()))
    env = child_env(display, home)
    child = run("type", env, tmp_path)
    assert child.stdout is not None
    started = time.monotonic()
    line = ""
    while not line.startswith("TYPED") and time.monotonic() - started < 60:
        line = child.stdout.readline()
        assert line or child.poll() is None, child.stderr.read() if child.stderr else ""
    assert line.startswith("TYPED")
    time.sleep(2.0)  # the user stops typing, still in the field; 2 s later the power goes
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    with open_store(home, backup_on_start=False) as store:
        kept = store.inputs(draft_id)
    assert kept == {FAX: TYPED}

    found = result_of(run("restart", env, tmp_path))
    assert found["fax"] == TYPED  # on screen again, and taken as the value
    assert any("上次没有正常关闭" in title for title, _text in found["seen"])  # type: ignore[attr-defined]
    with open_store(home, backup_on_start=False) as store:
        assert store.get_record(draft_id).values[FAX] == TYPED
        assert store.inputs(draft_id) == {}
