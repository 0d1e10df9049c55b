"""A CJK sans-serif face for the GUI: the system's if it has one, else the shipped one.

The screen wants a 黑体-style (sans) face; a Song (serif) face is for print. Qt would otherwise fall
back to whatever CJK family the system lists first — on Linux often AR PL UMing (Song), which reads
poorly at screen sizes — so a known sans family is put first in the application font.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication

from giantdesk.resources import find_resource

#: CJK sans families, preferred first (Windows, macOS, common Linux packages).
SYSTEM_SANS = ("Microsoft YaHei", "Microsoft YaHei UI", "PingFang SC", "Noto Sans CJK SC",
               "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei",
               "DengXian")
#: The sans face shipped in resources/fonts (also the printed copies' heading face).
SHIPPED_SANS = "fonts/wqy-microhei.ttc"


def system_cjk_sans() -> str | None:
    """The first preferred CJK sans family the system has, if any."""
    available = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    return next((family for family in SYSTEM_SANS if family in available), None)


def load_shipped_sans() -> str | None:
    path = find_resource(SHIPPED_SANS)
    if path is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def ensure_cjk_font(app: QGuiApplication) -> str | None:
    """Put a CJK sans family first in the application font; return it (None if none found)."""
    family = system_cjk_sans() or load_shipped_sans()
    if family is not None:
        font = app.font()
        font.setFamilies([family, *(f for f in font.families() if f != family)])
        app.setFont(font)
    return family
