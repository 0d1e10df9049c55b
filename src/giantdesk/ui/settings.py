"""Small preferences kept between runs (the language, window sizes). With ``GIANTDESK_HOME`` set (tests,
portable installs) they live in that folder, never in the user's own settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


def _settings() -> QSettings:
    home = os.environ.get("GIANTDESK_HOME")
    if home:
        return QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings("GiantDesk", "GiantDesk")


def saved_language() -> str | None:
    value = _settings().value("language")
    return value if value in ("zh", "en") else None


def save_language(lang: str) -> None:
    settings = _settings()
    settings.setValue("language", lang)
    settings.sync()


def start_language(env: Mapping[str, str]) -> str:
    """``GIANTDESK_LANG`` when set, else the language chosen last time, else Chinese."""
    chosen = env.get("GIANTDESK_LANG")
    if chosen:
        return "en" if chosen.lower().startswith("en") else "zh"
    return saved_language() or "zh"


def load_geometry(kind: str) -> bytes | None:
    value = _settings().value(f"geometry/{kind}")
    if isinstance(value, QByteArray):
        return bytes(value.data())
    return value if isinstance(value, bytes) else None


def save_geometry(kind: str, data: bytes) -> None:
    settings = _settings()
    settings.setValue(f"geometry/{kind}", QByteArray(data))
    settings.sync()


def saved_font() -> str | None:
    value = _settings().value("font/family")
    return value if isinstance(value, str) and value else None


def save_font(family: str) -> None:
    settings = _settings()
    if settings.value("font/family") != family:
        settings.setValue("font/family", family)
        settings.sync()
