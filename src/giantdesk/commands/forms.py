"""``forms``, ``check``, ``rules`` and ``schema``: the form core from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from giantdesk.commands import add_parser
from giantdesk.commands.common import (
    EXIT_INVALID,
    EXIT_OK,
    CommandError,
    fail,
    print_json,
    read_record,
    today,
)
from giantdesk.forms.definitions import FORM_IDS, load_definition
from giantdesk.forms.messages import Message
from giantdesk.forms.rules import Status, check_rules, load_ruleset
from giantdesk.forms.schema import record_schema
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import Findings, validate


def register(sub: Any) -> None:
    p = add_parser(sub, "forms")
    p.set_defaults(handler=cmd_forms)

    p = add_parser(sub, "check")
    p.add_argument("file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_check)

    p = add_parser(sub, "rules")
    p.add_argument("file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(handler=cmd_rules)

    p = add_parser(sub, "schema")
    p.add_argument("form", choices=FORM_IDS)
    p.set_defaults(handler=cmd_schema)


def cmd_forms(args: argparse.Namespace) -> int:
    for form_id in FORM_IDS:
        definition = load_definition(form_id)
        print(f"{form_id}\t{definition.version}\t{definition.title.text(args.lang)}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    try:
        record = read_record(args.file)
    except CommandError as exc:
        if not exc.problems:
            return fail(exc, args.lang)
        # Readable, but holding what cannot be stored or printed: listed like any other error.
        findings = Findings(errors=list(exc.problems))
    else:
        findings = validate(record, today=today())
    valid = not findings.errors
    if args.format == "json":
        print_json({
            "valid": valid,
            "errors": [p.as_json(args.lang) for p in findings.errors],
            "warnings": [p.as_json(args.lang) for p in findings.warnings],
        })
    else:
        label = {"error": Message("错误", "error"), "warning": Message("提示", "warning")}
        for kind, problems in (("error", findings.errors), ("warning", findings.warnings)):
            for p in problems:
                print(f"{label[kind].text(args.lang)}\t{p.path}\t{p.message.text(args.lang)}")
        summary = Message(f"{len(findings.errors)} 个错误，{len(findings.warnings)} 个提示",
                          f"{len(findings.errors)} error(s), {len(findings.warnings)} warning(s)")
        print(summary.text(args.lang))
    return EXIT_OK if valid else EXIT_INVALID


_STATUS_TEXT = {
    Status.PASS: Message("满足", "pass"), Status.FAIL: Message("不满足", "fail"),
    Status.WARN: Message("存疑", "warn"), Status.NA: Message("未判定", "n/a"),
}


def cmd_rules(args: argparse.Namespace) -> int:
    try:
        record = read_record(args.file)
    except CommandError as exc:
        return fail(exc, args.lang)
    ok, results = check_rules(record, Scope.of(record, today()))
    if args.format == "json":
        print_json({"eligible": ok, "rules": [r.as_json(args.lang) for r in results]})
    else:
        ruleset = load_ruleset(record.rules)
        print(ruleset.notice.text(args.lang))
        for r in results:
            group = ruleset.groups[r.group].text(args.lang)
            print(f"{r.id}\t{_STATUS_TEXT[r.status].text(args.lang)}\t{group}\t"
                  f"{r.message.text(args.lang)}")
        verdict = (Message("结论：满足全部认定条件", "Result: meets every criterion") if ok else
                   Message("结论：尚不满足认定条件（见上）", "Result: not yet eligible (see above)"))
        print(verdict.text(args.lang))
    sys.stdout.flush()
    return EXIT_OK if ok else EXIT_INVALID


def cmd_schema(args: argparse.Namespace) -> int:
    print_json(record_schema(load_definition(args.form)))
    return EXIT_OK
