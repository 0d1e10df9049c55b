"""``drafts …``, ``backup`` and ``restore``: the local store from the command line.

These commands call the same store methods as the GUI (``Store.set_input`` parses with
``values.parse_input``), so a value is accepted or refused the same way everywhere.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from giantdesk.commands import add_parser
from giantdesk.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_UNREADABLE,
    CommandError,
    fail,
    print_json,
    read_record,
    today,
)
from giantdesk.forms.definitions import FORM_IDS, REVIEW_FORM
from giantdesk.forms.messages import Message
from giantdesk.forms.record import dumps
from giantdesk.forms.values import display_text
from giantdesk.store.api import BIN_DAYS

Handler = Callable[[argparse.Namespace], int]


def register(sub: Any) -> None:
    drafts = add_parser(sub, "drafts")
    dsub = drafts.add_subparsers(dest="drafts_command", metavar="ACTION", required=True)

    p = dsub.add_parser("list", help="list the drafts / 列出草稿")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_guard(cmd_list))

    p = dsub.add_parser("new", help="start an empty draft / 新建空白草稿")
    p.add_argument("form", choices=FORM_IDS)
    p.add_argument("--title", default="")
    p.set_defaults(handler=_guard(cmd_new))

    p = dsub.add_parser("import", help="import a submission.json as a new draft / 导入申报记录")
    p.add_argument("file")
    p.add_argument("--title", default=None)
    p.add_argument("--to", choices=FORM_IDS, default=None,
                   help="carry the record over to another form (e.g. annex2-batch1-review)")
    p.set_defaults(handler=_guard(cmd_import))

    p = dsub.add_parser("carry-over", help="start an Annex 2 draft from an Annex 1 record or "
                                           "bundle / 由附件1记录或申报包生成复核草稿")
    p.add_argument("file", help="submission.json or bundle .zip")
    p.add_argument("--to", choices=FORM_IDS, default=REVIEW_FORM)
    p.add_argument("--title", default=None)
    p.add_argument("--attachments", action="store_true",
                   help="also carry a bundle's attachments / 一并转入申报包中的附件")
    p.set_defaults(handler=_guard(cmd_carry_over))

    p = dsub.add_parser("show", help="print a draft's record / 显示草稿")
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: the canonical submission.json")
    p.add_argument("-o", "--output", default=None, help="write the submission.json to a file")
    p.set_defaults(handler=_guard(cmd_show))

    p = dsub.add_parser("set", help="set a field (FIELD or TABLE[N].COLUMN; \"\" clears) / 填写字段")
    p.add_argument("id", type=int)
    p.add_argument("field")
    p.add_argument("value")
    p.set_defaults(handler=_guard(cmd_set))

    p = dsub.add_parser("delete-row", help="delete a table row / 删除表格行")
    p.add_argument("id", type=int)
    p.add_argument("table")
    p.add_argument("row", type=int)
    p.set_defaults(handler=_guard(cmd_delete_row))

    p = dsub.add_parser("history", help="recorded changes / 修改记录")
    p.add_argument("id", type=int)
    p.add_argument("field", nargs="?", default=None)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_guard(cmd_history))

    p = dsub.add_parser("restore", help="restore a draft as of a time / 恢复到某一时刻")
    p.add_argument("id", type=int)
    p.add_argument("--at", required=True,
                   help="ISO time, e.g. 2022-06-20T14:30:00 (local time unless it has an offset)")
    p.set_defaults(handler=_guard(cmd_restore_at))

    p = dsub.add_parser("finalize", help="finalize (read-only) / 定稿")
    p.add_argument("id", type=int)
    p.set_defaults(handler=_guard(cmd_finalize))

    p = dsub.add_parser("reopen", help="make a finalized draft editable / 重新打开")
    p.add_argument("id", type=int)
    p.set_defaults(handler=_guard(cmd_reopen))

    p = dsub.add_parser("delete", help=f"move a draft to the recycle bin (restorable for "
                                       f"{BIN_DAYS} days) / 删除草稿到回收站（{BIN_DAYS} 天内可恢复）")
    p.add_argument("id", type=int)
    p.add_argument("--finalized", action="store_true",
                   help="confirm deleting a finalized draft / 确认删除已定稿的草稿")
    p.set_defaults(handler=_guard(cmd_delete))

    p = dsub.add_parser("bin", help="the recycle bin: deleted drafts, and those purged "
                                    "/ 回收站")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_guard(cmd_bin))

    p = dsub.add_parser("undelete", help="restore a draft from the recycle bin / 从回收站恢复")
    p.add_argument("id", type=int)
    p.set_defaults(handler=_guard(cmd_undelete))

    p = dsub.add_parser("attach", help="add a supporting document / 添加附件")
    p.add_argument("id", type=int)
    p.add_argument("category")
    p.add_argument("file")
    p.add_argument("--max-mb", type=float, default=None, help="size limit (default 20 MB)")
    p.set_defaults(handler=_guard(cmd_attach))

    p = dsub.add_parser("attachments", help="list a draft's attachments / 附件列表")
    p.add_argument("id", type=int)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=_guard(cmd_attachments))

    p = add_parser(sub, "backup")
    p.set_defaults(handler=_guard(cmd_backup))

    p = add_parser(sub, "restore")
    p.add_argument("backup", nargs="?", default=None,
                   help="backup file (default: the best good one)")
    p.add_argument("--list", action="store_true", help="list the backups")
    p.add_argument("--force", action="store_true",
                   help="replace even a healthy database (or one of a newer version)")
    p.add_argument("--keep-current", action="store_true",
                   help="after a reported loss, go on with the database as it is")
    p.set_defaults(handler=_guard(cmd_restore))


def _guard(fn: Handler) -> Handler:
    """Turn the store's errors into their message (in the user's language) and exit code."""

    def run(args: argparse.Namespace) -> int:
        from giantdesk.fileops import FileOpError
        from giantdesk.store import StoreError

        try:
            return fn(args)
        except CommandError as exc:
            return fail(exc, args.lang)
        except (StoreError, FileOpError) as exc:
            return fail(CommandError(exc.message, exc.exit_code), args.lang)

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


def _open(lang: str, **kwargs: Any) -> Any:
    """The store, after purging the drafts deleted more than 30 days ago — said on stderr."""
    from giantdesk.store import open_store

    store = open_store(**kwargs)
    try:
        purged = store.purge_bin()
    except BaseException:
        store.close()
        raise
    for d in purged:
        sys.stderr.write(purge_notice(d).text(lang) + "\n")
    return store


def purge_notice(d: Any) -> Message:
    """"草稿 5「…」已在回收站中超过 30 天，已永久清除" — every purge is said."""
    return Message(f"草稿 {d.id}「{d.title}」在回收站中已超过 {BIN_DAYS} 天（{_local(d.deleted_at)} 删除），"
                   "已永久清除",
                   f"draft {d.id} “{d.title}” was in the recycle bin for over {BIN_DAYS} days (deleted "
                   f"{_local(d.deleted_at)}) and has been purged")


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _status(status: str, lang: str) -> str:
    return (Message("已定稿", "finalized") if status == "finalized"
            else Message("编辑中", "editing")).text(lang)


def cmd_list(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        infos = store.list_drafts()
    finally:
        store.close()
    if args.format == "json":
        print_json([{
            "id": d.id, "form": d.form_id, "form_version": d.form_version, "title": d.title,
            "status": d.status, "uscc": d.uscc, "enterprise": d.enterprise_name,
            "created_at": d.created_at.isoformat(), "updated_at": d.updated_at.isoformat(),
            "updated_by": d.updated_by,
            "finalized_at": d.finalized_at.isoformat() if d.finalized_at else None,
            **({"problems": [m.text(args.lang) for m in d.problems]} if d.problems else {}),
        } for d in infos])
        return EXIT_OK
    if not infos:
        print(Message("还没有草稿", "no drafts yet").text(args.lang))
    for d in infos:
        damage = "".join(f"\t⚠ {m.text(args.lang)}" for m in d.problems)
        print(f"{d.id}\t{d.form_id}\t{_status(d.status, args.lang)}\t{d.title}\t"
              f"{d.uscc or ''}\t{_local(d.updated_at)}\t{d.updated_by}{damage}")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        print(store.create_draft(args.form, args.title))
    finally:
        store.close()
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    record = read_record(args.file)
    if args.to is not None and args.to != record.form:
        return _carry(args, record, [])
    store = _open(args.lang)
    try:
        print(store.import_record(record, args.title, source=str(Path(args.file).name)))
    finally:
        store.close()
    return EXIT_OK


def cmd_carry_over(args: argparse.Namespace) -> int:
    from giantdesk.store.carryover import read_source_and_offers

    return _carry(args, *read_source_and_offers(Path(args.file)))


def _carry(args: argparse.Namespace, record: Any, offered: list[Any]) -> int:
    """Print the new draft's id; on stderr, what was carried and what is still to fill."""
    from giantdesk.store.carryover import carry_attachments, carry_over

    result = carry_over(record, args.to, today=today())
    bundle = Path(args.file)
    result.offered = offered
    store = _open(args.lang)
    try:
        draft_id = store.import_record(result.record, args.title,
                                       source=f"carry-over:{bundle.name}")
        added: list[Any] = []
        refused: list[tuple[Any, Message]] = []
        if result.offered and getattr(args, "attachments", False):
            added, refused = carry_attachments(store, draft_id, result.offered, bundle=bundle)
    finally:
        store.close()
    print(draft_id)
    lang = args.lang
    sys.stderr.write(result.report().text(lang) + "\n")
    if added:
        sys.stderr.write(Message(f"已转入附件 {len(added)} 个", f"{len(added)} attachment(s) "
                                 "carried").text(lang) + "\n")
    for offer, why in refused:
        sys.stderr.write(f"{offer.label.text(lang)}: {why.text(lang)}\n")
    if result.offered and not getattr(args, "attachments", False):
        sys.stderr.write(Message("加上 --attachments 可一并转入这些附件",
                                 "add --attachments to carry them too").text(lang) + "\n")
    return EXIT_OK


def _damage_report(problems: list[tuple[str, Message]], draft_id: int, lang: str) -> None:
    from giantdesk.store import DamagedContent

    sys.stderr.write(DamagedContent(draft_id, problems).message.text(lang) + "\n")


def cmd_show(args: argparse.Namespace) -> int:
    store = _open(args.lang, backup_on_start=False)
    try:
        record, problems = store.read_record(args.id)
        info = store.draft(args.id)
    finally:
        store.close()
    if problems and (args.output or args.format == "json"):
        # A submission.json must be the whole draft: never write part of one.
        _damage_report(problems, args.id, args.lang)
        return EXIT_UNREADABLE
    if args.output:
        from giantdesk.export.outfiles import write_file

        write_file(Path(args.output), dumps(record).encode("utf-8"))  # errors: named by _guard
        return EXIT_OK
    if args.format == "json":
        sys.stdout.write(dumps(record))
        return EXIT_OK
    definition = record.definition
    print(f"{info.id}\t{info.title}\t{record.form} {record.form_version}\t"
          f"{_status(info.status, args.lang)}")
    for field_id, f in definition.fields.items():
        if field_id in record.values:
            print(f"{field_id}\t{f.label.text(args.lang)}\t"
                  f"{display_text(f, record.values[field_id], args.lang)}")
    for table_id, rows in record.tables.items():
        table = definition.table(table_id)
        assert table is not None
        for n, row in enumerate(rows, start=1):
            for column in table.columns:
                if column.id in row:
                    print(f"{table_id}[{n}].{column.id}\t{column.label.text(args.lang)}\t"
                          f"{display_text(column, row[column.id], args.lang)}")
    if problems:
        _damage_report(problems, args.id, args.lang)
        return EXIT_UNREADABLE
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        result = store.set_input(args.id, args.field, args.value, today=today())
    finally:
        store.close()
    # Printed only now: set_input returned, so the change is committed and on disk.
    sys.stdout.write("saved\n")
    sys.stdout.flush()
    for warning in result.warnings:
        sys.stderr.write(f"{args.field}: {warning.message.text(args.lang)}\n")
    return EXIT_OK


def cmd_delete_row(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        store.delete_row(args.id, args.table, args.row)
    finally:
        store.close()
    print("saved")
    return EXIT_OK


def _show_json(value: Any) -> str:
    if value is None:
        return "∅"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def cmd_history(args: argparse.Namespace) -> int:
    store = _open(args.lang, backup_on_start=False)
    try:
        revisions = store.history(args.id, args.field)
    finally:
        store.close()
    damaged = [r for r in revisions if r.problem is not None]
    if args.format == "json":
        print_json([{"id": r.id, "at": r.at.isoformat(), "user": r.user, "action": r.action,
                     "path": r.path, "detail": r.detail, "old": r.old, "new": r.new,
                     **({"problem": r.problem.text(args.lang)} if r.problem else {})}
                    for r in revisions])
    else:
        for r in revisions:
            change = (f"⚠ {r.problem.text(args.lang)}" if r.problem is not None
                      else f"{_show_json(r.old)} → {_show_json(r.new)}")
            print(f"{r.id}\t{r.at.isoformat()}\t{r.user}\t{r.action}\t{r.where}\t{change}")
    if damaged:
        _damage_report([(Message(f"修改记录 {r.id}", f"revision {r.id}").text(args.lang),
                         r.problem) for r in damaged if r.problem is not None],
                       args.id, args.lang)
        return EXIT_UNREADABLE
    return EXIT_OK


def parse_when(text: str) -> datetime:
    """An ISO time; without an offset it is the computer's local time."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise CommandError(Message(
            f"无法识别的时间“{text}”，请写成 2022-06-20T14:30:00 这样的格式",
            f"cannot read the time “{text}”; write it like 2022-06-20T14:30:00"),
            EXIT_UNREADABLE) from exc
    if moment.tzinfo:
        return moment
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):  # year 1 or 9999 has no local offset here
        return moment.replace(tzinfo=UTC)


def cmd_restore_at(args: argparse.Namespace) -> int:
    at = parse_when(args.at)
    store = _open(args.lang)
    try:
        changed = store.restore_at(args.id, at)
    finally:
        store.close()
    print(Message(f"已恢复到 {at.isoformat()}（{changed} 处改动）",
                  f"restored to {at.isoformat()} ({changed} change(s))").text(args.lang))
    return EXIT_OK


def cmd_finalize(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        moment = store.finalize(args.id)
    finally:
        store.close()
    print(moment.isoformat())
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        store.reopen(args.id)
    finally:
        store.close()
    print(Message("已重新打开，可以编辑", "reopened for editing").text(args.lang))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        info = store.draft(args.id)
        moment = store.delete_draft(args.id, finalized=args.finalized)
    finally:
        store.close()
    print(Message(f"草稿 {info.id}「{info.title}」已移到回收站，{_local(moment)} 起 {BIN_DAYS} 天内可恢复"
                  f"（giantdesk drafts undelete {info.id}）",
                  f"draft {info.id} “{info.title}” moved to the recycle bin; restorable for "
                  f"{BIN_DAYS} days from {_local(moment)} (giantdesk drafts undelete {info.id})"
                  ).text(args.lang))
    return EXIT_OK


def cmd_undelete(args: argparse.Namespace) -> int:
    store = _open(args.lang)
    try:
        restored = store.undelete_draft(args.id)
        info = store.draft(args.id)
    finally:
        store.close()
    if not restored:
        print(Message(f"草稿 {info.id}「{info.title}」不在回收站中，没有改动",
                      f"draft {info.id} “{info.title}” is not in the recycle bin; nothing was "
                      "changed").text(args.lang))
        return EXIT_OK
    print(Message(f"草稿 {info.id}「{info.title}」已从回收站恢复",
                  f"draft {info.id} “{info.title}” restored from the recycle bin").text(args.lang))
    return EXIT_OK


def cmd_bin(args: argparse.Namespace) -> int:
    store = _open(args.lang, backup_on_start=False)
    try:
        binned, purged = store.binned(), store.purged()
    finally:
        store.close()
    if args.format == "json":
        print_json({
            "bin": [{"id": d.id, "form": d.form_id, "title": d.title, "status": d.status,
                     "deleted_at": d.deleted_at.isoformat() if d.deleted_at else None,
                     "purge_after": d.purge_after.isoformat() if d.purge_after else None}
                    for d in binned],
            "purged": [{"id": d.id, "form": d.form_id, "title": d.title,
                        "deleted_at": d.deleted_at.isoformat() if d.deleted_at else None,
                        "purged_at": d.purged_at.isoformat(), "by": d.purged_by}
                       for d in purged]})
        return EXIT_OK
    lang = args.lang
    if not binned:
        print(Message("回收站是空的", "the recycle bin is empty").text(lang))
    for d in binned:
        print(f"{d.id}\t{d.form_id}\t{_status(d.status, lang)}\t{d.title}\t"
              + Message(f"{_local(d.deleted_at)} 删除，{_local(d.purge_after)} 后永久清除",
                        f"deleted {_local(d.deleted_at)}, purged after {_local(d.purge_after)}"
                        ).text(lang))
    for p in purged:
        print(f"{p.id}\t{p.form_id}\t"
              + Message("已永久清除", "purged").text(lang) + f"\t{p.title}\t"
              + Message(f"{_local(p.deleted_at)} 删除，{_local(p.purged_at)} 清除（{p.purged_by}）",
                        f"deleted {_local(p.deleted_at)}, purged {_local(p.purged_at)} "
                        f"({p.purged_by})").text(lang))
    return EXIT_OK


#: The largest --max-mb: a bundle holds at most 2 GiB in all.
MAX_ATTACHMENT_MB = 2048


def cmd_attach(args: argparse.Namespace) -> int:
    kwargs: dict[str, Any] = {}
    if args.max_mb is not None:
        if not (math.isfinite(args.max_mb) and 0 < args.max_mb <= MAX_ATTACHMENT_MB):
            raise CommandError(Message(
                f"--max-mb 应为大于 0、不超过 {MAX_ATTACHMENT_MB} 的兆字节数，而不是“{args.max_mb}”",
                f"--max-mb expects a number of megabytes above 0 and at most "
                f"{MAX_ATTACHMENT_MB}, not “{args.max_mb}”"), EXIT_UNREADABLE)
        kwargs["max_attachment_bytes"] = int(args.max_mb * 1024 * 1024)
    store = _open(args.lang, **kwargs)
    try:
        info = store.add_attachment(args.id, args.category, Path(args.file))
    finally:
        store.close()
    print(f"{info.id}\t{info.category}\t{info.name}\t{info.size}\t{info.sha256}")
    return EXIT_OK


def cmd_attachments(args: argparse.Namespace) -> int:
    from giantdesk.store import CATEGORIES

    store = _open(args.lang, backup_on_start=False)
    try:
        infos = store.attachments(args.id)
    finally:
        store.close()
    if args.format == "json":
        print_json([{"id": a.id, "category": a.category, "name": a.name, "size": a.size,
                     "sha256": a.sha256, "media_type": a.media_type, "path": str(a.path),
                     "added_at": a.added_at.isoformat(), "added_by": a.added_by}
                    for a in infos])
        return EXIT_OK
    for a in infos:
        label = CATEGORIES[a.category].text(args.lang) if a.category in CATEGORIES else a.category
        print(f"{a.id}\t{label}\t{a.name}\t{a.size}\t{a.sha256[:16]}\t{_local(a.added_at)}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    store = _open(args.lang, backup_on_start=False)
    try:
        print(store.backup("manual"))
    finally:
        store.close()
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from giantdesk.store import Layout, keep_current_state, restore_newest_backup
    from giantdesk.store.backup import check_file, list_backups

    lang = args.lang
    if args.list:
        for path in list_backups(Layout.of()):
            problem = check_file(path)
            state = (Message("完好", "ok") if problem is None
                     else Message(f"损坏：{problem.zh}", f"damaged: {problem.en}"))
            print(f"{path}\t{state.text(lang)}")
        return EXIT_OK
    if args.keep_current:
        keep_current_state()
        print(Message("已接受数据库现有的内容，可以继续使用", "the database is kept as it is; "
                      "you can go on working").text(lang))
        return EXIT_OK
    chosen = Path(args.backup) if args.backup else None
    if chosen is not None and not chosen.is_file():
        raise CommandError(Message(f"找不到备份文件 {chosen}", f"no backup file {chosen}"),
                           EXIT_INVALID)
    result = restore_newest_backup(backup=chosen, force=args.force)
    print(Message(f"已从 {result.restored_from} 恢复", f"restored from {result.restored_from}")
          .text(lang))
    if result.hidden_changes:
        print(Message(
            f"注意：该备份截至 {_local(result.backup_last_change)}，不含此后记录的 "
            f"{result.hidden_changes} 处修改（最后一次修改于 {_local(result.last_change)}）",
            f"note: this backup ends at {_local(result.backup_last_change)} and does not hold "
            f"the {result.hidden_changes} change(s) recorded after it (the last at "
            f"{_local(result.last_change)})").text(lang))
    for kept in result.kept_aside:
        print(Message(f"原数据库文件保留在 {kept}", f"the previous file is kept at {kept}")
              .text(lang))
    return EXIT_OK
