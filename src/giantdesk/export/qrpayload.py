"""The QR code printed on every page of the PDF copies: its payload, written and read here only.

Format ``giantdesk.print/2``, 87 characters in the QR alphanumeric set (so the symbol stays small:
version 4, 33×33 modules at error correction M)::

    GD2:<USCC>:<SHA-256 of submission.json, 64 upper-case hex digits>

e.g. ``GD2:91320594584417360N:3A4FDDE4AF86…E41319``. The USCC part is empty when the record has
no well-formed USCC (an unfinished draft). The fingerprint printed beside the code is the first
20 hex digits of the hash, grouped by four. :func:`decode` also reads the first format,
``{"f":"giantdesk.print/1","form":…,"uscc":…,"sha256":…}`` (a JSON object; earlier bundles).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from giantdesk.export.fingerprint import fingerprint

FORMAT = "giantdesk.print/2"
PREFIX = "GD2"
LEGACY_FORMAT = "giantdesk.print/1"
_USCC = re.compile(r"[0-9A-Z]{18}")
_SHA256 = re.compile(r"[0-9A-F]{64}")


class PayloadError(ValueError):
    """The text is not a GiantDesk print payload."""


@dataclass(frozen=True)
class PrintCode:
    uscc: str  # "" when the record had none
    sha256: str  # lower-case hex, as everywhere else
    form: str = ""  # only in the legacy JSON payload

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sha256)


def encode(uscc: str, sha256_hex: str) -> str:
    """The payload of the QR code for a record with this USCC and SHA-256."""
    digest = sha256_hex.upper()
    if not _SHA256.fullmatch(digest):
        raise ValueError(f"not a SHA-256: {sha256_hex!r}")
    return f"{PREFIX}:{uscc if _USCC.fullmatch(uscc) else ''}:{digest}"


def decode(text: str) -> PrintCode:
    """What a QR code read from a printed page says; :class:`PayloadError` if it is not ours."""
    text = text.strip()
    if text.startswith("{"):
        return _decode_legacy(text)
    parts = text.split(":")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise PayloadError(f"not a {FORMAT} payload")
    uscc, digest = parts[1], parts[2]
    if uscc and not _USCC.fullmatch(uscc):
        raise PayloadError("malformed USCC in the payload")
    if not _SHA256.fullmatch(digest):
        raise PayloadError("malformed SHA-256 in the payload")
    return PrintCode(uscc, digest.lower())


def _decode_legacy(text: str) -> PrintCode:
    try:
        data = json.loads(text)
    except ValueError:
        raise PayloadError("not a GiantDesk print payload") from None
    if not isinstance(data, dict) or data.get("f") != LEGACY_FORMAT:
        raise PayloadError(f"not a {LEGACY_FORMAT} payload")
    uscc, digest, form = data.get("uscc"), data.get("sha256"), data.get("form", "")
    if not (isinstance(uscc, str) and isinstance(digest, str) and isinstance(form, str)
            and _SHA256.fullmatch(digest.upper())):
        raise PayloadError(f"malformed {LEGACY_FORMAT} payload")
    return PrintCode(uscc, digest.lower(), form)
