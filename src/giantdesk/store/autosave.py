"""Coalescing autosave, with no Qt: the GUI drives it from a timer (``tick``) or a thread.

Edits are staged in memory (the latest value per field / table wins: a burst of typing in one
field becomes one write and one revision). :meth:`Autosaver.tick` writes when the user has
paused for ``delay`` seconds, or when the oldest staged edit is ``max_delay`` old (continuous
typing is still saved). :meth:`Autosaver.flush` writes everything now — call it when the
window closes. A write that fails keeps the staged edits (newer ones win) for the next try, so
nothing is lost; the error is raised to the caller to show.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence

from giantdesk.forms.model import Value
from giantdesk.store.api import Store

TableRows = Sequence[Mapping[str, Value]]


class Autosaver:
    def __init__(self, store: Store, draft_id: int, *, delay: float = 0.8,
                 max_delay: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.draft_id = draft_id
        self.delay = delay
        self.max_delay = max_delay
        self._clock = clock
        self._lock = threading.Lock()  # guards the staged edits
        self._write_lock = threading.Lock()  # one write at a time, in order
        self._values: dict[str, Value | None] = {}
        self._tables: dict[str, TableRows | None] = {}
        self._first: float | None = None
        self._last: float | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        #: Incremented after every successful write (the "已保存 / saved" indicator).
        self.generation = 0
        #: The error of the last failed background write (None after a success).
        self.last_error: BaseException | None = None

    # -- staging ------------------------------------------------------------------------------

    def set_value(self, field_id: str, value: Value | None) -> None:
        with self._lock:
            self._values[field_id] = value
            self._touch()

    def set_rows(self, table_id: str, rows: TableRows | None) -> None:
        with self._lock:
            self._tables[table_id] = [dict(r) for r in rows] if rows is not None else None
            self._touch()

    def _touch(self) -> None:
        now = self._clock()
        self._last = now
        if self._first is None:
            self._first = now

    @property
    def pending(self) -> bool:
        with self._lock:
            return bool(self._values or self._tables)

    def due(self, now: float | None = None) -> bool:
        with self._lock:
            if self._first is None or self._last is None:
                return False
            now = self._clock() if now is None else now
            return now - self._last >= self.delay or now - self._first >= self.max_delay

    # -- writing ------------------------------------------------------------------------------

    def tick(self, now: float | None = None) -> int:
        """Write if due; returns the number of fields and tables written."""
        return self.flush() if self.due(now) else 0

    def flush(self) -> int:
        """Write every staged edit now, in one durable transaction."""
        with self._write_lock:
            with self._lock:
                values, tables = self._values, self._tables
                self._values, self._tables = {}, {}
                self._first = self._last = None
            if not values and not tables:
                return 0
            try:
                changed = self.store.save_changes(self.draft_id, values, tables)
            except BaseException:
                with self._lock:  # keep them; edits staged meanwhile are newer and win
                    for k, v in values.items():
                        self._values.setdefault(k, v)
                    for k, t in tables.items():
                        self._tables.setdefault(k, t)
                    self._touch()
                raise
            self.generation += 1
            return changed

    # -- optional background thread (the GUI may use a QTimer calling tick() instead) ---------

    def start(self, interval: float = 0.2) -> None:
        if self._thread is not None:
            return
        self._stop.clear()

        def run() -> None:
            while not self._stop.wait(interval):
                try:
                    self.tick()
                    self.last_error = None
                except Exception as exc:  # kept staged; shown by the GUI via last_error
                    self.last_error = exc

        self._thread = threading.Thread(target=run, name="giantdesk-autosave", daemon=True)
        self._thread.start()

    def close(self) -> int:
        """Stop the thread (if any) and write whatever is staged."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
        return self.flush()
