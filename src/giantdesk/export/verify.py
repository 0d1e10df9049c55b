"""Check a bundle: zip safety, manifest, signature, every hash, the record, the copies' text.

Checks run in this order and stop at the first problem, which the report names (member, code,
expected, found): zip safety (directory and local headers only) → manifest readable → signature
of the exact manifest bytes by the key it names (→ the trusted key id, if given) → every member
listed exactly once, nothing unlisted → sizes and SHA-256 (streamed, capped) → the record reads,
matches the manifest's form, and has no validation errors → the PDF's and DOCX's text carry the
fingerprint, the USCC and the enterprise name.

The signature is checked before the member hashes: a hash compared with an unauthenticated
manifest proves nothing, and an edited manifest is then reported as such rather than as a
mismatch in some member. Nothing is ever written to disk: members are read into memory with
byte caps (JSON 10 MB, the copies 50 MB) or hashed as a stream.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from giantdesk import fileops
from giantdesk.export.bundle import DOCX, ENTRY_SHEET, MANIFEST, PDF, RECORD, SIGNATURE
from giantdesk.export.doctext import DocumentError, docx_text, pdf_text, squeeze
from giantdesk.export.fingerprint import fingerprint, record_sha256
from giantdesk.export.manifest import Manifest, ManifestError, format_time, parse
from giantdesk.export.signing import signature_valid
from giantdesk.export.zipsafe import (
    DEFAULT_LIMITS,
    Limits,
    MemberReadError,
    MiB,
    ZipProblem,
    check_archive,
    hash_member,
    read_member,
)
from giantdesk.forms.messages import Message
from giantdesk.forms.record import RecordError, Submission, loads
from giantdesk.forms.rules import Status, check_rules
from giantdesk.forms.scope import Scope
from giantdesk.forms.validation import validate

JSON_CAP = 10 * MiB
COPY_CAP = 50 * MiB
REQUIRED = (RECORD, PDF, DOCX, ENTRY_SHEET)


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

    @property
    def valid(self) -> bool:
        return self.readable and self.problem is None

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else (1 if self.readable else 2)

    def as_json(self, lang: str) -> dict[str, Any]:
        return {"valid": self.valid,
                "problem": self.problem.as_json(lang) if self.problem else None,
                "key_id": self.key_id, "fingerprint": self.fingerprint, "form": self.form,
                "uscc": self.uscc, "finalized_at": self.finalized_at,
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


def verify_bundle(path: Path, *, trust: str | None = None, limits: Limits = DEFAULT_LIMITS,
                  today: date | None = None) -> Report:
    """Everything :mod:`giantdesk.export.verify` checks, as a :class:`Report`; never raises for
    a bad bundle (only for a bug)."""
    report = Report()
    try:
        fh = fileops.open_regular(path)  # a FIFO or a device is refused, never read
    except OSError as exc:
        report.readable = False
        report.problem = Problem(None, "file.unreadable",
                                 Message(f"无法读取 {path}：{exc.strerror}",
                                         f"cannot read {path}: {exc.strerror}"))
        return report
    with fh:
        try:
            zf = zipfile.ZipFile(fh)
        except Exception as exc:  # untrusted bytes: any failure means "not a readable zip"
            report.readable = False
            report.problem = Problem(None, "zip.unreadable",
                                     Message(f"{path.name} 不是可读取的 zip 文件（{exc}）",
                                             f"{path.name} is not a readable zip file ({exc})"))
            return report
        with zf:
            try:
                _run(zf, fh, path.stat().st_size, report, trust, limits, today or date.today())
            except _Stop as stop:
                report.problem = stop.problem
                report.checks.append(Check(stop.problem.code, "fail", stop.problem.message))
    return report


def _run(zf: zipfile.ZipFile, fh: Any, size: int, report: Report, trust: str | None,
         limits: Limits, today: date) -> None:
    try:
        infos = check_archive(zf, fh, size, limits)
    except ZipProblem as p:
        raise _Stop(Problem(p.member, p.code, p.message, p.expected, p.found)) from None
    report.checks.append(Check("zip.safety", "pass", Message(
        f"zip 结构安全（{len(infos)} 个成员）", f"the zip is safe to read ({len(infos)} members)")))
    by_name = {i.filename: i for i in infos}

    manifest_bytes = _read(zf, by_name, MANIFEST, JSON_CAP)
    try:
        manifest = parse(manifest_bytes)
    except ManifestError as exc:
        raise _fail(MANIFEST, "manifest.invalid", f"manifest.json 的 {exc.field} 不正确",
                    f"manifest.json: {exc.field} is not right", exc.expected, exc.found) from None
    report.key_id, report.form = manifest.key_id, manifest.form_id
    report.finalized_at = format_time(manifest.finalized_at)

    signature = _read(zf, by_name, SIGNATURE, 1024)
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

    _check_listing(manifest, infos)
    for entry in manifest.members:
        info = by_name[entry.path]
        if info.file_size != entry.size:
            raise _fail(entry.path, "member.size", f"{entry.path} 的大小与清单不符",
                        f"{entry.path}: size differs from the manifest", str(entry.size),
                        str(info.file_size))
        try:
            got_size, digest = hash_member(zf, info, entry.size)
        except MemberReadError as exc:
            raise _fail(entry.path, "member.damaged", f"{entry.path} 已损坏（{exc.detail}）",
                        f"{entry.path} is damaged ({exc.detail})") from None
        if got_size != entry.size:
            raise _fail(entry.path, "member.size", f"{entry.path} 的大小与清单不符",
                        f"{entry.path}: size differs from the manifest", str(entry.size),
                        str(got_size))
        if digest != entry.sha256:
            raise _fail(entry.path, "member.sha256", f"{entry.path} 的内容与清单中的 SHA-256 不符",
                        f"{entry.path}: content does not match its SHA-256 in the manifest",
                        entry.sha256, digest)
    report.checks.append(Check("members", "pass", Message(
        f"{len(manifest.members)} 个成员的大小和 SHA-256 均与清单一致",
        f"the size and SHA-256 of all {len(manifest.members)} members match the manifest")))

    record = _check_record(zf, by_name, manifest, report, today)
    _check_copies(zf, by_name, record, report)


def _read(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], name: str,
          cap: int) -> bytes:
    info = by_name.get(name)
    if info is None:
        raise _fail(name, "member.missing", f"缺少 {name}", f"{name} is missing", name,
                    Message("无", "nothing"))
    try:
        return read_member(zf, info, cap)
    except MemberReadError as exc:
        raise _fail(name, "member.damaged", f"{name} 无法读取（{exc.detail}）",
                    f"{name} cannot be read ({exc.detail})") from None


def _check_listing(manifest: Manifest, infos: list[zipfile.ZipInfo]) -> None:
    listed: set[str] = set()
    for entry in manifest.members:
        if entry.path in listed or entry.path in (MANIFEST, SIGNATURE):
            raise _fail(MANIFEST, "manifest.duplicate", f"清单中 {entry.path} 出现不止一次",
                        f"the manifest lists {entry.path} more than once", Message("一次", "once"), Message("两次或更多", "twice or more"))
        listed.add(entry.path)
    present = {i.filename for i in infos} - {MANIFEST, SIGNATURE}
    for info in infos:
        if info.filename in present and info.filename not in listed:
            raise _fail(info.filename, "member.unlisted", f"{info.filename} 不在清单中（被添加？）",
                        f"{info.filename} is not in the manifest (added?)", _ABSENT, _PRESENT)
    for entry in manifest.members:
        if entry.path not in present:
            raise _fail(entry.path, "member.missing", f"清单中的 {entry.path} 不在压缩包中",
                        f"{entry.path} is in the manifest but not in the bundle", _PRESENT, _ABSENT)
    for name in REQUIRED:
        if name not in listed:
            raise _fail(name, "member.required", f"缺少必需的成员 {name}",
                        f"the required member {name} is missing", _PRESENT, _ABSENT)


def _check_record(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], manifest: Manifest,
                  report: Report, today: date) -> Submission:
    data = _read(zf, by_name, RECORD, JSON_CAP)
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


def _check_copies(zf: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], record: Submission,
                  report: Report) -> None:
    name = record.values.get("enterprise.name")
    wanted = [("fingerprint", report.fingerprint or ""), ("uscc", report.uscc or ""),
              ("name", name if isinstance(name, str) else "")]
    for member, reader in ((PDF, pdf_text), (DOCX, docx_text)):
        data = _read(zf, by_name, member, COPY_CAP)
        try:
            text = squeeze(reader(data))
        except DocumentError as exc:
            raise _fail(member, "copy.unreadable", f"{member} 无法读取（{exc}）",
                        f"{member} cannot be read ({exc})") from None
        for what, value in wanted:
            if not value or squeeze(value) not in text:
                raise _fail(member, f"copy.{what}", f"{member} 的文字中没有{_LABEL[what].zh}",
                            f"the text of {member} does not carry the {_LABEL[what].en}",
                            value, Message("文字中没有", "not in the text"))
    report.checks.append(Check("copies", "pass", Message(
        "PDF 和 DOCX 中均有指纹、统一社会信用代码和企业名称",
        "the PDF and the DOCX carry the fingerprint, the USCC and the enterprise name")))


_LABEL = {"fingerprint": Message("记录指纹", "record fingerprint"),
          "uscc": Message("统一社会信用代码", "USCC"),
          "name": Message("企业名称", "enterprise name")}
