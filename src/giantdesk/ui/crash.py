"""An unexpected error in the GUI: logged with its traceback, then shown in a dialog that says
the drafts are safe and where the log is, instead of the window silently vanishing."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication

from giantdesk.logs import RecentLines
from giantdesk.ui import dialogs
from giantdesk.ui import strings as S

log = logging.getLogger("giantdesk.ui")


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
