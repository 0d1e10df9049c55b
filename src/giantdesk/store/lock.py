"""Cross-process file locks (OS locks: released by the OS when a process dies, even by SIGKILL).

* :class:`InstanceLock` — held by the GUI for its whole life: a second window on the same data
  folder gets a clear "already open" message. The CLI does not take it: its edits are short
  SQLite transactions that wait for each other (``busy_timeout``), so ``drafts set`` works
  while the GUI is open.
* :func:`exclusive` — a short blocking lock around a schema migration or a restore.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from giantdesk.forms.messages import Message
from giantdesk.store.errors import AlreadyOpen, StoreError


def _try_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        with contextlib.suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class InstanceLock:
    """``with InstanceLock(path): ...`` or ``acquire()`` / ``release()``.

    The file holds "pid@host" of the owner for the message; the lock itself is the OS lock, so
    a stale file left by a crash never blocks anyone.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> None:
        if self._handle is not None:
            return
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        if not _try_lock(handle):
            handle.seek(0)
            owner = handle.read(200).decode("utf-8", "replace").strip() or "?"
            handle.close()
            raise AlreadyOpen(self.path.parent, owner)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}@{socket.gethostname()}".encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self._handle.seek(0)
            self._handle.truncate()
        _unlock(self._handle)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_held_elsewhere(path: Path) -> bool:
    """True when another process holds the instance lock at ``path``."""
    probe = InstanceLock(path)
    try:
        probe.acquire()
    except AlreadyOpen:
        return True
    probe.release()
    return False


@contextlib.contextmanager
def exclusive(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Block (up to ``timeout`` seconds) until this process alone holds the lock at ``path``."""
    handle = open(path, "a+b")  # noqa: SIM115
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise StoreError(Message(f"等待锁文件 {path} 超时", f"timed out waiting for {path}"))
            time.sleep(0.05)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()
