"""Files the user receives (bundles, summaries, the trust file, a draft's record): written
beside their final name, then renamed.

Unlike ``tempfile.mkstemp`` (always 0600) the temporary file is created with the user's umask,
so a file a clerk exports is readable like any other file they save. A temporary file left
behind by a killed process (``.giantdesk-*.part``, ``.giantdesk-*.zip.part``) is removed by
the next one writing in that folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from giantdesk import fileops
from giantdesk.forms.messages import Message


class CannotWrite(fileops.FileOpError):
    """A file the user named cannot be written; the message names it and why."""

    def __init__(self, path: Path, reason: str | Message, code: int = errno.EIO) -> None:
        why = reason if isinstance(reason, Message) else Message(reason, reason)
        super().__init__(code, path, Message(f"无法写入 {path}：{why.zh}",
                                             f"cannot write {path}: {why.en}"),
                         "无法写入 / cannot write")


def create_beside(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """Create a new, empty temporary file in ``folder``: its descriptor (open for writing and
    reading) and path. Raises ``OSError`` like ``os.open``. Stale temporary files of the same
    kind (older than a minute, held by no process) are removed first."""
    fileops.remove_stale_temps(folder, prefix, suffix, min_age=60)
    return fileops.create_temp(folder, prefix, suffix)


def discard(tmp: Path) -> None:
    """Remove a temporary file after a failure (retried while an antivirus scans it; a file
    that stays held is left for :func:`create_beside` to remove next time)."""
    with contextlib.suppress(OSError):
        fileops.unlink(tmp)


def check_target(path: Path) -> bool:
    """True when ``path`` exists (a regular file, or a link to one); False when it does not.
    Raises :class:`CannotWrite` for a folder and for anything that is not a regular file: a
    FIFO would block a writer, and renaming over a device (``-o /dev/null`` run as root, as CI
    does) would replace the device node itself."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:  # a link loop, a path through a file
        raise CannotWrite(path, fileops.os_reason(exc), exc.errno or errno.EIO) from None
    if stat.S_ISDIR(st.st_mode):
        raise CannotWrite(path, Message("这是文件夹，请给出文件名", "it is a folder; give a file "
                                        "name"), errno.EISDIR)
    if not stat.S_ISREG(st.st_mode):
        kind = fileops.kind_of(st.st_mode)
        raise CannotWrite(path, Message(f"它不是普通文件（是{kind.zh}），未写入",
                                        f"it is not a regular file (it is a {kind.en}); "
                                        "nothing was written"), errno.EINVAL)
    return True


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all-or-nothing: a temporary file in the same folder, flushed,
    closed, then renamed over ``path`` (retried while another program holds the old file).

    Raises :class:`fileops.FileOpError` with a message naming ``path``: :class:`CannotWrite`
    (a folder, FIFO or device in the way — never written into nor replaced —, a missing
    folder, no permission, a full disk) or :class:`fileops.FileBusy`. On any failure the old
    file is unchanged and no temporary file is left."""
    path = Path(path)
    check_target(path)
    folder = path.parent
    try:
        fd, tmp = create_beside(folder, ".giantdesk-", ".part")
    except OSError as exc:
        raise CannotWrite(path, fileops.os_reason(exc), exc.errno or errno.EIO) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        fileops.replace(tmp, path)
    except fileops.FileOpError:
        discard(tmp)
        raise
    except OSError as exc:
        discard(tmp)
        raise CannotWrite(path, fileops.os_reason(exc), exc.errno or errno.EIO) from None
    except BaseException:
        discard(tmp)
        raise
    fileops.fsync_dir(folder)
