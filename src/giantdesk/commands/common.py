"""Helpers shared by the sub-commands: reading records, printing JSON, exit codes."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from giantdesk.forms.messages import Message
from giantdesk.forms.record import Problem, Submission
from giantdesk.forms.recordfile import RecordFileError, read_record_file

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """Stops a command with a message for the user and an exit code."""

    def __init__(self, message: Message, exit_code: int = EXIT_UNREADABLE,
                 problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message.en)
        self.message = message
        self.exit_code = exit_code
        #: A record refused for its contents (limits): the places, for ``check`` to list.
        self.problems = problems


def today() -> date:
    return date.today()


def read_record(path: str) -> Submission:
    """The record in ``path`` through the one record-file reader
    (:func:`giantdesk.forms.recordfile.read_record_file`): exit 2 for a file that is not a
    readable record, exit 1 (with ``problems``) for a record whose contents cannot be stored or
    printed."""
    try:
        return read_record_file(Path(path))
    except RecordFileError as exc:
        raise CommandError(exc.message, exc.exit_code, exc.problems) from exc


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def fail(exc: CommandError, lang: str) -> int:
    sys.stderr.write(exc.message.text(lang) + "\n")
    return exc.exit_code
