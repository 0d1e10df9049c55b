"""Read many bundles into the rows of a summary table.

Every bundle is checked with :func:`giantdesk.export.verify.verify_bundle` first. A bundle that is
not a readable zip, fails any check, is signed by a key outside ``--trust``, or is of another form
than the summary's is **not** summarized: it is listed among the problems with the first thing
that is wrong. The record summarized is exactly the bytes verify checked (the bundle is read
once, in memory; nothing is extracted), so a file swapped after verification cannot slip in.
Several bundles of the same enterprise (same USCC) are all kept and flagged as duplicates,
because only the province can tell which one counts. With a trust file
(:mod:`giantdesk.export.trust`), the first key seen for an enterprise is recorded and a bundle
signed by another key is not summarized unless that key is accepted explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from giantdesk.export.bundle import RECORD
from giantdesk.export.trust import FLAGGED, TRUSTED, TrustFile, key_changed
from giantdesk.export.verify import Report, verify_bundle
from giantdesk.forms.computed import round2
from giantdesk.forms.messages import Message
from giantdesk.forms.model import FieldDef
from giantdesk.forms.record import RecordError, Submission, loads
from giantdesk.forms.rules import (
    RULE_ORDER,
    RuleResult,
    Status,
    check_rules,
    group_met,
    load_ruleset,
)
from giantdesk.forms.scope import Scope
from giantdesk.forms.values import display_text
from giantdesk.summaries.tables import Column, Source, SummaryDefinition

CellValue = str | int | Decimal | None
#: ``progress(done, total, file)`` after each bundle.
Progress = Callable[[int, int, str], None]

ERROR, WARNING = "error", "warning"

STATUS_TEXT = {
    Status.PASS: Message("符合", "met"),
    Status.FAIL: Message("不符合", "not met"),
    Status.WARN: Message("需核实", "to check"),
    Status.NA: Message("数据不全", "incomplete"),
}
ELIGIBLE = Message("符合全部条件", "meets every criterion")
NOT_ELIGIBLE = Message("不符合", "not met")
INCOMPLETE = Message("数据不全", "incomplete")
PASSED = Message("通过", "passed")
NOT_PASSED = Message("不通过", "not passed")
VERIFIED = Message("已验证", "verified")
VERIFIED_TRUSTED = Message("已验证（受信任密钥）", "verified (trusted key)")


@dataclass(frozen=True)
class BundleProblem:
    """A bundle that was not summarized (``error``) or is summarized but flagged (``warning``)."""

    file: str
    code: str
    message: Message
    member: str | None = None
    expected: str | None = None
    found: str | None = None
    severity: str = ERROR


@dataclass(frozen=True)
class Entry:
    """One verified bundle and what the rules say about its record."""

    file: str
    report: Report
    record: Submission
    scope: Scope
    eligible: bool
    results: dict[str, RuleResult]
    trusted: bool
    duplicates: tuple[str, ...] = ()  # the other files with the same USCC


@dataclass(frozen=True)
class Cell:
    value: CellValue
    format: str  # tables.FORMATS
    suggested: bool = False  # a prefilled suggestion in a column the province fills


@dataclass(frozen=True)
class Summary:
    definition: SummaryDefinition
    as_of: date
    lang: str
    entries: tuple[Entry, ...]
    rows: tuple[tuple[Cell, ...], ...]
    problems: tuple[BundleProblem, ...]
    trusted_keys: tuple[str, ...]
    found: int  # bundle files found
    readable: int  # of which could be opened as zips

    @property
    def errors(self) -> tuple[BundleProblem, ...]:
        return tuple(p for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> tuple[BundleProblem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)

    @property
    def exit_code(self) -> int:
        """0 every bundle verified, 1 some were not, 2 nothing could be read."""
        if self.readable == 0:
            return 2
        return 1 if self.errors else 0


# ----------------------------------------------------------------------------------------------
# Finding the bundles

def find_bundles(inputs: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[BundleProblem]]:
    """The bundle files named by ``inputs`` (files, or folders searched recursively for
    ``*.zip``), each with the name shown in the summary; and the inputs that name nothing."""
    found: list[tuple[Path, str]] = []
    problems: list[BundleProblem] = []
    seen: set[Path] = set()

    def add(path: Path, shown: str) -> None:
        key = Path(os.path.realpath(path))  # never raises: a link loop is named when read
        if key not in seen:
            seen.add(key)
            found.append((path, shown))

    for given in inputs:
        if given.is_dir():
            zips = sorted(_walk_zips(given))
            if not zips:
                problems.append(BundleProblem(str(given), "input.empty", Message(
                    f"文件夹 {given} 中没有 .zip 文件包", f"the folder {given} holds no .zip bundle")))
            for path in zips:
                add(path, path.relative_to(given).as_posix())
        elif given.exists():
            add(given, given.name)
        else:
            problems.append(BundleProblem(str(given), "file.unreadable", Message(
                f"找不到 {given}", f"{given} does not exist")))
    return found, problems


def _walk_zips(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in files:
            if name.lower().endswith(".zip") and not name.startswith("."):
                yield Path(root) / name


# ----------------------------------------------------------------------------------------------
# Reading them

def collect(definition: SummaryDefinition, inputs: Sequence[Path], *, as_of: date,
            trust: Sequence[str] = (), lang: str = "zh",
            progress: Progress | None = None, trust_file: TrustFile | None = None,
            accept: Sequence[str] = (), now: datetime | None = None) -> Summary:
    """Verify every bundle named by ``inputs`` and build the summary's rows.

    ``trust``: canonical key ids (``giantdesk.export.signing.normalize_key_id``); when given, a
    bundle signed by any other key is a problem. ``as_of`` is the day the records are checked
    against (dates in the future, the rules). ``trust_file``: the department's key bindings,
    updated in memory (the caller saves it): an enterprise's first key is recorded, another key
    later is a problem unless it is in ``accept`` (then it is recorded as trusted too)."""
    files, problems = find_bundles(inputs)
    trusted = tuple(trust)
    binding = _Binding(trust_file, tuple(accept), now) if trust_file is not None else None
    entries: list[Entry] = []
    readable = 0
    for done, (path, shown) in enumerate(files, start=1):
        entry, problem, was_readable = _read_one(definition, path, shown, as_of, trusted,
                                                 lang, binding)
        readable += was_readable
        if entry is not None:
            entries.append(entry)
        if problem is not None:
            problems.append(problem)
        if progress is not None:
            progress(done, len(files), shown)
    entries, duplicate_problems = _flag_duplicates(entries, lang)
    entries.sort(key=lambda e: _sort_key(definition, e, lang))
    rows = tuple(tuple(cell(definition, column, entry, number, lang)
                       for column in definition.columns)
                 for number, entry in enumerate(entries, start=1))
    return Summary(definition, as_of, lang, tuple(entries), rows,
                   tuple(problems + duplicate_problems), trusted, len(files), readable)


def _from_report(shown: str, report: Report, lang: str) -> BundleProblem:
    assert report.problem is not None
    p = report.problem
    return BundleProblem(shown, p.code, p.message, p.member, p.expected_text(lang),
                         p.found_text(lang))


@dataclass(frozen=True)
class _Binding:
    trust_file: TrustFile
    accept: tuple[str, ...]
    now: datetime | None

    def check(self, shown: str, report: Report, record: Submission) -> BundleProblem | None:
        """None when the key is the enterprise's trusted one (recorded now if it is the first
        seen); a warning when a new key is accepted; an error when it differs."""
        uscc, key_id = report.uscc or "", report.key_id or ""
        name = record.values.get("enterprise.name")
        name = name if isinstance(name, str) else ""
        fp = report.fingerprint or ""
        enterprise = self.trust_file.enterprise(uscc)
        if enterprise is None or not enterprise.trusted():
            self.trust_file.see(uscc, name, key_id, shown, fp, TRUSTED, self.now)
            return None
        seen = enterprise.find(key_id)
        if seen is not None and seen.status == TRUSTED:
            return None
        known = enterprise.trusted()[0]
        if key_id in self.accept:
            self.trust_file.see(uscc, name, key_id, shown, fp, TRUSTED, self.now)
            return BundleProblem(shown, "trust.key_accepted", Message(
                f"签名密钥与该企业以前的密钥 {known.key_id} 不同，已按 --accept-key 接受 {key_id}",
                f"the signing key differs from this enterprise's earlier key {known.key_id}; "
                f"{key_id} was accepted (--accept-key)"), "manifest.sig", known.key_id, key_id,
                WARNING)
        self.trust_file.see(uscc, name, key_id, shown, fp, FLAGGED, self.now)
        changed = key_changed(uscc, known, key_id)
        return BundleProblem(shown, "trust.key_changed", Message(
            f"{changed.zh}。请核对纸质申请书盖章处印的签名密钥编号；"
            f"确属企业更换了密钥时，用 --accept-key {key_id} 重新汇总",
            f"{changed.en}. Check the key id printed beside the seal on the paper copy; if the "
            f"enterprise really changed its key, summarize again with --accept-key {key_id}"),
            "manifest.sig", known.key_id, key_id)


def _read_one(definition: SummaryDefinition, path: Path, shown: str, as_of: date,
              trusted: tuple[str, ...], lang: str,
              binding: _Binding | None) -> tuple[Entry | None, BundleProblem | None, bool]:
    report = verify_bundle(path, today=as_of)
    if not report.readable:
        return None, _from_report(shown, report, lang), False
    signature_ok = any(c.id == "signature" and c.status == "pass" for c in report.checks)
    if trusted and signature_ok and report.key_id not in trusted:
        # verify checks the trusted key right after the signature: the same order here.
        return None, BundleProblem(
            shown, "signature.untrusted",
            Message("签名密钥不在所信任的密钥编号之中", "the bundle is signed by a key that is not "
                    "among the trusted key ids"),
            "manifest.sig", " / ".join(trusted), report.key_id), True
    if report.problem is not None:
        return None, _from_report(shown, report, lang), True
    if report.form != definition.form:
        want = definition.form_definition.short_title
        return None, BundleProblem(
            shown, "summary.form",
            Message(f"这是 {report.form} 的文件包，本汇总表只汇总“{want.zh}”",
                    f"this is a bundle of {report.form}; this summary takes only “{want.en}”"),
            "manifest.json", definition.form, report.form), True
    data = report.verified_record  # the bytes verify checked: the file is not read again
    assert data is not None
    try:
        record = loads(data)
    except RecordError:  # verify read these very bytes: cannot happen
        return None, BundleProblem(shown, "record.unreadable", Message(
            "记录无法读取", "the record cannot be read"), RECORD), True
    note = binding.check(shown, report, record) if binding is not None else None
    if note is not None and note.severity == ERROR:
        return None, note, True
    scope = Scope.of(record, as_of)
    eligible, results = check_rules(record, scope)
    return Entry(shown, report, record, scope, eligible, {r.id: r for r in results},
                 bool(trusted)), note, True


def _uscc(entry: Entry) -> str:
    value = entry.record.values.get("enterprise.uscc")
    return value if isinstance(value, str) else ""


def _flag_duplicates(entries: list[Entry],
                     lang: str) -> tuple[list[Entry], list[BundleProblem]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(_uscc(entry), []).append(entry)
    problems: list[BundleProblem] = []
    flagged: list[Entry] = []
    for uscc, group in sorted(groups.items()):
        if len(group) == 1:
            flagged.append(group[0])
            continue
        names = sorted(e.file for e in group)
        same = len({e.report.fingerprint for e in group}) == 1
        problems.append(BundleProblem(
            "、".join(names) if not lang.startswith("en") else ", ".join(names),
            "duplicate.uscc",
            Message(f"统一社会信用代码 {uscc} 出现在 {len(group)} 个文件包中"
                    + ("（记录相同）" if same else "（记录不同，请确认以哪一份为准）"),
                    f"the USCC {uscc} is in {len(group)} bundles"
                    + (" (the same record)" if same else
                       " (different records: decide which one counts)")),
            severity=WARNING))
        for entry in group:
            others = tuple(n for n in names if n != entry.file)
            flagged.append(Entry(entry.file, entry.report, entry.record, entry.scope,
                                 entry.eligible, entry.results, entry.trusted, others))
    return flagged, problems


def _sort_key(definition: SummaryDefinition, entry: Entry, lang: str) -> tuple[str, ...]:
    form = entry.record.definition
    key: list[str] = []
    for field_id in definition.sort:
        f = form.field(field_id)
        value = entry.scope.get(field_id)
        key.append(display_text(f, value, lang) if f is not None and value is not None
                   and not isinstance(value, Decimal) else str(value or ""))
    return (*key, entry.file)


# ----------------------------------------------------------------------------------------------
# Cells

def cell(definition: SummaryDefinition, column: Column, entry: Entry, number: int,
         lang: str) -> Cell:
    if column.source.kind == "manual":
        prefill = column.source.prefill
        if prefill is None:
            return Cell(None, column.format)
        value = _value(prefill, column.format, entry, number, lang)
        return Cell(value, column.format, suggested=value not in (None, ""))
    return Cell(_value(column.source, column.format, entry, number, lang), column.format)


def _value(source: Source, fmt: str, entry: Entry, number: int, lang: str) -> CellValue:
    kind = source.kind
    if kind == "row":
        return number
    if kind in ("field", "computed"):
        f = entry.record.definition.field(source.ref)
        return _field_value(f, entry.scope.get(source.ref), fmt, lang) if f else None
    if kind == "rows":
        rows = entry.scope.rows(source.ref)
        return sum(1 for row in rows if all(row.get(k) == v for k, v in source.where))
    if kind == "rule":
        return STATUS_TEXT[entry.results[source.ref].status].text(lang)
    if kind == "rules":
        return _rules_view(source.ref, entry, lang)
    if kind == "bundle":
        return _bundle_value(source.ref, entry, lang)
    raise AssertionError(kind)  # manual is handled by cell()


def _field_value(f: FieldDef, value: object, fmt: str, lang: str) -> CellValue:
    if value is None:
        return None
    if fmt in ("money", "percent") and isinstance(value, int | Decimal) \
            and not isinstance(value, bool):
        return round2(Decimal(value))
    if fmt == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and f.computed is not None:
        return f"{round2(value):,.2f}"
    return display_text(f, value, lang)  # type: ignore[arg-type]


def failed_rules(results: dict[str, RuleResult]) -> list[RuleResult]:
    """The rules that make a group fail (for 创新能力: the general path's, when the direct
    path is not met), in the rule order."""
    failed: list[RuleResult] = []
    groups = dict.fromkeys(results[r].group for r in RULE_ORDER)
    for group in groups:
        if group_met(results, group) is not False:
            continue
        ids = ("CX-1", "CX-2", "CX-3") if group == "CX" else \
            tuple(r for r in RULE_ORDER if results[r].group == group)
        failed += [results[i] for i in ids if results[i].status is Status.FAIL]
    return failed


def _names(entry: Entry, results: list[RuleResult], lang: str) -> str:
    ruleset = load_ruleset(entry.record.rules)
    sep = "; " if lang.startswith("en") else "；"
    return sep.join(f"{ruleset.rules[r.id].title.text(lang)}（{r.id}）" for r in results)


def _verdict(entry: Entry) -> bool | None:
    if entry.eligible:
        return True
    groups = dict.fromkeys(r.group for r in entry.results.values())
    if any(group_met(entry.results, g) is False for g in groups):
        return False
    return None  # an input is missing: no suggestion


def _rules_view(view: str, entry: Entry, lang: str) -> CellValue:
    verdict = _verdict(entry)
    if view == "eligibility":
        text = ELIGIBLE if verdict else NOT_ELIGIBLE if verdict is False else INCOMPLETE
        return text.text(lang)
    if view == "failed":
        return _names(entry, failed_rules(entry.results), lang) or None
    if view == "warned":
        warned = [entry.results[r] for r in RULE_ORDER if entry.results[r].status is Status.WARN]
        return _names(entry, warned, lang) or None
    if view == "verdict":
        return None if verdict is None else (PASSED if verdict else NOT_PASSED).text(lang)
    # reason
    if verdict:
        return None
    ruleset = load_ruleset(entry.record.rules)
    sep = "; " if lang.startswith("en") else "；"
    if verdict is False:
        parts = [f"{ruleset.rules[r.id].title.text(lang)}（{r.id}）：{r.message.text(lang)}"
                 for r in failed_rules(entry.results)]
        head = Message("不符合认定标准：", "criteria not met: ").text(lang)
        return head + sep.join(parts)
    missing = [entry.results[r] for r in RULE_ORDER if entry.results[r].status is Status.NA
               and r != "CX-D"]
    head = Message("待核实，数据不全：", "to check, data incomplete: ").text(lang)
    return head + _names(entry, missing, lang)


def _bundle_value(key: str, entry: Entry, lang: str) -> CellValue:
    report = entry.report
    if key == "fingerprint":
        return report.fingerprint
    if key == "key_id":
        return report.key_id
    if key == "verified":
        return (VERIFIED_TRUSTED if entry.trusted else VERIFIED).text(lang)
    if key == "finalized_at":
        return report.finalized_at
    if key == "file":
        return entry.file
    # duplicate
    if not entry.duplicates:
        return None
    sep = ", " if lang.startswith("en") else "、"
    return Message("重复，另见：", "duplicate, see also: ").text(lang) + sep.join(entry.duplicates)


__all__ = ["BundleProblem", "Cell", "Entry", "Summary", "collect", "failed_rules",
           "find_bundles"]
