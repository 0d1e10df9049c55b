"""Reading a record file the user named: the one reader of ``check``, ``rules``, ``export``,
``drafts import`` and carry-over (and the GUI's open), so they all refuse the same files with
the same words and exit codes.

Only a regular file is read (a FIFO or a device is refused without blocking) and at most the
record size limit + 1 byte of it; the bytes go through :func:`giantdesk.forms.record.loads`.
:class:`RecordFileError` carries the message and the exit code: 2 for a file that is not a
readable record, 1 (with ``problems``) for a record whose contents cannot be stored or printed
— a lone surrogate or control character, a value over its field's length, a table over its
rows, a file over the size limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from giantdesk import fileops
from giantdesk.forms import limits
from giantdesk.forms.messages import Message
from giantdesk.forms.record import Problem, RecordError, Submission, loads, max_record_bytes

EXIT_INVALID, EXIT_UNREADABLE = 1, 2


class RecordFileError(Exception):
    """A record file that was refused: ``message`` names what is wrong and where."""

    def __init__(self, message: Message, exit_code: int = EXIT_UNREADABLE,
                 problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message.en)
        self.message = message
        self.exit_code = exit_code
        #: A record refused for its contents (limits): the places, for ``check`` to list.
        self.problems = problems


def problems_message(head: Message, problems: Sequence[Problem]) -> Message:
    """``head`` and one indented line per problem ("path: message")."""
    lines_zh, lines_en = [head.zh], [head.en]
    for problem in problems:
        where = f"{problem.path}: " if problem.path else ""
        lines_zh.append(f"  {where}{problem.message.zh}")
        lines_en.append(f"  {where}{problem.message.en}")
    return Message("\n".join(lines_zh), "\n".join(lines_en))


def refused(source: str, exc: RecordError) -> RecordFileError:
    """The refusal of a record read from ``source`` (a file, or a bundle's member)."""
    if exc.over_limits:
        head = Message(f"{source} 中有无法保存或打印的内容：",
                       f"{source} holds what cannot be stored or printed:")
        return RecordFileError(problems_message(head, exc.problems), EXIT_INVALID,
                               tuple(exc.problems))
    head = Message(f"{source} 不是可读取的申报记录：", f"{source} is not a readable submission record:")
    return RecordFileError(problems_message(head, exc.problems), EXIT_UNREADABLE)


def read_bytes(path: Path) -> bytes:
    """The bytes of the record file ``path`` (regular file, at most the size limit)."""
    limit = max_record_bytes()
    try:
        return fileops.read_limited(path, limit)
    except fileops.FileTooLarge:  # named like any other limit, with the file's size
        too_large = limits.size_problem(path.stat().st_size, limit)
        assert too_large is not None
        raise refused(str(path), RecordError(
            [Problem("", too_large.code, too_large.message)])) from None
    except fileops.FileOpError as exc:
        raise RecordFileError(exc.message) from exc
    except OSError as exc:
        raise RecordFileError(Message(f"无法读取文件 {path}：{exc.strerror}",
                                      f"cannot read {path}: {exc.strerror}")) from exc


def read_record_file(path: Path) -> Submission:
    """The record in ``path``; raises :class:`RecordFileError`."""
    data = read_bytes(path)
    try:
        return loads(data)
    except RecordError as exc:
        raise refused(str(path), exc) from exc
