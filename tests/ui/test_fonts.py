"""The GUI's CJK face is a sans (黑体-style) family, never the Song face shipped for print."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from giantdesk.ui.fonts import SYSTEM_SANS, ensure_cjk_font, load_shipped_sans


def test_shipped_sans_loads() -> None:
    assert load_shipped_sans() == "WenQuanYi Micro Hei"


def test_application_font_starts_with_a_cjk_sans(qapp: QApplication) -> None:
    before = qapp.font()
    try:
        family = ensure_cjk_font(qapp)
        assert family in (*SYSTEM_SANS, "WenQuanYi Micro Hei")
        assert qapp.font().families()[0] == family
        assert "Ming" not in family and "Song" not in family
    finally:
        qapp.setFont(before)
