"""The fonts of the printed copies: which CJK font, where it is, and its registration in reportlab.

reportlab embeds only fonts with TrueType outlines (CFF fonts such as Noto CJK are refused), and
subsets them automatically. The choice is fixed per platform:

* Windows with the system 宋体 (``simsun.ttc``, sub-font 0): 宋体 for the body and 黑体
  (``simhei.ttf``) or 仿宋 (``simfang.ttf``) for headings when present, which gives the official look;
* everywhere else (and on a Windows without 宋体): WenQuanYi Micro Hei, shipped in
  ``resources/fonts/`` (Apache-2.0, see ``LICENSE-wqy-microhei.txt``).

Characters a CJK font lacks (the check boxes ☑ ☐) are set in DejaVu Sans, shipped beside it
(Bitstream Vera licence, see ``LICENSE-dejavu.txt``); :func:`markup` does the switching.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from giantdesk.forms.messages import Message

#: Shipped font files, relative to ``resources/fonts``.
SHIPPED_CJK = "wqy-microhei.ttc"
SHIPPED_SYMBOL = "DejaVuSans.ttf"


class FontError(Exception):
    """No usable font was found; ``message`` says which file is missing and where it was sought."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int = 0

    @property
    def key(self) -> str:
        """A reportlab font name unique to this file (fonts are registered process-wide)."""
        stem = "".join(ch for ch in self.path.stem if ch.isalnum())
        return f"GD-{stem}-{self.subfont_index}"


@dataclass(frozen=True)
class FontChoice:
    body: FontFile
    heading: FontFile
    symbol: FontFile


@dataclass(frozen=True)
class Fonts:
    """Registered reportlab font names and the glyphs each has."""

    body: str
    heading: str
    symbol: str
    body_chars: frozenset[int]
    heading_chars: frozenset[int]
    symbol_chars: frozenset[int]

    def chars_of(self, font_name: str) -> frozenset[int]:
        if font_name == self.heading:
            return self.heading_chars
        if font_name == self.symbol:
            return self.symbol_chars
        return self.body_chars


def resource_dirs() -> tuple[Path, ...]:
    """Where ``resources/`` may be: the frozen app's bundle first, then the source tree."""
    dirs: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if isinstance(frozen, str):
        dirs.append(Path(frozen) / "resources")
    # src/giantdesk/export/fonts.py → repository root
    dirs.append(Path(__file__).resolve().parents[3] / "resources")
    return tuple(dirs)


def fonts_dir() -> Path:
    """The folder of the shipped fonts; :class:`FontError` when none of the candidates has them."""
    candidates = [d / "fonts" for d in resource_dirs()]
    for candidate in candidates:
        if (candidate / SHIPPED_CJK).is_file():
            return candidate
    where = "；".join(str(c) for c in candidates)
    raise FontError(Message(f"找不到随程序提供的字体文件 {SHIPPED_CJK}（已查找：{where}）；请重新安装程序",
                            f"the shipped font {SHIPPED_CJK} was not found (looked in: "
                            f"{'; '.join(str(c) for c in candidates)}); reinstall the application"))


def windows_fonts_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def choose_fonts(platform: str | None = None, system_dir: Path | None = None) -> FontChoice:
    """The fonts for this platform (see the module docstring); the same on every such machine."""
    platform = sys.platform if platform is None else platform
    shipped = fonts_dir()
    symbol = FontFile(shipped / SHIPPED_SYMBOL)
    if platform.startswith("win"):
        system = windows_fonts_dir() if system_dir is None else system_dir
        simsun = system / "simsun.ttc"
        if simsun.is_file():
            body = FontFile(simsun, 0)
            heading = next((FontFile(p) for p in (system / "simhei.ttf", system / "simfang.ttf")
                            if p.is_file()), body)
            return FontChoice(body, heading, symbol)
    cjk = FontFile(shipped / SHIPPED_CJK, 0)
    return FontChoice(cjk, cjk, symbol)


def font_files(platform: str | None = None, system_dir: Path | None = None) -> tuple[FontFile, ...]:
    """Every font file the copies are rendered with on this platform, each once, in a fixed
    order (their hashes go into the manifest: the copies' bytes depend on them)."""
    choice = choose_fonts(platform, system_dir)
    return tuple(dict.fromkeys((choice.body, choice.heading, choice.symbol)))


def _register(font: FontFile) -> frozenset[int]:
    if not font.path.is_file():
        raise FontError(Message(f"找不到字体文件 {font.path}", f"font file {font.path} not found"))
    try:
        registered = pdfmetrics.getRegisteredFontNames()
        if font.key in registered:
            ttf = pdfmetrics.getFont(font.key)
        else:
            ttf = TTFont(font.key, str(font.path), subfontIndex=font.subfont_index)
            pdfmetrics.registerFont(ttf)
    except Exception as exc:  # reportlab raises TTFError and others for unusable files
        raise FontError(Message(f"字体文件 {font.path} 无法使用：{exc}",
                                f"font file {font.path} cannot be used: {exc}")) from exc
    return frozenset(ttf.face.charToGlyph)


@cache
def _load(choice: FontChoice) -> Fonts:
    body = _register(choice.body)
    heading = _register(choice.heading)
    symbol = _register(choice.symbol)
    return Fonts(choice.body.key, choice.heading.key, choice.symbol.key, body, heading, symbol)


def load_fonts() -> Fonts:
    """Register (once) and return the fonts of this platform."""
    return _load(choose_fonts())


#: A full-width space (U+3000) as no-break spaces, which reportlab keeps (≈ one em).
IDEO_SPACE = "\u00a0" * 3


def markup(text: str, fonts: Fonts, font_name: str | None = None) -> str:
    """``text`` escaped for a reportlab Paragraph, line breaks kept, and every run of characters
    the paragraph's font lacks (but the symbol font has) set in the symbol font."""
    chars = fonts.chars_of(font_name or fonts.body)
    out: list[str] = []
    run: list[str] = []
    in_symbol = False

    def flush() -> None:
        if not run:
            return
        # reportlab collapses white space; the form's full-width spaces are blanks to write in
        piece = escape("".join(run)).replace("\n", "<br/>").replace("\u3000", IDEO_SPACE)
        out.append(f'<font face="{fonts.symbol}">{piece}</font>' if in_symbol else piece)
        run.clear()

    for ch in text:
        code = ord(ch)
        wants_symbol = (ch != "\n" and code not in chars and code in fonts.symbol_chars)
        if wants_symbol != in_symbol:
            flush()
            in_symbol = wants_symbol
        run.append(ch)
    flush()
    return "".join(out)


def missing_glyphs(text: str, fonts: Fonts, font_name: str | None = None) -> set[str]:
    """Characters of ``text`` that neither the given font nor the symbol font can draw."""
    chars = fonts.chars_of(font_name or fonts.body)
    return {ch for ch in text
            if ch not in "\n\r\t" and ord(ch) not in chars and ord(ch) not in fonts.symbol_chars}
