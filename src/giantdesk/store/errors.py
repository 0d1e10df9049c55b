"""Errors of the store. Each carries a bilingual :class:`Message` for the user and an exit code."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from giantdesk.forms.messages import Message

EXIT_INVALID, EXIT_UNREADABLE = 1, 2


class StoreError(Exception):
    """Something the user must be told; ``message`` names what is wrong and where."""

    exit_code = EXIT_INVALID

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


class DraftNotFound(StoreError):
    def __init__(self, draft_id: int) -> None:
        super().__init__(Message(f"没有编号为 {draft_id} 的草稿", f"there is no draft {draft_id}"))
        self.draft_id = draft_id


class DraftFinalized(StoreError):
    """A finalized draft is read-only until it is reopened."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(Message(
            f"草稿 {draft_id} 已定稿，只读；如需修改请先重新打开（giantdesk drafts reopen {draft_id}）",
            f"draft {draft_id} is finalized and read-only; reopen it first "
            f"(giantdesk drafts reopen {draft_id})"))
        self.draft_id = draft_id


class DraftPurged(DraftNotFound):
    """The draft was deleted, and its contents purged from the recycle bin after 30 days."""

    def __init__(self, draft_id: int, purged_at: datetime) -> None:
        StoreError.__init__(self, Message(
            f"草稿 {draft_id} 已于 {local_time(purged_at)} 从回收站永久清除",
            f"draft {draft_id} was purged from the recycle bin on {local_time(purged_at)}"))
        self.draft_id = draft_id


class DraftInBin(StoreError):
    """A draft in the recycle bin can be read and restored, not edited or exported."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(Message(
            f"草稿 {draft_id} 在回收站中；如需使用请先恢复（giantdesk drafts undelete {draft_id}）",
            f"draft {draft_id} is in the recycle bin; restore it first "
            f"(giantdesk drafts undelete {draft_id})"))
        self.draft_id = draft_id


class FinalizedNeedsConfirmation(StoreError):
    """A finalized draft is deleted only when the caller says so explicitly."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(Message(
            f"草稿 {draft_id} 已定稿；删除已定稿的草稿需要再次确认"
            f"（giantdesk drafts delete {draft_id} --finalized）",
            f"draft {draft_id} is finalized; deleting a finalized draft needs an explicit "
            f"confirmation (giantdesk drafts delete {draft_id} --finalized)"))
        self.draft_id = draft_id


class InvalidEdit(StoreError):
    """A value refused for a field (unknown field, computed field, invalid value)."""

    def __init__(self, path: str, code: str, message: Message) -> None:
        super().__init__(message)
        self.path = path
        self.code = code


def local_time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "?"


def backups_hint(newest_backup: Path | None, folder: Path | None = None) -> Message:
    """What the user can do about a damaged database: the backup to restore, or that none
    exists (naming the folder, and whether it is missing)."""
    if newest_backup is not None:
        return Message(f"可恢复最近一次完好的备份：{newest_backup}（giantdesk restore）；"
                       "损坏的文件会被保留在 damaged 文件夹中。",
                       f"The newest good backup can be restored: {newest_backup} "
                       "(giantdesk restore); the damaged file is kept in the damaged folder.")
    where_zh = where_en = ""
    if folder is not None:
        gone = not folder.is_dir()
        where_zh = f"（备份文件夹 {folder} {'不存在' if gone else '中没有完好的备份'}）"
        where_en = (f" (the backups folder {folder} "
                    f"{'is missing' if gone else 'holds no good backup'})")
    return Message(f"没有可用的备份{where_zh}；请勿删除该文件，联系技术支持。",
                   f"There is no usable backup{where_en}; do not delete the file, contact "
                   "support.")


class DatabaseDamaged(StoreError):
    """The database cannot be used as it is. It is never replaced by an empty one.

    ``newest_backup`` is the newest backup that passed its check (None when there is none);
    :func:`giantdesk.store.restore_newest_backup` moves the damaged file aside and restores it.
    """

    exit_code = EXIT_UNREADABLE

    def __init__(self, path: Path, detail: str | Message, newest_backup: Path | None,
                 backups: Path | None = None, hint: Message | None = None) -> None:
        hint = hint or backups_hint(newest_backup, backups)
        detail_m = detail if isinstance(detail, Message) else Message(detail, detail)
        super().__init__(Message(f"草稿数据库已损坏或无法读取：{path}（{detail_m.zh}）。{hint.zh}",
                                 f"The drafts database is damaged or unreadable: {path} "
                                 f"({detail_m.en}). {hint.en}"))
        self.path = path
        self.detail = detail_m.en
        #: What is wrong with the file, in both languages (without the hint: the GUI offers
        #: the actions itself).
        self.detail_message = detail_m
        self.newest_backup = newest_backup


class DatabaseMissing(DatabaseDamaged):
    """The database file is gone but backups exist: never start empty without being asked."""

    def __init__(self, path: Path, newest_backup: Path | None, backups: Path | None = None,
                 ) -> None:
        super().__init__(path, Message("文件不存在", "file missing"), newest_backup, backups)


class DatabaseBehind(DatabaseDamaged):
    """The database holds less than its marker recorded (a lost or damaged ``-wal`` file, an
    emptied or zero-byte file): reported before anything is written.

    ``newest_backup`` is the newest backup holding *more* than the database (None: none)."""

    def __init__(self, path: Path, detail: Message, newest_backup: Path | None,
                 newer_backups: Sequence[Path], backups: Path | None, kept: Path | None) -> None:
        if newer_backups:
            names = "、".join(str(b) for b in newer_backups[:3])
            names_en = ", ".join(str(b) for b in newer_backups[:3])
            hint = Message(f"以下备份保存了比现有数据库更新的内容：{names}（giantdesk restore 会恢复"
                           "第一个）；现有文件会被保留在 damaged 文件夹中。",
                           f"These backups hold more than the database does: {names_en} "
                           "(giantdesk restore restores the first); the current file is kept in "
                           "the damaged folder.")
        else:
            where_zh = where_en = ""
            if backups is not None and not backups.is_dir():
                where_zh, where_en = f"（备份文件夹 {backups} 不存在）", (
                    f" (the backups folder {backups} is missing)")
            elif backups is not None:
                where_zh, where_en = f"（在 {backups} 中）", f" (in {backups})"
            hint = Message(f"没有保存较新内容的备份{where_zh}。如接受数据库现有的内容继续工作："
                           "giantdesk restore --keep-current。",
                           f"No backup holds the newer state{where_en}. To go on with what the "
                           "database holds: giantdesk restore --keep-current.")
        if kept is not None:
            hint = Message(f"{hint.zh}（受损的日志文件已另存为 {kept}）",
                           f"{hint.en} (the damaged log file was copied to {kept})")
        super().__init__(path, detail, newest_backup, backups, hint)
        self.newer_backups = tuple(newer_backups)


class DatabaseTooNew(StoreError):
    exit_code = EXIT_UNREADABLE

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(Message(
            f"草稿数据库 {path} 由更新版本的 GiantDesk 创建（结构版本 {revision}），请升级软件；"
            "数据库未作任何改动。",
            f"the drafts database {path} was made by a newer GiantDesk (schema {revision}); "
            "please upgrade the app. The database was not changed."))


class NoBackup(StoreError):
    exit_code = EXIT_UNREADABLE

    def __init__(self, folder: Path) -> None:
        super().__init__(Message(f"在 {folder} 中没有可用的备份", f"no usable backup in {folder}"))


class AlreadyOpen(StoreError):
    """Another GiantDesk window holds the data folder; ``owner`` names who (user, computer,
    since when)."""

    def __init__(self, folder: Path, owner: Message | str) -> None:
        who = owner if isinstance(owner, Message) else Message(owner, owner)
        super().__init__(Message(
            f"GiantDesk 已在运行并打开了数据文件夹 {folder}（{who.zh}）；请切换到已打开的窗口。",
            f"GiantDesk is already running with the data folder {folder} ({who.en}); "
            "switch to the open window."))
        self.folder = folder
        self.owner = who


class RestoreRefused(StoreError):
    """``restore`` was not asked about this state (a healthy or newer database): nothing done."""


class DamagedContent(StoreError):
    """Stored values that cannot be read; ``problems`` are (where, what) for each."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, draft_id: int | None, problems: Sequence[tuple[str, Message]]) -> None:
        head = (Message(f"草稿 {draft_id} 的存储内容已损坏", f"stored contents of draft {draft_id} "
                        "are damaged") if draft_id is not None
                else Message("草稿数据库的内容已损坏", "the drafts database's contents are damaged"))
        lines_zh = [f"{head.zh}："] + [f"  {where}：{what.zh}" for where, what in problems[:20]]
        lines_en = [f"{head.en}:"] + [f"  {where}: {what.en}" for where, what in problems[:20]]
        if len(problems) > 20:
            lines_zh.append(f"  ……另有 {len(problems) - 20} 处")
            lines_en.append(f"  … and {len(problems) - 20} more")
        lines_zh.append("可用 giantdesk doctor --deep 检查全部内容，或从备份恢复（giantdesk restore）。")
        lines_en.append("giantdesk doctor --deep checks everything; a backup can be restored "
                        "(giantdesk restore).")
        super().__init__(Message("\n".join(lines_zh), "\n".join(lines_en)))
        self.draft_id = draft_id
        self.problems = tuple(problems)


class StorageUnavailable(StoreError):
    """The data folder's disk refuses (read-only, full, no permission): not damage; nothing
    was changed. ``kind`` is ``read_only``, ``full``, ``denied`` or ``other``."""

    exit_code = EXIT_UNREADABLE

    def __init__(self, kind: str, path: Path, detail: str | Message = "") -> None:
        if kind == "read_only":
            message = Message(
                f"无法写入 {path}：所在的磁盘或文件夹是只读的（例如写保护的 U 盘、只读的网络共享）。"
                "草稿没有任何改动；请把数据文件夹放在可写的位置后重试。",
                f"cannot write {path}: its disk or folder is read-only (a write-protected "
                "USB stick, a read-only network share). Nothing was changed; put the data "
                "folder somewhere writable and try again.")
        elif kind == "full":
            message = Message(
                f"无法写入 {path}：磁盘已满。已保存的草稿没有改动；请腾出磁盘空间后重试。",
                f"cannot write {path}: the disk is full. Saved drafts were not changed; free "
                "some disk space and try again.")
        elif kind == "denied":  # Windows also says this for a file another program holds
            message = Message(f"无法访问 {path}：没有权限，或文件正被其他程序占用。草稿没有任何改动。",
                              f"cannot access {path}: permission denied, or another program "
                              "holds the file. Nothing was changed.")
        else:
            why = detail if isinstance(detail, Message) else Message(detail, detail)
            message = Message(f"无法访问 {path}（{why.zh}）。草稿没有任何改动。",
                              f"cannot access {path} ({why.en}). Nothing was changed.")
        super().__init__(message)
        self.kind = kind
        self.path = path


_READ_ONLY = {errno.EROFS}
_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_DENIED = {errno.EACCES, errno.EPERM}


def storage_error(exc: OSError, path: Path | None = None) -> StoreError:
    """The user's message for an ``OSError`` of the data folder (read-only, full, denied)."""
    from giantdesk.fileops import FileOpError

    if isinstance(exc, FileOpError):  # a file held by another program, a FIFO…: its message
        error = StoreError(exc.message)
        error.exit_code = exc.exit_code
        return error
    where = Path(exc.filename) if exc.filename else (path or Path("?"))
    if exc.errno in _READ_ONLY:
        return StorageUnavailable("read_only", where)
    if exc.errno in _FULL:
        return StorageUnavailable("full", where)
    if exc.errno in _DENIED:
        return StorageUnavailable("denied", where)
    from giantdesk.fileops import os_reason

    return StorageUnavailable("other", where, os_reason(exc))


# SQLite's primary result codes (sqlite3.h)
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26


def sqlite_error(exc: BaseException, db: Path) -> StoreError | None:
    """The user's message for an SQLite error (``sqlite3.Error`` or SQLAlchemy's wrapper), or
    None when it is not about the disk or the file (a bug: let it surface)."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.Error):
        return None
    code = (getattr(orig, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _SQLITE_READONLY:
        return StorageUnavailable("read_only", db)
    if code == _SQLITE_FULL:
        return StorageUnavailable("full", db)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DatabaseDamaged(db, str(orig), None, hint=Message(
            "可用 giantdesk restore 恢复最近一次完好的备份；损坏的文件会被保留在 damaged 文件夹中。",
            "giantdesk restore restores the newest good backup; the damaged file is kept in the "
            "damaged folder."))
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreError(Message(
            f"草稿数据库 {db} 正被另一个程序长时间占用，请稍后重试",
            f"the drafts database {db} is held by another program for too long; try again "
            "later"))
    if code in (_SQLITE_CANTOPEN, _SQLITE_IOERR):
        return StorageUnavailable(disk_state(db) or "other", db, str(orig))
    return None


#: Less free space than this is a full disk (SQLite needs 32 KiB for a ``-shm`` file).
_FULL_BELOW = 64 * 1024


def disk_state(path: Path) -> str | None:
    """``read_only`` or ``full`` when the disk holding ``path`` refuses writes, else None."""
    folder = path
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read_only"
        if shutil.disk_usage(folder).free < _FULL_BELOW:
            return "full"
    except OSError:
        return None
    return None


def disk_refuses(exc: sqlite3.Error, path: Path) -> StorageUnavailable | None:
    """The disk's refusal behind an SQLite error while reading ``path``, or None when the error
    is about the file itself. On a full disk SQLite cannot even open a WAL database to read it
    (its ``-shm`` file cannot grow: "disk I/O error"): that is not damage."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == _SQLITE_READONLY:
        return StorageUnavailable("read_only", path)
    if code == _SQLITE_FULL:
        return StorageUnavailable("full", path)
    if code in (_SQLITE_CANTOPEN, _SQLITE_IOERR) and (kind := disk_state(path)) is not None:
        return StorageUnavailable(kind, path)
    return None


class AttachmentRefused(StoreError):
    """An attachment that is not accepted; nothing is left behind."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(message)
        self.code = code
        if code in ("attachment.unreadable", "attachment.not_regular"):
            self.exit_code = EXIT_UNREADABLE  # the file could not be read at all


class AttachmentCancelled(StoreError):
    def __init__(self, name: str) -> None:
        super().__init__(Message(f"已取消添加附件“{name}”，未保存任何内容",
                                 f"adding “{name}” was cancelled; nothing was kept"))
