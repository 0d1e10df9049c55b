"""A CJK font for the GUI: the system's if it has one, else one shipped in resources/fonts/."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication


def font_dirs() -> list[Path]:
    """Where a shipped font may be: the source tree's resources, or a frozen build's folder."""
    here = Path(__file__).resolve()
    dirs = [here.parents[3] / "resources" / "fonts", here.parents[1] / "resources" / "fonts"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.insert(0, Path(frozen) / "resources" / "fonts")
    return dirs


def has_cjk_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_cjk_font(app: QGuiApplication) -> str | None:
    """Load a shipped TrueType CJK font when the system has none; return its family, if loaded."""
    if has_cjk_font():
        return None
    for folder in font_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in (".ttf", ".ttc"):
                continue
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                continue
            families = QFontDatabase.applicationFontFamilies(font_id)
            if families:
                font = app.font()
                font.setFamilies([families[0], *font.families()])
                app.setFont(font)
                return families[0]
    return None
