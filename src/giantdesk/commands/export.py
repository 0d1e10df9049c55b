"""``export``, ``verify`` and ``demo``: the signed bundle from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
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
from giantdesk.export.attachments import Attachment, AttachmentError, parse_attach_arg
from giantdesk.export.bundle import BundleResult, ExportError, export_bundle, finalization_time
from giantdesk.export.signing import KeyringUnavailable, normalize_key_id
from giantdesk.forms.messages import Message
from giantdesk.forms.record import check_limits, problems_message


def register(sub: Any) -> None:
    p = add_parser(sub, "export")
    p.add_argument("file", nargs="?", help="a record file (submission JSON)")
    p.add_argument("--draft", type=int, metavar="ID", help="export a draft of this PC instead")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for the bundle")
    p.add_argument("--attach", action="append", default=[], metavar="CATEGORY=PATH",
                   help="a supporting document (repeatable)")
    p.set_defaults(handler=cmd_export)

    p = add_parser(sub, "verify")
    p.add_argument("bundle")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--trust", metavar="KEYID", help="accept only this signing key id")
    p.add_argument("--trust-file", metavar="FILE",
                   help="accept only the key this trust file (kept by summarize) lists for the "
                        "enterprise's USCC")
    p.set_defaults(handler=cmd_verify)

    p = add_parser(sub, "demo")
    p.add_argument("--out", default=".", metavar="DIR", help="folder (default: current)")
    p.set_defaults(handler=cmd_demo)


# --------------------------------------------------------------------------------------------
# export / demo


def _progress_printer() -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent != last[0]:
            last[0] = percent
            sys.stderr.write(f"\r导出中 / exporting… {percent:3d}%")
            if percent == 100:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return show


def _print_result(result: BundleResult, lang: str) -> None:
    for label, value in ((Message("已导出", "bundle"), str(result.path)),
                         (Message("记录指纹", "fingerprint"), result.fingerprint),
                         (Message("签名密钥编号", "key id"), result.key_id)):
        print(f"{label.text(lang)}: {value}")


def _attachments(args: argparse.Namespace) -> list[Attachment]:
    try:
        parsed = [parse_attach_arg(text) for text in args.attach]
    except AttachmentError as exc:
        raise CommandError(exc.message, EXIT_UNREADABLE) from None
    # The same intake as `drafts attach`: regular files only, checked by content, size limit.
    from giantdesk.store.attachments import check_in_place
    from giantdesk.store.errors import StoreError

    checked = []
    for attachment in parsed:
        try:
            found = check_in_place(attachment.path)
        except StoreError as exc:
            raise CommandError(exc.message, exc.exit_code) from None
        checked.append(Attachment(attachment.category, attachment.path, attachment.name,
                                  found.size, found.sha256))
    return checked


def _from_draft(draft_id: int) -> tuple[Any, Any, list[Attachment]]:
    from giantdesk.store import load_draft_for_export
    from giantdesk.store.errors import StoreError

    try:
        record, finalized_at, refs = load_draft_for_export(draft_id)
    except StoreError as exc:
        raise CommandError(exc.message, exc.exit_code) from None
    over = check_limits(record)  # a draft stored before the limits existed
    if over:
        raise CommandError(problems_message(Message(
            f"草稿 {draft_id} 中有无法保存或打印的内容：",
            f"draft {draft_id} holds what cannot be stored or printed:"), over),
            EXIT_INVALID, tuple(over))
    attachments = [Attachment(r.category, Path(r.path), r.name, r.size, r.sha256) for r in refs]
    return record, finalized_at, attachments


def cmd_export(args: argparse.Namespace) -> int:
    try:
        if (args.file is None) == (args.draft is None):
            raise CommandError(Message("请给出记录文件或 --draft 编号（二选一）",
                                       "give either a record FILE or --draft ID (one of them)"))
        extra = _attachments(args)
        if args.file is not None:
            record, finalized_at, attachments = read_record(args.file), None, extra
        else:
            record, finalized_at, attachments = _from_draft(args.draft)
            attachments = [*attachments, *extra]
        if finalized_at is None:
            finalized_at = finalization_time()
        result = export_bundle(record, Path(args.out), attachments=attachments,
                               finalized_at=finalized_at, progress=_progress_printer(),
                               today=today())
    except CommandError as exc:
        return fail(exc, args.lang)
    except ExportError as exc:
        return fail(CommandError(exc.message, exc.exit_code), args.lang)
    except KeyringUnavailable as exc:  # with the technical detail the GUI leaves out
        return fail(CommandError(exc.full, EXIT_INVALID), args.lang)
    except KeyboardInterrupt:
        return fail(CommandError(Message("\n导出已取消，未留下任何文件",
                                         "\nexport cancelled; no file was left"),
                                 EXIT_INVALID), args.lang)
    _print_result(result, args.lang)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from giantdesk.export.demo import run_demo
    from giantdesk.export.signing import Signer, load_or_create_signer

    try:
        try:
            signer = load_or_create_signer()
        except KeyringUnavailable as exc:
            # The demo's data are fictional: rather than fail, sign it with a throwaway key that
            # lives only in memory (nothing is stored anywhere) and say so.
            signer = Signer.generate()
            sys.stderr.write(Message(
                f"提示：{exc.full.zh}\n本示例改用一次性演示密钥签名（仅在内存中，未保存）。",
                f"note: {exc.full.en}\nThis demo is signed with a throwaway demo key (kept in "
                f"memory only, never stored).").text(args.lang) + "\n")
        result = run_demo(Path(args.out), signer=signer, progress=_progress_printer())
    except ExportError as exc:
        return fail(CommandError(exc.message, exc.exit_code), args.lang)
    except KeyringUnavailable as exc:  # with the technical detail the GUI leaves out
        return fail(CommandError(exc.full, EXIT_INVALID), args.lang)
    except KeyboardInterrupt:
        return fail(CommandError(Message("\n已取消，未留下任何文件", "\ncancelled; no file was left"),
                                 EXIT_INVALID), args.lang)
    _print_result(result, args.lang)
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# verify

_MARK = {"pass": "✓", "fail": "✗", "info": "·"}


def cmd_verify(args: argparse.Namespace) -> int:
    from giantdesk.export.verify import verify_bundle

    trust = None
    if args.trust is not None:
        trust = normalize_key_id(args.trust)
        if trust is None:
            return fail(CommandError(Message(
                f"--trust 应为 16 位十六进制的密钥编号（如 3F2A 9C1B 77D0 E4A2），而不是“{args.trust}”",
                f"--trust expects a 16-hex-digit key id (e.g. 3F2A 9C1B 77D0 E4A2), not "
                f"“{args.trust}”")), args.lang)
    trust_file = None
    if args.trust_file is not None:
        from giantdesk.export.trust import TrustFile, TrustFileError

        try:
            trust_file = TrustFile.load(Path(args.trust_file), missing_ok=False)
        except TrustFileError as exc:
            return fail(CommandError(exc.message, EXIT_UNREADABLE), args.lang)
    report = verify_bundle(Path(args.bundle), trust=trust, trust_file=trust_file, today=today())
    lang = args.lang
    if args.format == "json":
        print_json(report.as_json(lang))
        return report.exit_code
    if report.key_id is not None:  # who signed comes first: compare it with the paper copy
        print(Message(f"签名密钥编号：{report.key_id}", f"signing key id: {report.key_id}")
              .text(lang))
    for check in report.checks:
        print(f"{_MARK.get(check.status, '?')} {check.message.text(lang)}")
    if report.valid:
        print(Message(f"结论：有效。记录指纹 {report.fingerprint}，签名密钥编号 {report.key_id}",
                      f"Result: VALID. Fingerprint {report.fingerprint}, key id "
                      f"{report.key_id}").text(lang))
        return EXIT_OK
    problem = report.problem
    assert problem is not None
    lines = [Message("结论：无效", "Result: INVALID") if report.readable else
             Message("结论：无法读取", "Result: UNREADABLE"), problem.message]
    if problem.member:
        lines.append(Message(f"成员：{problem.member}", f"member: {problem.member}"))
    if problem.expected is not None:
        lines.append(Message(f"应为：{problem.expected_text('zh')}",
                             f"expected: {problem.expected_text('en')}"))
    if problem.found is not None:
        lines.append(Message(f"实为：{problem.found_text('zh')}",
                             f"found: {problem.found_text('en')}"))
    print("\n".join(m.text(lang) for m in lines))
    return report.exit_code
