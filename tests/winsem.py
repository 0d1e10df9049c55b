"""Windows file semantics on Linux, for tests (every user runs GiantDesk on Windows).

:class:`WindowsSemantics` patches the process so that code which works only because POSIX is
lenient fails here the way it would on Windows:

* ``os.fsync`` of a regular file opened **read-only** fails with ``EBADF`` (CPython on
  Windows needs a handle opened for writing).
* ``os.replace`` / ``os.rename`` / ``os.unlink`` / ``os.remove`` fail with "Access is
  denied" (``PermissionError``, ``winerror`` 32) while **any handle of this process** is open
  on the source or the target (Python and SQLite open files without ``FILE_SHARE_DELETE``;
  the handles are found in ``/proc/self/fd``, so SQLite's count too), and for the next N
  attempts on a path "held by another program" (:meth:`WindowsSemantics.hold`: an antivirus,
  Excel).
* Byte-range locks are **mandatory**: ``fileops.try_lock`` takes its Windows branch with an
  emulated ``msvcrt.locking`` (open-file-description locks, so they conflict between handles
  of one process and between processes), and reading or writing a locked byte through another
  handle opened with ``open()`` fails with ``PermissionError`` (``winerror`` 33).
* ``fileops`` takes its Windows branches (no directory fsync, no POSIX modes, busy files
  retried).

Use the ``windows_semantics`` fixture (``tests/conftest.py``; on by default for the store,
export and summaries tests) or, in a child process, ``WindowsSemantics().install()``.
"""

from __future__ import annotations

import builtins
import errno
import fcntl
import io
import os
import stat
import struct
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from giantdesk import fileops

ROOT = Path(__file__).resolve().parents[1]
#: Python code that installs the emulation in a child process (``python -c PRELUDE + code``).
CHILD_PRELUDE = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
                 "from tests.winsem import WindowsSemantics; WindowsSemantics().install()\n")

_FLOCK = "@hhqqi4x"  # struct flock on Linux x86-64/arm64: type, whence, start, len, pid


def _conflict(fd: int, start: int, length: int, write: bool) -> bool:
    """True when another open file description holds a lock that conflicts with reading (or
    writing) ``length`` bytes at ``start`` of ``fd``'s file."""
    kind = fcntl.F_WRLCK if write else fcntl.F_RDLCK
    query = struct.pack(_FLOCK, kind, os.SEEK_SET, start, length, 0)
    try:
        answer = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, query)
    except OSError:
        return False
    return bool(struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK)


def _denied(path: object, winerror: int = 32) -> PermissionError:
    text = ("The process cannot access the file because it is being used by another process"
            if winerror == 32 else "The process cannot access the file because another "
            "process has locked a portion of the file" if winerror == 33 else "Access is denied")
    exc = PermissionError(errno.EACCES, f"[WinError {winerror}] {text}", str(path))
    exc.winerror = winerror  # type: ignore[misc]
    return exc


class FakeMsvcrt:
    """``msvcrt.locking`` on Linux: exclusive, per-handle, cross-process range locks."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

    @staticmethod
    def locking(fd: int, mode: int, nbytes: int) -> None:
        start = os.lseek(fd, 0, os.SEEK_CUR)
        kind = fcntl.F_UNLCK if mode == FakeMsvcrt.LK_UNLCK else fcntl.F_WRLCK
        request = struct.pack(_FLOCK, kind, os.SEEK_SET, start, nbytes, 0)
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, request)
        except OSError as exc:
            raise OSError(errno.EACCES, "Permission denied") from exc


class _Mandatory:
    """A file object whose reads and writes fail on bytes another handle has locked."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        raw = getattr(inner, "buffer", inner)
        self._fd = raw.fileno()
        self._raw = raw

    def _check(self, size: int | None, write: bool = False) -> None:
        position = self._raw.tell()
        end_of_file = os.fstat(self._fd).st_size
        end = end_of_file if size is None or size < 0 else position + size
        if not write:
            end = min(end, end_of_file)  # bytes past the end are not read
        if end > position and _conflict(self._fd, position, end - position, write):
            raise _denied(getattr(self._inner, "name", "?"), 33)

    def read(self, size: int | None = -1) -> Any:
        self._check(size)
        return self._inner.read(size)

    def read1(self, size: int = -1) -> Any:
        self._check(size)
        return self._inner.read1(size)

    def readline(self, size: int | None = -1) -> Any:
        self._check(size)
        return self._inner.readline(size)

    def readlines(self, hint: int = -1) -> Any:
        self._check(-1)
        return self._inner.readlines(hint)

    def readinto(self, buffer: Any) -> Any:
        self._check(len(buffer))
        return self._inner.readinto(buffer)

    def write(self, data: Any) -> Any:
        self._check(len(data), write=True)
        return self._inner.write(data)

    def __iter__(self) -> Any:
        self._check(-1)
        return iter(self._inner)

    def __enter__(self) -> _Mandatory:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: object) -> Any:
        return self._inner.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class WindowsSemantics:
    """Install with :meth:`install` (a ``MonkeyPatch`` undoes it)."""

    def __init__(self) -> None:
        self._holds: dict[str, int] = {}
        #: Every refusal: (operation, path).
        self.refused: list[tuple[str, str]] = []
        self.calls: Counter[str] = Counter()

    def hold(self, path: Path, attempts: int) -> None:
        """Another program holds ``path``: the next ``attempts`` replaces/deletes of it fail."""
        self._holds[os.path.realpath(path)] = attempts

    # -- the patched functions ---------------------------------------------------------------

    @staticmethod
    def _open_inodes() -> set[tuple[int, int]]:
        found = set()
        for name in os.listdir("/proc/self/fd"):
            try:
                st = os.stat(f"/proc/self/fd/{name}")
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found.add((st.st_dev, st.st_ino))
        return found

    def _check_free(self, operation: str, *paths: Any) -> None:
        self.calls[operation] += 1
        for path in paths:
            if isinstance(path, int):
                continue
            real = os.path.realpath(path)
            if self._holds.get(real, 0) > 0:
                self._holds[real] -= 1
                self.refused.append((operation, real))
                raise _denied(path, 32)
        inodes = None
        for path in paths:
            if isinstance(path, int):
                continue
            try:
                st = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                continue
            inodes = inodes if inodes is not None else self._open_inodes()
            if (st.st_dev, st.st_ino) in inodes:
                self.refused.append((operation, os.path.realpath(path)))
                raise _denied(path, 32)

    def install(self, monkeypatch: pytest.MonkeyPatch | None = None) -> WindowsSemantics:
        mp = monkeypatch or pytest.MonkeyPatch()
        real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename
        real_unlink, real_remove, real_open = os.unlink, os.remove, io.open

        def fsync(fd: Any) -> None:
            number = fd if isinstance(fd, int) else fd.fileno()
            mode = os.fstat(number).st_mode
            if stat.S_ISREG(mode) and fcntl.fcntl(number, fcntl.F_GETFL) & os.O_ACCMODE \
                    == os.O_RDONLY:
                self.refused.append(("fsync", str(number)))
                raise OSError(errno.EBADF, "Bad file descriptor")
            real_fsync(number)

        def replace(src: Any, dst: Any, *, src_dir_fd: Any = None,
                    dst_dir_fd: Any = None) -> None:
            if src_dir_fd is None and dst_dir_fd is None:
                self._check_free("replace", src, dst)
            real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

        def rename(src: Any, dst: Any, *, src_dir_fd: Any = None,
                   dst_dir_fd: Any = None) -> None:
            if src_dir_fd is None and dst_dir_fd is None:
                self._check_free("rename", src, dst)
            real_rename(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)

        def unlink(path: Any, *, dir_fd: Any = None) -> None:
            if dir_fd is None:
                self._check_free("unlink", path)
            real_unlink(path, dir_fd=dir_fd)

        def remove(path: Any, *, dir_fd: Any = None) -> None:
            if dir_fd is None:
                self._check_free("unlink", path)
            real_remove(path, dir_fd=dir_fd)

        def open_(file: Any, *args: Any, **kwargs: Any) -> Any:
            handle = real_open(file, *args, **kwargs)
            try:
                fd = handle.fileno()
                if stat.S_ISREG(os.fstat(fd).st_mode) and _conflict(fd, 0, 0, False):
                    return _Mandatory(handle)
            except (OSError, ValueError, io.UnsupportedOperation):
                pass
            return handle

        mp.setattr(os, "fsync", fsync)
        mp.setattr(os, "replace", replace)
        mp.setattr(os, "rename", rename)
        mp.setattr(os, "unlink", unlink)
        mp.setattr(os, "remove", remove)
        mp.setattr(io, "open", open_)
        mp.setattr(builtins, "open", open_)
        mp.setattr(fileops, "LOCK_STYLE", "windows")
        mp.setattr(fileops, "_msvcrt", lambda: FakeMsvcrt)
        mp.setattr(fileops, "_windows", lambda: True)
        return self
