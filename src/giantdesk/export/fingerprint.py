"""The record's SHA-256 and fingerprint (PRODUCT.md §4); the QR payload is in ``qrpayload``."""

from __future__ import annotations

import hashlib


def record_sha256(record_bytes: bytes) -> str:
    """SHA-256 (lower-case hex) of the exact bytes of ``submission.json``."""
    return hashlib.sha256(record_bytes).hexdigest()


def fingerprint(sha256_hex: str) -> str:
    """The first 20 hex digits, upper case, in groups of 4: ``"3F2A 9C1B 77D0 E4A2 0B6C"``."""
    head = sha256_hex[:20].upper()
    return " ".join(head[i:i + 4] for i in range(0, 20, 4))

