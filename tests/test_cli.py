"""The command line's start-up: ``--version`` and ``--help`` import no command module; a
command imports its own module only; the command table and the modules agree."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from giantdesk import __version__
from giantdesk.cli import main
from giantdesk.commands import COMMANDS

HEAVY = ("giantdesk.commands.", "giantdesk.forms", "giantdesk.store", "giantdesk.export",
         "cryptography", "sqlalchemy", "reportlab", "docx", "openpyxl", "keyring")

PROBE = """
import json, sys
from giantdesk.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def imported_by(*args: str) -> tuple[int, set[str]]:
    """Run the command line in a fresh interpreter; its exit code and the modules it imported."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          timeout=60, check=False)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"])


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["--lang", "en", "-h"], []])
def test_version_and_help_import_no_command_module(args: list[str]) -> None:
    code, modules = imported_by(*args)
    assert code == (2 if not args else 0)
    assert "giantdesk.commands" in modules  # the table itself
    assert sorted(m for m in modules if m.startswith(HEAVY)) == []


def test_a_command_imports_its_own_module_only() -> None:
    code, modules = imported_by("forms")
    assert code == 0
    assert "giantdesk.commands.forms" in modules
    assert {"giantdesk.commands.export", "giantdesk.commands.store",
            "giantdesk.commands.summaries", "cryptography"}.isdisjoint(modules)


def test_the_table_and_the_modules_agree() -> None:
    for module_name in sorted({c.module for c in COMMANDS.values()}):
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"giantdesk.commands.{module_name}").register(sub)
        expected = [name for name, c in COMMANDS.items() if c.module == module_name]
        assert list(sub.choices) == expected, module_name


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    flat = " ".join(out.split())  # argparse wraps long help lines
    for name, command in COMMANDS.items():
        assert f"\n    {name} " in out and " ".join(command.help.split()) in flat


def test_command_help_and_errors_come_from_the_real_parser(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--help"])
    assert exit_info.value.code == 0
    assert "--format {text,json}" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["drafts"])
    assert exit_info.value.code == 2
    assert "ACTION" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"giantdesk {__version__}"
