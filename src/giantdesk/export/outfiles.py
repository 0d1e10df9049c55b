"""Files the user receives (bundles, summaries, ``drafts show -o``): written beside their final
name, then renamed.

Unlike ``tempfile.mkstemp`` (always 0600) the temporary file is created with the user's umask,
so a bundle a clerk exports is readable like any other file they save. A temporary file left
behind by a killed export (``.giantdesk-*.zip.part``) is removed by the next one in that folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from giantdesk import fileops
from giantdesk.forms.messages import Message


class OutputError(Exception):
    """The file the user named cannot be written: ``message`` says why (exit 2)."""

    exit_code = 2

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


def create_beside(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """Create a new, empty temporary file in ``folder``: its descriptor (open for writing and
    reading) and path. Raises ``OSError`` like ``os.open``. Stale temporary files of the same
    kind (older than a minute, held by no process) are removed first."""
    fileops.remove_stale_temps(folder, prefix, suffix, min_age=60)
    return fileops.create_temp(folder, prefix, suffix)


def check_target(path: Path) -> bool:
    """True when ``path`` exists (as a regular file, or a link to one). Raises
    :class:`OutputError` for a folder or anything that is not a regular file: a FIFO would
    block the writer, and renaming over a device (``/dev/null``) would replace the device."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:  # a link loop, a path through a file, no permission
        raise OutputError(Message(f"无法写入 {path}：{exc.strerror}",
                                  f"cannot write {path}: {exc.strerror}")) from exc
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(Message(f"{path} 是文件夹，请给出文件名",
                                  f"{path} is a folder; give a file name"))
    if not stat.S_ISREG(st.st_mode):
        kind = fileops.kind_of(st.st_mode)
        raise OutputError(Message(f"{path} 不是普通文件（是{kind.zh}），未写入",
                                  f"{path} is not a regular file (it is a {kind.en}); nothing "
                                  "was written"))
    return True


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, flushed, then
    renamed, retried while another program holds the old file): an interrupted run leaves the
    old file or the new one, never half of one. Raises :class:`OutputError`."""
    check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = create_beside(folder, ".giantdesk-", ".part")
    except OSError as exc:
        raise OutputError(Message(f"无法写入 {path}：{exc.strerror}",
                                  f"cannot write {path}: {exc.strerror}")) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        fileops.replace(tmp, path)  # retried while Excel or an antivirus holds the old file
    except fileops.FileBusy as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(exc.message) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(Message(f"无法写入 {path}：{exc.strerror}",
                                  f"cannot write {path}: {exc.strerror}")) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
