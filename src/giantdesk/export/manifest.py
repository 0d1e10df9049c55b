"""``manifest.json``: what the bundle holds, signed by ``manifest.sig`` (PRODUCT.md §4).

The bytes are canonical (keys sorted, two-space indent, LF, trailing newline, UTF-8), so the same
content always gives the same bytes, and the signature covers exactly those bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from giantdesk.export.renderinfo import RenderInputs
from giantdesk.export.signing import key_id

FORMAT = "giantdesk.manifest/1"
SIGNATURE_ALGORITHM = "Ed25519"
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@dataclass(frozen=True)
class MemberEntry:
    path: str
    size: int
    sha256: str  # lower-case hex


@dataclass(frozen=True)
class Manifest:
    app_version: str
    form_id: str
    form_version: str
    finalized_at: datetime  # UTC, whole seconds
    members: tuple[MemberEntry, ...]
    public_key: bytes  # raw Ed25519, 32 bytes
    key_id: str
    #: What the copies' bytes depend on (absent in bundles made before it was recorded).
    render: RenderInputs | None = None

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "app": {"name": "GiantDesk", "version": self.app_version},
            "form": {"id": self.form_id, "version": self.form_version},
            "finalized_at": format_time(self.finalized_at),
            "members": [{"path": m.path, "size": m.size, "sha256": m.sha256}
                        for m in self.members],
            "signer": {"algorithm": SIGNATURE_ALGORITHM,
                       "public_key": base64.b64encode(self.public_key).decode("ascii"),
                       "key_id": self.key_id},
        }
        if self.render is not None:
            data["render"] = self.render.as_json()
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ManifestError(ValueError):
    """The manifest cannot be read; ``field`` names where, ``found`` what was there."""

    def __init__(self, field: str, expected: str, found: str) -> None:
        super().__init__(f"{field}: expected {expected}, found {found}")
        self.field = field
        self.expected = expected
        self.found = found


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _get(data: Any, path: str, kind: type, expected: str) -> Any:
    value = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ManifestError(path, expected, "nothing")
        value = value[part]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ManifestError(path, expected, _show(value))
    return value


def parse(data: bytes) -> Manifest:
    """The manifest in ``data``; raises :class:`ManifestError` on anything unexpected."""
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ManifestError("manifest.json", "UTF-8 JSON", f"unreadable ({exc})"[:120]) from None
    if not isinstance(parsed, dict):
        raise ManifestError("manifest.json", "a JSON object", _show(parsed))
    fmt = parsed.get("format")
    if fmt != FORMAT:
        raise ManifestError("format", FORMAT, _show(fmt))
    app_version = _get(parsed, "app.version", str, "a version string")
    form_id = _get(parsed, "form.id", str, "a form id")
    form_version = _get(parsed, "form.version", str, "a form version")
    when = _get(parsed, "finalized_at", str, "a UTC time YYYY-MM-DDTHH:MM:SSZ")
    try:
        if not _TIME_RE.match(when):
            raise ValueError(when)
        finalized_at = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ManifestError("finalized_at", "a UTC time YYYY-MM-DDTHH:MM:SSZ",
                            _show(when)) from None
    algorithm = _get(parsed, "signer.algorithm", str, SIGNATURE_ALGORITHM)
    if algorithm != SIGNATURE_ALGORITHM:
        raise ManifestError("signer.algorithm", SIGNATURE_ALGORITHM, _show(algorithm))
    encoded = _get(parsed, "signer.public_key", str, "a base64 Ed25519 public key")
    try:
        public_key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        public_key = b""
    if len(public_key) != 32:
        raise ManifestError("signer.public_key", "32 bytes in base64", _show(encoded))
    stated_id = _get(parsed, "signer.key_id", str, "a key id")
    if stated_id != key_id(public_key):
        raise ManifestError("signer.key_id", key_id(public_key), _show(stated_id))
    raw_members = _get(parsed, "members", list, "a list of members")
    members = []
    for i, raw in enumerate(raw_members):
        where = f"members[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"path", "size", "sha256"}:
            raise ManifestError(where, "an object with path, size and sha256", _show(raw))
        path, size, digest = raw["path"], raw["size"], raw["sha256"]
        if not isinstance(path, str) or not path:
            raise ManifestError(f"{where}.path", "a member path", _show(path))
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ManifestError(f"{where}.size", "a size in bytes", _show(size))
        if not isinstance(digest, str) or not _SHA256_RE.match(digest):
            raise ManifestError(f"{where}.sha256", "64 lower-case hex digits", _show(digest))
        members.append(MemberEntry(path, size, digest))
    render = None
    if "render" in parsed:
        try:
            render = RenderInputs.from_json(parsed["render"])
        except ValueError as exc:
            raise ManifestError(str(exc), "the renderer inputs as GiantDesk writes them",
                                _show(parsed["render"])) from None
    manifest = Manifest(app_version, form_id, form_version, finalized_at, tuple(members),
                        public_key, stated_id, render)
    if manifest.to_bytes() != data:
        raise ManifestError("(canonical form)", "canonical JSON as GiantDesk writes it (sorted keys, "
                            "2-space indent, no other fields)", "other bytes")
    return manifest
