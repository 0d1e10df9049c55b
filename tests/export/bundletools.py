"""Helpers of the bundle tests: read a bundle's members, write a changed copy, re-sign one."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from giantdesk.export.bundle import MANIFEST, SIGNATURE
from giantdesk.export.manifest import Manifest, MemberEntry, parse
from giantdesk.export.signing import Signer

Members = list[tuple[zipfile.ZipInfo, bytes]]


def read_members(path: Path) -> Members:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def write_members(path: Path, members: Members) -> Path:
    """A zip with exactly these members (same ZipInfo fields, correct CRCs)."""
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in members:
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.create_system = info.create_system
            copy.external_attr = info.external_attr
            zf.writestr(copy, data)
    return path


def flip_byte(data: bytes, index: int | None = None) -> bytes:
    i = len(data) // 2 if index is None else index
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


def replaced(members: Members, name: str, data: bytes) -> Members:
    assert any(info.filename == name for info, _ in members), name
    return [(info, data if info.filename == name else old) for info, old in members]


def resigned(members: Members, signer: Signer, *, keep_render: bool = False,
             **changes: str) -> Members:
    """The members with a fresh manifest (sizes, hashes) signed by ``signer``; the renderer
    inputs are dropped (as a forger working from the documented format would) unless
    ``keep_render``."""
    by_name = dict((info.filename, (info, data)) for info, data in members)
    old = parse(by_name[MANIFEST][1])
    entries = tuple(MemberEntry(info.filename, len(data), hashlib.sha256(data).hexdigest())
                    for info, data in members if info.filename not in (MANIFEST, SIGNATURE))
    manifest = Manifest(changes.get("app_version", old.app_version),
                        changes.get("form_id", old.form_id),
                        changes.get("form_version", old.form_version), old.finalized_at,
                        entries, signer.public_raw, signer.key_id,
                        old.render if keep_render else None).to_bytes()
    out = [(i, d) for i, d in members if i.filename not in (MANIFEST, SIGNATURE)]
    out.append((by_name[MANIFEST][0], manifest))
    out.append((by_name[SIGNATURE][0], signer.sign(manifest)))
    return out
