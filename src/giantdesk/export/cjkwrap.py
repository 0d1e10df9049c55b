"""Chinese line breaking for reportlab paragraphs (the printed copies and the entry sheet).

reportlab's own CJK wrapping (``wordWrap="CJK"``) cuts between any two characters and only
"hangs" one closing mark from a short list into the margin: lines start with "，", "；", "：",
a "）" runs over a cell border, a ☐ ends a line while its label starts the next, and when a
paragraph is split across pages it adds a space at every line end of the continuation. This
module replaces that for :class:`CJKParagraph`:

* no line starts with a closing mark (:data:`NO_START`: ，。、；：？！）》」』”… and the ASCII ones),
  none ends with an opening mark or a tick box (:data:`NO_END`: （《「『“ ☐ ☑ …); the character
  before such a mark moves down with it (nothing hangs into the margin);
* a run of Latin letters, digits and their punctuation ("ZL201610123456.7", "19,460.00",
  "ISO 9001:2015" between its spaces) is not cut, and "——" / "……" stay whole;
* no-break spaces (the form's blanks) do not break;
* a line breaks at a space (the space is dropped), or between two Chinese characters;
* text between :data:`KEEP_OPEN` and :data:`KEEP_CLOSE` (private-use marks, never printed) is
  kept on one line when it fits on one (a tick box with its option label);
* only when no such place exists on the line (a run wider than the column) is it cut where it
  no longer fits, still never right before a closing mark when it can be avoided.

Explicit line breaks (``<br/>``) are kept; a paragraph split across pages or table rows
continues with exactly its remaining text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines
from reportlab.rl_config import _FUZZ

#: May not begin a line (closing punctuation, marks that belong to what precedes).
NO_START = frozenset(
    "，。、；：？！）］｝〕〉》」』】〗〙〛〞”’．｡､・·…‥%％‰‱℃℉°′″"
    ",.;:?!)]}"
    "々〻ゝゞヽヾーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
#: May not end a line (opening punctuation, prefixes, tick boxes that belong to their label).
NO_END = frozenset("（［｛〔〈《「『【〖〘〚〝“‘([{￥＄$£€#＃§№☐☑☒")
#: Never cut between two of the same (a Chinese dash or ellipsis is two characters wide).
PAIRED = frozenset("—…")
#: Spaces that do not break (the form's blanks are set as runs of these).
GLUE = frozenset("\u00a0\u202f\u2060\ufeff")
SPACE = " "
#: Marks around text that should stay on one line (removed before anything is drawn).
KEEP_OPEN = "\ue000"
KEEP_CLOSE = "\ue001"


def keep(text: str) -> str:
    """``text`` marked to be kept on one line by :class:`CJKParagraph` when it fits."""
    return f"{KEEP_OPEN}{text}{KEEP_CLOSE}"


def _is_ideographic(ch: str) -> bool:
    """A character between which and its neighbours a line may break (Chinese and friends)."""
    code = ord(ch)
    return code >= 0x2E80 or 0x2600 <= code <= 0x26FF  # CJK onwards; ☐ ☑ and other symbols


def may_break(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after`` (the space case aside)."""
    if after in NO_START or before in NO_END:
        return False
    if before in GLUE or after in GLUE:
        return False
    if before == after and before in PAIRED:
        return False
    if before == SPACE:
        return True
    if after == SPACE:
        return False  # a space stays at the end of its line
    return _is_ideographic(before) or _is_ideographic(after)


def break_positions(text: str) -> list[bool]:
    """``result[i]``: a line may break before ``text[i]`` (``result[0]`` is always False)."""
    allowed = [False] * len(text)
    for i in range(1, len(text)):
        allowed[i] = may_break(text[i - 1], text[i])
    return allowed


_WIDTHS: dict[tuple[str, float, str], float] = {}


def _char_width(ch: str, font: str, size: float) -> float:
    key = (font, size, ch)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = float(stringWidth(ch, font, size))
    return width


@dataclass
class _Glyphs:
    """A paragraph's characters (keep marks removed) with their frag, width and flags."""

    text: list[str] = field(default_factory=list)  # "\0" for an empty frag (a <br/>)
    frags: list[Any] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    kept: list[bool] = field(default_factory=list)  # continues a run to keep on one line
    forced: list[bool] = field(default_factory=list)  # a line ends after it (<br/>)

    @classmethod
    def of(cls, frags: Sequence[Any]) -> _Glyphs:
        g = cls()
        depth = 0
        starting = False
        for frag in frags:
            text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
            line_break = hasattr(frag, "lineBreak")
            if not text:
                g._add("\0", frag, 0.0, False, line_break)
                continue
            for ch in text:
                if ch == KEEP_OPEN:
                    depth += 1
                    starting = True
                elif ch == KEEP_CLOSE:
                    depth = max(depth - 1, 0)
                else:
                    g._add(ch, frag, _char_width(ch, frag.fontName, frag.fontSize),
                           depth > 0 and not starting, line_break)
                    starting = False
        return g

    def _add(self, ch: str, frag: Any, width: float, kept: bool, forced: bool) -> None:
        self.text.append(ch)
        self.frags.append(frag)
        self.widths.append(width)
        self.kept.append(kept)
        self.forced.append(forced)


def _make_line(g: _Glyphs, start: int, end: int, max_width: float, line_break: bool) -> Any:
    """One laid-out line: the glyphs ``start:end`` as frag words (as reportlab's CJK lines)."""
    words: list[Any] = []
    max_size = ascent = descent = 0.0
    used = 0.0
    i = start
    while i < end:
        frag = g.frags[i]
        j = i
        while j < end and g.frags[j] is frag:
            j += 1
        text = "".join(ch for ch in g.text[i:j] if ch != "\0")
        word = frag.clone()
        word.text = text
        words.append(word)
        a, d = getAscentDescent(frag.fontName, frag.fontSize)
        max_size = max(max_size, frag.fontSize)
        ascent = max(ascent, a)
        descent = min(descent, d)
        used += sum(g.widths[i:j])
        i = j
    return FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words,
                    fontSize=max_size, ascent=ascent, descent=descent, maxWidth=max_width,
                    currentWidth=used, lineBreak=line_break)


def split_lines(g: _Glyphs, max_widths: Sequence[float]) -> ParaLines:
    """Lay out the glyphs in lines no wider than ``max_widths`` (the last width repeats)."""
    text = g.text
    allowed = break_positions("".join(text))
    preferred = [a and not k for a, k in zip(allowed, g.kept, strict=True)]
    forced, widths = g.forced, g.widths
    lines: list[Any] = []
    n = len(text)
    start = 0

    def max_width() -> float:
        return max_widths[min(len(lines), len(max_widths) - 1)]

    def emit(stop: int, line_break: bool) -> None:
        end = stop
        while end > start and text[end - 1] == SPACE and not forced[end - 1]:
            end -= 1  # a breaking space at the end of a line is not printed
        lines.append(_make_line(g, start, end, max_width(), line_break))

    while start < n:
        if lines and not lines[-1].lineBreak:
            while start < n and text[start] == SPACE:
                start += 1  # nor one at the start of a wrapped line
            if start >= n:
                break
        limit = max_width()
        used = 0.0
        i = start
        stop = -1
        while i < n:
            used += widths[i]
            if forced[i] and (i + 1 == n or g.frags[i + 1] is not g.frags[i]):
                stop = i + 1
                break
            if used > limit + _FUZZ and text[i] != SPACE and i > start:
                stop = _best_break(preferred, allowed, text, start, i)
                break
            i += 1
        if stop < 0:  # the rest fits
            emit(n, False)
            break
        emit(stop, forced[stop - 1])
        start = stop
    return ParaLines(kind=1, lines=lines)


def _best_break(preferred: list[bool], allowed: list[bool], text: list[str], start: int,
                overflow: int) -> int:
    """Where to end the line whose character ``overflow`` no longer fits."""
    for candidates in (preferred, allowed):
        for p in range(overflow, start, -1):
            if candidates[p]:
                return p
    # no allowed break on this line (an unbreakable run wider than the column): cut it, but
    # not before a closing mark nor after an opening one when the line can end earlier
    p = overflow
    while p - 1 > start and (_next_printed(text, p) in NO_START or text[p - 1] in NO_END):
        p -= 1
    if _next_printed(text, p) in NO_START or text[p - 1] in NO_END:
        return overflow  # nothing better on this line
    return p


def _next_printed(text: list[str], p: int) -> str:
    """The character that would begin the next line if it broke before ``p`` (spaces at the
    start of a wrapped line are dropped)."""
    while p < len(text) and text[p] == SPACE:
        p += 1
    return text[p] if p < len(text) else ""


class CJKParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A reportlab ``Paragraph`` (style ``wordWrap="CJK"``) laid out by :func:`split_lines`.
    The layout is kept per width: a table wraps its cells again on every page it splits."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        self.height = 0
        key = tuple(maxWidths)
        cached = self.__dict__.get("_gd_lines")
        if cached is not None and cached[0] == key:
            return cached[1]
        glyphs = _Glyphs.of(self.frags)
        if not glyphs.text:
            style = self.style
            result = ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                               textColor=style.textColor, lines=[], ascent=style.fontSize,
                               descent=-0.2 * style.fontSize)
        else:
            result = split_lines(glyphs, list(maxWidths))
        self.__dict__["_gd_lines"] = (key, result)
        return result

    def _get_split_blParaFunc(self) -> Any:
        return _continuation_frags


def _continuation_frags(bl_para: Any, start: int, stop: int) -> list[Any]:
    """The frags of lines ``start:stop``, as they are (reportlab adds a space per line end)."""
    frags: list[Any] = []
    for line in bl_para.lines[start:stop]:
        frags.extend(line.words)
    return frags
