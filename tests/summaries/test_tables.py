"""The summary table definitions: shipped ones load, a bad one is refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from giantdesk.summaries.tables import (
    SUMMARY_IDS,
    SummaryDefinitionError,
    load_summary,
    load_summary_file,
    parse_summary,
    resolve_id,
)


def shipped(summary_id: str) -> dict[str, Any]:
    path = (Path(__file__).resolve().parents[2] / "src" / "giantdesk" / "summaries"
            / "definitions" / f"{summary_id}.json")
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return raw


def test_shipped_definitions_load_and_are_marked_unofficial() -> None:
    for summary_id in SUMMARY_IDS:
        d = load_summary(summary_id)
        assert d.official is False
        assert "不是官方模板" in d.notice.zh and "not the official template" in d.notice.en
        assert d.printed_columns, summary_id
        ids = [c.id for c in d.columns]
        assert ids[0] == "seq" and "fingerprint" in ids
    assert load_summary("annex3").form == "annex1-batch4"
    assert load_summary("annex4").form == "annex2-batch1-review"
    assert resolve_id("annex5") is None


def test_manual_columns() -> None:
    annex3 = {c.id: c for c in load_summary("annex3").columns}
    assert annex3["rank"].manual and annex3["opinion"].manual
    assert annex3["rank"].label.zh == "推荐排序" and annex3["opinion"].label.zh == "推荐意见"
    assert annex3["opinion"].source.prefill is None
    annex4 = {c.id: c for c in load_summary("annex4").columns}
    result, reason = annex4["result"], annex4["reason"]
    assert [c.zh for c in result.choices] == ["通过", "不通过"]
    assert result.source.prefill is not None and result.source.prefill.ref == "verdict"
    assert reason.source.prefill is not None and reason.source.prefill.ref == "reason"


def test_sources_are_typed() -> None:
    cols = {c.id: c for c in load_summary("annex3").columns}
    assert (cols["revenue"].source.kind, cols["revenue"].format) == ("field", "money")
    assert (cols["rd_2021"].source.kind, cols["rd_2021"].format) == ("computed", "percent")
    assert cols["rd_2021"].source.ref == "finance.2021.rd_intensity"
    assert cols["class1_ip"].source.where == (("in_use", True), ("related", True))


def _broken(change: Any) -> str:
    raw = shipped("annex3-batch4")
    change(raw)
    with pytest.raises(SummaryDefinitionError) as info:
        parse_summary(raw, where="mine.json")
    zh, en = info.value.message.zh, info.value.message.en
    assert zh.startswith("mine.json") and en.startswith("mine.json")
    return en


def test_bad_definitions_name_the_column_and_the_problem() -> None:
    en = _broken(lambda r: r["columns"][1]["source"].update(field="enterprise.nonsense"))
    assert "第 2 列（name）" in en and "has no field enterprise.nonsense" in en
    en = _broken(lambda r: r["columns"][1]["source"].update(kind="computed"))
    assert "is not a computed value" in en
    en = _broken(lambda r: r["columns"].append(dict(r["columns"][0])))
    assert "used twice" in en
    en = _broken(lambda r: r["columns"][0].update(source={"kind": "rule", "rule": "ZZ-9"}))
    assert "no rule ZZ-9" in en
    en = _broken(lambda r: r["columns"][0].update(label={"zh": "序号"}))
    assert "bilingual" in en
    en = _broken(lambda r: r.update(form="annex9"))
    assert "annex9" in en
    en = _broken(lambda r: r["columns"][0].update(width=-3))
    assert "width" in en
    en = _broken(lambda r: r["columns"][0].update(choices=[{"zh": "是", "en": "yes"}]))
    assert "only manual columns" in en


def test_custom_definition_file(tmp_path: Path) -> None:
    raw = shipped("annex3-batch4")
    raw["id"] = "annex3-suzhou"
    raw["columns"] = [c for c in raw["columns"] if c["id"] in ("seq", "name", "uscc", "rank")]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    d = load_summary_file(path)
    assert [c.id for c in d.columns] == ["seq", "name", "uscc", "rank"]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SummaryDefinitionError) as info:
        load_summary_file(path)
    assert "line 1" in info.value.message.en and "第 1 行" in info.value.message.zh
    with pytest.raises(SummaryDefinitionError):
        load_summary_file(tmp_path / "missing.json")
