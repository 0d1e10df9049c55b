"""The trust file: which signing key ids a department has seen for each enterprise (USCC).

Anyone can make a signing key, so a valid signature alone says only "someone signed this". The
paper copy carries the key id beside the company seal; a department that binds the key id to
the enterprise once can then tell when a later bundle of the same enterprise is signed by
another key. ``summarize`` keeps that binding in a small JSON file (trust on first use: the
first key seen for a USCC is recorded as trusted; a different key later is flagged, and is
trusted only when the department accepts it explicitly); ``verify --trust-file`` checks a
bundle against it. The format::

    {"format": "giantdesk.trust/1",
     "enterprises": {"<USCC>": {"name": "<enterprise name when first seen>",
                                "keys": [{"key_id": "5647 5AA7 5463 474C",
                                          "status": "trusted" | "flagged",
                                          "first_seen": "2022-07-20T08:00:00Z",
                                          "bundle": "<file name of the bundle it was seen in>",
                                          "fingerprint": "<that bundle's record fingerprint>"}]}}}

Written canonically (sorted keys, 2-space indent, UTF-8, LF) and atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from giantdesk import fileops
from giantdesk.export.outfiles import write_file
from giantdesk.export.signing import normalize_key_id
from giantdesk.forms.messages import Message

FORMAT = "giantdesk.trust/1"
FILE_NAME = "trusted-keys.json"
TRUSTED, FLAGGED = "trusted", "flagged"
MAX_BYTES = 20 * 1024 * 1024


class TrustFileError(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass
class KeySeen:
    key_id: str
    status: str
    first_seen: str
    bundle: str
    fingerprint: str

    def as_json(self) -> dict[str, str]:
        return {"key_id": self.key_id, "status": self.status, "first_seen": self.first_seen,
                "bundle": self.bundle, "fingerprint": self.fingerprint}


@dataclass
class Enterprise:
    name: str
    keys: list[KeySeen] = field(default_factory=list)

    def trusted(self) -> list[KeySeen]:
        return [k for k in self.keys if k.status == TRUSTED]

    def find(self, key_id: str) -> KeySeen | None:
        return next((k for k in self.keys if k.key_id == key_id), None)


def key_changed(uscc: str, known: KeySeen, key_id: str) -> Message:
    """What ``verify --trust-file`` and ``summarize`` say when the enterprise ``uscc`` signed
    before with ``known`` and now with ``key_id``."""
    return Message(
        f"该企业（{uscc}）以前的文件包由密钥 {known.key_id} 签名（{known.first_seen} 首次见于 "
        f"{known.bundle}），本文件包却由 {key_id} 签名",
        f"bundles of this enterprise ({uscc}) were signed by key {known.key_id} (first seen "
        f"{known.first_seen} in {known.bundle}); this one is signed by {key_id}")


@dataclass
class TrustFile:
    path: Path | None
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, path: Path, *, missing_ok: bool = True) -> TrustFile:
        """The trust file at ``path`` (empty when it does not exist and ``missing_ok``)."""
        try:
            data = fileops.read_limited(path, MAX_BYTES)  # a FIFO: refused, never read
        except FileNotFoundError:
            if missing_ok:
                return cls(path)
            raise TrustFileError(Message(f"找不到信任文件 {path}",
                                         f"the trust file {path} does not exist")) from None
        except fileops.FileOpError as exc:
            raise TrustFileError(Message(f"信任文件：{exc.message.zh}",
                                         f"trust file: {exc.message.en}")) from None
        except OSError as exc:
            raise TrustFileError(Message(f"无法读取信任文件 {path}：{fileops.os_reason(exc).zh}",
                                         f"cannot read the trust file {path}: "
                                         f"{fileops.os_reason(exc).en}")) from None
        try:
            return cls(path, _parse(json.loads(data.decode("utf-8"))))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise TrustFileError(Message(
                f"信任文件 {path} 已损坏或不是 GiantDesk 的信任文件（{exc}）",
                f"the trust file {path} is damaged or not a GiantDesk trust file ({exc})")) \
                from None

    def enterprise(self, uscc: str) -> Enterprise | None:
        return self.enterprises.get(uscc)

    def see(self, uscc: str, name: str, key_id: str, bundle: str, fingerprint: str,
            status: str, now: datetime | None = None) -> KeySeen:
        """Record ``key_id`` for ``uscc`` (a key already listed keeps its first sighting; its
        status is raised to trusted when ``status`` is trusted)."""
        enterprise = self.enterprises.setdefault(uscc, Enterprise(name))
        if not enterprise.name and name:
            enterprise.name = name
        seen = enterprise.find(key_id)
        if seen is None:
            moment = (now or datetime.now(UTC)).astimezone(UTC)
            seen = KeySeen(key_id, status, moment.strftime("%Y-%m-%dT%H:%M:%SZ"), bundle,
                           fingerprint)
            enterprise.keys.append(seen)
            self.changed = True
        elif status == TRUSTED and seen.status != TRUSTED:
            seen.status = TRUSTED
            self.changed = True
        return seen

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT,
                "enterprises": {uscc: {"name": e.name, "keys": [k.as_json() for k in e.keys]}
                                for uscc, e in sorted(self.enterprises.items())}}
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()

    def save(self) -> None:
        """Write the file atomically (a temporary file beside it, then a rename)."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_file(self.path, self.to_bytes())
        except fileops.FileOpError as exc:
            raise TrustFileError(Message(f"信任文件：{exc.message.zh}",
                                         f"trust file: {exc.message.en}")) from None
        except OSError as exc:  # the folder cannot be made
            raise TrustFileError(Message(f"无法写入信任文件 {self.path}：{fileops.os_reason(exc).zh}",
                                         f"cannot write the trust file {self.path}: "
                                         f"{fileops.os_reason(exc).en}")) from None
        self.changed = False

def _parse(data: Any) -> dict[str, Enterprise]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"format is not {FORMAT}")
    raw = data.get("enterprises")
    if not isinstance(raw, dict):
        raise ValueError("enterprises is not an object")
    out: dict[str, Enterprise] = {}
    for uscc, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or \
                not isinstance(entry.get("keys"), list):
            raise ValueError(f"enterprise {uscc}")
        keys = []
        for key in entry["keys"]:
            fields = ("key_id", "status", "first_seen", "bundle", "fingerprint")
            if not isinstance(key, dict) or not all(isinstance(key.get(f), str) for f in fields):
                raise ValueError(f"a key of {uscc}")
            key_id = normalize_key_id(key["key_id"])
            if key_id is None or key["status"] not in (TRUSTED, FLAGGED):
                raise ValueError(f"a key of {uscc}")
            keys.append(KeySeen(key_id, key["status"], key["first_seen"], key["bundle"],
                                key["fingerprint"]))
        out[uscc] = Enterprise(entry["name"], keys)
    return out

