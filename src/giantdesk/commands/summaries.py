"""``summarize``: the provincial summary tables (Annex 3 / Annex 4) from many bundles.

``giantdesk summarize annex3|annex4 BUNDLE_OR_DIR... --out FILE.xlsx [--docx FILE.docx]
[--trust KEYID ...] [--trust-file FILE] [--accept-key KEYID ...] [--as-of YYYY-MM-DD]
[--definition FILE.json] [--force]``

The department's trust file (default ``trusted-keys.json`` in GiantDesk's data folder) records
the first signing key seen for each enterprise; a bundle signed by another key is not summarized
unless ``--accept-key`` names it (see ``giantdesk.export.trust``).

Exit 0: every bundle verified and summarized; 1: some were not (they are listed in the
workbook's problems sheet and on stderr), or an output file exists with other content and
``--force`` was not given; 2: nothing could be read (no bundle found, none a readable zip), a
bad command line or definition, or an output that cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from giantdesk import fileops
from giantdesk.commands import add_parser
from giantdesk.commands.common import (
    EXIT_INVALID,
    EXIT_UNREADABLE,
    CommandError,
    fail,
    today,
)
from giantdesk.export.outfiles import check_target, write_file
from giantdesk.export.signing import normalize_key_id
from giantdesk.forms.messages import Message

if TYPE_CHECKING:
    from giantdesk.export.trust import TrustFile


def register(sub: Any) -> None:
    p = add_parser(
        sub, "summarize",
        description="Annex 3 推荐汇总表 (annex3, 4th-batch bundles) or Annex 4 复核情况汇总表 "
                    "(annex4, 1st-batch review bundles). The columns are GiantDesk's own "
                    "proposal, not the official template (see docs/summaries.md).")
    p.add_argument("table", metavar="annex3|annex4",
                   help="annex3 (推荐汇总表) or annex4 (复核情况汇总表)")
    p.add_argument("inputs", nargs="+", metavar="BUNDLE_OR_DIR",
                   help="bundle .zip files, or folders searched for them")
    p.add_argument("--out", required=True, metavar="FILE.xlsx", help="the editable workbook")
    p.add_argument("--docx", metavar="FILE.docx", help="also a printable table (landscape A4)")
    p.add_argument("--trust", nargs="+", action="extend", default=[], metavar="KEYID",
                   help="accept only bundles signed by these key ids")
    p.add_argument("--trust-file", metavar="FILE",
                   help="the department's key bindings per enterprise (default: "
                        "trusted-keys.json in the data folder)")
    p.add_argument("--accept-key", nargs="+", action="extend", default=[], metavar="KEYID",
                   help="accept these key ids for enterprises whose earlier bundles had another")
    p.add_argument("--as-of", metavar="YYYY-MM-DD",
                   help="the day the records are checked on (default today)")
    p.add_argument("--definition", metavar="FILE.json",
                   help="use these columns instead of the shipped ones")
    p.add_argument("--force", action="store_true",
                   help="replace output files that exist with other content")
    p.set_defaults(handler=cmd_summarize)


def _as_of(text: str | None) -> date:
    if text is None:
        return today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(Message(f"--as-of 应为 YYYY-MM-DD 形式的日期，而不是“{text}”",
                                   f"--as-of expects a date YYYY-MM-DD, not “{text}”")) from None


def _trust(values: list[str], option: str = "--trust") -> list[str]:
    keys: list[str] = []
    for value in values:
        key = normalize_key_id(value)
        if key is None:
            raise CommandError(Message(
                f"{option} 应为 16 位十六进制的密钥编号（如 3F2A 9C1B 77D0 E4A2），而不是“{value}”",
                f"{option} expects a 16-hex-digit key id (e.g. 3F2A 9C1B 77D0 E4A2), not "
                f"“{value}”"))
        if key not in keys:
            keys.append(key)
    return keys


def _load_trust_file(given: str | None) -> TrustFile:
    from giantdesk.export.trust import FILE_NAME, TrustFile, TrustFileError
    from giantdesk.store.errors import StoreError
    from giantdesk.store.paths import data_dir

    try:
        path = Path(given) if given else data_dir() / FILE_NAME
        return TrustFile.load(path)
    except StoreError as exc:  # the data folder cannot be created (read-only, a file in the way)
        raise CommandError(exc.message, exc.exit_code) from exc
    except TrustFileError as exc:
        raise CommandError(exc.message) from exc


def _check_target(path: Path, data: bytes, force: bool) -> bool:
    """True when ``path`` must be written; raises when it holds other content (the province
    may have filled in the previous workbook: never overwrite that silently), and for a folder
    or anything that is not a regular file (never replaced, not even with --force)."""
    try:
        if not check_target(path):
            return True
    except fileops.FileOpError as exc:
        raise CommandError(exc.message, exc.exit_code) from None
    try:
        same = fileops.read_limited(path, len(data)) == data
    except OSError:
        same = False
    if same:
        return False
    if not force:
        raise CommandError(Message(
            f"{path} 已存在且内容不同（可能已填写过），未覆盖；请换一个文件名，或加 --force 覆盖",
            f"{path} exists with other content (it may have been filled in) and was not "
            f"replaced; choose another name, or add --force"), EXIT_INVALID)
    return True


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: an interrupted run leaves the old file or the new
    one, never half of one; retried while Excel or an antivirus holds the old file."""
    try:
        write_file(path, data)
    except fileops.FileOpError as exc:
        raise CommandError(exc.message) from None


def cmd_summarize(args: argparse.Namespace) -> int:
    lang: str = args.lang
    try:
        return _summarize(args, lang)
    except CommandError as exc:
        return fail(exc, lang)


def _summarize(args: argparse.Namespace, lang: str) -> int:
    # Imported here: openpyxl and the renderers are not needed by the other commands.
    from giantdesk.summaries.collect import collect
    from giantdesk.summaries.render_docx import render_docx
    from giantdesk.summaries.render_xlsx import render_xlsx
    from giantdesk.summaries.tables import (
        ALIASES,
        SummaryDefinitionError,
        load_summary,
        load_summary_file,
        resolve_id,
    )

    wanted = resolve_id(args.table)
    if wanted is None:
        raise CommandError(Message(
            f"汇总表应为 annex3（推荐汇总表）或 annex4（复核情况汇总表），而不是“{args.table}”",
            f"the table must be annex3 (recommendation summary) or annex4 (review summary), "
            f"not “{args.table}”"))
    as_of = _as_of(args.as_of)
    trust = _trust(args.trust)
    accept = _trust(args.accept_key, "--accept-key")
    trust_file = _load_trust_file(args.trust_file)
    try:
        definition = (load_summary_file(Path(args.definition)) if args.definition
                      else load_summary(wanted))
    except SummaryDefinitionError as exc:
        raise CommandError(exc.message) from exc
    if args.definition and definition.form != load_summary(wanted).form:
        short = next(k for k, v in ALIASES.items() if v == wanted)
        raise CommandError(Message(
            f"{args.definition} 汇总的是 {definition.form}，与 {short} 的申请书"
            f"（{load_summary(wanted).form}）不符",
            f"{args.definition} summarizes {definition.form}, not {short}'s form "
            f"({load_summary(wanted).form})"))
    out = Path(args.out)
    docx_path = Path(args.docx) if args.docx else None
    for target, suffix in ((out, ".xlsx"), (docx_path, ".docx")):
        if target is not None and target.suffix.lower() != suffix:
            raise CommandError(Message(f"{target} 的扩展名应为 {suffix}",
                                       f"{target} should end in {suffix}"))

    show_progress = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if show_progress:
            sys.stderr.write(f"\r[{done}/{total}] {name[-60:]:<60}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    summary = collect(definition, [Path(p) for p in args.inputs], as_of=as_of, trust=trust,
                      lang=lang, progress=progress, trust_file=trust_file, accept=accept)
    if trust_file.changed:
        from giantdesk.export.trust import TrustFileError

        try:
            trust_file.save()
        except TrustFileError as exc:
            raise CommandError(exc.message) from exc
    for problem in summary.problems:
        tag = Message("问题", "problem") if problem.severity == "error" else \
            Message("提示", "warning")
        sys.stderr.write(f"{tag.text(lang)}: {problem.file}: {problem.message.text(lang)}"
                         f" [{problem.code}]\n")
    if summary.exit_code == EXIT_UNREADABLE:
        sys.stderr.write(Message("没有可读取的文件包，未生成汇总表",
                                 "no bundle could be read; no summary written").text(lang)
                         + "\n")
        return EXIT_UNREADABLE

    outputs = [(out, render_xlsx(summary))]
    if docx_path is not None:
        outputs.append((docx_path, render_docx(summary)))
    needed = [(path, data) for path, data in outputs if _check_target(path, data, args.force)]
    for path, data in needed:
        _write(path, data)
    enterprises = len({e.record.values.get("enterprise.uscc") for e in summary.entries})
    sys.stdout.write(Message(
        f"已汇总 {len(summary.rows)} 个文件包（{enterprises} 家企业）；"
        f"{len(summary.errors)} 项问题未汇总，{len(summary.warnings)} 项提示",
        f"summarized {len(summary.rows)} bundle(s) ({enterprises} enterprise(s)); "
        f"{len(summary.errors)} problem(s) not summarized, {len(summary.warnings)} "
        f"warning(s)").text(lang) + "\n")
    for path, _ in outputs:
        sys.stdout.write(f"{Message('输出', 'output').text(lang)}: {path}\n")
    sys.stdout.write(f"{Message('信任文件', 'trust file').text(lang)}: {trust_file.path}\n")
    return summary.exit_code
