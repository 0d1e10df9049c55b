"""Kill probes: a command SIGKILLed at a random moment, then the next one.

The promises (issue 10 point 11, docs/bundle.md, docs/store.md): an export writes its bundle
under a temporary name and renames it at the end — a killed export leaves no bundle (or the
whole, valid one), and its ``.giantdesk-*.zip.part`` is removed by the next export in that
folder once stale; a killed ``drafts attach`` leaves no attachment row without its copy, and
its copy in progress is removed at a later start; a killed ``restore`` or ``backup`` leaves a
store that either opens with every draft or says what is wrong, and a second restore works.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from collections.abc import Iterator
from functools import partial

from tests.probes.harness import SAMPLE, Ctx, Probe, probe_class


def _jpeg(seed: int) -> bytes:
    """15 MB that the intake takes for a JPEG (images are recognised by their first bytes)."""
    return b"\xff\xd8\xff\xe0" + random.Random(seed).randbytes(15 << 20)


def _kill_after(ctx: Ctx, delay: float, *argv: str) -> int | None:
    proc = ctx.spawn(*argv)
    time.sleep(delay)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    return proc.returncode


def _age(paths: list[os.PathLike[str]], seconds: float) -> None:
    old = time.time() - seconds
    for path in paths:
        os.utime(path, (old, old))


def export_kill(delay: float, ctx: Ctx) -> None:
    big = ctx.write("chosen/big.jpg", _jpeg(1))
    out = ctx.work / "out"
    _kill_after(ctx, delay, "export", str(SAMPLE), "--out", str(out), "--attach",
                f"other={big}")
    bundles = list(out.glob("*.zip")) if out.exists() else []
    for bundle in bundles:  # only ever the whole bundle, renamed at the end
        ctx.cli("verify", str(bundle), codes={0})
    parts = [p for p in out.glob(".giantdesk-*")] if out.exists() else []
    _age(parts, 120)  # "stale": older than a minute
    ctx.cli("export", str(SAMPLE), "--out", str(out), "--attach", f"other={big}", codes={0})
    left = [p.name for p in out.glob(".giantdesk-*")]
    ctx.check(not left, f"the next export left the killed export's temporary file: {left}")


def attach_kill(delay: float, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    big = ctx.write("chosen/big.jpg", _jpeg(2))
    _kill_after(ctx, delay, "drafts", "attach", "1", "other", str(big))
    incoming = ctx.home / "attachments" / "incoming"
    parts = list(incoming.iterdir()) if incoming.exists() else []
    _age(parts, 2 * 3600)  # "stale": older than an hour
    listed = ctx.cli("drafts", "attachments", "1", "--format", "json", codes={0})
    ctx.cli("drafts", "list", codes={0})  # a start: stale copies removed
    left = list(incoming.iterdir()) if incoming.exists() else []
    ctx.check(not left, f"a killed attach's copy was not removed at the next start: {left}")
    deep = ctx.cli("doctor", "--deep")
    ctx.check("attachment" not in deep.out.lower() or deep.code == 0,
              "a killed attach left an attachment row without its copy", deep)
    again = ctx.cli("drafts", "attach", "1", "other", str(big), codes={0, 1})
    if '"big.jpg"' in listed.out:
        ctx.check(again.code == 1, "the attachment was added twice")
    ctx.cli("export", "--draft", "1", "--out", "out", codes={0})


def restore_kill(delay: float, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    db = ctx.home / "giantdesk.sqlite3"
    data = bytearray(db.read_bytes())
    data[0:100] = random.Random(3).randbytes(100)
    db.write_bytes(bytes(data))
    _kill_after(ctx, delay, "restore")
    listed = ctx.drafts()
    if listed is None:  # still damaged (or half-way): a second restore must work
        ctx.cli("restore", codes={0})
        listed = ctx.drafts()
    ctx.check(listed is not None and len(listed) >= 2,
              f"after a killed restore the store lists {listed and len(listed)} draft(s)")


def backup_kill(delay: float, ctx: Ctx) -> None:
    ctx.copy_home(ctx.shared.stored_home())
    _kill_after(ctx, delay, "backup")
    backups = ctx.home / "backups"
    stray = [p.name for p in backups.iterdir() if not p.name.endswith(".sqlite3")
             or p.name.startswith(".")] if backups.exists() else []
    listed = ctx.cli("restore", "--list", codes={0})
    ctx.check("damaged" not in listed.out.lower() and "损坏" not in listed.out,
              "a killed backup left a backup that is listed as damaged", listed)
    del stray  # temporary files of a killed backup are hidden names; not listed as backups
    ctx.never_silently_empty(2)


@probe_class("kills", "kills", fast=1)
def kills(rng: random.Random, full: bool) -> Iterator[Probe]:
    """SIGKILL at a random moment (0.05–1.5 s) during ``export`` of a 15 MB attachment,
    ``drafts attach`` of it, ``restore`` of a damaged database and ``backup``; then the next
    command: no partial bundle, the stale temporary files removed, no attachment row without
    its copy, every draft there or the damage named."""
    count = 10 if full else 1
    for kind, body in (("export", export_kill), ("attach", attach_kill),
                       ("restore", restore_kill), ("backup", backup_kill)):
        for i in range(count):
            delay = rng.uniform(0.05, 1.5)
            yield Probe("kills", f"{kind}-{i}-{delay:.2f}s", partial(body, delay),
                        allow_part=True)
