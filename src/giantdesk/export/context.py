"""What every rendering of a record receives: the record, its canonical bytes and identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from giantdesk import __version__
from giantdesk.export import qrpayload
from giantdesk.export.fingerprint import fingerprint, record_sha256
from giantdesk.forms.definitions import load_definition
from giantdesk.forms.model import FormDefinition
from giantdesk.forms.record import Submission, dump_bytes


@dataclass(frozen=True)
class RenderContext:
    record: Submission
    record_bytes: bytes  # the exact bytes of submission.json
    sha256: str
    fingerprint: str
    finalized_at: datetime  # timezone-aware; printed, and fixes every embedded timestamp
    key_id: str | None = None  # the signer's key id, printed on the declaration page
    app_version: str = __version__

    @classmethod
    def of(cls, record: Submission, finalized_at: datetime,
           key_id: str | None = None) -> RenderContext:
        data = dump_bytes(record)
        digest = record_sha256(data)
        return cls(record, data, digest, fingerprint(digest), finalized_at, key_id)

    @property
    def definition(self) -> FormDefinition:
        return load_definition(self.record.form)

    @property
    def uscc(self) -> str:
        value = self.record.values.get("enterprise.uscc")
        return value if isinstance(value, str) else ""

    @property
    def qr_payload(self) -> str:
        """What the QR code on every printed page carries (:mod:`giantdesk.export.qrpayload`)."""
        return qrpayload.encode(self.uscc, self.sha256)
