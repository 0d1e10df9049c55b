"""The GUI's CJK face is a sans (黑体-style) family, never the Song face shipped for print."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from giantdesk.ui import fonts
from giantdesk.ui.fonts import SYSTEM_SANS, check_cjk_font, ensure_cjk_font, load_shipped_sans
from giantdesk.ui.settings import save_font, saved_font


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


def test_the_remembered_face_is_taken_without_listing_the_systems_fonts(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch, giantdesk_home: Path) -> None:
    """The start uses the face chosen last time (listing fonts by writing system is part of
    the start-up budget); the choice is checked again after the first paint."""
    before = qapp.font()
    try:
        with monkeypatch.context() as patched:
            patched.setattr(fonts, "system_cjk_sans", lambda: pytest.fail("fonts listed"))
            assert ensure_cjk_font(qapp, remembered=fonts.SHIPPED) == "WenQuanYi Micro Hei"
            assert ensure_cjk_font(qapp, remembered="Noto Sans CJK SC") == "Noto Sans CJK SC"
            assert qapp.font().families()[0] == "Noto Sans CJK SC"
    finally:
        qapp.setFont(before)
    choice = check_cjk_font()
    # the shipped face, once loaded, is listed among the system's: still remembered as ours
    assert choice in (*(f for f in SYSTEM_SANS if f != "WenQuanYi Micro Hei"), fonts.SHIPPED)
    assert saved_font() is None
    save_font(choice)
    assert saved_font() == choice
