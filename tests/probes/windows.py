"""Windows file semantics over the probes (issue 8): the command line run under the emulation
of ``tests/winsem.py`` (``python -m tests.probes.winrun``) — fsync refused on read-only handles,
replace/delete refused while a handle is open or while "another program" holds the file,
mandatory byte-range locks.

* ``windows.busy-targets``: every file the commands replace or delete held by "another
  program" for two attempts (an antivirus: retried, then done) or for good (Excel: the file and
  the kind of program named, exit 2, nothing lost, nothing partial left);
* ``windows.<class>``: the store, attachment, path and bundle classes again, every command
  under the emulation.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from tests.probes.harness import REGISTRY, SAMPLE, Ctx, Probe, probe_class

BUNDLE_NAME = "9132059458441736XN-annex1-batch4-20220701083015.zip"
#: Words of fileops.FileBusy: "another program holds it open" / "正被另一个程序占用".
BUSY_WORDS = ("another program", "另一个程序")


def _held(ctx: Ctx, holds: dict[Path, int]) -> dict[str, str]:
    return ctx.env(GIANTDESK_PROBE_HOLD=json.dumps({str(p): n for p, n in holds.items()}))


def _busy(ctx: Ctx, run: object) -> None:
    text = getattr(run, "text", "")
    ctx.check(any(w in text for w in BUSY_WORDS), "a file held for good is not said to be held "
              "by another program")


def busy_chain(target: str, attempts: int, ctx: Ctx) -> None:
    forever = attempts > 7  # fileops retries 7 times
    ctx.copy_home(ctx.shared.stored_home())
    before = ctx.show(1)
    if target == "bundle":
        out = ctx.work / "out"
        run = ctx.cli("export", str(SAMPLE), "--out", str(out),
                      env=_held(ctx, {out / BUNDLE_NAME: attempts}), windows=True)
        if forever:
            ctx.check(run.code == 2, "an export whose bundle is held for good did not refuse")
            _busy(ctx, run)
            ctx.check(not out.exists() or not any(out.iterdir()), "a held export left a file")
        else:
            ctx.check(run.code == 0, "a bundle held for two attempts was not retried")
            ctx.cli("verify", str(out / BUNDLE_NAME), codes={0})
    elif target == "summary":
        out = ctx.work / "s.xlsx"
        ctx.cli("summarize", "annex3", str(ctx.shared.review_bundle()), "--out", str(out),
                codes={1, 2})  # an annex4 bundle: a problem sheet only (some output exists)
        first = out.read_bytes() if out.exists() else None
        run = ctx.cli("summarize", "annex3", str(ctx.shared.base_bundle()), "--out", str(out),
                      "--force", env=_held(ctx, {out: attempts}), windows=True)
        if forever:
            ctx.check(run.code == 2, "a workbook held for good was replaced or not refused")
            _busy(ctx, run)
            ctx.check(not out.exists() or out.read_bytes() == first,
                      "the held workbook changed")
        else:
            ctx.check(run.code == 0, "a workbook held for two attempts was not retried")
    elif target == "database":
        _garble(ctx)
        db = ctx.home / "giantdesk.sqlite3"
        damaged = db.read_bytes()
        run = ctx.cli("restore", env=_held(ctx, {db: attempts}), windows=True)
        if forever:
            ctx.check(run.code == 2, "a restore with the database held for good did not refuse")
            _busy(ctx, run)
            ctx.check(db.read_bytes() == damaged, "the held database was changed")
            run = ctx.cli("restore", windows=True)
        ctx.check(run.code == 0, "the restore did not succeed once the database was free")
        ctx.check(ctx.drafts() is not None, "the restored store cannot be listed")
        return
    elif target == "attachment":
        from tests.probes.attachments import _pdf

        pdf = ctx.write("chosen/licence.pdf", _pdf(1))
        sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
        blob = ctx.home / "attachments" / "blobs" / sha[:2] / sha
        listed = ctx.cli("drafts", "attachments", "1", "--format", "json").out
        run = ctx.cli("drafts", "attach", "1", "other", str(pdf),
                      env=_held(ctx, {blob: attempts}), windows=True)
        incoming = ctx.home / "attachments" / "incoming"
        ctx.check(not incoming.exists() or not any(incoming.iterdir()),
                  "a held attachment left its temporary copy")
        if forever:
            ctx.check(run.code == 2, "an attachment whose copy is held for good was not refused")
            _busy(ctx, run)
            ctx.check(ctx.cli("drafts", "attachments", "1", "--format", "json").out == listed,
                      "a refused attachment changed the draft")
        else:
            ctx.check(run.code == 0, "an attachment held for two attempts was not retried")
    elif target == "show-output":
        out = ctx.write("draft.json", b"old")
        run = ctx.cli("drafts", "show", "1", "-o", str(out), env=_held(ctx, {out: attempts}),
                      windows=True)
        if forever:
            ctx.check(run.code == 2 and out.read_bytes() == b"old", "a held output was replaced")
            _busy(ctx, run)
        else:
            ctx.check(run.code == 0 and out.read_bytes() != b"old", "a held output not retried")
    elif target == "backup":
        run = ctx.cli("backup", windows=True)  # fsync through a writable handle
        ctx.check(run.code == 0, "backup fails under Windows semantics")
        run = ctx.cli("drafts", "finalize", "2", windows=True)
        ctx.check(run.code == 0, "finalize fails under Windows semantics")
    ctx.check(ctx.show(1) == before, "the draft changed")


def _garble(ctx: Ctx) -> None:
    db = ctx.home / "giantdesk.sqlite3"
    data = bytearray(db.read_bytes())
    data[0:100] = random.Random(7).randbytes(100)
    db.write_bytes(bytes(data))


@probe_class("windows.busy-targets", "windows", fast=1)
def busy_targets(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Windows emulation: the bundle, the summary workbook, the database being restored, an
    attachment's stored copy and a ``drafts show -o`` file held by another program for two
    attempts (retried) or for good (named, exit 2, nothing lost or left); backup and finalize
    with fsync refused on read-only handles."""
    for target in ("bundle", "summary", "database", "attachment", "show-output"):
        for attempts in (2, 1000):
            yield Probe("windows.busy-targets", f"{target}-held-{attempts}",
                        partial(busy_chain, target, attempts), windows=True)
    yield Probe("windows.busy-targets", "backup-finalize", partial(busy_chain, "backup", 0),
                windows=True)


#: The classes whose commands are run again under the emulation (fast: how many inputs).
RERUN = {"store.truncated": 0, "store.wal": 0, "store.structure": 0, "store.contents": 0,
         "store.folder": 0, "store.restore": 1, "attachments.content": 0,
         "attachments.special": 0, "paths.non-regular": 0, "bundles.framing": 0,
         "records.drafts-set": 0, "store.garbled": 0}


def _register_reruns() -> None:
    for name, fast in RERUN.items():
        source = REGISTRY[name]

        def generate(rng: random.Random, full: bool, source_name: str = name,
                     ) -> Iterator[Probe]:
            for probe in REGISTRY[source_name].generate(rng, full):
                yield Probe(f"windows.{source_name}", probe.name, probe.body,
                            probe.allow_part, windows=True)

        generate.__doc__ = (f"Windows emulation: every command of {name} again. "
                            + source.doc)
        probe_class(f"windows.{name}", "windows", fast=fast)(generate)


_register_reruns()
