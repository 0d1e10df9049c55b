"""A CJK sans-serif face for the GUI: the system's if it has one, else the shipped one.

The screen wants a 黑体-style (sans) face; a Song (serif) face is for print. Qt would otherwise fall
back to whatever CJK family the system lists first — on Linux often AR PL UMing (Song), which reads
poorly at screen sizes — so a known sans family is put first in the application font.

Which family that is is remembered (``font/family`` in the settings): the next start uses it
without listing the system's fonts by writing system, and :func:`check_cjk_font` looks again
once the first window is shown (a font installed or removed meanwhile is taken at the start
after).
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


#: The family of the shipped face once this process has loaded it (it is then listed among
#: the system's families too).
_loaded: str | None = None


def load_shipped_sans() -> str | None:
    global _loaded
    path = find_resource(SHIPPED_SANS)
    if path is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    _loaded = families[0] if families else None
    return _loaded


#: The remembered choice when it is the shipped face (it must be loaded, not just named).
SHIPPED = "shipped"


def _choose() -> tuple[str | None, str]:
    """The family and what to remember: the system's family name, or :data:`SHIPPED`."""
    family = system_cjk_sans()
    if family is not None:
        return family, family
    return load_shipped_sans(), SHIPPED


def ensure_cjk_font(app: QGuiApplication, *, remembered: str | None = None) -> str | None:
    """Put a CJK sans family first in the application font; return it (None if none found).

    ``remembered`` (what :func:`check_cjk_font` saved last time) skips listing the system's
    fonts: the shipped face is loaded, a system family is named."""
    if remembered == SHIPPED:
        family = load_shipped_sans()
    elif remembered:
        family = remembered
    else:
        family, _remember = _choose()
    if family is not None:
        font = app.font()
        font.setFamilies([family, *(f for f in font.families() if f != family)])
        app.setFont(font)
    return family


def check_cjk_font() -> str:
    """The choice :func:`ensure_cjk_font` should take next time (after the first paint: it
    lists the system's fonts). Returns what to remember."""
    family = system_cjk_sans()
    return family if family is not None and family != _loaded else SHIPPED
