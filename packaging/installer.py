"""Build the Windows installer: ``dist/GiantDesk`` → ``dist/GiantDesk-<version>-setup.exe``.

``python packaging/installer.py [--dist DIR] [--out FILE]`` (``make installer``). Runs ``makensis``
(NSIS 3; Debian package ``nsis``, which builds Windows installers on Linux too) on
``packaging/installer.nsi`` with the version from pyproject.toml and the names the app really
uses. It packs whatever the folder holds: on Linux that is a Linux build, which proves the script
and the packing, not a program Windows can run.

Signing: when ``SIGN_CMD`` is set (e.g. a wrapper around ``osslsigncode`` or ``signtool``), it is
run on the two programs before packing, on the uninstaller before it is packed and on the
installer at the end; ``%1`` in it is the file (appended when absent). A non-zero exit fails
the build.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_support as bs

SCRIPT = bs.ROOT / "packaging" / "installer.nsi"
DATA_DIR_NAME = "GiantDesk"  # platformdirs.user_data_dir("GiantDesk", appauthor=False): store/paths.py
PKG = f"{bs.GUI_NAME}.pkg"


def credential_names() -> tuple[str, str]:
    """Service and user name of the signing key in the credential store (export/signing.py)."""
    from giantdesk.export.signing import SERVICE, USERNAME

    return SERVICE, USERNAME


def sign_command() -> str | None:
    command = os.environ.get("SIGN_CMD", "").strip()
    if not command:
        return None
    return command if "%1" in command else f'{command} "%1"'


def sign(command: str, path: Path) -> None:
    line = command.replace("%1", str(path))
    print(f"signing {path.name}: {line}")
    subprocess.run(line, shell=True, check=True)  # the maintainer's own command line


def defines(version: str, dist: Path, out: Path, sign_cmd: str | None) -> dict[str, str]:
    service, user = credential_names()
    values = {
        "VERSION": version, "VERSION4": ".".join(map(str, bs.version_tuple(version))),
        "DIST_DIR": str(dist), "OUT_FILE": str(out), "ICON": str(bs.ICON),
        "COMPANY": bs.COMPANY, "COPYRIGHT": bs.COPYRIGHT,
        "GUI_EXE": f"{bs.GUI_NAME}.exe", "CLI_EXE": bs.CLI_NAME_WINDOWS,
        "PKG": PKG, "DATA_DIR_NAME": DATA_DIR_NAME, "CRED_SERVICE": service, "CRED_USER": user,
    }
    if sign_cmd:
        values["SIGN_CMD"] = sign_cmd
    return values


def build(dist: Path, out: Path | None = None, makensis: str = "makensis") -> Path:
    version = bs.project_version()
    out = out or dist.parent / f"GiantDesk-{version}-setup.exe"
    if not (dist / bs.GUI_NAME).exists() and not (dist / f"{bs.GUI_NAME}.exe").exists():
        raise SystemExit(f"{dist} holds no GiantDesk build: run `make package` first")
    if shutil.which(makensis) is None:
        raise SystemExit("makensis (NSIS 3) not found: `apt-get install nsis` (Debian/Ubuntu), "
                         "`choco install nsis` (Windows)")
    sign_cmd = sign_command()
    if sign_cmd:
        for name in (f"{bs.GUI_NAME}.exe", bs.CLI_NAME_WINDOWS):
            program = dist / name
            if program.is_file() and program.read_bytes()[:2] == b"MZ":  # Windows programs only
                sign(sign_cmd, program)
    args = [makensis, "-V2", "-WX", "-NOCD", "-INPUTCHARSET", "UTF8"]  # -WX: warnings fail
    args += [f"-D{key}={value}" for key, value in defines(version, dist.resolve(), out.resolve(),
                                                          sign_cmd).items()]
    args.append(str(SCRIPT))
    print(" ".join(shlex.quote(a) for a in args))
    started = time.monotonic()
    subprocess.run(args, check=True)
    size = out.stat().st_size / 1e6
    print(f"built {out} ({size:.1f} MB, {time.monotonic() - started:.0f} s)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=bs.ROOT / "dist" / "GiantDesk")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    build(args.dist, args.out)


if __name__ == "__main__":
    main()
