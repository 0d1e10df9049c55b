"""``giantdesk doctor``: what support staff ask first — version, data folder, database,
credential store, fonts. It opens the store as the app does (checks it; an old database is
upgraded after a copy is taken) and writes nothing else. ``--deep`` also runs SQLite's full
integrity check and decodes every stored value, naming each damaged one."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from giantdesk import __version__
from giantdesk.commands import add_parser
from giantdesk.commands.common import EXIT_INVALID, EXIT_OK, print_json
from giantdesk.forms.messages import Message


def register(sub: Any) -> None:
    p = add_parser(sub, "doctor")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--deep", action="store_true",
                   help="also check every stored value / 逐项检查全部存储内容")
    p.set_defaults(handler=cmd_doctor)


def _keyring_status(lang: str) -> tuple[bool, str]:
    from giantdesk.export.signing import KeyringUnavailable, usable_backend

    try:
        backend = usable_backend()
    except KeyringUnavailable as exc:
        return False, exc.full.text(lang)
    return True, f"{type(backend).__module__}.{type(backend).__qualname__}"


def _store_status(lang: str, deep: bool) -> tuple[bool, str]:
    from giantdesk.fileops import FileOpError
    from giantdesk.store import Layout, StoreError

    try:
        layout = Layout.of()
    except (StoreError, FileOpError) as exc:
        return False, exc.message.text(lang)
    home = layout.root
    if not layout.db.exists():
        return True, f"{home}{Message('（尚无数据库）', ' (no database yet)').text(lang)}"
    try:
        from giantdesk.store import open_store

        with open_store(home, backup_on_start=False) as store:
            count = len(store.list_drafts())
            findings = []
            if deep:
                from giantdesk.store.deep_check import deep_check

                findings = deep_check(store)
    except (StoreError, FileOpError) as exc:
        return False, f"{home}: {exc.message.text(lang)}"
    drafts = Message(f"（{count} 份草稿", f" ({count} draft(s)").text(lang)
    close = Message("）", ")").text(lang)
    if findings:
        lines = [Message(f"发现 {len(findings)} 处损坏", f"{len(findings)} problem(s) found")
                 .text(lang)] + [f"  {f.text(lang)}" for f in findings[:50]]
        return False, f"{home}{drafts}{close}\n" + "\n".join(lines)
    checked = Message("，逐项检查无误", ", every stored value readable").text(lang) if deep else ""
    return True, f"{home}{drafts}{checked}{close}"


def _fonts_status(lang: str) -> tuple[bool, str]:
    from giantdesk.export.fonts import FontError, load_fonts

    try:
        fonts = load_fonts()
    except FontError as exc:  # what doctor is for: the shipped fonts missing or unusable
        return False, exc.message.text(lang)
    return True, Message(f"正文 {fonts.body}，标题 {fonts.heading}，符号 {fonts.symbol}",
                         f"body {fonts.body}, headings {fonts.heading}, symbols "
                         f"{fonts.symbol}").text(lang)


def cmd_doctor(args: argparse.Namespace) -> int:
    checks = {
        "version": (True, f"giantdesk {__version__}, Python {sys.version.split()[0]}"),
        "data": _store_status(args.lang, args.deep),
        "keyring": _keyring_status(args.lang),
        "fonts": _fonts_status(args.lang),
    }
    labels = {"version": Message("版本", "version"), "data": Message("数据文件夹", "data folder"),
              "keyring": Message("凭据存储（签名密钥）", "credential store (signing key)"),
              "fonts": Message("中文字体（打印件）", "CJK fonts (printed copies)")}
    if args.format == "json":
        print_json({k: {"ok": ok, "detail": detail} for k, (ok, detail) in checks.items()})
    else:
        for key, (ok, detail) in checks.items():
            print(f"{'✓' if ok else '✗'} {labels[key].text(args.lang)}: {detail}")
    return EXIT_OK if all(ok for ok, _ in checks.values()) else EXIT_INVALID
