"""Helpers of the printed-copy tests: text per page, word boxes, QR codes read from a raster.

``pdftoppm`` / ``pdftotext`` (poppler-utils) and ``zbarimg`` (zbar-tools) are installed by
``make sysdeps``; a test that needs one fails (never skips) when it is missing.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pypdf
import pytest

from giantdesk.export.context import RenderContext
from giantdesk.forms.record import loads
from tests.conftest import SAMPLES

FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)
KEY_ID = "5647 5AA7 5463 474C"
STRESS = Path(__file__).resolve().parent / "fixtures" / "annex1-stress.json"
MM = 72 / 25.4  # points per millimetre


def context(name: str, key_id: str | None = KEY_ID) -> RenderContext:
    """The context of a sample (``annex1-pass`` …) or of ``stress`` (the fixture)."""
    path = STRESS if name == "stress" else SAMPLES / f"{name}.json"
    return RenderContext.of(loads(path.read_bytes()), FINALIZED, key_id)


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: `make sysdeps` installs it (poppler-utils, zbar-tools)")
    return found


def qr_codes(data: bytes, dpi: int = 100) -> list[list[str]]:
    """The QR codes zbarimg reads on each page, rendered in grey at ``dpi`` (the bottom right
    corner of the page, where the code is; the whole page is rendered the same way)."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "copy.pdf"
        pdf.write_bytes(data)
        px = dpi / 25.4
        # the lower right 80 × 55 mm of an A4 page
        subprocess.run([tool("pdftoppm"), "-gray", "-r", str(dpi), "-png",
                        "-x", str(int(130 * px)), "-y", str(int(242 * px)),
                        "-W", str(int(80 * px)), "-H", str(int(55 * px)),
                        str(pdf), str(Path(folder) / "page")], check=True)
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        found = []
        for page in pages:
            result = subprocess.run([tool("zbarimg"), "-q", "--raw", "-Sdisable",
                                     "-Sqrcode.enable", str(page)],
                                    capture_output=True, text=True, check=False)
            found.append([line for line in result.stdout.splitlines() if line])
        return found


@dataclass(frozen=True)
class Word:
    text: str
    x0: float  # points from the left
    y0: float  # points from the top
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")


def words(data: bytes, page: int) -> list[Word]:
    """The words poppler finds on ``page`` (1-based) with their boxes."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "copy.pdf"
        pdf.write_bytes(data)
        out = subprocess.run([tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page),
                              str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [Word(unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            for m in _WORD.finditer(out)]
