"""Long jobs (copying an attachment, writing the bundle) on a worker ``QThread``.

The job is a plain function ``fn(progress, cancel)`` of the core (no Qt in it): ``progress(done,
total)`` may be called from the worker thread any number of times, ``cancel`` is a
``threading.Event`` the core polls. Results come back to the GUI thread through queued signals
of a :class:`Job` living in the GUI thread, so no widget is ever touched from the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

JobFn = Callable[[Callable[[int, int], None], threading.Event], Any]


class _Runner(QObject):
    """Lives in the worker thread; runs the function once and reports through signals."""

    progress = Signal(object, object)  # done, total (Python ints: files may exceed 2 GiB)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: JobFn, cancel: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self._report, self.cancel)
        except BaseException as exc:  # reported to the GUI thread, which explains it
            self.failed.emit(exc)
        else:
            self.finished.emit(result)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(done, total)


class Job(QObject):
    """One run of ``fn`` on its own thread. Connect to the signals, then call :meth:`start`.

    ``progress(permille)`` — 0…1000; ``succeeded(result)``; ``failed(exception)``;
    ``ended()`` after either, once the thread has stopped.
    """

    progress = Signal(int)
    succeeded = Signal(object)
    failed = Signal(object)
    ended = Signal()

    def __init__(self, fn: JobFn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("giantdesk-job")
        self._runner = _Runner(fn, self.cancel_event)
        self._runner.moveToThread(self.worker_thread)
        self.worker_thread.started.connect(self._runner.run)
        self._runner.progress.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self.running = False
        self.result: Any = None
        self.error: BaseException | None = None

    def start(self) -> None:
        self.running = True
        self.worker_thread.start()

    def cancel(self) -> None:
        self.cancel_event.set()

    @Slot(object, object)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.emit(int(1000 * done / total) if total > 0 else 0)

    def _stop_thread(self) -> None:
        self.worker_thread.quit()
        self.worker_thread.wait()
        self.running = False

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        self._stop_thread()
        self.result = result
        self.succeeded.emit(result)
        self.ended.emit()

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._stop_thread()
        self.error = exc
        self.failed.emit(exc)
        self.ended.emit()

    def wait(self) -> None:
        """Block until the thread has stopped (used when a window closes mid-job)."""
        self.cancel_event.set()
        self.worker_thread.wait()
