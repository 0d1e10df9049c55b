"""Under a real X display (Xvfb at 1366×768, the fixture of ``test_real_window``): a new Annex 1
window shows a visible 下一步 button inside the window and the screen, and a real mouse click on
it moves to the next part (the step header says so, its first input has the focus)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .test_real_window import ROOT, child_env, display, inside

__all__ = ["display"]  # the Xvfb fixture, shared


def test_a_visible_next_button_moves_to_the_next_part(display: str, tmp_path: Path) -> None:
    env = child_env(display, tmp_path / "home")
    child = subprocess.run([sys.executable, "-m", "tests.ui.wizard_screens", "next",
                            str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=120)
    assert child.returncode == 0, child.stderr
    found = json.loads(child.stdout.strip().splitlines()[-1])
    assert found["visible"] and found["inside_window"], found
    assert inside(found["button"], found["available"]), found
    assert found["text"] == "下一步 →"
    assert (found["before"], found["after"]) == (0, 1)
    assert found["header_before"] == "第 1 步 / 共 12 步 · 一、企业情况"
    assert found["header_after"] == "第 2 步 / 共 12 步 · 二、经济效益重要指标"
    assert found["focus"] == "edit:finance.2019.employees"  # the next part's first input
