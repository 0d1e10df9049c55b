"""The shipped resources: the application icon (the .exe's, the installer's and the window's)."""

from __future__ import annotations

import subprocess
import sys

from PIL import IcoImagePlugin, Image
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from giantdesk.resources import find_resource, resource_dirs

from .conftest import ROOT

ICONS = ROOT / "resources" / "icons"


def test_the_icon_has_every_windows_size() -> None:
    with (ICONS / "giantdesk.ico").open("rb") as fh:
        ico = IcoImagePlugin.IcoFile(fh)
        sizes = ico.sizes()
        assert {(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128),
                (256, 256)} <= sizes
        largest = ico.getimage((256, 256)).convert("RGBA")
    with Image.open(ICONS / "giantdesk.png") as png:
        assert png.size == (256, 256)
        assert png.convert("RGBA").tobytes() == largest.tobytes()  # one drawing


def test_the_window_icon_is_found_and_loads(qapp: QApplication) -> None:
    path = find_resource("icons/giantdesk.png")
    assert path == ICONS / "giantdesk.png"
    assert not QIcon(str(path)).isNull()
    assert find_resource("icons/no-such.png") is None
    assert resource_dirs()[-1] == ROOT / "resources"


def test_the_app_sets_it_as_window_icon() -> None:
    probe = ("from PySide6.QtWidgets import QApplication\n"
             "app = QApplication(['giantdesk'])\n"
             "from giantdesk.ui.app import main\n"
             "code = main(['--self-test'])\n"
             "print(code, app.windowIcon().isNull(), sorted(app.windowIcon().availableSizes()"
             "[0].toTuple()))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.stdout.strip().splitlines()[-1] == "0 False [256, 256]", done.stderr
