"""Fixtures of the bundle tests: an in-memory keyring, a signer, the sample, the renderers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from giantdesk.export.attachments import Attachment
from giantdesk.export.bundle import Renderers, export_bundle
from giantdesk.export.context import RenderContext
from giantdesk.export.docx_render import render_docx
from giantdesk.export.entry_sheet import render_entry_sheet
from giantdesk.export.pdf import render_pdf
from giantdesk.export.signing import Signer
from giantdesk.forms.record import Submission, loads

FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer.from_raw(bytes(range(32)))


@pytest.fixture(scope="session")
def other_signer() -> Signer:
    return Signer.from_raw(bytes(range(100, 132)))


@pytest.fixture
def record(samples: Path) -> Submission:
    return loads((samples / "annex1-pass.json").read_bytes())


# ----------------------------------------------------------------------------------------------
# Renderers: the real ones, cached per distinct context (rendering dominates the test time).

def _renderer(kind: str) -> Callable[[RenderContext], bytes]:
    return {"pdf": render_pdf, "docx": render_docx, "entry_sheet": render_entry_sheet}[kind]


class CachedRenderers:
    """Renders each distinct context once per session (rendering dominates the test time)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str, datetime, str | None], bytes] = {}
        self.calls = 0

    def wrap(self, kind: str) -> Callable[[RenderContext], bytes]:
        def render(ctx: RenderContext) -> bytes:
            key = (kind, ctx.sha256, ctx.finalized_at, ctx.key_id)
            if key not in self.cache:
                self.calls += 1
                self.cache[key] = _renderer(kind)(ctx)
            return self.cache[key]
        return render


@pytest.fixture(scope="session")
def renderers() -> Renderers:
    cached = CachedRenderers()
    return Renderers(cached.wrap("pdf"), cached.wrap("docx"), cached.wrap("entry_sheet"))


@pytest.fixture(scope="session")
def attachment_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("attachments")


@pytest.fixture(scope="session")
def sample_attachments(attachment_dir: Path) -> list[Attachment]:
    from giantdesk.export.demo import write_sample_attachments

    return write_sample_attachments(attachment_dir)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory, samples_dir: Path, signer: Signer,
           renderers: Renderers, sample_attachments: list[Attachment]) -> Path:
    """One valid bundle of the sample with attachments (read-only: copy it to change it)."""
    record = loads((samples_dir / "annex1-pass.json").read_bytes())
    out = tmp_path_factory.mktemp("bundle")
    return export_bundle(record, out, attachments=sample_attachments, finalized_at=FINALIZED,
                         signer=signer, renderers=renderers).path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "samples"


@pytest.fixture(scope="session")
def real_renderers() -> Renderers:
    """Uncached: every call renders again (for the determinism test)."""
    return Renderers(_renderer("pdf"), _renderer("docx"), _renderer("entry_sheet"))
