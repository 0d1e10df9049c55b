"""Bundles for the summary tests: made once per session from the samples, no attachments."""

from __future__ import annotations

import io
import shutil
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.cn import uscc

from giantdesk.export.bundle import export_bundle
from giantdesk.export.signing import Signer
from giantdesk.forms.model import Value
from giantdesk.forms.record import Submission, loads

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)
AS_OF = date(2022, 7, 20)


def make_uscc(body: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters."""
    return body + uscc.calc_check_digit(body)


def sample(name: str, *, code: str, company: str, city: str | None = None,
           values: dict[str, Value] | None = None) -> Submission:
    record = loads((SAMPLES / name).read_bytes())
    record.values["enterprise.uscc"] = code
    record.values["enterprise.name"] = company
    if city is not None:
        record.values["enterprise.region_city"] = city
    record.values.update(values or {})
    return record


def tamper(path: Path, out: Path) -> Path:
    """A copy of the bundle with one byte of ``submission.json`` changed (same size)."""
    with zipfile.ZipFile(path) as source:
        infos = source.infolist()
        members = [(info, source.read(info)) for info in infos]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for info, data in members:
            if info.filename == "submission.json":
                data = data.replace(b"\"2022.1\"", b"\"2022.2\"", 1)
            target.writestr(info, data)
    out.write_bytes(buffer.getvalue())
    return out


@dataclass(frozen=True)
class Bundles:
    folder: Path  # three bundles: A passes, B fails ZY-2, C tampered
    passing: Path
    failing: Path
    tampered: Path
    duplicate: Path  # outside ``folder``: A's enterprise again, another record
    annex2: Path  # outside ``folder``: review bundles, one passes and one fails TS-1
    uscc_a: str
    uscc_b: str


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.from_raw(bytes(range(32)))


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory, signer: Signer) -> Bundles:
    work = tmp_path_factory.mktemp("bundles")
    folder = work / "province"
    folder.mkdir()
    code_a = make_uscc("91320594123456781")
    code_b = make_uscc("91320506234567892")
    code_c = make_uscc("91320583345678903")
    a = export_bundle(sample("annex1-pass.json", code=code_a, company="苏州甲精密机械有限公司",
                             city="苏州市"),
                      folder, finalized_at=FINALIZED, signer=signer, today=AS_OF).path
    b = export_bundle(sample("annex1-fail-zy2-main-share.json", code=code_b,
                             company="无锡乙传感科技有限公司", city="无锡市"),
                      folder, finalized_at=FINALIZED, signer=signer, today=AS_OF).path
    (work / "c").mkdir()
    c = export_bundle(sample("annex1-fail-jx3-debt-ratio.json", code=code_c,
                             company="常州丙新材料有限公司", city="常州市"),
                      work / "c", finalized_at=FINALIZED, signer=signer, today=AS_OF).path
    tampered = tamper(c, folder / c.name)
    shutil.rmtree(work / "c")
    (work / "dup").mkdir()
    dup = export_bundle(sample("annex1-pass.json", code=code_a, company="苏州甲精密机械有限公司",
                               city="苏州市",
                               values={"distinctiveness.market_share": Decimal("12.50")}),
                        work / "dup", finalized_at=datetime(2022, 7, 2, 1, 0, 0, tzinfo=UTC),
                        signer=signer, today=AS_OF).path
    (work / "annex2").mkdir()
    export_bundle(loads((SAMPLES / "annex2-pass.json").read_bytes()), work / "annex2",
                  finalized_at=FINALIZED, signer=signer, today=AS_OF)
    export_bundle(sample("annex2-pass.json", code=make_uscc("91330206456789014"),
                         company="宁波丁智能装备有限公司",
                         values={"distinctiveness.market_share": Decimal("5.00")}),
                  work / "annex2", finalized_at=FINALIZED, signer=signer, today=AS_OF)
    return Bundles(folder, a, b, tampered, dup, work / "annex2", code_a, code_b)
