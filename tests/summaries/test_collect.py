"""Collecting bundles: verified ones become rows, the others are listed with their problem."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from giantdesk.export.signing import Signer
from giantdesk.summaries.collect import Summary, collect
from giantdesk.summaries.tables import load_summary

from .conftest import AS_OF, Bundles


def column(summary: Summary, column_id: str) -> list[object]:
    index = [c.id for c in summary.definition.columns].index(column_id)
    return [row[index].value for row in summary.rows]


@pytest.fixture(scope="module")
def annex3(bundles: Bundles) -> Summary:
    return collect(load_summary("annex3"), [bundles.folder], as_of=AS_OF)


def test_verified_bundles_are_rows_and_the_tampered_one_a_problem(annex3: Summary,
                                                                  bundles: Bundles) -> None:
    assert annex3.found == 3 and annex3.readable == 3
    assert len(annex3.rows) == 2
    assert column(annex3, "file") == [bundles.failing.name, bundles.passing.name]  # by city
    assert column(annex3, "seq") == [1, 2]
    (problem,) = annex3.problems
    assert problem.file == bundles.tampered.name
    assert (problem.code, problem.member, problem.severity) == \
        ("member.sha256", "submission.json", "error")
    assert "SHA-256" in problem.message.zh
    assert bundles.tampered.name not in column(annex3, "file")
    assert annex3.exit_code == 1


def test_cells(annex3: Summary, bundles: Bundles) -> None:
    assert column(annex3, "uscc") == [bundles.uscc_b, bundles.uscc_a]
    assert column(annex3, "name") == ["无锡乙传感科技有限公司", "苏州甲精密机械有限公司"]
    assert column(annex3, "industry")[0] == "34 通用设备制造业"
    assert column(annex3, "check") == ["不符合", "符合全部条件"]
    assert column(annex3, "failed") == ["主营业务收入占比（ZY-2）", None]
    assert column(annex3, "main_share") == [Decimal("65.00"), Decimal("96.25")]
    revenue = column(annex3, "revenue")
    assert all(isinstance(v, Decimal) for v in revenue)
    assert column(annex3, "class1_ip") == [3, 3]
    assert column(annex3, "verified") == ["已验证", "已验证"]
    assert column(annex3, "fingerprint") == [e.report.fingerprint for e in annex3.entries]
    assert column(annex3, "key_id") == [Signer.from_raw(bytes(range(32))).key_id] * 2
    assert column(annex3, "rank") == [None, None] and column(annex3, "opinion") == [None, None]
    assert column(annex3, "duplicate") == [None, None]


def test_duplicates_are_kept_and_flagged(bundles: Bundles) -> None:
    summary = collect(load_summary("annex3"), [bundles.passing, bundles.duplicate],
                      as_of=AS_OF)
    assert len(summary.rows) == 2 and summary.exit_code == 0
    (warning,) = summary.problems
    assert (warning.code, warning.severity) == ("duplicate.uscc", "warning")
    assert bundles.uscc_a in warning.message.zh and "记录不同" in warning.message.zh
    flags = column(summary, "duplicate")
    assert flags[0] == f"重复，另见：{bundles.duplicate.name}"
    assert flags[1] == f"重复，另见：{bundles.passing.name}"
    # the same file named twice (directly and through its folder) is read once
    again = collect(load_summary("annex3"), [bundles.passing, bundles.folder], as_of=AS_OF)
    assert len(again.rows) == 2 and not again.warnings


def test_other_form_and_untrusted_key_are_problems(bundles: Bundles) -> None:
    summary = collect(load_summary("annex3"), [bundles.annex2], as_of=AS_OF)
    assert not summary.rows and {p.code for p in summary.problems} == {"summary.form"}
    assert summary.exit_code == 1
    other = Signer.from_raw(bytes(range(100, 132))).key_id
    summary = collect(load_summary("annex3"), [bundles.passing, bundles.tampered],
                      as_of=AS_OF, trust=[other])
    assert not summary.rows
    assert [p.code for p in summary.problems] == ["signature.untrusted"] * 2
    mine = Signer.from_raw(bytes(range(32))).key_id
    summary = collect(load_summary("annex3"), [bundles.passing], as_of=AS_OF,
                      trust=[other, mine])
    assert column(summary, "verified") == ["已验证（受信任密钥）"]


def test_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    summary = collect(load_summary("annex3"), [tmp_path], as_of=AS_OF)
    assert summary.exit_code == 2 and summary.problems[0].code == "zip.unreadable"
    empty = tmp_path / "empty"
    empty.mkdir()
    summary = collect(load_summary("annex3"), [empty, tmp_path / "nope.zip"], as_of=AS_OF)
    assert summary.exit_code == 2
    assert [p.code for p in summary.problems] == ["input.empty", "file.unreadable"]


def test_annex4_prefills_the_review_result(bundles: Bundles) -> None:
    summary = collect(load_summary("annex4"), [bundles.annex2], as_of=AS_OF)
    assert len(summary.rows) == 2 and summary.exit_code == 0
    names = column(summary, "name")
    by_name = {name: i for i, name in enumerate(names)}
    index = [c.id for c in summary.definition.columns].index("result")
    passing = summary.rows[by_name["宁波海曙汇感传感技术有限公司"]]
    failing = summary.rows[by_name["宁波丁智能装备有限公司"]]
    assert passing[index].value == "通过" and passing[index].suggested
    assert passing[index + 1].value is None  # no reason when it passes
    assert failing[index].value == "不通过" and failing[index].suggested
    reason = failing[index + 1].value
    assert isinstance(reason, str) and reason.startswith("不符合认定标准：")
    assert "主导产品全国细分市场占有率（TS-1）" in reason and "5.00%" in reason
    assert column(summary, "changes")[by_name["宁波海曙汇感传感技术有限公司"]] == "无重大变化"


def test_english(bundles: Bundles) -> None:
    summary = collect(load_summary("annex4"), [bundles.annex2], as_of=AS_OF, lang="en")
    results = column(summary, "result")
    assert sorted(str(r) for r in results) == ["not passed", "passed"]
