"""``giantdesk export`` / ``verify`` / ``demo`` from the command line."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import keyring
import pytest
from keyring.backends import fail

import giantdesk.store
from giantdesk.cli import main
from giantdesk.export import bundle as bundle_module
from giantdesk.export.bundle import Renderers
from giantdesk.forms.record import loads
from tests.conftest import MemoryKeyring


@pytest.fixture(autouse=True)
def cli_renderers(monkeypatch: pytest.MonkeyPatch, renderers: Renderers) -> None:
    """The command uses Renderers.default(); the fixture's renderers are the real ones once
    they exist (cached, since rendering dominates the test time)."""
    monkeypatch.setattr(bundle_module.Renderers, "default", classmethod(lambda cls: renderers))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1656664215")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_verify(tmp_path: Path, samples: Path, memory_keyring: MemoryKeyring,
                            capsys: pytest.CaptureFixture[str]) -> None:
    from tests.store.test_attachments import make_pdf

    attachment = make_pdf(tmp_path / "营业执照.pdf")  # a real PDF: export --attach checks it
    code, out, err = run(capsys, "export", str(samples / "annex1-pass.json"), "--out",
                         str(tmp_path / "out"), "--attach", f"business_license={attachment}")
    assert code == 0, err
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    path = Path(lines["bundle"])
    assert path.parent == tmp_path / "out" and path.name.endswith("-20220701083015.zip")
    with zipfile.ZipFile(path) as zf:
        assert "attachments/01-business_license-营业执照.pdf" in zf.namelist()
    code, out, _ = run(capsys, "verify", str(path), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["valid"] is True
    assert report["fingerprint"] == lines["fingerprint"]
    assert report["key_id"] == lines["key id"]
    code, out, _ = run(capsys, "verify", str(path), "--trust", lines["key id"].replace(" ", ""))
    assert code == 0 and "VALID" in out
    code, out, _ = run(capsys, "verify", str(path), "--trust", "0000 0000 0000 0000")
    assert code == 1 and "INVALID" in out and "expected: 0000 0000 0000 0000" in out
    code, _, err = run(capsys, "verify", str(path), "--trust", "nonsense")
    assert code == 2 and "16-hex-digit" in err


def test_export_refuses_a_record_with_errors(tmp_path: Path, samples: Path,
                                             memory_keyring: MemoryKeyring,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads((samples / "annex1-pass.json").read_text(encoding="utf-8"))
    data["values"]["enterprise.uscc"] = "91320594MA1XYZ8K6X"
    data["values"]["contact.mobile"] = "12345"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "export", str(bad), "--out", str(tmp_path / "out"))
    assert code == 1 and out == ""
    assert "enterprise.uscc" in err and "contact.mobile" in err
    assert not (tmp_path / "out").exists()


def test_export_command_line_errors(tmp_path: Path, samples: Path,
                                    memory_keyring: MemoryKeyring,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(samples / "annex1-pass.json")
    code, _, err = run(capsys, "export", sample, "--out", str(tmp_path), "--attach", "bogus=x")
    assert code == 2 and "unknown attachment category" in err and "business_license" in err
    code, _, err = run(capsys, "export", sample, "--out", str(tmp_path), "--attach", "nopath")
    assert code == 2 and "CATEGORY=PATH" in err
    code, _, err = run(capsys, "export", "--out", str(tmp_path))
    assert code == 2 and "--draft" in err
    code, _, err = run(capsys, "export", sample, "--draft", "3", "--out", str(tmp_path))
    assert code == 2
    code, _, err = run(capsys, "export", str(tmp_path / "missing.json"), "--out", str(tmp_path))
    assert code == 2 and "missing.json" in err
    code, _, err = run(capsys, "export", sample, "--out", str(tmp_path), "--attach",
                       f"other={tmp_path / 'missing.pdf'}")
    assert code == 2 and "missing.pdf" in err
    assert list(tmp_path.iterdir()) == []


def test_export_without_a_keyring_explains_what_to_do(
        tmp_path: Path, samples: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    try:
        code = main(["export", str(samples / "annex1-pass.json"), "--out", str(tmp_path)])
    finally:
        keyring.set_keyring(previous)
    _, err = capsys.readouterr()
    assert code == 1
    assert "凭据" in err and "PYTHON_KEYRING_BACKEND" in err
    assert list(tmp_path.iterdir()) == []


def test_export_a_draft(tmp_path: Path, samples: Path, memory_keyring: MemoryKeyring,
                        monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    record = loads((samples / "annex1-pass.json").read_bytes())
    stored = tmp_path / "license.pdf"
    stored.write_bytes(b"%PDF-1.4 stored")
    import hashlib

    ref = SimpleNamespace(category="business_license", name="执照.pdf", path=stored,
                          size=stored.stat().st_size,
                          sha256=hashlib.sha256(stored.read_bytes()).hexdigest())
    finalized = datetime(2022, 6, 30, 1, 2, 3, tzinfo=UTC)
    calls: list[int] = []

    def load_draft_for_export(draft_id: int, home: Path | None = None) -> tuple[
            object, datetime, list[object]]:
        calls.append(draft_id)
        return record, finalized, [ref]

    monkeypatch.setattr(giantdesk.store, "load_draft_for_export", load_draft_for_export,
                        raising=False)
    code, out, err = run(capsys, "export", "--draft", "7", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert calls == [7]
    path = Path(out.splitlines()[0].split(": ", 1)[1])
    assert path.name.endswith("-20220630010203.zip")  # the draft's time, not SOURCE_DATE_EPOCH
    with zipfile.ZipFile(path) as zf:
        assert "attachments/01-business_license-执照.pdf" in zf.namelist()
    stored.write_bytes(b"%PDF-1.4 changed after attaching")
    code, _, err = run(capsys, "export", "--draft", "7", "--out", str(tmp_path / "out2"))
    assert code == 1 and "changed since it was added" in err


def test_demo(tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "demo")
    assert code == 0, err
    path = Path(out.splitlines()[0].split(": ", 1)[1])
    assert path.parent.resolve() == tmp_path.resolve()
    with zipfile.ZipFile(path) as zf:
        categories = {n.split("-")[1] for n in zf.namelist() if n.startswith("attachments/")}
    assert len(categories) >= 4
    assert run(capsys, "verify", str(path))[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_demo_without_a_keyring_uses_a_throwaway_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    try:
        code, out, err = run(capsys, "--lang", "en", "demo", "--out", str(tmp_path))
    finally:
        keyring.set_keyring(previous)
    assert code == 0, err
    assert "throwaway demo key" in err and "PYTHON_KEYRING_BACKEND" in err
    path = Path(out.splitlines()[0].split(": ", 1)[1])
    assert run(capsys, "verify", str(path))[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no key file written


def test_verify_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    code, out, _ = run(capsys, "verify", str(junk), "--format", "json")
    assert code == 2 and json.loads(out)["problem"]["code"] == "zip.unreadable"
    with zipfile.ZipFile(tmp_path / "empty.zip", "w"):
        pass
    code, out, _ = run(capsys, "verify", str(tmp_path / "empty.zip"))
    assert code == 1 and "manifest.json" in out


def test_export_a_finalized_draft_of_the_real_store(
        tmp_path: Path, samples: Path, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str]) -> None:
    from giantdesk.export.demo import sample_pdf, sample_png
    from giantdesk.store import open_store

    record = loads((samples / "annex1-pass.json").read_bytes())
    license_pdf, cert_png = tmp_path / "营业执照.pdf", tmp_path / "证书.png"
    license_pdf.write_bytes(sample_pdf("licence", []))
    cert_png.write_bytes(sample_png())
    store = open_store()
    try:
        draft = store.import_record(record)
        store.add_attachment(draft, "certification", cert_png)
        store.add_attachment(draft, "business_license", license_pdf)
        finalized = store.finalize(draft)
    finally:
        store.close()
    code, out, err = run(capsys, "export", "--draft", str(draft), "--out", str(tmp_path / "o"))
    assert code == 0, err
    path = Path(out.splitlines()[0].split(": ", 1)[1])
    assert path.name.endswith(f"-{finalized.strftime('%Y%m%d%H%M%S')}.zip")
    with zipfile.ZipFile(path) as zf:
        attached = [n for n in zf.namelist() if n.startswith("attachments/")]
        assert zf.read(attached[0]) == license_pdf.read_bytes()
    assert [n.split("-")[1] for n in attached] == ["business_license", "certification"]
    assert run(capsys, "verify", str(path))[0] == 0
    code, _, err = run(capsys, "export", "--draft", "999", "--out", str(tmp_path / "o"))
    assert code == 1 and "999" in err
