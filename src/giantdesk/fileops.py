"""File operations that behave the same on Windows and POSIX (no Qt; used by every layer).

Windows differs from POSIX in ways that break naive code on the first day:

* ``os.fsync`` needs a handle opened for **writing** (``EBADF`` on a read-only one):
  :func:`fsync_file` opens the file read-write.
* A file that another program holds open (an antivirus scanning a new file, Excel holding a
  summary, an indexer, a sync client) cannot be replaced or deleted ("Access is denied"):
  :func:`replace` and :func:`unlink` retry with a short back-off (:data:`RETRY_DELAYS`,
  1.2 s in all: such holds last well under a second) and then raise :class:`FileBusy`, whose
  message names the file and the kind of program that usually holds such a file.
* Byte-range locks are **mandatory**: reading a locked byte through another handle fails. The
  lock of :func:`try_lock` is therefore on one byte far past any content
  (:data:`LOCK_OFFSET`), so what the file says (the owner of a lock) stays readable.

Reading a path the user gave goes through :func:`open_regular` / :func:`read_limited`: only a
regular file is opened (a FIFO, a device, a socket or a folder is refused *before* it is
opened, so nothing blocks), and at most the documented limit is read.

Files of the data folder are private on POSIX (:func:`private_dir`: 0700,
:func:`create_private`: 0600); on Windows the per-user profile's ACLs already are.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, BinaryIO

from giantdesk.forms.messages import Message, size_text

#: Waits between attempts to replace or delete a busy file (seconds): 7 attempts, 1.2 s.
RETRY_DELAYS: tuple[float, ...] = (0.02, 0.05, 0.1, 0.15, 0.3, 0.6)
#: Where :func:`try_lock` locks: one byte far past any text the lock file holds.
LOCK_OFFSET = 1 << 30
#: Windows errors that mean "another program has the file open" (access denied, sharing and
#: lock violations). Access denied on a folder or a read-only file is not retried.
_BUSY_WINERRORS = (5, 32, 33)

_sleep: Callable[[float], None] = time.sleep


def _windows() -> bool:
    return os.name == "nt"


# --------------------------------------------------------------------------------------------
# Errors with a message for the user


class FileOpError(OSError):
    """An ``OSError`` with a bilingual :attr:`message` naming the file and what is wrong.

    ``strerror`` holds a short text in both languages, so code that only knows ``OSError``
    still shows something readable."""

    exit_code = 2

    def __init__(self, code: int, path: Path, message: Message, short: str) -> None:
        super().__init__(code, short, str(path))
        self.path = path
        self.message = message


class FileBusy(FileOpError):
    """A file another program keeps open: replacing or deleting it failed after retries."""

    def __init__(self, path: Path, action: str, attempts: int, waited: float) -> None:
        kind = holder_kind(path)
        if action == "delete":
            what = Message(f"无法删除文件 {path}", f"cannot delete {path}")
        elif action == "move":
            what = Message(f"无法移动文件 {path}", f"cannot move {path}")
        else:
            what = Message(f"无法写入（替换）文件 {path}", f"cannot write (replace) {path}")
        super().__init__(errno.EACCES, path, Message(
            f"{what.zh}：它正被另一个程序占用（{kind.zh}）。已在 {waited:.1f} 秒内重试 "
            f"{attempts} 次。请关闭该程序或等它结束后再试。",
            f"{what.en}: another program holds it open ({kind.en}). Tried {attempts} times "
            f"over {waited:.1f} s. Close that program, or wait for it to finish, and try "
            "again."), "文件被占用 / file in use")
        self.action = action
        self.attempts = attempts
        self.kind = kind


class NotRegularFile(FileOpError):
    """A path that is not a regular file (FIFO, device, socket, folder): never opened."""

    def __init__(self, path: Path, kind: Message) -> None:
        super().__init__(errno.EINVAL, path, Message(
            f"{path} 不是普通文件（是{kind.zh}），未读取",
            f"{path} is not a regular file (it is a {kind.en}); it was not read"),
            "不是普通文件 / not a regular file")
        self.kind = kind


class FileTooLarge(FileOpError):
    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(errno.EFBIG, path, Message(
            f"{path} 超过 {size_text(limit)} 的上限，未读取", f"{path} is larger than the limit of "
            f"{size_text(limit)}; it was not read"), "文件过大 / file too large")
        self.limit = limit


_OFFICE = {".xlsx", ".xls", ".docx", ".doc", ".csv", ".pdf", ".wps", ".et"}


#: What the system's error text says, in words a clerk reads (the C library's texts are
#: English on every platform, also on a Chinese Windows).
_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("找不到该文件或文件夹", "no such file or folder"),
    errno.EACCES: ("没有访问权限（或文件正被占用）", "access denied (or the file is in use)"),
    errno.EPERM: ("没有操作权限", "operation not permitted"),
    errno.EISDIR: ("这是一个文件夹，不是文件", "it is a folder, not a file"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.ENOSPC: ("磁盘空间已满", "the disk is full"),
    errno.EROFS: ("磁盘或文件夹是只读的", "the disk or folder is read-only"),
    errno.ENAMETOOLONG: ("文件名或路径过长", "the file name or path is too long"),
    errno.EEXIST: ("文件已存在", "the file already exists"),
    errno.EIO: ("读写磁盘出错（磁盘或 U 盘可能有故障）", "input/output error (the disk or USB drive may be failing)"),
    errno.ELOOP: ("路径中的链接形成了循环", "the path's links form a loop"),
    errno.EBUSY: ("文件正被占用", "the file is in use"),
    errno.EMFILE: ("打开的文件过多", "too many open files"),
    errno.EINVAL: ("路径或文件名无效", "the path or file name is not valid"),
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = ("磁盘配额已用完", "the disk quota is used up")


def os_reason(exc: OSError) -> Message:
    """Why an operating-system call failed, in both languages (for the messages that name a
    file and add the reason): our own errors' short text, a known error's words, else the
    system's text."""
    short = exc.strerror or ""
    if isinstance(exc, FileOpError) and " / " in short:
        zh, en = short.split(" / ", 1)
        return Message(zh, en)
    known = _REASONS.get(exc.errno or 0)
    if known is not None:
        return Message(*known)
    text = exc.strerror or str(exc) or type(exc).__name__
    return Message(text, text)


def holder_kind(path: Path) -> Message:
    """The kind of program that usually holds a file like ``path`` open (Windows cannot tell
    cheaply which one it is)."""
    suffix = path.suffix.lower()
    if suffix in _OFFICE:
        return Message("多半是 Excel、WPS 或 PDF 阅读器打开了它，也可能是杀毒软件在扫描",
                       "most likely Excel, WPS or a PDF reader has it open, or an antivirus is "
                       "scanning it")
    if suffix == ".zip":
        return Message("多半是压缩软件打开了它，或杀毒软件、同步盘（如 OneDrive）正在扫描",
                       "most likely an archive program has it open, or an antivirus or a sync "
                       "client (such as OneDrive) is scanning it")
    return Message("多半是杀毒软件、备份或同步程序（如 OneDrive）正在扫描",
                   "most likely an antivirus, a backup or a sync program (such as OneDrive) is "
                   "scanning it")


# --------------------------------------------------------------------------------------------
# Durable writes


def fsync_file(path: Path) -> None:
    """Flush ``path``'s contents to the disk. Opened for writing: Windows refuses to flush a
    read-only handle (``EBADF``)."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows has no directory handles for this)."""
    if _windows():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        with contextlib.suppress(OSError):  # some file systems refuse; the rename still stands
            os.fsync(fd)
    finally:
        os.close(fd)


def _denied_for_good(path: Path) -> bool:
    """Whether "Access is denied" on ``path`` is not a passing hold: it is a folder, or a file
    with Windows' read-only attribute (no wait changes either)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) or bool(
        getattr(st, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_READONLY)


def _is_busy(exc: OSError, paths: tuple[Path, ...]) -> bool:
    if not isinstance(exc, PermissionError):
        return False
    winerror = getattr(exc, "winerror", None)
    if winerror == 5 and any(_denied_for_good(p) for p in paths):
        return False  # ERROR_ACCESS_DENIED also means this: say so at once, do not wait
    return winerror in _BUSY_WINERRORS or (_windows() and winerror is None)


def _retrying(action: str, path: Path, operation: Callable[[], None],
              *others: Path) -> None:
    waited = 0.0
    attempt = 0
    while True:
        attempt += 1
        try:
            operation()
            return
        except OSError as exc:
            if not _is_busy(exc, (path, *others)):
                raise
            if attempt > len(RETRY_DELAYS):
                raise FileBusy(path, action, attempt, waited) from exc
        delay = RETRY_DELAYS[attempt - 1]
        _sleep(delay)
        waited += delay


def replace(source: Path, target: Path) -> None:
    """``os.replace`` that waits out a program briefly holding ``target`` (or ``source``) open;
    raises :class:`FileBusy` naming the held file when it stays held (``target`` when it
    exists, else ``source``: a file moved away)."""
    try:
        _retrying("replace", Path(target), lambda: os.replace(source, target), Path(source))
    except FileBusy as exc:
        if os.path.lexists(target):
            raise
        raise FileBusy(Path(source), "move", exc.attempts, sum(RETRY_DELAYS)) from exc.__cause__


def unlink(path: Path, *, missing_ok: bool = True) -> None:
    """``os.unlink`` with the same retries as :func:`replace`."""

    def remove() -> None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            if not missing_ok:
                raise

    _retrying("delete", Path(path), remove)


def replace_durably(source: Path, target: Path) -> None:
    """Flush ``source``, rename it over ``target`` (retrying while busy), flush the folder."""
    fsync_file(source)
    replace(source, target)
    fsync_dir(Path(target).parent)


def copy_durably(source: Path, target: Path, *, mode: int = 0o600) -> None:
    """Copy ``source`` to the new file ``target`` (created ``mode``) and flush it."""
    with open(source, "rb") as src:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     mode)
        with os.fdopen(fd, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
            dst.flush()
            os.fsync(dst.fileno())


# --------------------------------------------------------------------------------------------
# Private files (POSIX modes)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by its owner only (0700 on POSIX); an existing
    folder of ours that others could read is tightened."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):  # parents too: mkdir(parents=True) would make them 0755
        folder.mkdir(mode=0o700, exist_ok=True)
    path.mkdir(mode=0o700, exist_ok=True)  # an error (a file in the way) is raised here
    if not _windows():
        with contextlib.suppress(OSError):
            st = path.stat()
            if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
                path.chmod(stat.S_IMODE(st.st_mode) & 0o700)
    return path


def make_private(path: Path) -> None:
    """Take group/other permissions away from an existing file of ours (POSIX)."""
    if _windows():
        return
    with contextlib.suppress(OSError):
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(st.st_mode) & 0o700)


def create_private(path: Path, *, exclusive: bool = True) -> int:
    """Open ``path`` for reading and writing, creating it 0600 (POSIX); returns the descriptor."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
    if exclusive:
        flags |= os.O_EXCL
    return os.open(path, flags, 0o600)


# --------------------------------------------------------------------------------------------
# Temporary files beside their final name


def _flock(fd: int) -> None:
    if not _windows():
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def create_temp(folder: Path, prefix: str, suffix: str, mode: int = 0o666) -> tuple[int, Path]:
    """A new, empty temporary file in ``folder``: its descriptor (read-write) and path.

    While the descriptor is open the file is marked in use (an OS lock on POSIX; on Windows an
    open file cannot be deleted anyway), so :func:`remove_stale_temps` never removes a file
    another process is still writing."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        # os.urandom, as secrets.token_hex does (importing secrets loads OpenSSL: ~3 ms
        # on the GUI's start path, which takes the instance lock through this module)
        path = folder / f"{prefix}{os.urandom(6).hex()}{suffix}"
        try:
            fd = os.open(path, flags, mode)
        except FileExistsError:
            continue
        _flock(fd)
        return fd, path
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def remove_stale_temps(folder: Path, prefix: str, suffix: str, min_age: float = 10.0) -> int:
    """Remove temporary files ``prefix*suffix`` in ``folder`` left by a killed process (older
    than ``min_age`` seconds and held by nobody). Returns how many were removed."""
    removed = 0
    try:
        candidates = [p for p in folder.iterdir()
                      if p.name.startswith(prefix) and p.name.endswith(suffix)]
    except OSError:
        return 0
    now = time.time()
    for path in candidates:
        try:
            st = path.lstat()
            if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < min_age:
                continue
            if not _windows():
                import fcntl

                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # OSError: still written
                    os.unlink(path)
                finally:
                    os.close(fd)
            else:  # pragma: no cover - Windows refuses to delete a file that is open
                os.unlink(path)
            removed += 1
        except OSError:
            continue
    return removed


_SCRATCH: list[Path] = []


def scratch_dir(prefix: str = "giantdesk-open-", *, stale_after: float = 3600.0) -> Path:
    """One private folder under the temp dir for this process (files extracted to be opened by
    another program), removed when the process exits; folders of this kind left by earlier
    runs (killed, or a viewer still held a file) are removed when older than ``stale_after``."""
    if _SCRATCH and _SCRATCH[0].is_dir():
        return _SCRATCH[0]
    base = Path(tempfile.gettempdir())
    if _SCRATCH:  # removed meanwhile (a temp cleaner): make a new one
        _unregister_scratch()
    now = time.time()
    with contextlib.suppress(OSError):
        for old in base.glob(f"{prefix}*"):
            with contextlib.suppress(OSError):
                if old.is_dir() and not old.is_symlink() and now - old.stat().st_mtime > stale_after:
                    shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    _SCRATCH[:] = [folder]
    atexit.register(_remove_scratch, folder)
    return folder


def _remove_scratch(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _unregister_scratch() -> None:
    for folder in _SCRATCH:
        atexit.unregister(_remove_scratch)
        _remove_scratch(folder)
    _SCRATCH.clear()


# --------------------------------------------------------------------------------------------
# Reading what the user named


def kind_of(mode: int) -> Message:
    """What a file that is not a regular file is, in words (folder, FIFO, socket, device)."""
    if stat.S_ISDIR(mode):
        return Message("文件夹", "folder")
    if stat.S_ISFIFO(mode):
        return Message("命名管道", "named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return Message("套接字", "socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Message("设备", "device")
    return Message("特殊文件", "special file")


def open_regular(path: Path | str) -> BinaryIO:
    """Open ``path`` for reading if (and only if) it is a regular file (symlinks followed).

    The type is checked before opening and again on the open handle (opened non-blocking, so a
    file swapped for a FIFO in between cannot hang the caller). Raises :class:`NotRegularFile`
    or the ``OSError`` of the operating system (missing file, no permission)."""
    path = Path(path)
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFile(path, kind_of(st.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode):
            raise NotRegularFile(path, kind_of(now.st_mode))
        if getattr(os, "O_NONBLOCK", 0):  # POSIX: reads of the regular file may block again
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them (:class:`FileTooLarge`
    beyond, after reading at most ``limit + 1`` bytes)."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(Path(path), limit)
    return data


# --------------------------------------------------------------------------------------------
# Locks that leave the file's text readable on every platform


def _msvcrt() -> Any:  # pragma: no cover - replaced by the emulation in tests
    import msvcrt

    return msvcrt


#: "windows" uses byte-range locks at :data:`LOCK_OFFSET` (mandatory on Windows); "posix" uses
#: ``flock`` (advisory). Tests switch to "windows" with an emulated ``msvcrt``.
LOCK_STYLE = "windows" if sys.platform == "win32" else "posix"


def try_lock(handle: IO[bytes]) -> bool:
    """Lock ``handle``'s file without waiting; False when another handle holds it."""
    if LOCK_STYLE == "windows":
        msvcrt = _msvcrt()
        position = handle.tell()
        try:
            handle.seek(LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            handle.seek(position)
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def unlock(handle: IO[bytes]) -> None:
    if LOCK_STYLE == "windows":
        msvcrt = _msvcrt()
        with contextlib.suppress(OSError):
            handle.seek(LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            handle.seek(0)
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
