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
from giantdesk.commands import add_commands


def default_lang() -> str:
    return os.environ.get("GIANTDESK_LANG", "zh")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s module is imported (every other command is a placeholder
    that names itself: enough for ``--help`` and to find which command was given)."""
    parser = argparse.ArgumentParser(
        prog="giantdesk",
        description="GiantDesk — 专精特新“小巨人”申报助手 (headless commands)",
    )
    parser.add_argument("--version", action="version", version=f"giantdesk {__version__}")
    parser.add_argument("--lang", choices=("zh", "en"), default=default_lang(),
                        help="message language (default zh, or $GIANTDESK_LANG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_commands(sub, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Chinese output must not crash a console whose encoding cannot show it.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    argv = sys.argv[1:] if argv is None else list(argv)
    # First pass: which command? (--help and --version end here, before any command module.)
    parser = build_parser()
    found, _ = parser.parse_known_args(argv)
    if found.command is None:
        parser.print_help()
        return 2
    args = build_parser(found.command).parse_args(argv)
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
