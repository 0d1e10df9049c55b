"""The QR payload: compact, in the alphanumeric set, the full SHA-256 reachable; read back."""

from __future__ import annotations

import json

import pytest

from giantdesk.export import qrpayload
from giantdesk.export.fingerprint import fingerprint
from giantdesk.export.pdf import QR_MODULE, qr_modules

SHA = "3a4fdde4af8695f6341b35d93bb2ab5eb158cae5774db898a1e817d087e41319"
USCC = "91320594584417360N"
ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_round_trip_and_size() -> None:
    payload = qrpayload.encode(USCC, SHA)
    assert payload == f"GD2:{USCC}:{SHA.upper()}"
    assert set(payload) <= ALPHANUMERIC and len(payload) == 87
    read = qrpayload.decode(payload)
    assert (read.uscc, read.sha256, read.fingerprint) == (USCC, SHA, fingerprint(SHA))
    modules = qr_modules(payload)
    assert len(modules) == 33  # version 4 at error correction M
    assert len(modules) * QR_MODULE / (72 / 25.4) == pytest.approx(23.1)


def test_no_uscc_yet() -> None:
    assert qrpayload.decode(qrpayload.encode("", SHA)).uscc == ""
    assert qrpayload.encode("not a uscc", SHA).startswith("GD2::")


def test_the_first_format_is_still_read() -> None:
    legacy = json.dumps({"f": "giantdesk.print/1", "form": "annex1-batch4", "uscc": USCC,
                         "sha256": SHA}, separators=(",", ":"))
    read = qrpayload.decode(legacy)
    assert (read.form, read.uscc, read.sha256) == ("annex1-batch4", USCC, SHA)


@pytest.mark.parametrize("text", ["", "GD2", "GD1:X:Y", f"GD2:{USCC}:{SHA[:-1]}",
                                  f"GD2:lower{USCC[5:]}:{SHA}", "{", '{"f":"other"}',
                                  f"GD2:{USCC}:{SHA}:extra"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(qrpayload.PayloadError):
        qrpayload.decode(text)
