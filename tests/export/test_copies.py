"""Comparing a copy with its re-rendering: key ids, text normalisation, repagination."""

from __future__ import annotations

import pytest

from giantdesk.export.context import RenderContext
from giantdesk.export.copies import (
    ENTRY_SHEET,
    CopyProblem,
    Expectation,
    _compare_repaginated,
    printed_key_ids,
)
from giantdesk.export.doctext import PageText
from giantdesk.forms.record import Submission
from tests.export.conftest import FINALIZED

KEY = "5647 5AA7 5463 474C"


def test_printed_key_ids_are_read_near_the_caption() -> None:
    text = f"电子签署信息 / Electronic signature\n 签名密钥 / Signing key id\n{KEY}\n指纹\n"
    assert printed_key_ids(text) == [KEY]
    assert printed_key_ids(f"签名密钥：{KEY.replace(' ', '')}") == [KEY]
    assert printed_key_ids(f"签名密钥\n\n  {KEY}  页脚 签名密钥 0000 1111 2222 3333") == [
        KEY, "0000 1111 2222 3333"]
    # not near a caption, lower case, or part of a longer hex string: not a printed key id
    assert printed_key_ids(f"{KEY}") == []
    assert printed_key_ids("签名密钥 5647 5aa7 5463 474c") == []
    assert printed_key_ids("签名密钥 " + "A" * 20) == []
    assert printed_key_ids("签名密钥 / Signing key id\n" + "x" * 100 + KEY) == []


def _want(record: Submission) -> Expectation:
    ctx = RenderContext.of(record, FINALIZED, KEY)
    return Expectation(ctx, {}, False, "0.1.0", 85.0)


def _pages(record: Submission, bodies: list[str]) -> list[PageText]:
    ctx = RenderContext.of(record, FINALIZED, KEY)
    return [PageText(body, f"标题\n第 {n}/{len(bodies)} 页\n指纹: {ctx.fingerprint}\n{ctx.uscc}")
            for n, body in enumerate(bodies, start=1)]


HEADER = "序号\nNo.\n项目\nItem\n录入内容\nEntry\n"


def test_repaginated_copies_compare_by_text(record: Submission) -> None:
    """Other fonts break the pages elsewhere: the table header repeated on each continuation
    page moves, the text does not."""
    ours = _pages(record, [f"一、企业情况\n{HEADER}1 企业名称 甲\n2 地址 乙\n",
                           f"{HEADER}3 营业收入 19460.00\n4 人数 120\n"])
    theirs = _pages(record, [f"一、企业情况\n{HEADER}1 企业名称 甲\n",
                             f"{HEADER}2 地址 乙\n3 营业收入\n19460.00\n",
                             f"{HEADER}4 人数 120\n"])
    _compare_repaginated(ENTRY_SHEET, theirs, ours, _want(record))


def test_repaginated_copies_with_a_changed_value(record: Submission) -> None:
    ours = _pages(record, [f"{HEADER}1 企业名称 甲\n2 地址 乙\n", f"{HEADER}3 营业收入 19460.00\n"])
    theirs = _pages(record, [f"{HEADER}1 企业名称 甲\n", f"{HEADER}2 地址 乙\n",
                             f"{HEADER}3 营业收入 987654321.00\n"])
    with pytest.raises(CopyProblem) as caught:
        _compare_repaginated(ENTRY_SHEET, theirs, ours, _want(record))
    assert caught.value.code == "copy.differs"
    assert "第 3 页" in caught.value.message.zh and "page 3" in caught.value.message.en


def test_repaginated_copies_with_an_added_duplicate_row(record: Submission) -> None:
    """A forged row copied from earlier text is not a repeated header: it is found."""
    ours = _pages(record, [f"{HEADER}1 专利 ZL2020\n", f"{HEADER}2 专利 ZL2021\n"])
    theirs = _pages(record, [f"{HEADER}1 专利 ZL2020\n", f"{HEADER}1 专利 ZL2020\n2 专利 ZL2021\n",
                             f"{HEADER}"])
    with pytest.raises(CopyProblem) as caught:
        _compare_repaginated(ENTRY_SHEET, theirs, ours, _want(record))
    assert caught.value.code == "copy.differs"


def test_repaginated_footer_must_carry_the_fingerprint(record: Submission) -> None:
    ours = _pages(record, ["一\n", "二\n"])
    theirs = _pages(record, ["一\n", "二\n", ""])
    theirs[1] = PageText(theirs[1].body, theirs[1].furniture.replace("指纹", "指印"))
    with pytest.raises(CopyProblem) as caught:
        _compare_repaginated(ENTRY_SHEET, theirs, ours, _want(record))
    assert "第 2 页的页脚" in caught.value.message.zh


def test_same_page_count_other_page_breaks(record: Submission) -> None:
    ours = _pages(record, [f"{HEADER}1 企业名称 甲\n2 地址 乙\n", f"{HEADER}3 营业收入 19460.00\n"])
    theirs = _pages(record, [f"{HEADER}1 企业名称 甲\n", f"{HEADER}2 地址 乙\n3 营业收入 19460.00\n"])
    _compare_repaginated(ENTRY_SHEET, theirs, ours, _want(record))
