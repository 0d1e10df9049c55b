"""Cross-process file locks (OS locks: released by the OS when a process dies, even by SIGKILL).

* :class:`InstanceLock` — held by the GUI for its whole life: a second window on the same data
  folder gets a clear "already open" message naming who holds it (user, computer, since when).
  The CLI does not take it: its edits are short SQLite transactions that wait for each other
  (``busy_timeout``), so ``drafts set`` works while the GUI is open.
* :func:`exclusive` — a short blocking lock around a schema migration or a restore.

The lock is taken by :func:`giantdesk.fileops.try_lock`: on Windows a byte-range lock on one
byte far past the file's text (Windows locks are mandatory: a lock on the text itself would
make it unreadable to the second window), on POSIX ``flock``. The owner's text at the start of
the file is therefore readable while the lock is held, everywhere.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

from giantdesk import fileops
from giantdesk.forms.messages import Message
from giantdesk.store.errors import AlreadyOpen, StoreError, storage_error

OWNER_MAX = 4096


def os_user() -> str:
    """The OS login name ("?" when there is none: service accounts, containers). Here, not in
    ``api``, so taking the lock does not import SQLAlchemy (the GUI lists drafts before it)."""
    try:
        user = getpass.getuser()
    except Exception:
        return "?"
    # From the environment or the OS: may hold bytes that are not UTF-8 (stored, shown, written
    # as the lock's owner: replaced, not raised at every save). Not forms.limits.storable:
    # importing the form core here would slow the start (the lock is taken before the list).
    return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF or ord(ch) < 0x20 else ch
                   for ch in user)


def host_name() -> str:
    """This computer's name, as ``socket.gethostname()`` gives it — without importing
    ``socket`` on POSIX (~2 ms of the GUI's start, which takes the lock before the list)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _owner_text() -> str:
    return json.dumps({"user": os_user(), "host": host_name(), "pid": os.getpid(),
                       "since": datetime.now().astimezone().isoformat(timespec="seconds")},
                      ensure_ascii=False)


def describe_owner(raw: str) -> Message:
    """The owner text of a lock file as shown to the user."""
    try:
        owner = json.loads(raw)
        user, host = str(owner["user"]), str(owner["host"])
        since = datetime.fromisoformat(str(owner["since"])).strftime("%Y-%m-%d %H:%M")
        pid = int(owner["pid"])
    except (ValueError, KeyError, TypeError):
        text = raw.strip() or "?"
        return Message(text, text)
    return Message(f"用户 {user}，电脑 {host}，自 {since} 起，进程 {pid}",
                   f"user {user} on {host}, since {since}, process {pid}")


def read_owner(path: Path) -> Message:
    """Who holds the lock at ``path`` (its text; readable while the lock is held)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(OWNER_MAX)
    except OSError:
        raw = b""
    return describe_owner(raw.decode("utf-8", "replace"))


class InstanceLock:
    """``with InstanceLock(path): ...`` or ``acquire()`` / ``release()``.

    The file holds the owner (user, computer, process, since when) for the message; the lock
    itself is the OS lock, so a stale file left by a crash never blocks anyone.
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
        try:
            handle = os.fdopen(fileops.create_private(self.path, exclusive=False), "r+b")
        except OSError as exc:
            raise storage_error(exc, self.path) from exc
        try:
            if not fileops.try_lock(handle):
                handle.close()
                raise AlreadyOpen(self.path.parent, read_owner(self.path))
            try:
                data = _owner_text().encode("utf-8")
                handle.seek(0)
                handle.write(data)
                handle.truncate(len(data))
                handle.flush()
            except OSError:
                pass  # a full disk: the lock holds, only the owner's name is missing
        except BaseException:
            if not handle.closed:
                fileops.unlock(handle)
                handle.close()
            raise
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            self._handle.seek(0)
            self._handle.truncate(0)
        fileops.unlock(self._handle)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def is_held_elsewhere(path: Path) -> bool:
    """True when another process (or another handle) holds the instance lock at ``path``."""
    if not path.exists():
        return False
    try:
        handle = open(path, "r+b")  # noqa: SIM115 - closed below
    except OSError:
        return False  # we cannot even open it: nobody of ours holds it through this file
    try:
        if fileops.try_lock(handle):
            fileops.unlock(handle)
            return False
        return True
    finally:
        handle.close()


@contextlib.contextmanager
def exclusive(path: Path, timeout: float = 30.0) -> Iterator[None]:
    """Block (up to ``timeout`` seconds) until this process alone holds the lock at ``path``."""
    try:
        handle = os.fdopen(fileops.create_private(path, exclusive=False), "r+b")
    except OSError as exc:
        raise storage_error(exc, path) from exc
    try:
        deadline = time.monotonic() + timeout
        while not fileops.try_lock(handle):
            if time.monotonic() > deadline:
                raise StoreError(Message(f"等待锁文件 {path} 超时", f"timed out waiting for {path}"))
            time.sleep(0.05)
        try:
            yield
        finally:
            fileops.unlock(handle)
    finally:
        handle.close()
