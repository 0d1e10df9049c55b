"""Logging to a rotating file in the platform's log folder, plus the last lines in memory (for
the crash dialog). No Qt here."""

from __future__ import annotations

import collections
import logging
import logging.handlers
import os
from pathlib import Path

import platformdirs

LOG_NAME = "giantdesk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RecentLines(logging.Handler):
    """Keeps the last ``capacity`` formatted records."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self.setFormatter(logging.Formatter(_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def log_dir() -> Path:
    """``$GIANTDESK_HOME/logs`` when set (tests, portable installs), else the platform's."""
    home = os.environ.get("GIANTDESK_HOME")
    if home:
        return Path(home) / "logs"
    return Path(platformdirs.user_log_dir("GiantDesk", appauthor=False))


def setup_logging() -> tuple[Path | None, RecentLines]:
    """Log INFO and above to a rotating file (1 MB × 5) and to memory. Returns the file (None
    when the folder cannot be written: the app still runs) and the in-memory handler."""
    root = logging.getLogger("giantdesk")
    root.setLevel(logging.INFO)
    recent = RecentLines()
    root.addHandler(recent)
    path: Path | None = log_dir() / LOG_NAME
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    except OSError:
        path = None
    return path, recent


def quiet_pypdf() -> None:
    """pypdf's warnings about the files it reads ("incorrect startxref pointer") are about the
    user's file, not for their screen: only its errors pass (without this, logging's last
    resort prints them on the command line's stderr)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
