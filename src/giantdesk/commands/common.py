"""Helpers shared by the sub-commands: reading records, printing JSON, exit codes."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from giantdesk import fileops
from giantdesk.forms.messages import Message
from giantdesk.forms.record import (
    Problem,
    RecordError,
    Submission,
    problems_message,
    read_file,
)

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
    """The record in ``path`` through the one record reader (``record.read_file``).

    Raises :class:`CommandError` naming what is wrong: exit 2 for a file that is not a readable
    record (or not a regular file: a FIFO or a device is refused without blocking), exit 1
    (with ``problems``) for a record whose contents cannot be stored or printed — a lone
    surrogate or control character, a value over its field's length, a table over its rows, a
    file over the size limit."""
    try:
        return read_file(path)
    except fileops.FileOpError as exc:
        raise CommandError(exc.message) from exc
    except OSError as exc:
        raise CommandError(Message(f"无法读取文件 {path}：{fileops.os_reason(exc).zh}",
                                   f"cannot read {path}: {fileops.os_reason(exc).en}")) from exc
    except RecordError as exc:
        if exc.over_limits:
            head = Message(f"{path} 中有无法保存或打印的内容：",
                           f"{path} holds what cannot be stored or printed:")
            code = EXIT_INVALID
        else:
            head = Message(f"{path} 不是可读取的申报记录：", f"{path} is not a readable submission record:")
            code = EXIT_UNREADABLE
        raise CommandError(problems_message(head, exc.problems), code,
                           tuple(exc.problems) if exc.over_limits else ()) from exc


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def fail(exc: CommandError, lang: str) -> int:
    sys.stderr.write(exc.message.text(lang) + "\n")
    return exc.exit_code
