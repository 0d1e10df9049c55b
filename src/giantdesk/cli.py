"""The headless command line: the same core the GUI uses.

Exit codes: 0 success, 1 the input was read but is invalid / not eligible / refused,
2 the input could not be read at all (or the command line is wrong).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from giantdesk import __version__
from giantdesk.commands import doctor as doctor_commands
from giantdesk.commands import export as export_commands
from giantdesk.commands import forms as forms_commands
from giantdesk.commands import store as store_commands
from giantdesk.commands import summaries as summaries_commands


def default_lang() -> str:
    return os.environ.get("GIANTDESK_LANG", "zh")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="giantdesk",
        description="GiantDesk — 专精特新“小巨人”申报助手 (headless commands)",
    )
    parser.add_argument("--version", action="version", version=f"giantdesk {__version__}")
    parser.add_argument("--lang", choices=("zh", "en"), default=default_lang(),
                        help="message language (default zh, or $GIANTDESK_LANG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (forms_commands, store_commands, export_commands, summaries_commands,
                   doctor_commands):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Chinese output must not crash a console whose encoding cannot show it.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        result: int = args.handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # `giantdesk drafts history 1 | head`: the reader left; that is not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result


if __name__ == "__main__":
    sys.exit(main())
