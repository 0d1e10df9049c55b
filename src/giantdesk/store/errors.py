"""Errors of the store. Each carries a bilingual :class:`Message` for the user and an exit code."""

from __future__ import annotations

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


class InvalidEdit(StoreError):
    """A value refused for a field (unknown field, computed field, invalid value)."""

    def __init__(self, path: str, code: str, message: Message) -> None:
        super().__init__(message)
        self.path = path
        self.code = code


class DatabaseDamaged(StoreError):
    """The database cannot be used as it is. It is never replaced by an empty one.

    ``newest_backup`` is the newest backup that passed its check (None when there is none);
    :func:`giantdesk.store.restore_newest_backup` moves the damaged file aside and restores it.
    """

    exit_code = EXIT_UNREADABLE

    def __init__(self, path: Path, detail: str, newest_backup: Path | None) -> None:
        if newest_backup is not None:
            hint = Message(f"可恢复最近一次完好的备份：{newest_backup}（giantdesk restore）；"
                           "损坏的文件会被保留在 damaged 文件夹中。",
                           f"The newest good backup can be restored: {newest_backup} "
                           "(giantdesk restore); the damaged file is kept in the damaged folder.")
        else:
            hint = Message("没有可用的备份；请勿删除该文件，联系技术支持。",
                           "There is no usable backup; do not delete the file, contact support.")
        super().__init__(Message(f"草稿数据库已损坏或无法读取：{path}（{detail}）。{hint.zh}",
                                 f"The drafts database is damaged or unreadable: {path} "
                                 f"({detail}). {hint.en}"))
        self.path = path
        self.detail = detail
        self.newest_backup = newest_backup


class DatabaseMissing(DatabaseDamaged):
    """The database file is gone but backups exist: never start empty without being asked."""

    def __init__(self, path: Path, newest_backup: Path | None) -> None:
        super().__init__(path, "file missing / 文件不存在", newest_backup)


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
    """Another GiantDesk window holds the data folder."""

    def __init__(self, folder: Path, owner: str) -> None:
        super().__init__(Message(
            f"GiantDesk 已在运行并打开了数据文件夹 {folder}（{owner}）；请切换到已打开的窗口。",
            f"GiantDesk is already running with the data folder {folder} ({owner}); "
            "switch to the open window."))
        self.folder = folder


class AttachmentRefused(StoreError):
    """An attachment that is not accepted; nothing is left behind."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(message)
        self.code = code


class AttachmentCancelled(StoreError):
    def __init__(self, name: str) -> None:
        super().__init__(Message(f"已取消添加附件“{name}”，未保存任何内容",
                                 f"adding “{name}” was cancelled; nothing was kept"))
