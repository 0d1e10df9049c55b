"""The renderer inputs recorded in the manifest: complete, stable between processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from giantdesk.export.manifest import parse
from giantdesk.export.renderinfo import RENDER_MODULES, RenderInputs, this_installation

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True, env=env, cwd=ROOT).stdout.strip()


def test_every_module_the_renderers_run_is_hashed() -> None:
    loaded = json.loads(_python(
        "import json, sys\n"
        "import giantdesk.export.pdf, giantdesk.export.docx_render, "
        "giantdesk.export.entry_sheet\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('giantdesk'))))", "0"))
    assert sorted(RENDER_MODULES) == loaded


def test_the_inputs_are_the_same_in_every_process() -> None:
    code = ("import json\nfrom giantdesk.export.renderinfo import this_installation\n"
            "print(json.dumps(this_installation().as_json(), sort_keys=True))")
    here = json.dumps(this_installation().as_json(), sort_keys=True)
    assert _python(code, "1") == _python(code, "2") == here
    inputs = this_installation()
    assert len(inputs.renderer) == 64 and inputs.renderer != "unknown"
    assert {name for name, _ in inputs.libraries} == {"reportlab", "python-docx", "lxml", "zlib"}
    assert inputs.fonts and all(len(f.sha256) == 64 for f in inputs.fonts)
    assert RenderInputs.from_json(inputs.as_json()) == inputs


def test_the_manifest_records_them(bundle: Path) -> None:
    import zipfile

    with zipfile.ZipFile(bundle) as zf:
        manifest = parse(zf.read("manifest.json"))
    assert manifest.render == this_installation()
