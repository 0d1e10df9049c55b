"""packaging/build_support.py: one version everywhere, the Windows version resource, and what the
lean bundle leaves out (checked on Linux and Windows bundle names) — without building anything."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import build_support as bs
import pytest

import giantdesk


def test_one_version_everywhere() -> None:
    assert bs.project_version() == giantdesk.__version__


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)),
    ("3.4.5.6", (3, 4, 5, 6)), ("10.0.0.post2", (10, 0, 0, 0))])
def test_windows_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert bs.version_tuple(version) == numbers


def test_not_a_version_is_refused() -> None:
    with pytest.raises(ValueError, match="not a version"):
        bs.version_tuple("dev")


def _evaluate_version_file(text: str) -> dict[str, Any]:
    """Evaluate the version file as PyInstaller does (an expression over its classes), with
    stand-ins that record what they were given."""
    def record(kind: str) -> Any:
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]
    result: dict[str, Any] = eval(text, {name: record(name) for name in names})
    return result


def test_version_resource_says_what_pyproject_says() -> None:
    text = bs.version_resource("1.2.3", "GiantDesk.exe", "GiantDesk — en", "GiantDesk 中文")
    info = _evaluate_version_file(text)
    assert info["kind"] == "VSVersionInfo"
    assert info["ffi"]["filevers"] == info["ffi"]["prodvers"] == (1, 2, 3, 0)
    string_info, var_info = info["kids"]
    tables = {t["args"][0]: dict(s["args"] for s in t["args"][1])
              for t in string_info["args"][0]}
    assert set(tables) == {"040904B0", "080404B0"}  # English and Simplified Chinese, Unicode
    for code, description in (("040904B0", "GiantDesk — en"), ("080404B0", "GiantDesk 中文")):
        assert tables[code] == {
            "CompanyName": bs.COMPANY, "FileDescription": description, "FileVersion": "1.2.3",
            "InternalName": "GiantDesk", "LegalCopyright": bs.COPYRIGHT,
            "OriginalFilename": "GiantDesk.exe", "ProductName": bs.PRODUCT,
            "ProductVersion": "1.2.3"}
    assert var_info["args"][0][0]["args"] == ("Translation", [0x0409, 1200, 0x0804, 1200])


KEPT = [
    # Linux (PySide6/Qt/…) and Windows (PySide6/…) wheel layouts
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6\\plugins\\platforms\\qwindows.dll", "PySide6\\plugins\\platforms\\qoffscreen.dll",
    "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
    "PySide6/Qt/translations/qtbase_zh_CN.qm", "PySide6\\translations\\qtbase_zh_CN.qm",
    "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6DBus.so.6",
    "PySide6\\Qt6Gui.dll", "PySide6\\Qt6Widgets.dll", "PySide6\\QtWidgets.pyd",
    "resources/fonts/wqy-microhei.ttc", "reportlab/fonts/Vera.ttf", "libpython3.11.so.1.0",
]
DROPPED = [
    "PySide6/Qt/plugins/platforms/libqwayland-egl.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so", "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqvkkhrdisplay.so",
    "PySide6/Qt/plugins/platforms/libqminimal.so", "PySide6\\plugins\\platforms\\qminimal.dll",
    "PySide6\\plugins\\platforms\\qdirect2d.dll",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-x11-integration.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so", "PySide6\\plugins\\tls\\qschannelbackend.dll",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so", "PySide6\\plugins\\imageformats\\qsvg.dll",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/lib/libQt6Network.so.6", "PySide6\\Qt6Network.dll", "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6\\Qt6Svg.dll", "PySide6/Qt/lib/libQt6WaylandClient.so.6",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", "PySide6\\opengl32sw.dll",
    "PySide6/Qt/translations/qt_zh_CN.qm", "PySide6/Qt/translations/qtbase_zh_TW.qm",
    "PySide6\\translations\\qtbase_de.qm", "PySide6/Qt/translations/qt_help_zh_CN.qm",
]


@pytest.mark.parametrize("name", KEPT)
def test_kept_in_the_lean_bundle(name: str) -> None:
    assert not bs.dropped(name)


@pytest.mark.parametrize("name", DROPPED)
def test_left_out_of_the_lean_bundle(name: str) -> None:
    assert bs.dropped(name)


def test_lean_filters_a_toc() -> None:
    toc = [(name, f"/src/{i}", "BINARY") for i, name in enumerate(KEPT + DROPPED)]
    assert [entry[0] for entry in bs.lean(toc)] == KEPT


def test_orphaned_system_libraries() -> None:
    toc = [("PySide6/Qt/plugins/platforms/libqxcb.so", "", "BINARY"),
           ("PIL/_imaging.so", "", "EXTENSION"),
           ("libxcb-cursor.so.0", "", "BINARY"), ("libxcb.so.1", "", "BINARY"),
           ("libjpeg.so.62", "", "BINARY"), ("libcairo.so.2", "", "BINARY"),
           ("libpixman-1.so.0", "", "BINARY"), ("libdbus-1.so.3", "", "BINARY"),
           ("libpython3.11.so.1.0", "", "BINARY"), ("base_library.zip", "", "DATA")]
    needed = {"PySide6/Qt/plugins/platforms/libqxcb.so": {"libxcb-cursor.so.0", "libc.so.6"},
              "libxcb-cursor.so.0": {"libxcb.so.1"},  # reached through another library
              "PIL/_imaging.so": {"libjpeg.so.62"},
              "libcairo.so.2": {"libpixman-1.so.0"}}  # only the (dropped) GTK theme needed these
    # libpython is loaded by the program itself, libdbus by Qt at run time (dlopen): both stay
    assert bs.orphaned_libraries(toc, needed) == {"libcairo.so.2", "libpixman-1.so.0"}


def test_the_app_never_imports_what_the_bundle_leaves_out(tmp_path: Any) -> None:
    """The command line and the GUI's modules, and a complete export (PDF, DOCX, entry sheet,
    signing), run without any module the spec excludes."""
    probe = (
        "import json, sys\n"
        "import giantdesk.ui.app, giantdesk.ui.home, giantdesk.ui.draft_window\n"
        "from giantdesk.cli import main\n"
        f"code = main(['demo', '--out', {str(tmp_path)!r}])\n"
        "code = code or main(['summarize', 'annex3', " + repr(str(tmp_path)) + ", '--out', "
        + repr(str(tmp_path / "a3.xlsx")) + ", '--docx', " + repr(str(tmp_path / "a3.docx"))
        + "])\n"
        "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    # keyrings.alt is left out for safety (plaintext secrets), not because nothing imports it:
    # keyring's backend discovery imports it wherever it is installed (the dev extra has it).
    excluded = tuple(m for m in bs.EXCLUDED_MODULES if m != "keyrings.alt")
    assert [m for m in report["modules"] if m in excluded or m.startswith(
        tuple(f"{e}." for e in excluded))] == []
