"""Where the shipped ``resources/`` folder is (fonts, icons, samples): in the frozen app's bundle
(``sys._MEIPASS``, see packaging/giantdesk.spec) first, then the source tree."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dirs() -> tuple[Path, ...]:
    """The candidate ``resources/`` folders, the frozen app's bundle first."""
    dirs: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if isinstance(frozen, str):
        dirs.append(Path(frozen) / "resources")
    # src/giantdesk/resources.py → repository root
    dirs.append(Path(__file__).resolve().parents[2] / "resources")
    return tuple(dirs)


def find_resource(relative: str) -> Path | None:
    """The first existing ``resources/<relative>``, or None."""
    for folder in resource_dirs():
        if (folder / relative).is_file():
            return folder / relative
    return None
