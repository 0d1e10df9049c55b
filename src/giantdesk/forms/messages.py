"""Bilingual messages: every user-facing string of the core carries zh_CN and en."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """A message in the user's two languages; Chinese is the first language."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The message in ``lang`` ("zh", "zh_CN" → Chinese; anything starting "en" → English)."""
        return self.en if lang.lower().startswith("en") else self.zh

    def format(self, **values: object) -> Message:
        return Message(self.zh.format(**values), self.en.format(**values))
