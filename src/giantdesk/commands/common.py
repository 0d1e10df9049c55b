"""Helpers shared by the sub-commands: reading records, printing JSON, exit codes."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from giantdesk.fileops import FileOpError, read_limited
from giantdesk.forms.messages import Message
from giantdesk.forms.record import RecordError, Submission, loads

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


class CommandError(Exception):
    """Stops a command with a message for the user and an exit code."""

    def __init__(self, message: Message, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message.en)
        self.message = message
        self.exit_code = exit_code


def today() -> date:
    return date.today()


#: The largest record file a command reads (a real one is a few hundred KB).
RECORD_FILE_LIMIT = 16 * 1024 * 1024


def read_record(path: str) -> Submission:
    """The record in ``path``; raises :class:`CommandError` (exit 2) naming what is wrong.
    Only a regular file is read (a FIFO or a device is refused without blocking), and at most
    :data:`RECORD_FILE_LIMIT` bytes of it."""
    try:
        data = read_limited(Path(path), RECORD_FILE_LIMIT)
    except FileOpError as exc:
        raise CommandError(exc.message) from exc
    except OSError as exc:
        raise CommandError(Message(f"无法读取文件 {path}：{exc.strerror}",
                                   f"cannot read {path}: {exc.strerror}")) from exc
    try:
        return loads(data)
    except RecordError as exc:
        lines_zh = [f"{path} 不是可读取的申报记录："]
        lines_en = [f"{path} is not a readable submission record:"]
        for problem in exc.problems:
            where = f"{problem.path}: " if problem.path else ""
            lines_zh.append(f"  {where}{problem.message.zh}")
            lines_en.append(f"  {where}{problem.message.en}")
        raise CommandError(Message("\n".join(lines_zh), "\n".join(lines_en))) from exc


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def fail(exc: CommandError, lang: str) -> int:
    sys.stderr.write(exc.message.text(lang) + "\n")
    return exc.exit_code
