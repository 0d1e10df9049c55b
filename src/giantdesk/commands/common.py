"""Helpers shared by the sub-commands: reading records, printing JSON, exit codes."""

from __future__ import annotations

import json
import stat
import sys
from datetime import date
from pathlib import Path
from typing import Any

from giantdesk.forms import limits
from giantdesk.forms.messages import Message
from giantdesk.forms.record import Problem, RecordError, Submission, loads, max_record_bytes

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


def read_limited(path: str, limit: int) -> tuple[bytes, int]:
    """At most ``limit`` + 1 bytes of the regular file ``path``, and the file's size (a FIFO
    or a device is refused before it is opened, so nothing blocks or reads without end)."""
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):
            raise CommandError(Message(f"{path} 不是普通文件，不能作为申报记录读取",
                                       f"{path} is not a regular file; it is not read as a record"))
        with open(path, "rb") as fh:
            return fh.read(limit + 1), info.st_size
    except OSError as exc:
        raise CommandError(Message(f"无法读取文件 {path}：{exc.strerror}",
                                   f"cannot read {path}: {exc.strerror}")) from exc


def read_record(path: str) -> Submission:
    """The record in ``path`` through the one record reader (``record.loads``).

    Raises :class:`CommandError` naming what is wrong: exit 2 for a file that is not a
    readable record, exit 1 (with ``problems``) for a record whose contents cannot be stored
    or printed — a lone surrogate or control character, a value over its field's length, a
    table over its rows, a file over the size limit."""
    limit = max_record_bytes()
    data, size = read_limited(path, limit)
    try:
        if len(data) > limit:  # the reader would say so too, but not how big the file is
            too_large = limits.size_problem(max(size, len(data)), limit)
            assert too_large is not None
            raise RecordError([Problem("", too_large.code, too_large.message)])
        return loads(data)
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


def problems_message(head: Message, problems: list[Problem] | tuple[Problem, ...]) -> Message:
    """``head`` and one indented line per problem ("path: message")."""
    lines_zh, lines_en = [head.zh], [head.en]
    for problem in problems:
        where = f"{problem.path}: " if problem.path else ""
        lines_zh.append(f"  {where}{problem.message.zh}")
        lines_en.append(f"  {where}{problem.message.en}")
    return Message("\n".join(lines_zh), "\n".join(lines_en))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def fail(exc: CommandError, lang: str) -> int:
    sys.stderr.write(exc.message.text(lang) + "\n")
    return exc.exit_code
