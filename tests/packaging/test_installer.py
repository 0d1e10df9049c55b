"""packaging/installer.nsi and installer.py: the NSIS script compiles (makensis, as `make
installer` runs it) into a Windows installer, with the signing hook; the names it deletes on
uninstall are the ones the app really uses. A small stand-in for dist/GiantDesk keeps it fast
(~1 s); `make package && make installer` packs the real one."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import build_support as bs
import installer
import platformdirs
import platformdirs.windows
import pytest

from giantdesk import logs
from giantdesk.export import signing
from giantdesk.store import paths


def fake_dist(tmp_path: Path) -> Path:
    dist = tmp_path / "dist" / "GiantDesk"
    (dist / "_internal" / "resources").mkdir(parents=True)
    for name in ("GiantDesk.exe", "GiantDesk.com"):
        (dist / name).write_bytes(b"MZ" + name.encode() * 100)  # stands in for a PE program
    (dist / "GiantDesk.pkg").write_bytes(b"archive" * 1000)
    (dist / "_internal" / "resources" / "数据 100% #1.txt").write_text("非 ASCII 文件名")
    return dist


def test_the_installer_builds(tmp_path: Path) -> None:
    out = installer.build(fake_dist(tmp_path))
    assert out == tmp_path / "dist" / f"GiantDesk-{bs.project_version()}-setup.exe"
    data = out.read_bytes()
    assert data[:2] == b"MZ" and b"Nullsoft" in data  # a Windows program: NSIS's installer
    assert "GiantDesk".encode("utf-16-le") in data  # its version resource (product name)


def test_the_signing_hook_signs_programs_uninstaller_and_installer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "signed.txt"
    recorder = tmp_path / "sign.py"
    recorder.write_text("import sys, pathlib\n"
                        f"with open({str(log)!r}, 'a', encoding='utf-8') as fh:\n"
                        "    fh.write(pathlib.Path(sys.argv[1]).name + '\\n')\n")
    monkeypatch.setenv("SIGN_CMD", f'"{sys.executable}" "{recorder}"')  # %1 appended
    out = installer.build(fake_dist(tmp_path))
    signed = log.read_text(encoding="utf-8").split()
    assert signed[:2] == ["GiantDesk.exe", "GiantDesk.com"]  # before packing
    assert out.name in signed  # at the end (!finalize)
    assert len(signed) == 4  # and the uninstaller, before it is packed (!uninstfinalize)


def test_a_failing_signer_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIGN_CMD", f'"{sys.executable}" -c "raise SystemExit(3)" %1')
    with pytest.raises(installer.subprocess.CalledProcessError):
        installer.build(fake_dist(tmp_path))


def test_no_build_no_installer(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="make package"):
        installer.build(tmp_path / "nothing")


def test_the_script_requires_exactly_what_the_build_defines() -> None:
    script = installer.SCRIPT.read_text(encoding="utf-8")
    required = set(re.findall(r"^!insertmacro REQUIRE (\w+)", script, re.MULTILINE))
    defined = set(installer.defines("1.0", Path("d"), Path("o"), None))
    assert required == defined
    assert "SIGN_CMD" in installer.defines("1.0", Path("d"), Path("o"), "sign %1")


def test_uninstall_deletes_the_data_folder_and_key_the_app_uses(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows the store and the logs live in %LOCALAPPDATA%\\GiantDesk — the folder the
    uninstaller deletes (when asked) — and the key is under the names it deletes."""
    local = "C:\\Users\\clerk\\AppData\\Local"
    monkeypatch.delenv("GIANTDESK_HOME")
    monkeypatch.chdir(tmp_path)  # data_dir() creates the folder; here a harmless relative one
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder",
                        lambda csidl: {"CSIDL_LOCAL_APPDATA": local}[csidl])
    data = str(paths.data_dir())
    assert data == local + ("\\" if sys.platform == "win32" else "/") + installer.DATA_DIR_NAME
    assert str(logs.log_dir()).startswith(data)
    values = installer.defines("1.0", Path("d"), Path("o"), None)
    assert (values["CRED_SERVICE"], values["CRED_USER"]) == (signing.SERVICE, signing.USERNAME)
    script = installer.SCRIPT.read_text(encoding="utf-8")
    assert 'RMDir /r "$LOCALAPPDATA\\${DATA_DIR_NAME}"' in script
    assert f'{bs.GUI_NAME}.exe' == values["GUI_EXE"] and values["PKG"] == f"{bs.GUI_NAME}.pkg"
