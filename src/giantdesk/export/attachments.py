"""Supporting materials (佐证材料): the fixed category ids and the bundle member names.

Member names are ``attachments/<nn>-<category>-<name>``: ``nn`` counts from 01 in bundle
order, ``name`` is the file's own name made safe (CJK kept; path separators, control and
Windows-reserved characters removed; length limited, extension kept).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.messages import Message

MAX_NAME_CHARS = 80  # of the sanitized file name, extension included
_FORBIDDEN = set('/\\:*?"<>|')


@dataclass(frozen=True)
class Attachment:
    """One file to put into the bundle. ``size``/``sha256``, when known (the store records them),
    are checked while the file is streamed, so a file changed since it was attached is refused."""

    category: str
    path: Path
    name: str = ""  # the name shown in the bundle; default: the file's own name
    size: int | None = None
    sha256: str | None = None

    @property
    def display_name(self) -> str:
        return self.name or self.path.name


class AttachmentError(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


def category_list(lang: str = "zh") -> str:
    return "、".join(f"{cid}（{label.text(lang)}）" if lang == "zh" else f"{cid} ({label.en})"
                    for cid, label in CATEGORIES.items())


def check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise AttachmentError(Message(
            f"未知的佐证材料类别“{category}”。可用类别：{category_list('zh')}",
            f"unknown attachment category “{category}”. Valid ids: {category_list('en')}"))


def parse_attach_arg(text: str) -> Attachment:
    """``CATEGORY=PATH`` from the command line."""
    category, sep, path = text.partition("=")
    if not sep or not category or not path:
        raise AttachmentError(Message(
            f"--attach 的格式应为 类别=文件路径，而不是“{text}”",
            f"--attach expects CATEGORY=PATH, not “{text}”"))
    category = category.strip()
    check_category(category)
    return Attachment(category, Path(path))


def sanitize_name(name: str) -> str:
    """A file name safe in any zip reader and on any file system; CJK and other letters kept."""
    name = unicodedata.normalize("NFC", name)
    # Only the last path component counts: "C:\\x\\y.pdf" or "../y.pdf" → "y.pdf".
    name = re.split(r"[/\\]", name)[-1]
    kept = []
    for ch in name:
        if ch in _FORBIDDEN or unicodedata.category(ch).startswith("C"):
            continue
        kept.append(" " if ch.isspace() else ch)
    name = re.sub(r" +", " ", "".join(kept)).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = name, ""
    ext = ext.strip(" .")
    stem = stem.strip(" .")[: MAX_NAME_CHARS - len(ext) - 1].rstrip(" .")
    if not stem:
        stem = "file"
    return f"{stem}.{ext}" if ext else stem


def member_names(attachments: list[Attachment]) -> list[str]:
    """The bundle member name of each attachment, numbered 01… in the given order."""
    width = max(2, len(str(len(attachments))))
    return [f"attachments/{i:0{width}d}-{a.category}-{sanitize_name(a.display_name)}"
            for i, a in enumerate(attachments, start=1)]
