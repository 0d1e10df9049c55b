"""Where the draft window keeps the record: the one place that knows about files and the store.

Two modes behind one small interface:

* **file** (always available): the record lives in a ``submission.json`` the user chose; saving
  is explicit (Ctrl+S) and atomic (``export.outfiles.write_file``: a temporary file renamed over
  the old one, retried while another program holds it, so a crash never leaves half a record). The window shows "未保存 / Not saved" until then.
* **store** (when ``giantdesk.store`` exposes ``open_store``): drafts are saved automatically; a
  ``QTimer`` coalesces edits so a burst of typing becomes one write, at most
  ``AUTOSAVE_MAX_WAIT_MS`` after the first unsaved change. Text being typed (not yet a value)
  and text the parser refused are saved the same way with ``store.save_inputs``, so a crash or
  a kill loses nothing that was on screen.

The store is imported only when :func:`choose` is called, after the first window has painted
(SQLAlchemy is slow to import).
"""

from __future__ import annotations

import importlib
import logging
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from giantdesk.forms.messages import Message
from giantdesk.forms.record import Submission, dump_bytes
from giantdesk.ui import strings as S
from giantdesk.ui.display import error_message

#: Milliseconds of quiet after the last edit or keystroke before an automatic save.
AUTOSAVE_DELAY_MS = 700
#: …but never later than this after the first unsaved change (continuous typing).
AUTOSAVE_MAX_WAIT_MS = 2000


class SaveError(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


class OpenError(Exception):
    """A record file that cannot be opened: ``title`` names the file, ``message`` says why."""

    def __init__(self, title: Message, message: Message) -> None:
        super().__init__(message.en)
        self.title = title
        self.message = message


def read_record(path: Path) -> Submission:
    """A record file the user chose (the home's 导入记录, the draft window's 打开), through the
    one record reader (size limit, never a FIFO); :class:`OpenError` says what is wrong."""
    from giantdesk.fileops import os_reason
    from giantdesk.forms.record import RecordError, read_file

    title = S.CANNOT_OPEN.format(name=path.name)
    try:
        return read_file(path)
    except OSError as exc:
        message = getattr(exc, "message", None)  # fileops' own words (too large, a FIFO…)
        if not isinstance(message, Message):
            logging.getLogger("giantdesk.ui").warning("cannot read %s: %r", path, exc)
            message = S.CANNOT_READ.format(error=os_reason(exc))
        raise OpenError(title, Message(f"{title.zh}\n{message.zh}",
                                       f"{title.en}\n{message.en}")) from exc
    except RecordError as exc:
        lines = {lang: [title.text(lang), S.RECORD_PROBLEMS.text(lang)] + [
            f"{p.path}: {p.message.text(lang)}" if p.path else p.message.text(lang)
            for p in exc.problems[:12]] for lang in ("zh", "en")}
        raise OpenError(title, Message("\n".join(lines["zh"]), "\n".join(lines["en"]))) \
            from exc


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all-or-nothing, as every file the user receives is written
    (``export.outfiles.write_file``: a temporary file beside it, flushed, renamed over it —
    retried while another program, an antivirus or a sync client, briefly holds the old one);
    raise :class:`SaveError` whose message names the file and what is wrong."""
    from giantdesk.export.outfiles import write_file
    from giantdesk.fileops import os_reason

    try:
        write_file(path, data)
    except OSError as exc:
        message = getattr(exc, "message", None)
        if not isinstance(message, Message):
            message = S.CANNOT_SAVE.format(name=str(path), error=os_reason(exc))
        raise SaveError(message) from exc


class Persistence(QObject):
    """Base: tracks whether the shown record differs from what was last written."""

    #: Emitted when the saved state changes (after an edit, a save or a failure).
    state_changed = Signal()
    autosaves = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dirty = False
        self.error: Message | None = None
        self.path: Path | None = None

    def status(self) -> Message:
        if self.error is not None:
            return S.SAVE_FAILED
        if self.dirty:
            return S.SAVING if self.autosaves else S.NOT_SAVED
        return S.AUTOSAVED if self.autosaves else S.SAVED

    def mode_note(self) -> Message:
        return S.STORE_MODE if self.autosaves else S.FILE_MODE

    def edited(self, record_getter: Any) -> None:
        """The record changed; ``record_getter()`` returns it when a save needs it."""
        self.dirty = True
        self.state_changed.emit()

    def input_changed(self, path: str, text: str | None) -> None:
        """Text typed into ``path`` that is not its value (None: it is again). File mode keeps
        it on screen only: the record file holds values."""

    def _write_file(self, record: Submission, path: Path) -> None:
        """``record`` to a file, all or nothing; a failure is shown and raised."""
        try:
            write_atomically(path, dump_bytes(record))
        except SaveError as exc:
            self.error = exc.message
            self.state_changed.emit()
            raise
        self.path = path

    def mark_clean(self) -> None:
        self.dirty = False
        self.error = None
        self.state_changed.emit()

    def flush(self) -> None:
        """Write now anything pending (no-op in file mode: saving is explicit)."""

    def close(self) -> None:
        """Write anything pending and release what is held (the store's connection)."""


class FilePersistence(Persistence):
    """The record is a file; the user saves it explicitly."""

    def save_to(self, record: Submission, path: Path) -> None:
        self._write_file(record, path)
        self.mark_clean()


class StorePersistence(FilePersistence):
    """Drafts in the local store, saved automatically a moment after the last edit.

    The store's interface is duck-typed here so wiring it is one place: ``open_store()`` returns
    an object with ``save_record(draft_id, record) -> draft_id`` (``draft_id`` None creates a
    draft). Until that exists this class is not chosen (see :func:`choose`).
    """

    autosaves = True

    def __init__(self, store: Any, parent: QObject | None = None, *,
                 owns_store: bool = True) -> None:
        super().__init__(parent)
        self.store = store
        #: False when the home window shares its store with this draft window.
        self.owns_store = owns_store
        self.draft_id: Any = None
        self.record_getter: Any = None
        #: Kept inputs not yet written: path → text (None: forget it).
        self.inputs: dict[str, str | None] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self._pending_since = 0.0

    def status(self) -> Message:
        if self.error is None and not self.dirty and self.inputs:
            return S.SAVING
        return super().status()

    def _schedule(self) -> None:
        """Save a moment after the last change; a burst coalesces into one write, but the
        first unsaved change never waits longer than ``AUTOSAVE_MAX_WAIT_MS``."""
        now = time.monotonic()
        if not self._timer.isActive():
            self._pending_since = now
            self._timer.start(AUTOSAVE_DELAY_MS)
            return
        left = AUTOSAVE_MAX_WAIT_MS - (now - self._pending_since) * 1000
        self._timer.start(int(max(0, min(AUTOSAVE_DELAY_MS, left))))

    def edited(self, record_getter: Any) -> None:
        self.record_getter = record_getter
        super().edited(record_getter)
        self._schedule()

    def input_changed(self, path: str, text: str | None) -> None:
        first = not self.inputs
        self.inputs[path] = text
        if first:
            self.state_changed.emit()
        self._schedule()

    def save_to(self, record: Submission, path: Path) -> None:
        """Export a copy to a record file; the draft itself stays in the store."""
        self.flush()
        self._write_file(record, path)
        self.state_changed.emit()

    def latest_draft(self) -> tuple[Any, Submission] | None:
        """The most recently changed draft still being edited, if there is one."""
        for info in self.store.list_drafts():
            if not getattr(info, "finalized", False):
                return info.id, self.store.get_record(info.id)
        return None

    def ensure_draft(self, record: Submission) -> Any:
        """The draft id, creating the draft now if the record has not been saved yet."""
        if self.draft_id is None:
            self.draft_id = self.store.save_record(None, record)
            self.mark_clean()
        return self.draft_id

    def close(self) -> None:
        self.flush()
        closer = getattr(self.store, "close", None)
        if self.owns_store and callable(closer):
            closer()

    def flush(self) -> None:
        """Write the record (if it changed), then the kept inputs: values first, so a crash in
        between leaves at worst a kept text equal to its saved value."""
        self._timer.stop()
        try:
            if self.dirty and self.record_getter is not None:
                self.draft_id = self.store.save_record(self.draft_id, self.record_getter())
                self.dirty = False
            if self.inputs:
                if self.draft_id is None:
                    if self.record_getter is None:
                        return
                    self.draft_id = self.store.save_record(None, self.record_getter())
                written = dict(self.inputs)
                self.store.save_inputs(self.draft_id, written)
                for path, text in written.items():
                    if self.inputs.get(path, text) == text:
                        self.inputs.pop(path, None)
        except Exception as exc:  # the store explains; the window shows it and keeps the data
            logging.getLogger("giantdesk.ui").exception("automatic save failed")
            reason = error_message(exc)
            self.error = Message(f"自动保存失败：{reason.zh}", f"Automatic save failed: {reason.en}")
            self.dirty = True
            self.state_changed.emit()
            return
        self.mark_clean()


def store_available() -> Any | None:
    """The store's ``open_store`` if the store package provides a usable one, else None."""
    try:
        store = importlib.import_module("giantdesk.store")
    except ImportError:
        return None
    opener = getattr(store, "open_store", None)
    return opener if callable(opener) else None


def choose(parent: QObject | None = None) -> tuple[Persistence, Message | None]:
    """The store when it is there and opens, else a record file — and why not, if it failed.

    A store that fails to open (damaged, locked, too new) is never replaced by an empty one:
    the window says what is wrong and works on record files until it is fixed.
    """
    opener = store_available()
    if opener is None:
        return FilePersistence(parent), None
    try:
        store = opener()
    except Exception as exc:
        return FilePersistence(parent), error_message(exc)
    if not callable(getattr(store, "save_record", None)):
        return FilePersistence(parent), None
    return StorePersistence(store, parent), None
