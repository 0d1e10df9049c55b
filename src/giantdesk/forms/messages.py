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
        """Both texts filled in; a value that is itself a :class:`Message` gives each language
        its own text."""
        zh = {k: v.zh if isinstance(v, Message) else v for k, v in values.items()}
        en = {k: v.en if isinstance(v, Message) else v for k, v in values.items()}
        return Message(self.zh.format(**zh), self.en.format(**en))


def size_text(n: int) -> str:
    """A file size for a message, the same everywhere: "8 MB", "20.03 MB", "512 KB", "900 B"
    (MB = 1024 × 1024 bytes; at most two decimals, so a size just over a limit does not read
    as the limit itself)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:,.2f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} B"
