"""Check a bundle: that it is exactly what GiantDesk writes, signed, and that every copy carries
exactly the record.

Checks run in this order and stop at the first problem, which the report names (member, code,
expected, found):

1. the file: a regular file, openable (else exit 2);
2. the zip layout, from the end record and the central directory only (every offset and size
   checked against the file before it is used): the one canonical layout of
   :mod:`giantdesk.export.zipcanon` (STORED, fixed fields, no comment, nothing before the
   first member or after the end record, no zip64), safe names, limits; then the bundle's
   member order and attachment names;
3. **one pass** over the file, front to back: every local header compared with the directory,
   every member hashed (SHA-256, CRC-32); the small members (record, manifest, signature,
   copies) kept in memory. Nothing is read twice: every later check, and the record that
   ``carry-over`` and ``summarize`` import (:attr:`Report.record_bytes`), come from this one
   snapshot. A file that does not end as its directory said is ``file.changed``;
4. CRC-32 of every member;
5. ``manifest.json``: well-formed, canonical, key id = hash of the key;
6. ``manifest.sig``: the Ed25519 signature of the exact manifest bytes by the key it names —
   before the hashes, so no hash is compared with an unauthenticated manifest;
7. ``--trust KEYID``: the signer is that key;
8. the zip timestamps are the finalization time; the manifest lists every member once, in
   bundle order; sizes and SHA-256 match;
9. the record: canonical bytes, readable, of the manifest's form, no validation errors;
10. ``--trust-file``: the signer's key is the one this department trusts for the USCC;
11. the copies: re-rendered from the record (:mod:`giantdesk.export.copies`) and compared —
    identical bytes, or (other fonts, libraries or version) the same text on every page; the
    key id printed on each copy is the signer's.

The re-rendering starts on a worker thread as soon as the record has passed in step 3 (once
the manifest read from the end of the file verifies and names the record's hash), so it
overlaps the hashing of the attachments. Nothing is written to disk.
"""

from __future__ import annotations

import io
import logging
import os
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, cast

from giantdesk import __version__, fileops
from giantdesk.export.bundle import (
    ATTACHMENTS_DIR,
    DOCX,
    ENTRY_SHEET,
    MANIFEST,
    PDF,
    RECORD,
    SIGNATURE,
    short_gil_slices,
    zip_date_time,
)
from giantdesk.export.copies import (
    COPIES,
    CopyCheck,
    CopyProblem,
    Expectation,
    check_copy,
    context,
    rerender,
)
from giantdesk.export.fingerprint import fingerprint, record_sha256
from giantdesk.export.manifest import Manifest, ManifestError, MemberEntry, format_time, parse
from giantdesk.export.signing import signature_valid
from giantdesk.export.trust import TRUSTED, TrustFile, key_changed
from giantdesk.export.zipcanon import (
    FileChanged,
    NotAZip,
    Streamed,
    ZipLayout,
    dos_date_time,
    read_layout,
    stream,
)
from giantdesk.export.zipsafe import DEFAULT_LIMITS, Limits, MiB, ZipProblem
from giantdesk.forms.evidence import CATEGORIES
from giantdesk.forms.messages import Message
from giantdesk.forms.record import RecordError, Submission, loads
from giantdesk.forms.rules import Status, check_rules
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import validate

_log = logging.getLogger(__name__)

JSON_CAP = 10 * MiB
COPY_CAP = 50 * MiB
SIGNATURE_CAP = 1024
REQUIRED = (RECORD, PDF, DOCX, ENTRY_SHEET)
_CAPS = {RECORD: JSON_CAP, MANIFEST: JSON_CAP, SIGNATURE: SIGNATURE_CAP, PDF: COPY_CAP,
         DOCX: COPY_CAP, ENTRY_SHEET: COPY_CAP}


@dataclass(frozen=True)
class Problem:
    member: str | None
    code: str
    message: Message
    expected: str | Message | None = None  # a value (hash, size) or words in both languages
    found: str | Message | None = None

    def expected_text(self, lang: str) -> str | None:
        return _in(self.expected, lang)

    def found_text(self, lang: str) -> str | None:
        return _in(self.found, lang)

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"member": self.member, "code": self.code, "message": self.message.text(lang),
                "expected": self.expected_text(lang), "found": self.found_text(lang)}


def _in(value: str | Message | None, lang: str) -> str | None:
    return value.text(lang) if isinstance(value, Message) else value


@dataclass(frozen=True)
class Check:
    id: str
    status: str  # "pass", "fail" or "info"
    message: Message

    def as_json(self, lang: str) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "message": self.message.text(lang)}


@dataclass
class Report:
    readable: bool = True  # False: not a zip at all (exit 2)
    problem: Problem | None = None
    key_id: str | None = None
    fingerprint: str | None = None
    form: str | None = None
    uscc: str | None = None
    finalized_at: str | None = None
    checks: list[Check] = field(default_factory=list)
    #: Each copy: compared how, and the key ids printed on it.
    copies: list[CopyCheck] = field(default_factory=list)
    #: The exact bytes of ``submission.json`` that were verified (None unless they were read);
    #: importers use these, never a second read of the file.
    record_bytes: bytes | None = None
    #: The trust-file verdict for the signer's key and the USCC (``--trust-file`` only).
    trust: str | None = None
    #: The signed manifest's members (path, size, SHA-256), once their hashes were compared.
    members: tuple[MemberEntry, ...] = ()

    @property
    def valid(self) -> bool:
        return self.readable and self.problem is None

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else (1 if self.readable else 2)

    @property
    def verified_record(self) -> bytes | None:
        """The record bytes, only when the whole bundle verified."""
        return self.record_bytes if self.valid else None

    @property
    def verified_attachments(self) -> list[tuple[str, str, str, MemberEntry]]:
        """(category, name, member, signed entry) of each attachment, only when the whole
        bundle verified: what an importer compares the bytes it reads with."""
        if not self.valid:
            return []
        out = []
        for entry in self.members:
            match = ATTACHMENT_MEMBER.match(entry.path)
            if match is not None:
                out.append((match.group(2), match.group(3), entry.path, entry))
        return out

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"valid": self.valid,
                "problem": self.problem.as_json(lang) if self.problem else None,
                "key_id": self.key_id, "fingerprint": self.fingerprint, "form": self.form,
                "uscc": self.uscc, "finalized_at": self.finalized_at,
                "copies": [{"member": c.member, "compared": c.mode,
                            "printed_key_ids": list(c.printed_key_ids)} for c in self.copies],
                "trust": self.trust,
                "checks": [c.as_json(lang) for c in self.checks]}


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message.en)
        self.problem = problem


_PRESENT, _ABSENT = Message("存在", "present"), Message("不存在", "absent")


def _fail(member: str | None, code: str, zh: str, en: str,
          expected: str | Message | None = None,
          found: str | Message | None = None) -> _Stop:
    return _Stop(Problem(member, code, Message(zh, en), expected, found))


def _unreadable(report: Report, code: str, zh: str, en: str) -> Report:
    report.readable = False
    report.problem = Problem(None, code, Message(zh, en))
    return report


def verify_bundle(path: Path, *, trust: str | None = None, trust_file: TrustFile | None = None,
                  limits: Limits = DEFAULT_LIMITS, today: date | None = None) -> Report:
    """Everything :mod:`giantdesk.export.verify` checks, as a :class:`Report`; never raises for
    a bad bundle (only for a bug)."""
    report = Report()
    try:
        fh = cast(io.BufferedReader, fileops.open_regular(path))  # never a FIFO or device
    except fileops.FileOpError as exc:  # not a regular file
        report.readable = False
        report.problem = Problem(None, "file.unreadable", exc.message)
        return report
    except OSError as exc:
        return _unreadable(report, "file.unreadable", f"无法读取 {path}：{fileops.os_reason(exc).zh}",
                           f"cannot read {path}: {fileops.os_reason(exc).en}")
    with fh, ThreadPoolExecutor(max_workers=1,
                                thread_name_prefix="giantdesk-verify") as pool:
        stop = threading.Event()
        try:
            _run(fh, os.fstat(fh.fileno()).st_size, path.name, report, trust, trust_file,
                 limits, today or date.today(), pool, stop)
        except NotAZip as exc:
            _unreadable(report, "zip.unreadable",
                        f"{path.name} 不是可读取的 zip 文件（{exc}）",
                        f"{path.name} is not a readable zip file ({exc})")
        except _Stop as halt:
            report.problem = halt.problem
            report.checks.append(Check(halt.problem.code, "fail", halt.problem.message))
        finally:
            stop.set()  # a rendering still running stops at the next copy
    return report


def _run(fh: io.BufferedReader, size: int, file_name: str, report: Report, trust: str | None,
         trust_file: TrustFile | None, limits: Limits, today: date, pool: ThreadPoolExecutor,
         stop: threading.Event) -> None:
    try:
        layout = read_layout(fh, size, limits, (MANIFEST, SIGNATURE, *REQUIRED))
        _check_order(layout)
        for entry in layout.entries:
            cap = _CAPS.get(entry.name)
            if cap is not None and entry.size > cap:
                raise ZipProblem(entry.name, "zip.member_too_large", Message(
                    f"{entry.name} 有 {entry.size} 字节，超过上限 {cap}",
                    f"{entry.name} has {entry.size} bytes, over the limit of {cap}"),
                    f"≤ {cap}", str(entry.size))
    except ZipProblem as p:
        raise _Stop(Problem(p.member, p.code, p.message, p.expected, p.found)) from None
    report.checks.append(Check("zip.layout", "pass", Message(
        f"zip 结构为标准格式（{len(layout.entries)} 个成员）",
        f"the zip has the canonical layout ({len(layout.entries)} members)")))

    early = _EarlyRender(fh, layout, today, pool, stop)
    try:
        with short_gil_slices():
            streamed, kept = stream(fh, layout, _CAPS, early.on_kept)
    except ZipProblem as p:
        raise _Stop(Problem(p.member, p.code, p.message, p.expected, p.found)) from None
    except FileChanged:
        raise _changed(file_name) from None
    except OSError as exc:
        raise _fail(None, "file.unreadable", f"读取 {file_name} 失败：{fileops.os_reason(exc).zh}",
                    f"reading {file_name} failed: {fileops.os_reason(exc).en}") from None
    if early.manifest_bytes != kept[MANIFEST]:
        raise _changed(file_name)
    for entry in layout.entries:
        if not streamed[entry.name].crc_ok:
            raise _fail(entry.name, "member.damaged", f"{entry.name} 已损坏（CRC-32 不符）",
                        f"{entry.name} is damaged (its CRC-32 does not match)")

    manifest_bytes = kept[MANIFEST]
    try:
        manifest = parse(manifest_bytes)
    except ManifestError as exc:
        raise _fail(MANIFEST, "manifest.invalid", f"manifest.json 的 {exc.field} 不正确",
                    f"manifest.json: {exc.field} is not right", exc.expected, exc.found) from None
    report.key_id, report.form = manifest.key_id, manifest.form_id
    report.finalized_at = format_time(manifest.finalized_at)
    _check_signature(manifest, manifest_bytes, kept[SIGNATURE], report, trust)
    _check_members(manifest, layout, streamed, report)
    report.members = manifest.members

    data = kept[RECORD]
    report.record_bytes = data
    record = _check_record(data, manifest, report, today)
    if trust_file is not None:
        _check_trust_file(trust_file, report)
    _check_copies(kept, record, data, manifest, report, early)


# ----------------------------------------------------------------------------------------------
# Layout, signature, members


#: An attachment's member name as the exporter writes it: number, category id, file name.
ATTACHMENT_MEMBER = re.compile(r"^attachments/(\d+)-([a-z0-9_]+)-(.+)$")


def _changed(file_name: str) -> _Stop:
    return _fail(None, "file.changed", f"{file_name} 在读取过程中被改动",
                 f"{file_name} changed while it was being read",
                 Message("读取期间不变的文件", "a file that does not change while read"),
                 Message("被改动", "changed"))


def _check_order(layout: ZipLayout) -> None:
    """Members in bundle order: the record, the attachments numbered 01…, the copies, the
    manifest, the signature; attachment names as the exporter makes them."""
    from giantdesk.export.attachments import sanitize_name

    names = [e.name for e in layout.entries]
    attachments = [n for n in names if n.startswith(ATTACHMENTS_DIR)]
    expected = [RECORD, *attachments, PDF, DOCX, ENTRY_SHEET, MANIFEST, SIGNATURE]
    if names != expected:
        at = next((i for i, (a, b) in enumerate(zip(names, expected, strict=False)) if a != b),
                  min(len(names), len(expected)))
        got = names[at] if at < len(names) else None
        want = expected[at] if at < len(expected) else None
        member = got or want
        if want in (*REQUIRED, MANIFEST, SIGNATURE) and want not in names:
            raise ZipProblem(want, "member.missing", Message(f"缺少 {want}", f"{want} is missing"),
                             want, "nothing")
        if got is not None and got not in expected:
            raise ZipProblem(got, "member.unlisted", Message(
                f"{got} 不是文件包的成员（被添加？）", f"{got} is not a bundle member (added?)"),
                "absent", "present")
        raise ZipProblem(member, "zip.layout.order", Message(
            f"成员顺序不对：第 {at + 1} 个应为 {want}，实为 {got}",
            f"members out of order: number {at + 1} should be {want}, not {got}"),
            str(want), str(got))
    width = max(2, len(str(len(attachments))))
    for index, name in enumerate(attachments, start=1):
        match = ATTACHMENT_MEMBER.match(name)
        ok = (match is not None and match.group(1) == f"{index:0{width}d}"
              and match.group(2) in CATEGORIES and sanitize_name(match.group(3)) ==
              match.group(3))
        if not ok:
            raise ZipProblem(name, "zip.layout.name", Message(
                f"佐证材料的成员名 {name} 不是本程序导出时的格式",
                f"attachment member name {name} is not as GiantDesk names attachments"),
                f"attachments/{index:0{width}d}-<category>-<name>", name)


class _EarlyRender:
    """Starts the re-rendering on the worker thread as soon as the record has streamed past,
    when the manifest at the end of the file (read ahead) verifies and names its hash."""

    def __init__(self, fh: BinaryIO, layout: ZipLayout, today: date,
                 pool: ThreadPoolExecutor, stop: threading.Event) -> None:
        self.pool, self.stop, self.today = pool, stop, today
        self.future: Future[dict[str, bytes]] | None = None
        self.manifest_bytes: bytes | None = None
        self.signature = b""
        entry, sig = layout.entry(MANIFEST), layout.entry(SIGNATURE)
        if entry is None or sig is None:
            return
        fh.seek(entry.data_offset)
        self.manifest_bytes = fh.read(entry.size)
        fh.seek(sig.data_offset)
        self.signature = fh.read(sig.size)

    def on_kept(self, name: str, data: bytes) -> None:
        if name != RECORD or self.manifest_bytes is None:
            return
        try:
            manifest = parse(self.manifest_bytes)
        except ManifestError:
            return
        entry = next((m for m in manifest.members if m.path == RECORD), None)
        if entry is None or entry.sha256 != record_sha256(data) or not signature_valid(
                manifest.public_key, self.signature, self.manifest_bytes):
            return
        self.future = self.pool.submit(self._render, data, manifest)

    def _render(self, data: bytes, manifest: Manifest) -> dict[str, bytes]:
        record = loads(data)
        if validate(record, today=self.today).errors:
            raise ValueError("the record has errors")
        ctx = context(record, data, manifest.finalized_at, manifest.key_id,
                      manifest.app_version)
        return rerender(ctx, self.stop)


def _check_signature(manifest: Manifest, manifest_bytes: bytes, signature: bytes,
                     report: Report, trust: str | None) -> None:
    if len(signature) != 64:
        raise _fail(SIGNATURE, "signature.malformed", "签名长度不对", "the signature has the "
                    "wrong length", Message("64 字节（Ed25519 原始签名）", "64 bytes (raw Ed25519)"),
                    Message(f"{len(signature)} 字节", f"{len(signature)} bytes"))
    if not signature_valid(manifest.public_key, signature, manifest_bytes):
        raise _fail(SIGNATURE, "signature.invalid",
                    "签名与 manifest.json 不符（清单被改动，或签名来自其他密钥）",
                    "the signature does not match manifest.json (the manifest was changed, or "
                    "the signature is from another key)",
                    Message(f"密钥 {manifest.key_id} 的 Ed25519 签名", f"an Ed25519 signature by key "
                            f"{manifest.key_id}"),
                    Message("一个校验不通过的签名", "a signature that fails"))
    report.checks.append(Check("signature", "pass", Message(
        f"签名有效（密钥编号 {manifest.key_id}）", f"signature valid (key id {manifest.key_id})")))
    if trust is not None:
        if trust != manifest.key_id:
            raise _fail(SIGNATURE, "signature.untrusted", "签名密钥不是所信任的密钥",
                        "the bundle is signed by another key than the trusted one",
                        trust, manifest.key_id)
        report.checks.append(Check("signature.trusted", "pass", Message(
            "签名密钥与所信任的密钥编号一致", "signed by the trusted key id")))


def _check_members(manifest: Manifest, layout: ZipLayout, streamed: dict[str, Streamed],
                   report: Report) -> None:
    time, day = dos_date_time(zip_date_time(manifest.finalized_at))
    first = layout.entries[0]
    if (first.time, first.date) != (time, day):
        raise _fail(None, "zip.layout.time", "zip 中的时间不是清单中的定稿时间",
                    "the zip's timestamps are not the manifest's finalization time",
                    f"{day}/{time}", f"{first.date}/{first.time}")
    listed: list[str] = []
    for entry in manifest.members:
        if entry.path in listed or entry.path in (MANIFEST, SIGNATURE):
            raise _fail(MANIFEST, "manifest.duplicate", f"清单中 {entry.path} 出现不止一次",
                        f"the manifest lists {entry.path} more than once",
                        Message("一次", "once"), Message("两次或更多", "twice or more"))
        listed.append(entry.path)
    present = [e.name for e in layout.entries if e.name not in (MANIFEST, SIGNATURE)]
    for name in present:
        if name not in listed:
            raise _fail(name, "member.unlisted", f"{name} 不在清单中（被添加？）",
                        f"{name} is not in the manifest (added?)", _ABSENT, _PRESENT)
    for name in listed:
        if name not in present:
            raise _fail(name, "member.missing", f"清单中的 {name} 不在压缩包中",
                        f"{name} is in the manifest but not in the bundle", _PRESENT, _ABSENT)
    if listed != present:
        raise _fail(MANIFEST, "manifest.order", "清单中成员的顺序与压缩包不同",
                    "the manifest lists the members in another order than the bundle's",
                    " / ".join(present)[:200], " / ".join(listed)[:200])
    for entry in manifest.members:
        got = streamed[entry.path]
        if got.size != entry.size:
            raise _fail(entry.path, "member.size", f"{entry.path} 的大小与清单不符",
                        f"{entry.path}: size differs from the manifest", str(entry.size),
                        str(got.size))
        if got.sha256 != entry.sha256:
            raise _fail(entry.path, "member.sha256", f"{entry.path} 的内容与清单中的 SHA-256 不符",
                        f"{entry.path}: content does not match its SHA-256 in the manifest",
                        entry.sha256, got.sha256)
    report.checks.append(Check("members", "pass", Message(
        f"{len(manifest.members)} 个成员的大小和 SHA-256 均与清单一致",
        f"the size and SHA-256 of all {len(manifest.members)} members match the manifest")))


# ----------------------------------------------------------------------------------------------
# Record, trust file, copies


def _check_record(data: bytes, manifest: Manifest, report: Report, today: date) -> Submission:
    report.fingerprint = fingerprint(record_sha256(data))
    try:
        record = loads(data)
    except RecordError as exc:
        first = exc.problems[0] if exc.problems else None
        where = f"{first.path}: " if first and first.path else ""
        raise _fail(RECORD, "record.unreadable",
                    f"记录无法读取：{where}{first.message.zh if first else ''}",
                    f"the record cannot be read: {where}{first.message.en if first else ''}",
                    Message("申报记录", "a submission record"),
                    Message("无法读取", "unreadable")) from None
    uscc = record.values.get("enterprise.uscc")
    report.uscc = uscc if isinstance(uscc, str) else None
    if (record.form, record.form_version) != (manifest.form_id, manifest.form_version):
        raise _fail(MANIFEST, "manifest.form", "清单中的申请书类型/版本与记录不符",
                    "the manifest's form id/version differ from the record's",
                    f"{record.form} {record.form_version}",
                    f"{manifest.form_id} {manifest.form_version}")
    findings = validate(record, today=today)
    if findings.errors:
        p = findings.errors[0]
        raise _fail(RECORD, "record.invalid",
                    f"记录有 {len(findings.errors)} 个错误，第一个：{p.path}: {p.message.zh}",
                    f"the record has {len(findings.errors)} error(s), the first: {p.path}: "
                    f"{p.message.en}", Message("没有校验错误", "no validation errors"), p.path)
    report.checks.append(Check("record", "pass", Message(
        f"记录符合 {record.form} {record.form_version} 的定义",
        f"the record conforms to {record.form} {record.form_version}")))
    for w in findings.warnings:
        report.checks.append(Check("record.warning", "info", Message(
            f"提示 {w.path}: {w.message.zh}", f"warning {w.path}: {w.message.en}")))
    eligible, results = check_rules(record, Scope.of(record, today))
    failed = [r.id for r in results if r.status is Status.FAIL]
    report.checks.append(Check("rules", "info", Message(
        "满足全部认定条件" if eligible else f"未满足的认定条件：{'、'.join(failed)}",
        "meets every criterion" if eligible else f"criteria not met: {', '.join(failed)}")))
    return record


def _check_trust_file(trust_file: TrustFile, report: Report) -> None:
    uscc, key_id = report.uscc or "", report.key_id or ""
    enterprise = trust_file.enterprise(uscc)
    where = trust_file.path or "trust file"
    if enterprise is None or not enterprise.trusted():
        report.trust = "unknown"
        raise _fail(SIGNATURE, "trust.unknown",
                    f"信任文件 {where} 中没有统一社会信用代码为 {uscc} 的企业的可信密钥：请核对纸质申请书"
                    f"盖章处印的签名密钥编号是否为 {key_id}，再用 summarize 记录",
                    f"the trust file {where} has no trusted key for the enterprise with USCC "
                    f"{uscc}: check that the key id printed beside the seal on the paper copy is "
                    f"{key_id}, then record it with summarize",
                    Message("信任文件中登记的密钥", "a key listed in the trust file"), key_id)
    seen = enterprise.find(key_id)
    if seen is None or seen.status != TRUSTED:
        report.trust = "changed"
        changed = key_changed(uscc, enterprise.trusted()[0], key_id)
        raise _fail(SIGNATURE, "trust.key_changed", changed.zh, changed.en,
                    " / ".join(k.key_id for k in enterprise.trusted()), key_id)
    report.trust = "trusted"
    report.checks.append(Check("trust.file", "pass", Message(
        f"签名密钥是信任文件中该企业的可信密钥（{seen.first_seen} 首次见于 {seen.bundle}）",
        f"the signing key is the enterprise's trusted key in the trust file (first seen "
        f"{seen.first_seen} in {seen.bundle})")))


def _check_copies(kept: dict[str, bytes], record: Submission, data: bytes, manifest: Manifest,
                  report: Report, early: _EarlyRender) -> None:
    from giantdesk.export.pdf import MARGIN_BOTTOM
    from giantdesk.export.renderinfo import this_installation

    try:
        ctx = context(record, data, manifest.finalized_at, manifest.key_id,
                      manifest.app_version)
    except ValueError:
        raise _fail(RECORD, "record.noncanonical", "submission.json 不是本程序写出的规范格式",
                    "submission.json is not in the canonical form GiantDesk writes",
                    Message("规范 JSON", "canonical JSON"), Message("其他字节", "other bytes")) \
            from None
    try:
        rendered = early.future.result() if early.future is not None else rerender(ctx)
        inputs = this_installation()
    except Exception as exc:  # fonts missing, a renderer bug: this installation cannot judge
        from giantdesk.export.fonts import FontError

        if isinstance(exc, FontError):  # names the font file and where it was sought
            reason = exc.message
        else:  # a renderer's exception: its class and text go to the log, not the user
            _log.exception("verify: re-rendering the copies failed")
            reason = Message("重新生成副本时出错", "rendering them failed")
        raise _fail(None, "verify.render_failed",
                    f"本程序无法重新生成副本来比对（{reason.zh}），安装可能不完整",
                    f"this installation cannot render the copies again to compare them "
                    f"({reason.en}); the installation may be incomplete") from None
    want = Expectation(ctx, rendered, manifest.render == inputs and
                       manifest.app_version == __version__, manifest.app_version,
                       float(MARGIN_BOTTOM))
    for member in COPIES:
        try:
            result = check_copy(member, kept[member], want)
        except CopyProblem as p:
            raise _Stop(Problem(p.member, p.code, p.message, p.expected, p.found)) from None
        report.copies.append(result)
        if result.mode == "identical":
            message = Message(
                f"{member}：与按记录、定稿时间和签名密钥 {manifest.key_id} 重新生成的副本逐字节相同",
                f"{member}: byte-identical to the copy rendered again from the record, the "
                f"finalization time and signing key id {manifest.key_id}")
        else:
            printed = "、".join(result.printed_key_ids) or "无"
            printed_en = ", ".join(result.printed_key_ids) or "none"
            message = Message(
                f"{member}：每页文字与按记录重新生成的副本相同（字体或版本不同，按文字比对）；"
                f"印有的签名密钥编号：{printed}",
                f"{member}: every page's text is that of the copy rendered again from the record "
                f"(other fonts or version: compared by text); printed key id: {printed_en}")
        report.checks.append(Check(f"copy:{member}", "pass", message))
