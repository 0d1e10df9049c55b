"""Start-up decisions of the GUI entry point (no QApplication is created here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from giantdesk.ui import app


def test_no_display_on_linux_gives_bilingual_message() -> None:
    message = app.no_display_reason({}, "linux")
    assert message is not None
    assert "显示" in message.zh and "display" in message.en
    for command in ("giantdesk --help", "giantdesk demo", "giantdesk check"):
        assert command in message.zh and command in message.en


@pytest.mark.parametrize("env", [{"DISPLAY": ":0"}, {"WAYLAND_DISPLAY": "wayland-0"},
                                 {"QT_QPA_PLATFORM": "offscreen"}])
def test_a_display_or_chosen_platform_is_trusted(env: dict[str, str]) -> None:
    assert app.no_display_reason(env, "linux") is None


def test_windows_and_macos_always_have_a_display() -> None:
    assert app.no_display_reason({}, "win32") is None
    assert app.no_display_reason({}, "darwin") is None


def test_main_without_display_prints_and_returns_1(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    assert app.main([]) == 1
    err = capsys.readouterr().err
    assert "没有可用的显示环境" in err and "giantdesk --help" in err and "needs a display" in err


def test_the_app_starts_for_real_in_a_child_process(tmp_path: Path) -> None:
    """``main`` end to end (QApplication, home window, store) as the packaged app's smoke test
    runs it."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GIANTDESK_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "giantdesk.ui.app", "--self-test"], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "store opened, 0 draft(s)" in done.stdout
    assert (tmp_path / "giantdesk.sqlite3").exists()
    assert (tmp_path / "logs" / "giantdesk.log").exists()
