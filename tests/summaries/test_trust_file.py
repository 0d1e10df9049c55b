"""The department's trust file: summarize binds an enterprise's first key, flags another key,
accepts it only when told; ``verify --trust-file`` checks a bundle against it."""

from __future__ import annotations

import importlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from giantdesk.cli import main
from giantdesk.export.bundle import export_bundle
from giantdesk.export.signing import Signer
from giantdesk.export.trust import FILE_NAME, TrustFile
from giantdesk.summaries.collect import collect
from giantdesk.summaries.tables import load_summary

from .conftest import AS_OF, FINALIZED, Bundles, make_uscc, sample

#: The module (the package re-exports its function under the same name).
collect_module = importlib.import_module("giantdesk.summaries.collect")
NOW = datetime(2022, 7, 20, 8, 0, 0, tzinfo=UTC)
OTHER = Signer.from_raw(bytes(range(100, 132)))
MINE = Signer.from_raw(bytes(range(32)))


@pytest.fixture(scope="module")
def rekeyed(bundles: Bundles, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enterprise A's record again, signed by another key (a new laptop — or a forger)."""
    out = tmp_path_factory.mktemp("rekeyed")
    return export_bundle(sample("annex1-pass.json", code=bundles.uscc_a,
                                company="苏州甲精密机械有限公司", city="苏州市"),
                         out, finalized_at=FINALIZED, signer=OTHER, today=AS_OF).path


def test_first_key_is_bound_then_another_is_flagged(bundles: Bundles, rekeyed: Path,
                                                    tmp_path: Path) -> None:
    trust = TrustFile(tmp_path / FILE_NAME)
    first = collect(load_summary("annex3"), [bundles.passing], as_of=AS_OF, trust_file=trust,
                    now=NOW)
    assert first.exit_code == 0 and trust.changed
    a = trust.enterprise(bundles.uscc_a)
    assert a is not None and a.name == "苏州甲精密机械有限公司"
    assert [(k.key_id, k.status, k.first_seen, k.bundle) for k in a.keys] == [
        (MINE.key_id, "trusted", "2022-07-20T08:00:00Z", bundles.passing.name)]
    trust.save()
    saved = json.loads((tmp_path / FILE_NAME).read_text("utf-8"))
    assert saved["format"] == "giantdesk.trust/1"
    assert saved["enterprises"][bundles.uscc_a]["keys"][0]["fingerprint"] == \
        first.entries[0].report.fingerprint

    again = TrustFile.load(tmp_path / FILE_NAME)
    second = collect(load_summary("annex3"), [bundles.passing, rekeyed], as_of=AS_OF,
                     trust_file=again, now=NOW)
    assert len(second.rows) == 1 and second.exit_code == 1
    (problem,) = second.problems
    assert (problem.file, problem.code, problem.severity) == (rekeyed.name, "trust.key_changed",
                                                              "error")
    assert MINE.key_id in problem.message.zh and OTHER.key_id in problem.message.zh
    assert "--accept-key" in problem.message.en
    a = again.enterprise(bundles.uscc_a)
    assert a is not None and [(k.key_id, k.status) for k in a.keys] == [
        (MINE.key_id, "trusted"), (OTHER.key_id, "flagged")]

    accepted = collect(load_summary("annex3"), [rekeyed], as_of=AS_OF, trust_file=again,
                       accept=[OTHER.key_id], now=NOW)
    assert len(accepted.rows) == 1 and accepted.exit_code == 0
    assert [p.code for p in accepted.problems] == ["trust.key_accepted"]
    a = again.enterprise(bundles.uscc_a)
    assert a is not None and [k.status for k in a.keys] == ["trusted", "trusted"]


def test_summarize_keeps_the_trust_file_and_verify_checks_it(
        bundles: Bundles, rekeyed: Path, tmp_path: Path, giantdesk_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "a3.xlsx"
    code = main(["--lang", "en", "summarize", "annex3", str(bundles.passing), "--out", str(xlsx),
                 "--as-of", "2022-07-20"])
    out = capsys.readouterr().out
    default = giantdesk_home / FILE_NAME
    assert code == 0 and f"trust file: {default}" in out and default.is_file()

    def verify_cli(bundle: Path, *extra: str) -> tuple[int, str]:
        code = main(["--lang", "en", "verify", str(bundle), "--trust-file", str(default),
                     "--format", "json", *extra])
        return code, capsys.readouterr().out

    code, out = verify_cli(bundles.passing)
    assert code == 0 and json.loads(out)["trust"] == "trusted"
    code, out = verify_cli(rekeyed)
    assert code == 1 and json.loads(out)["problem"]["code"] == "trust.key_changed"
    code, out = verify_cli(bundles.failing)  # enterprise B is not in the trust file
    assert code == 1 and json.loads(out)["problem"]["code"] == "trust.unknown"

    # summarize flags the other key, and records it as flagged
    code = main(["summarize", "annex3", str(rekeyed), "--out", str(tmp_path / "b.xlsx"),
                 "--as-of", "2022-07-20"])
    assert code == 1 and "trust.key_changed" in capsys.readouterr().err
    code = main(["summarize", "annex3", str(rekeyed), "--out", str(tmp_path / "c.xlsx"),
                 "--as-of", "2022-07-20", "--accept-key", OTHER.key_id.replace(" ", "")])
    assert code == 0
    capsys.readouterr()
    assert verify_cli(rekeyed)[0] == 0


def test_a_damaged_trust_file_is_named(bundles: Bundles, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "trust.json"
    broken.write_text('{"format": "something else"}', "utf-8")
    code = main(["--lang", "en", "verify", str(bundles.passing), "--trust-file", str(broken)])
    assert code == 2 and "trust file" in capsys.readouterr().err
    code = main(["--lang", "en", "summarize", "annex3", str(bundles.passing), "--out",
                 str(tmp_path / "x.xlsx"), "--trust-file", str(broken)])
    assert code == 2 and "trust file" in capsys.readouterr().err
    missing = tmp_path / "none.json"
    assert main(["verify", str(bundles.passing), "--trust-file", str(missing)]) == 2
    capsys.readouterr()


def test_summarize_reads_each_bundle_once(bundles: Bundles, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The record summarized is the one verify checked, even if the file is swapped after."""
    path = tmp_path / "a.zip"
    shutil.copyfile(bundles.passing, path)
    swap = tmp_path / "swap.zip"
    other = export_bundle(sample("annex1-pass.json", code=make_uscc("91320594123456781"),
                                 company="苏州甲精密机械有限公司（另一份）", city="苏州市"),
                          tmp_path / "other", finalized_at=FINALIZED, signer=MINE,
                          today=AS_OF).path
    shutil.copyfile(other, swap)
    real = collect_module.verify_bundle

    def verify_then_swap(*args: Any, **kwargs: Any) -> Any:
        report = real(*args, **kwargs)
        os.replace(swap, path)  # where a second read of the file would come
        return report

    monkeypatch.setattr(collect_module, "verify_bundle", verify_then_swap)
    summary = collect(load_summary("annex3"), [path], as_of=AS_OF)
    (entry,) = summary.entries
    assert entry.record.values["enterprise.name"] == "苏州甲精密机械有限公司"
