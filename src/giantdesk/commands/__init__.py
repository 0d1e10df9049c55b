"""Sub-commands of the ``giantdesk`` command line, one module per area.

The table below is all the command line knows before it has parsed the arguments: the name of
each command, its one-line help and the module that implements it. ``giantdesk --help`` and
``--version`` therefore import no command module (those pull in the form core, SQLAlchemy,
reportlab and cryptography); the chosen command's module is imported and registers its full
parser only once the command is known (see :func:`giantdesk.cli.main`).
"""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Command:
    module: str  # giantdesk.commands.<module> defines ``register(sub)``
    help: str


#: Every command, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {
    "forms": Command("forms", "list the form ids / 列出申请书类型"),
    "check": Command("forms", "validate a record / 校验申报记录"),
    "rules": Command("forms", "check a record against the recognition standard / 对照认定标准"),
    "schema": Command("forms", "print the JSON Schema of a form's record"),
    "drafts": Command("store", "drafts in the local store / 本机草稿"),
    "backup": Command("store", "back up the drafts database now / 立即备份"),
    "restore": Command("store", "restore the drafts database from a backup when it is damaged / "
                                  "数据库损坏时从备份恢复"),
    "export": Command("export", "write the signed bundle / 导出签名的申报压缩包"),
    "verify": Command("export", "verify a bundle / 校验申报压缩包"),
    "demo": Command("export", "write a complete fictional bundle / 生成示例压缩包"),
    "summarize": Command("summaries", "provincial summary table from many bundles / "
                                      "由多个申报压缩包生成汇总表"),
    "doctor": Command("doctor", "check this installation / 检查安装与运行环境"),
}


def add_parser(sub: Any, name: str, **kwargs: Any) -> argparse.ArgumentParser:
    """The parser of command ``name`` (its help comes from :data:`COMMANDS`)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=COMMANDS[name].help, **kwargs)
    return parser


def add_commands(sub: Any, chosen: str | None) -> None:
    """Register every command on ``sub``: the chosen command's module for real, the others as
    placeholders that only name themselves (enough for ``--help`` and to find the command)."""
    if chosen is not None:
        importlib.import_module(f"giantdesk.commands.{COMMANDS[chosen].module}").register(sub)
    for name in COMMANDS:
        if name not in sub.choices:
            add_parser(sub, name, add_help=False)
