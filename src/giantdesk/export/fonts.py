"""The fonts of the printed copies: shipped with the app, the same on every OS.

The same record must print the same everywhere (and ``verify`` re-renders it), so no system font
is used. Three files in ``resources/fonts/``, each with its licence beside it:

========  ==================================  ============================================
role      font (file, sub-font)               used for
========  ==================================  ============================================
body      AR PL UMing CN (``uming.ttc``, 0)   Song/Ming style (宋体-like) body text
heading   WenQuanYi Micro Hei                 黑体-style headings; also the fallback for
          (``wqy-microhei.ttc``, 0)           characters UMing lacks (≈2,200 of GBK)
symbol    DejaVu Sans (``DejaVuSans.ttf``)    what neither CJK font has (☑ ☐)
========  ==================================  ============================================

reportlab embeds only fonts with TrueType outlines (CFF fonts such as Noto CJK are refused), and
subsets them automatically. :func:`markup` sets every character in the first of the paragraph's
font, the other CJK font and the symbol font that has it. :func:`font_files` lists the files
(with their role) for the bundle's manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from giantdesk.forms.messages import Message
from giantdesk.resources import resource_dirs

#: Shipped font files, relative to ``resources/fonts``.
SHIPPED_BODY = "uming.ttc"
SHIPPED_HEADING = "wqy-microhei.ttc"
SHIPPED_SYMBOL = "DejaVuSans.ttf"
#: The font names the DOCX asks for, and what Word should use where they are not installed.
DOCX_BODY = "AR PL UMing CN"
DOCX_BODY_FALLBACK = "宋体"
DOCX_HEADING = "WenQuanYi Micro Hei"
DOCX_HEADING_FALLBACK = "黑体"


class FontError(Exception):
    """No usable font was found; ``message`` says which file is missing and where it was sought."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int = 0
    role: str = "body"  # body | heading | symbol

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

    def files(self) -> tuple[FontFile, ...]:
        return (self.body, self.heading, self.symbol)


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

    def fallbacks(self, font_name: str) -> tuple[tuple[str, frozenset[int]], ...]:
        """The fonts tried, in order, for a character of a paragraph set in ``font_name``."""
        cjk = [(self.body, self.body_chars), (self.heading, self.heading_chars)]
        if font_name == self.heading:
            cjk.reverse()
        return (*cjk, (self.symbol, self.symbol_chars))


def fonts_dir() -> Path:
    """The folder of the shipped fonts; :class:`FontError` when none of the candidates has them."""
    candidates = [d / "fonts" for d in resource_dirs()]
    for candidate in candidates:
        if all((candidate / name).is_file()
               for name in (SHIPPED_BODY, SHIPPED_HEADING, SHIPPED_SYMBOL)):
            return candidate
    files = (SHIPPED_BODY, SHIPPED_HEADING, SHIPPED_SYMBOL)
    raise FontError(Message(
        f"找不到随程序提供的字体文件 {'、'.join(files)}（已查找：{'；'.join(map(str, candidates))}）；"
        f"请重新安装程序",
        f"the shipped fonts {', '.join(files)} were not found (looked in: "
        f"{'; '.join(map(str, candidates))}); reinstall the application"))


def choose_fonts() -> FontChoice:
    """The fonts of every rendering (the same on every OS)."""
    shipped = fonts_dir()
    return FontChoice(FontFile(shipped / SHIPPED_BODY, 0, "body"),
                      FontFile(shipped / SHIPPED_HEADING, 0, "heading"),
                      FontFile(shipped / SHIPPED_SYMBOL, 0, "symbol"))


def font_files() -> tuple[FontFile, ...]:
    """The font files a rendering uses, with their role (``body``, ``heading``, ``symbol``):
    what the manifest records (with their hashes) so that a copy can be re-rendered byte for
    byte. The PDFs embed subsets of all three; the DOCX only names the body and heading fonts."""
    return choose_fonts().files()


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
    """Register (once) and return the fonts of the printed copies."""
    return _load(choose_fonts())


#: A full-width space (U+3000) as no-break spaces, which reportlab keeps (≈ one em).
IDEO_SPACE = "\u00a0" * 3
_PASS_THROUGH = frozenset("\n\ue000\ue001")  # line breaks and cjkwrap's keep marks


def font_runs(text: str, fonts: Fonts, font_name: str | None = None) -> list[tuple[str, str]]:
    """``text`` cut into ``(font, text)`` runs: each character in the first of the given font
    (default: body), the other CJK font and the symbol font that has it."""
    own = font_name or fonts.body
    order = _order(fonts, own)
    chosen: dict[str, str] = {}
    runs: list[tuple[str, str]] = []
    run: list[str] = []
    current = own
    for ch in text:
        if ch in _PASS_THROUGH:
            wanted = current
        elif (wanted := chosen.get(ch, "")) == "":
            wanted = chosen[ch] = _font_for(ord(ch), own, order)
        if wanted != current and run:
            runs.append((current, "".join(run)))
            run.clear()
        current = wanted
        run.append(ch)
    if run:
        runs.append((current, "".join(run)))
    return runs


def markup(text: str, fonts: Fonts, font_name: str | None = None) -> str:
    """``text`` escaped for a reportlab Paragraph, line breaks kept, and every run of characters
    the paragraph's font lacks set in the first fallback font that has them."""
    own = font_name or fonts.body
    out: list[str] = []
    for face, run in font_runs(text, fonts, own):
        # reportlab collapses white space; the form's full-width spaces are blanks to write in
        piece = escape(run).replace("\n", "<br/>").replace("\u3000", IDEO_SPACE)
        out.append(piece if face == own else f'<font face="{face}">{piece}</font>')
    return "".join(out)


def _order(fonts: Fonts, own: str) -> tuple[tuple[str, frozenset[int]], ...]:
    """The paragraph's own font, then the fallbacks."""
    return ((own, fonts.chars_of(own)),
            *((name, chars) for name, chars in fonts.fallbacks(own) if name != own))


def _font_for(code: int, own: str, order: tuple[tuple[str, frozenset[int]], ...]) -> str:
    if code == 0x3000 or code < 0x80:
        return own  # blanks (set as no-break spaces) and ASCII: every font has them
    for name, chars in order:
        if code in chars:
            return name
    return own


def missing_glyphs(text: str, fonts: Fonts, font_name: str | None = None) -> set[str]:
    """Characters of ``text`` that none of the fonts can draw."""
    order = _order(fonts, font_name or fonts.body)
    return {ch for ch in text
            if ch not in "\n\r\t" and not any(ord(ch) in chars for _, chars in order)}
