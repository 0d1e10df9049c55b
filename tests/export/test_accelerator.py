"""reportlab's C accelerator (the ``rl_accel`` package) is installed and changes nothing but the
time: a copy rendered without it has the same bytes (a reviewer's installation may lack it, and
verify compares bytes when the renderer inputs match)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_RENDER = """
import hashlib, sys
if sys.argv[1] == "pure":
    sys.modules["_rl_accel"] = None  # reportlab falls back to its pure-Python functions
from datetime import datetime, timezone
from giantdesk.export import copies
from giantdesk.export.context import RenderContext
from giantdesk.export.demo import load_sample
import reportlab.lib.rl_accel as accel
when = datetime(2022, 7, 1, 8, 30, 15, tzinfo=timezone.utc)
out = copies.rerender(RenderContext.of(load_sample(), when, "0000 0000 0000 0000"))
print(accel.fp_str.__module__, *(hashlib.sha256(out[k]).hexdigest() for k in sorted(out)))
"""


def _render(mode: str) -> list[str]:
    return subprocess.run([sys.executable, "-c", _RENDER, mode], check=True, cwd=ROOT,
                          capture_output=True, text=True).stdout.split()


def test_the_accelerator_is_used_and_changes_no_byte() -> None:
    accelerated, pure = _render("fast"), _render("pure")
    assert accelerated[0] == "_rl_accel"
    assert pure[0] == "reportlab.lib.rl_accel"
    assert accelerated[1:] == pure[1:] and len(pure) == 4
