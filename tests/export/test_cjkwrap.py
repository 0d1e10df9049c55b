"""Chinese line breaking: the rules hold at every width, nothing is lost or invented."""

from __future__ import annotations

import itertools
import random

import pytest
from reportlab.lib.styles import ParagraphStyle

from giantdesk.export.cjkwrap import NO_END, NO_START, CJKParagraph, keep, may_break
from giantdesk.export.fonts import load_fonts, markup

SAMPLE = ("为国内多家工业机器人整机企业配套 RV 减速器用交叉滚子轴承，替代进口产品；2021 年配套量超过"
          "6 万套（含出口）。主导产品“JYM-XR120/200”：ZL201610123456.7；《统计用产品分类目录》"
          "——补短板……完毕！市场占有率 12.60%，ISO 9001:2015 认证。")


def style(size: float = 10) -> ParagraphStyle:
    return ParagraphStyle("t", fontName=load_fonts().body, fontSize=size, leading=size * 1.5,
                          wordWrap="CJK")


def lines_of(text: str, width: float) -> list[str]:
    paragraph = CJKParagraph(markup(text, load_fonts()), style())
    paragraph.wrap(width, 100000)
    # (a full-width blank is set as no-break spaces; at a line end they are invisible)
    return ["".join(w.text for w in line.words).rstrip("\u00a0")
            for line in paragraph.blPara.lines]


def test_rules_hold_at_every_width() -> None:
    for width in range(40, 400, 7):
        lines = lines_of(SAMPLE, width)
        assert "".join(lines).replace(" ", "") == SAMPLE.replace(" ", "")  # nothing lost
        for before, after in itertools.pairwise(lines):
            assert after[0] not in NO_START, (width, before, after)
            assert before[-1] not in NO_END, (width, before, after)
            assert not (before[-1] == after[0] and before[-1] in "—…"), (width, before, after)


def test_random_text_never_starts_a_line_with_closing_punctuation() -> None:
    rng = random.Random(11)
    words = ["专精", "特新", "企业", "说明文字", "产品", "市场", "12", "AB", "☐是", "☑否", "2021年"]
    closing, opening = "，。、；：？！）》”", "（《“"
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(1, 30)):  # as in real text: at most three marks in a row
            pieces.append(rng.choice(["", rng.choice(opening)]) + rng.choice(words)
                          + "".join(rng.choice(closing) for _ in range(rng.randint(0, 3)))
                          + rng.choice(["", "", " "]))
        text = "".join(pieces)
        for width in (60, 85, 150):  # six characters and more (narrower: not always possible)
            lines = lines_of(text, width)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")
            for before, after in itertools.pairwise(lines):
                assert after[0] not in NO_START, (text, width, lines)
                assert before[-1] not in NO_END, (text, width, lines)


def test_latin_runs_and_numbers_are_not_cut() -> None:
    lines = lines_of("说明：ZL201610123456.7 和 19,460.00 万元", 95)
    assert len(lines) > 1
    assert any("ZL201610123456.7" in line for line in lines)
    assert any("19,460.00" in line for line in lines)


def test_kept_options_stay_whole_when_they_fit() -> None:
    text = "\u3000 ".join(keep(o) for o in ("☐制造强国：高档数控机床和机器人",
                                            "☑工业“六基”：核心基础零部件"))
    assert lines_of(text, 200) == ["☐制造强国：高档数控机床和机器人", "☑工业“六基”：核心基础零部件"]
    for line in lines_of(text, 60):  # too narrow: broken by the ordinary rules, box with label
        assert not line.endswith(("☐", "☑"))


def test_explicit_breaks_are_kept() -> None:
    assert lines_of("第一行\n第二行", 200) == ["第一行", "第二行"]


def test_a_split_paragraph_continues_with_exactly_its_text() -> None:
    text = "一二三四五六七八九十，" * 40
    paragraph = CJKParagraph(markup(text, load_fonts()), style())
    paragraph.wrap(100, 100000)
    first, rest = paragraph.split(100, 60)
    rest.wrap(100, 100000)
    joined = "".join(w.text for p in (first, rest) for line in p.blPara.lines for w in line.words)
    assert joined == text  # reportlab's own split would add a space at every line end


@pytest.mark.parametrize(("before", "after", "allowed"), [
    ("字", "，", False), ("（", "字", False), ("☐", "是", False), ("字", "字", True),
    ("A", "B", False), ("字", "A", True), (" ", "A", True), ("A", " ", False),
    ("—", "—", False), ("\u00a0", "字", False),
])
def test_may_break(before: str, after: str, allowed: bool) -> None:
    assert may_break(before, after) is allowed
