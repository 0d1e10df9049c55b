"""Small display helpers shared by the windows: local times, the message of an error."""

from __future__ import annotations

from typing import Any

from giantdesk.forms.messages import Message


def local_time(moment: Any) -> str:
    return str(moment.astimezone().strftime("%Y-%m-%d %H:%M"))


def fill(template: Message, **values: Message | str) -> Message:
    """``template`` filled per language: a ``Message`` value gives its own zh / en text."""
    def text(lang: str) -> dict[str, str]:
        return {k: v.text(lang) if isinstance(v, Message) else v for k, v in values.items()}

    return Message(template.zh.format(**text("zh")), template.en.format(**text("en")))


def error_message(exc: BaseException) -> Message:
    """The bilingual message of a core error, or the exception's text in both languages."""
    message = getattr(exc, "message", None)
    if isinstance(message, Message):
        return message
    text = str(exc) or type(exc).__name__
    return Message(text, text)
