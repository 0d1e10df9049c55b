"""When the app goes wrong: a dialog instead of a window that silently vanishes.

* A Python exception: ``sys.excepthook`` logs the traceback and shows a dialog saying the drafts
  are safe, where the log is, with the last log lines as details.
* A fault Python cannot catch (a crash in Qt, an abort, the process killed): ``faulthandler``
  writes the Python stacks of every thread to ``faults.log`` beside the log, and a session marker
  (``giantdesk.session`` in the data folder, written while the home window holds the instance
  lock) is still there at the next start: the home window then says that the app ended
  abnormally, that the drafts are safe (text is saved ~1 s after the last keystroke) and shows
  the end of ``faults.log``.
"""

from __future__ import annotations

import faulthandler
import json
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtWidgets import QApplication, QWidget

from giantdesk import fileops
from giantdesk.logs import RecentLines
from giantdesk.ui import dialogs
from giantdesk.ui import strings as S
from giantdesk.ui.display import local_time

log = logging.getLogger("giantdesk.ui")
FAULT_LOG = "faults.log"
SESSION = "giantdesk.session"
_fault_file: IO[str] | None = None


def install_excepthook(log_file: Path | None, recent: RecentLines, lang: str) -> None:
    def hook(kind: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        text = "".join(traceback.format_exception(kind, error, tb))
        log.error("unexpected error\n%s", text)
        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, tb)
            return
        dialogs.critical(None, S.CRASH_TITLE, S.CRASH_TEXT.format(log=str(log_file or "—")),
                         lang, details="\n".join(recent.lines) or text)

    sys.excepthook = hook


def enable_fault_log(folder: Path) -> Path | None:
    """Fatal errors (segfault, abort, ``none_dealloc``…) append every thread's Python stack to
    ``folder/faults.log``. None when the folder cannot be written (stderr is used then)."""
    global _fault_file
    path = folder / FAULT_LOG
    try:
        fileops.private_dir(folder)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0),
                     0o600)  # private, as the other files of the data folder
        handle = os.fdopen(fd, "a", encoding="utf-8")
    except OSError:
        faulthandler.enable(all_threads=True)
        return None
    handle.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} pid {os.getpid()}\n")
    handle.flush()
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = handle
    faulthandler.enable(file=handle, all_threads=True)
    return path


@dataclass(frozen=True)
class AbnormalEnd:
    """The previous session's marker: when it started, its process, and the fault log's tail."""

    started: str
    pid: int
    faults: str


def begin_session(data_folder: Path, fault_log: Path | None) -> AbnormalEnd | None:
    """Called with the instance lock held. Returns the previous session if it did not end
    normally (its marker is still there), then writes this session's marker."""
    marker = data_folder / SESSION
    previous: AbnormalEnd | None = None
    if marker.exists():
        try:
            data = json.loads(fileops.read_limited(marker, 4096))
        except (OSError, ValueError):
            data = {}
        data = data if isinstance(data, dict) else {}
        pid = data.get("pid")
        previous = AbnormalEnd(str(data.get("started", "?")),
                               pid if isinstance(pid, int) else 0, _tail(fault_log))
        log.warning("the previous session (pid %s, started %s) ended abnormally",
                    previous.pid, previous.started)
    text = json.dumps({"pid": os.getpid(),
                       "started": datetime.now(UTC).isoformat(timespec="seconds")})
    try:  # private, rewritten in place (a rename is what antivirus scanners refuse on Windows)
        with os.fdopen(fileops.create_private(marker, exclusive=False), "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.truncate()
        fileops.make_private(marker)  # one left by an older version
    except OSError:
        log.exception("the session marker cannot be written")
    return previous


def end_session(data_folder: Path) -> None:
    """A normal end: the marker goes (before the instance lock is released; retried while an
    antivirus scans it)."""
    try:
        fileops.unlink(data_folder / SESSION)
    except OSError:
        log.exception("the session marker cannot be removed")


#: The end of the fault log read for the notice (a log grown over months is not read whole).
TAIL_BYTES = 64 * 1024


def _tail(path: Path | None, lines: int = 40) -> str:
    if path is None or not path.exists():
        return ""
    try:
        with fileops.open_regular(path) as handle:
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - TAIL_BYTES))
            data = handle.read(TAIL_BYTES)
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


def tell_abnormal_end(parent: QWidget | None, previous: AbnormalEnd, fault_log: Path | None,
                      lang: str) -> None:
    """The notice at the start after an abnormal end: what happened, the drafts are safe."""
    try:  # recorded in UTC; said in the user's local time like every other time
        when = local_time(datetime.fromisoformat(previous.started))
    except ValueError:
        when = previous.started
    dialogs.inform(parent, S.ABNORMAL_END_TITLE,
                   S.ABNORMAL_END.format(when=when,
                                         log=str(fault_log) if fault_log else "—"),
                   lang, details=previous.faults or S.NO_FAULT_DETAILS.text(lang))
