"""``giantdesk demo``: a complete fictional bundle from the shipped sample record.

The sample attachments are made here, deterministically (no randomness, no clock): one-page PDFs
drawn with reportlab (``invariant=1``), a PNG written with zlib/struct, and a fixed tiny JPEG.
They are fictional and say so on their face.
"""

from __future__ import annotations

import base64
import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path

from giantdesk.export.attachments import Attachment
from giantdesk.export.bundle import (
    BundleResult,
    Cancel,
    ExportError,
    Progress,
    Renderers,
    export_bundle,
)
from giantdesk.export.signing import Signer
from giantdesk.forms.messages import Message
from giantdesk.forms.record import RecordError, Submission, loads

SAMPLE = "annex1-pass.json"

# A 24×16 baseline JPEG (a colour gradient), fixed bytes so every machine makes the same file.
_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZG"
    "NywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09P"
    "T09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAQABgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAA"
    "AAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAk"
    "M2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKT"
    "lJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QA"
    "HwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdh"
    "cRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hp"
    "anN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk"
    "5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwCFrb2qFrb2rda29qha29q4o1z0KuJMJrb2orXa29qK1Vc8+WJ1"
    "P//Z"
)


def sample_pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page A4 PDF with ASCII text (no CJK font needed), identical on every run."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(72, 760, title)
    canvas.setFont("Helvetica", 11)
    for i, line in enumerate(("FICTIONAL SAMPLE - made by 'giantdesk demo', not a real document",
                              *lines)):
        canvas.drawString(72, 730 - 16 * i, line)
    canvas.rect(60, 560, 475, 230)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def sample_png(width: int = 64, height: int = 48) -> bytes:
    """A small RGB PNG (a certificate-coloured pattern), written with zlib and struct."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            border = x < 3 or y < 3 or x >= width - 3 or y >= height - 3
            rows += bytes((150, 30, 30) if border else (250, 245 - y, 220 - x))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def sample_jpeg() -> bytes:
    return _JPEG


def write_sample_attachments(folder: Path) -> list[Attachment]:
    """Write the fictional supporting materials into ``folder``; several categories."""
    files: list[tuple[str, str, bytes]] = [
        ("business_license", "营业执照（示例）.pdf",
         sample_pdf("Business licence (sample)", ["Unified social credit code: see record"])),
        ("audit_report", "2021年度审计报告（示例）.pdf",
         sample_pdf("Audit report 2021 (sample)", ["Auditor: Fictional CPA LLP",
                                                   "Opinion: unqualified"])),
        ("audit_report", "2020年度审计报告（示例）.pdf",
         sample_pdf("Audit report 2020 (sample)", ["Auditor: Fictional CPA LLP"])),
        ("certification", "ISO9001证书（示例）.png", sample_png()),
        ("ip_certificate", "发明专利证书（示例）.jpg", sample_jpeg()),
        ("market_share", "细分市场占有率说明（示例）.pdf",
         sample_pdf("Market share statement (sample)", ["Niche market share: see record"])),
    ]
    out = []
    for category, name, data in files:
        path = folder / name
        path.write_bytes(data)
        out.append(Attachment(category, path))
    return out


def sample_record_path() -> Path:
    """Where the shipped sample lives: ``$GIANTDESK_RESOURCES``, the frozen app, or the source tree."""
    candidates = []
    if os.environ.get("GIANTDESK_RESOURCES"):
        candidates.append(Path(os.environ["GIANTDESK_RESOURCES"]))
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    candidates.append(Path(__file__).resolve().parents[3] / "resources")
    for root in candidates:
        path = root / "samples" / SAMPLE
        if path.is_file():
            return path
    raise ExportError(Message(f"找不到示例记录 {SAMPLE}（resources/samples），安装不完整",
                              f"the sample record {SAMPLE} (resources/samples) is missing: "
                              f"broken installation"), 2)


def load_sample() -> Submission:
    try:
        return loads(sample_record_path().read_bytes())
    except (OSError, RecordError) as exc:
        raise ExportError(Message(f"示例记录无法读取：{exc}", f"the sample record cannot be read: "
                                                            f"{exc}"), 2) from exc


def run_demo(out_dir: Path, *, finalized_at: datetime | None = None,
             signer: Signer | None = None, renderers: Renderers | None = None,
             progress: Progress | None = None, cancel: Cancel | None = None) -> BundleResult:
    """Export the sample record with generated attachments into ``out_dir``."""
    record = load_sample()
    with tempfile.TemporaryDirectory(prefix="giantdesk-demo-") as tmp:
        attachments = write_sample_attachments(Path(tmp))
        return export_bundle(record, out_dir, attachments=attachments, finalized_at=finalized_at,
                             signer=signer, renderers=renderers, progress=progress,
                             cancel=cancel)
