"""Bundle probes: tampered and malformed bundles through ``verify``, ``drafts carry-over``
and ``summarize``.

The promise (issue 7, issue 10 point 9): a bundle that is not exactly what GiantDesk wrote and
signed is ``invalid`` (exit 1) or unreadable (exit 2) with the reason — never ``valid``; its
record is never imported by carry-over nor summarized; ``verify --format json`` is JSON;
nothing hangs or ends in a traceback. A bundle re-made and signed with a fresh key verifies
only as "someone signed this": ``--trust`` with the original key and the department's trust
file refuse it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import struct
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from tests.probes.harness import Ctx, Probe, Shared, probe_class

RECORD, MANIFEST, SIGNATURE = "submission.json", "manifest.json", "manifest.sig"
COPIES = ("application.pdf", "application.docx", "entry-sheet.pdf")

EOCD_FIELDS = {"signature": (0, 4), "disk": (4, 2), "cd_disk": (6, 2), "entries_disk": (8, 2),
               "entries": (10, 2), "cd_size": (12, 4), "cd_offset": (16, 4),
               "comment_length": (20, 2)}
CD_FIELDS = {"signature": (0, 4), "made_by": (4, 2), "needed": (6, 2), "flags": (8, 2),
             "method": (10, 2), "time": (12, 2), "date": (14, 2), "crc": (16, 4),
             "compressed": (20, 4), "size": (24, 4), "name_length": (28, 2),
             "extra_length": (30, 2), "comment_length": (32, 2), "disk": (34, 2),
             "internal": (36, 2), "external": (38, 4), "offset": (42, 4)}
LH_FIELDS = {"signature": (0, 4), "needed": (4, 2), "flags": (6, 2), "method": (8, 2),
             "time": (10, 2), "date": (12, 2), "crc": (14, 4), "compressed": (18, 4),
             "size": (22, 4), "name_length": (26, 2), "extra_length": (28, 2)}


@dataclass(frozen=True)
class Member:
    name: str
    cd: int  # offset of its central directory entry
    lh: int  # offset of its local header
    data: int  # offset of its data
    size: int


@dataclass(frozen=True)
class Layout:
    data: bytes
    eocd: int
    cd: int
    members: tuple[Member, ...]

    def member(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)


def parse(data: bytes) -> Layout:
    eocd = len(data) - 22
    count, _, cd = struct.unpack_from("<HII", data, eocd + 10)
    members, at = [], cd
    for _ in range(count):
        (size, name_len, extra, comment), (lh,) = (struct.unpack_from("<IHHH", data, at + 24),
                                                    struct.unpack_from("<I", data, at + 42))
        name = data[at + 46:at + 46 + name_len].decode("utf-8")
        lh_name_len, lh_extra = struct.unpack_from("<HH", data, lh + 26)
        members.append(Member(name, at, lh, lh + 30 + lh_name_len + lh_extra, size))
        at += 46 + name_len + extra + comment
    return Layout(data, eocd, cd, tuple(members))


def base(shared: Shared) -> Layout:
    return shared.get("base-layout", lambda: parse(shared.base_bundle().read_bytes()))  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# The chain every tampered bundle goes through


def tampered_chain(make: Callable[[Shared], bytes], ctx: Ctx, *, summarize: bool = True,
                   allow_valid: bool = False) -> None:
    data = make(ctx.shared)
    bundle = ctx.write("bundle.zip", data)
    original = base(ctx.shared).data
    if data == original and not allow_valid:
        return  # the mutation changed nothing (e.g. a value already there)
    run = ctx.cli("verify", str(bundle), "--format", "json",
                  codes={0, 1, 2} if allow_valid else {1, 2})
    try:
        report = json.loads(run.out)
    except ValueError:
        ctx.fail("verify --format json did not print JSON", run)
    ctx.check(report.get("valid") is (run.code == 0), "the JSON's valid disagrees with the exit")
    if run.code != 0:
        ctx.check(report.get("problem") and report["problem"].get("message"),
                  "an invalid bundle without a reason", run)
    if ctx.full:
        text = ctx.cli("verify", str(bundle), codes={run.code or 0})
        ctx.check(text.code == run.code, "verify text and json disagree")
    carried = ctx.cli("drafts", "carry-over", str(bundle), codes={0, 1, 2} if allow_valid
                      else {1, 2})
    if carried.code != 0:
        listed = ctx.drafts()
        ctx.check(not listed, "a refused carry-over left a draft")
    if summarize and ctx.full:
        out = ctx.work / "summary.xlsx"
        summary = ctx.cli("summarize", "annex3", str(bundle), "--out", str(out),
                          codes={0, 1, 2} if allow_valid else {1, 2})
        if summary.code != 0 and out.exists():
            ctx.check(not summarized_usccs(out), "a tampered bundle was summarized")


def summarized_usccs(workbook: Path) -> list[str]:
    """The USCCs of the rows the workbook's first sheet summarizes."""
    import re

    from openpyxl import load_workbook

    book = load_workbook(workbook, read_only=True)
    try:
        sheet = book.worksheets[0]
        found = []
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                if isinstance(cell, str) and re.fullmatch(r"[0-9A-Z]{18}", cell):
                    found.append(cell)
        return found
    finally:
        book.close()


def _probe(klass: str, name: str, make: Callable[[Shared], bytes], **kwargs: Any) -> Probe:
    return Probe(klass, name, partial(tampered_chain, make, **kwargs))


# --------------------------------------------------------------------------------------------
# Byte flips by region


def _regions(layout: Layout) -> dict[str, tuple[int, int]]:
    """Named byte ranges of the bundle."""
    regions = {"eocd": (layout.eocd, layout.eocd + 22),
               "central-directory": (layout.cd, layout.eocd)}
    for m in layout.members:
        kind = ("attachment" if m.name.startswith("attachments/") else m.name)
        regions.setdefault(f"local-header:{kind}", (m.lh, m.data))
        regions.setdefault(f"data:{kind}", (m.data, m.data + m.size))
    return regions


def _flip(region: str, seed: int, how: str) -> Callable[[Shared], bytes]:
    def make(shared: Shared) -> bytes:
        layout = base(shared)
        start, end = _regions(layout)[region]
        rng = random.Random(seed)
        data = bytearray(layout.data)
        i = rng.randrange(start, end)
        if how == "bit":
            data[i] ^= 1 << rng.randrange(8)
        elif how == "byte":
            data[i] = (data[i] + rng.randrange(1, 256)) % 256
        elif how == "run":
            j = min(end, i + rng.randrange(2, 64))
            data[i:j] = rng.randbytes(j - i)
        elif how == "delete":
            del data[i]
        elif how == "insert":
            data[i:i] = bytes([rng.randrange(256)])
        return bytes(data)
    return make


@probe_class("bundles.byte-flips", "bundles", fast=1)
def byte_flips(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Every byte-flip class (a bit, a byte, a run of random bytes, a byte deleted or
    inserted) in every region: end record, central directory, each kind of local header and
    member data (record, attachments, copies, manifest, signature)."""
    regions = ["eocd", "central-directory", "local-header:submission.json",
               "local-header:attachment", "local-header:manifest.sig",
               "data:submission.json", "data:attachment", "data:application.pdf",
               "data:application.docx", "data:entry-sheet.pdf", "data:manifest.json",
               "data:manifest.sig"]
    hows = ["bit", "byte", "run", "delete", "insert"]
    per = 8 if full else 1
    for region in regions:
        for i in range(per):
            how = hows[(i + len(region)) % len(hows)]
            yield _probe("bundles.byte-flips", f"{region}-{how}-{i}",
                         _flip(region, rng.randrange(1 << 30), how), summarize=i % 4 == 0)


# --------------------------------------------------------------------------------------------
# Field-level structure mutations


def _field(table: str, field: str, value_kind: str, member_index: int
           ) -> Callable[[Shared], bytes]:
    def make(shared: Shared) -> bytes:
        layout = base(shared)
        fields = {"eocd": EOCD_FIELDS, "cd": CD_FIELDS, "lh": LH_FIELDS}[table]
        offset, size = fields[field]
        member = layout.members[member_index % len(layout.members)]
        at = {"eocd": layout.eocd, "cd": member.cd, "lh": member.lh}[table] + offset
        data = bytearray(layout.data)
        fmt = "<H" if size == 2 else "<I"
        (old,) = struct.unpack_from(fmt, data, at)
        top = (1 << (8 * size)) - 1
        value = {"zero": 0, "one": 1, "plus": old + 1, "minus": old - 1, "max": top,
                 "high": old ^ (1 << (8 * size - 1)), "file": len(data),
                 "file+": len(data) + 1, "random": random.Random(at).randrange(top),
                 "half": old // 2}[value_kind] & top
        struct.pack_into(fmt, data, at, value)
        return bytes(data)
    return make


@probe_class("bundles.structure", "bundles", fast=1)
def structure(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Every field of the end record, of central directory entries and of local headers set
    to 0, 1, ±1, all ones, the high bit flipped, the file size, a random value (zip64 markers,
    encryption and data-descriptor flags, other methods, offsets out of the file, garbled
    end-of-directory offsets)."""
    kinds = ["zero", "one", "plus", "minus", "max", "high", "file", "file+", "random", "half"]
    cases: list[tuple[str, str, str, int]] = []
    for table, fields in (("eocd", EOCD_FIELDS), ("cd", CD_FIELDS), ("lh", LH_FIELDS)):
        for field in fields:
            chosen = kinds if full else [rng.choice(kinds)]
            for kind in chosen:
                cases.append((table, field, kind, rng.randrange(8)))
    if not full:
        cases = rng.sample(cases, 12)
    for table, field, kind, index in cases:
        yield _probe("bundles.structure", f"{table}.{field}={kind}@{index}",
                     _field(table, field, kind, index), summarize=False)


# --------------------------------------------------------------------------------------------
# Framing and layout: prefix/suffix, comments, zip64, deflate, order, duplicates


def _members(shared: Shared) -> list[tuple[zipfile.ZipInfo, bytes]]:
    def read() -> list[tuple[zipfile.ZipInfo, bytes]]:
        with zipfile.ZipFile(shared.base_bundle()) as zf:
            return [(info, zf.read(info)) for info in zf.infolist()]
    return shared.get("members", read)  # type: ignore[no-any-return]


def _rezip(members: list[tuple[zipfile.ZipInfo, bytes]], *, compression: int | None = None,
           zip64: bool = False, comment: bytes = b"", date_time: tuple[int, ...] | None = None,
           attr: int | None = None) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info, data in members:
            copy = zipfile.ZipInfo(info.filename, date_time or info.date_time)  # type: ignore[arg-type]
            copy.compress_type = compression if compression is not None else info.compress_type
            copy.create_system = info.create_system
            copy.external_attr = attr if attr is not None else info.external_attr
            with zf.open(copy, "w", force_zip64=zip64) as handle:
                handle.write(data)
        zf.comment = comment
    return out.getvalue()


def _framing(kind: str) -> Callable[[Shared], bytes]:
    def make(shared: Shared) -> bytes:
        data = base(shared).data
        members = _members(shared)
        rng = random.Random(kind)
        if kind == "prefix-pe":
            return b"MZ\x90\x00" + rng.randbytes(64 * 1024 - 4) + data
        if kind == "prefix-byte":
            return b"\x00" + data
        if kind == "suffix-random":
            return data + rng.randbytes(100)
        if kind == "suffix-eocd":
            return data + data[-22:]
        if kind == "suffix-zip":
            return data + data
        if kind == "comment-script":
            return data[:-2] + struct.pack("<H", 25) + b"<script>alert(1)</script>"
        if kind == "comment-length-only":
            return data[:-2] + struct.pack("<H", 10)
        if kind == "zip64":
            return _rezip(members, zip64=True)
        if kind == "deflated":
            return _rezip(members, compression=zipfile.ZIP_DEFLATED)
        if kind == "deflated-record":
            return _deflate_one(members, RECORD)
        if kind == "reordered":
            return _rezip(list(reversed(members)))
        if kind == "manifest-first":
            return _rezip(members[-2:] + members[:-2])
        if kind == "rezipped-same":
            return _rezip(members)
        if kind == "other-time":
            return _rezip(members, date_time=(2030, 1, 1, 0, 0, 0))
        if kind == "attr-executable":
            return _rezip(members, attr=0o100755 << 16)
        if kind == "symlink-attr":
            return _rezip(members, attr=0o120777 << 16)
        if kind.startswith("drop:"):
            name = kind.split(":", 1)[1]
            return _rezip([(i, d) for i, d in members if not _matches(i.filename, name)])
        if kind.startswith("duplicate:"):
            name = kind.split(":", 1)[1]
            extra = [(i, d) for i, d in members if _matches(i.filename, name)][:1]
            return _rezip(members[:-2] + extra + members[-2:])
        if kind.startswith("extra:"):
            name = kind.split(":", 1)[1]
            info = zipfile.ZipInfo(name, members[0][0].date_time)
            info.external_attr = members[0][0].external_attr
            info.create_system = members[0][0].create_system
            payload = b"" if name.endswith("/") else b"extra"
            return _rezip([*members[:-2], (info, payload), *members[-2:]])
        if kind == "empty-zip":
            return b"PK\x05\x06" + bytes(18)
        if kind == "not-a-zip":
            return b"%PDF-1.4\n" + rng.randbytes(1000)
        if kind == "empty-file":
            return b""
        if kind == "truncated-half":
            return data[: len(data) // 2]
        if kind == "truncated-eocd":
            return data[:-5]
        raise ValueError(kind)
    return make


def _matches(filename: str, name: str) -> bool:
    return filename == name or (name == "attachment" and filename.startswith("attachments/"))


def _deflate_one(members: list[tuple[zipfile.ZipInfo, bytes]], name: str) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info, data in members:
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED if info.filename == name else \
                zipfile.ZIP_STORED
            copy.create_system = info.create_system
            copy.external_attr = info.external_attr
            zf.writestr(copy, data)
    return out.getvalue()


@probe_class("bundles.framing", "bundles", fast=1)
def framing(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Bytes before the first member (a PE polyglot) or after the end record, archive
    comments, zip64, deflated members, reordered, missing, duplicated and extra members
    (directories, traversal names), other timestamps and attributes, truncations."""
    kinds = ["prefix-pe", "prefix-byte", "suffix-random", "suffix-eocd", "suffix-zip",
             "comment-script", "comment-length-only", "zip64", "deflated", "deflated-record",
             "reordered", "manifest-first", "other-time", "attr-executable",
             "symlink-attr", "empty-zip", "not-a-zip", "empty-file", "truncated-half",
             "truncated-eocd"]
    kinds += [f"drop:{n}" for n in (RECORD, MANIFEST, SIGNATURE, *COPIES, "attachment")]
    kinds += [f"duplicate:{n}" for n in (RECORD, MANIFEST, "application.pdf", "attachment")]
    kinds += [f"extra:{n}" for n in ("notes.txt", "attachments/", "../evil.txt", "/abs.txt",
                                     "attachments/99-other-x.pdf", "C:/x.txt", "a\\b.txt",
                                     "attachments/01-other-\u202egpj.exe", "SUBMISSION.JSON")]
    for kind in kinds:
        yield _probe("bundles.framing", kind, _framing(kind))
    # rezipped byte-identically is still valid: the control case
    yield _probe("bundles.framing", "rezipped-same", _framing("rezipped-same"),
                 allow_valid=True)


# --------------------------------------------------------------------------------------------
# Forgeries: re-signed with a fresh key


def _fresh_signer() -> Any:
    from giantdesk.export.signing import Signer

    return Signer.from_raw(hashlib.sha256(b"probe forger").digest())


def _resign(members: list[tuple[zipfile.ZipInfo, bytes]], *, signer: Any | None = None,
            manifest_edit: Callable[[dict[str, Any]], None] | None = None,
            sig: bytes | None = None) -> bytes:
    from giantdesk.export.manifest import Manifest, MemberEntry
    from giantdesk.export.manifest import parse as parse_manifest

    signer = signer or _fresh_signer()
    by_name = {i.filename: (i, d) for i, d in members}
    old = parse_manifest(by_name[MANIFEST][1])
    entries = tuple(MemberEntry(i.filename, len(d), hashlib.sha256(d).hexdigest())
                    for i, d in members if i.filename not in (MANIFEST, SIGNATURE))
    manifest = Manifest(old.app_version, old.form_id, old.form_version, old.finalized_at,
                        entries, signer.public_raw, signer.key_id, old.render).to_bytes()
    if manifest_edit is not None:
        raw = json.loads(manifest)
        manifest_edit(raw)
        manifest = (json.dumps(raw, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    signature = sig if sig is not None else signer.sign(manifest)
    out = [(i, d) for i, d in members if i.filename not in (MANIFEST, SIGNATURE)]
    out.append((by_name[MANIFEST][0], manifest))
    out.append((by_name[SIGNATURE][0], signature))
    return _rezip(out)


def _replace(members: list[tuple[zipfile.ZipInfo, bytes]], name: str, data: bytes
             ) -> list[tuple[zipfile.ZipInfo, bytes]]:
    return [(i, data if i.filename == name else d) for i, d in members]


def _record(shared: Shared) -> Any:
    from giantdesk.forms.record import loads

    return loads(dict((i.filename, d) for i, d in _members(shared))[RECORD])


def _finalized(shared: Shared) -> Any:
    from giantdesk.export.manifest import parse as parse_manifest

    return parse_manifest(dict((i.filename, d) for i, d in _members(shared))[MANIFEST]
                          ).finalized_at


def _rendered(shared: Shared, record: Any, key_id: str) -> dict[str, bytes]:
    from giantdesk.export.context import RenderContext
    from giantdesk.export.docx_render import render_docx
    from giantdesk.export.entry_sheet import render_entry_sheet
    from giantdesk.export.pdf import render_pdf

    ctx = RenderContext.of(record, _finalized(shared), key_id)
    return {"application.pdf": render_pdf(ctx), "application.docx": render_docx(ctx),
            "entry-sheet.pdf": render_entry_sheet(ctx)}


def _changed_record(shared: Shared) -> Any:
    from decimal import Decimal

    record = _record(shared).copy()
    record.values["finance.2021.operating_revenue"] = Decimal("98765432.10")
    record.values["enterprise.address"] = "上海市浦东新区世纪大道 1 号 88 楼"
    return record


def _forgery(kind: str) -> Callable[[Shared], bytes]:
    def make(shared: Shared) -> bytes:
        from giantdesk.forms.record import dump_bytes

        members = _members(shared)
        signer = _fresh_signer()
        changed = _changed_record(shared)
        if kind == "record-changed-copies-kept":
            return _resign(_replace(members, RECORD, dump_bytes(changed)))
        if kind.startswith("copy-from-changed-record:"):
            # the changed record rendered with the original fingerprint (the copy lies)
            from giantdesk.export.context import RenderContext

            member = kind.split(":", 1)[1]
            real = RenderContext.of(_record(shared), _finalized(shared), signer.key_id)
            lying = RenderContext(changed, real.record_bytes, real.sha256, real.fingerprint,
                                  real.finalized_at, signer.key_id)
            honest = shared.get("rekeyed", lambda: _rendered(shared, _record(shared),
                                                              signer.key_id))
            out = members
            for name, data in honest.items():
                out = _replace(out, name, data)
            renderers = {"application.pdf": "render_pdf", "application.docx": "render_docx",
                         "entry-sheet.pdf": "render_entry_sheet"}
            module = {"application.pdf": "pdf", "application.docx": "docx_render",
                      "entry-sheet.pdf": "entry_sheet"}[member]
            import importlib

            render = getattr(importlib.import_module(f"giantdesk.export.{module}"),
                             renderers[member])
            return _resign(_replace(out, member, render(lying)))
        if kind.startswith("copy-garbage:"):
            member = kind.split(":", 1)[1]
            return _resign(_replace(members, member, b"%PDF-1.4\n%%EOF\n"))
        if kind.startswith("copy-empty:"):
            member = kind.split(":", 1)[1]
            return _resign(_replace(members, member, b""))
        if kind == "other-key-id-printed":
            # copies honestly rendered but printing the ORIGINAL key id, signed by the fresh key
            original_key = json.loads(dict((i.filename, d) for i, d in members)[MANIFEST]
                                      )["signer"]["key_id"]
            out = members
            for name, data in _rendered(shared, _record(shared), original_key).items():
                out = _replace(out, name, data)
            return _resign(out)
        if kind == "perfect-forgery":
            out = _replace(members, RECORD, dump_bytes(changed))
            for name, data in _rendered(shared, changed, signer.key_id).items():
                out = _replace(out, name, data)
            return _resign(out)
        if kind == "manifest-extra-field":
            return _resign(members, manifest_edit=lambda m: m.update(note="x"))
        if kind == "manifest-other-form":
            return _resign(members, manifest_edit=lambda m: m["form"].update(
                id="annex2-batch1-review"))
        if kind == "manifest-key-mismatch":
            original = json.loads(dict((i.filename, d) for i, d in members)[MANIFEST])
            return _resign(members, manifest_edit=lambda m: m["signer"].update(
                public_key=original["signer"]["public_key"]))
        if kind == "manifest-noncanonical":
            return _resign(members, manifest_edit=lambda m: None)  # re-serialized, same data
        if kind == "sig-63":
            return _resign(members, sig=bytes(63))
        if kind == "sig-zero":
            return _resign(members, sig=bytes(64))
        if kind == "sig-65":
            return _resign(members, sig=_fresh_signer().sign(b"x") + b"\x00")
        if kind == "record-noncanonical":
            raw = json.loads(dict((i.filename, d) for i, d in members)[RECORD])
            return _resign(_replace(members, RECORD, json.dumps(raw).encode()))
        if kind == "record-invalid":
            raw = json.loads(dict((i.filename, d) for i, d in members)[RECORD])
            raw["values"].pop("enterprise.name")
            return _resign(_replace(members, RECORD, (json.dumps(
                raw, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()))
        if kind.startswith("record-hostile:"):
            what = kind.split(":", 1)[1]
            raw = json.loads(dict((i.filename, d) for i, d in members)[RECORD])
            raw["values"]["enterprise.name"] = {"surrogate": "甲\ud800", "long": "长" * 5000,
                                                "control": "a\x1bb", "nested": [[[]]]}[what]
            text = json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
            return _resign(_replace(members, RECORD, text.encode("utf-8", "surrogatepass")))
        if kind == "record-huge":
            raw = json.loads(dict((i.filename, d) for i, d in members)[RECORD])
            raw["values"]["innovation.description"] = "长" * 4_000_000
            return _resign(_replace(members, RECORD, json.dumps(raw).encode()))
        if kind == "attachment-swapped":
            names = [i.filename for i, _ in members if i.filename.startswith("attachments/")]
            datas = {i.filename: d for i, d in members}
            out = members
            if len(names) >= 2:
                out = _replace(_replace(out, names[0], datas[names[1]]), names[1],
                               datas[names[0]])
            return bytes(_rezip(out))  # not re-signed: the hashes differ
        raise ValueError(kind)
    return make


def forged_chain(kind: str, ctx: Ctx) -> None:
    if kind == "perfect-forgery":
        _perfect_forgery_chain(ctx)
        return
    tampered_chain(_forgery(kind), ctx)


def _perfect_forgery_chain(ctx: Ctx) -> None:
    """A changed record, honestly re-rendered and signed by a fresh key: valid as "someone
    signed this"; refused with --trust of the original key and by the department's trust file
    that saw the original first."""
    data = _forgery("perfect-forgery")(ctx.shared)
    forged = ctx.write("forged/forged.zip", data)
    ctx.cli("verify", str(forged), codes={0})
    original_key = json.loads(dict((i.filename, d) for i, d in _members(ctx.shared))[MANIFEST]
                              )["signer"]["key_id"]
    run = ctx.cli("verify", str(forged), "--trust", original_key, codes={1})
    ctx.check("signature" in run.out.lower() or "签名" in run.out or "key" in run.out.lower(),
              "the --trust refusal does not say the key differs", run)
    trust = ctx.work / "trusted-keys.json"
    first = ctx.cli("summarize", "annex3", str(ctx.shared.base_bundle()), "--out",
                    str(ctx.work / "first.xlsx"), "--trust-file", str(trust), codes={0})
    del first
    second = ctx.cli("summarize", "annex3", str(forged), "--out", str(ctx.work / "second.xlsx"),
                     "--trust-file", str(trust), codes={1, 2})
    if (ctx.work / "second.xlsx").exists():
        ctx.check(not summarized_usccs(ctx.work / "second.xlsx"),
                  "a bundle signed by another key was summarized", second)
    ctx.cli("verify", str(forged), "--trust-file", str(trust), codes={1})


@probe_class("bundles.forged", "bundles", fast=1)
def forged(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Forgeries from the documented format, re-signed with a fresh key: a changed record with
    the old copies, copies re-rendered from a changed record (original fingerprint), garbage
    and empty copies, copies printing another key id, a perfect forgery (valid only as
    "someone signed this": --trust and the trust file refuse it), manifests with extra fields,
    another form, a mismatched key, non-canonical bytes; signatures of 63/64 zero/65 bytes;
    non-canonical, invalid, hostile and huge records; swapped attachments."""
    kinds = ["record-changed-copies-kept", *(f"copy-from-changed-record:{c}" for c in COPIES),
             *(f"copy-garbage:{c}" for c in COPIES), *(f"copy-empty:{c}" for c in COPIES),
             "other-key-id-printed", "perfect-forgery", "manifest-extra-field",
             "manifest-other-form", "manifest-key-mismatch", "sig-63", "sig-zero", "sig-65",
             "record-noncanonical", "record-invalid", "record-hostile:surrogate",
             "record-hostile:long", "record-hostile:control", "record-hostile:nested",
             "record-huge", "attachment-swapped"]
    for kind in kinds:
        yield Probe("bundles.forged", kind, partial(forged_chain, kind))


# --------------------------------------------------------------------------------------------
# The swap race: the file replaced while carry-over / summarize reads it


def race_chain(command: str, trials: int, ctx: Ctx) -> None:
    valid = ctx.shared.base_bundle()
    forged_bytes = _forgery("record-changed-copies-kept")(ctx.shared)
    forged = ctx.write("forged.zip", forged_bytes)
    folder = ctx.work / "in"
    folder.mkdir()
    target = folder / "bundle.zip"
    original_revenue = str(_record(ctx.shared).values["finance.2021.operating_revenue"])
    imported = 0
    for trial in range(trials):
        if not target.exists():
            os.link(valid, target)
        stop = threading.Event()
        rng = random.Random(trial)

        def swap(stop: threading.Event = stop, rng: random.Random = rng) -> None:
            sources = [valid, forged]
            i = 0
            while not stop.is_set():
                tmp = folder / f".swap-{i}"
                os.link(sources[i % 2], tmp)
                os.replace(tmp, target)
                i += 1
                time.sleep(rng.random() * 0.02)

        thread = threading.Thread(target=swap, daemon=True)
        thread.start()
        try:
            if command == "carry-over":
                run = ctx.cli("drafts", "carry-over", str(target))
                if run.code == 0:
                    imported += 1
                    draft = int(run.out.strip().splitlines()[-1])
                    shown = ctx.show(draft)
                    ctx.check(shown is not None, "the carried-over draft cannot be shown")
                    assert shown is not None
                    revenue = json.loads(shown)["values"].get("finance.2021.operating_revenue")
                    ctx.check(revenue == original_revenue,
                              f"carry-over imported a forged record (revenue {revenue}) in "
                              f"trial {trial}", run)
            else:
                out = ctx.work / f"s{trial}.xlsx"
                run = ctx.cli("summarize", "annex3", str(folder), "--out", str(out))
                if out.exists():
                    text = _workbook_text(out)
                    ctx.check("98765432" not in text,
                              f"summarize took the forged record in trial {trial}", run)
        finally:
            stop.set()
            thread.join()
            for leftover in folder.glob(".swap-*"):
                leftover.unlink()


def _workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return " ".join(str(c) for sheet in book.worksheets
                        for row in sheet.iter_rows(values_only=True) for c in row)
    finally:
        book.close()


@probe_class("bundles.swap-race", "bundles", fast=1)
def swap_race(rng: random.Random, full: bool) -> Iterator[Probe]:
    """The bundle swapped for a forged one (every 0–20 ms) while ``drafts carry-over`` and
    ``summarize`` read it: what is imported or summarized is only ever the verified
    original."""
    trials = 30 if full else 2
    yield Probe("bundles.swap-race", f"carry-over-x{trials}", partial(race_chain, "carry-over",
                                                                     trials))
    yield Probe("bundles.swap-race", f"summarize-x{trials}", partial(race_chain, "summarize",
                                                                    trials))
