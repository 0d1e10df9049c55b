"""Environment probes: the variables GiantDesk (or a library under it) reads, set to hostile
values, under the commands a user runs. The promise: a message or the normal result, never a
traceback; a bundle made under one environment verifies byte for byte under another."""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import partial

from tests.probes.harness import SAMPLE, Ctx, Probe, probe_class

#: (variable, value): None removes it.
HOSTILE: list[tuple[str, str | None]] = [
    ("SOURCE_DATE_EPOCH", "abc"), ("SOURCE_DATE_EPOCH", "-1"), ("SOURCE_DATE_EPOCH", "1.5"),
    ("SOURCE_DATE_EPOCH", "99999999999999999999"), ("SOURCE_DATE_EPOCH", ""),
    ("SOURCE_DATE_EPOCH", "0"), ("GIANTDESK_LANG", "xx"), ("GIANTDESK_LANG", ""),
    ("GIANTDESK_HOME", ""), ("GIANTDESK_HOME", "relative/home"),
    ("GIANTDESK_RESOURCES", "/nonexistent"), ("GIANTDESK_RESOURCES", "/tmp"),
    ("TZ", "Nowhere/Else"), ("TZ", "Asia/Shanghai"), ("TZ", "UTC+14"),
    ("LANG", "C"), ("LC_ALL", "C"), ("PYTHONIOENCODING", "ascii"),
    ("PYTHON_KEYRING_BACKEND", "no.such.Backend"), ("HOME", None), ("XDG_DATA_HOME", "/proc"),
]
COMMANDS = [["check", str(SAMPLE)], ["drafts", "import", str(SAMPLE)], ["drafts", "list"],
            ["export", str(SAMPLE), "--out", "out"], ["doctor"]]


def environment_chain(name: str, value: str | None, ctx: Ctx) -> None:
    env = ctx.env()
    if value is None:
        env.pop(name, None)
    else:
        env[name] = value

    def step(argv: list[str]) -> None:
        ctx.cli(*argv, env=env)

    ctx.each(COMMANDS if ctx.full else COMMANDS[:2], step)
    bundles = sorted((ctx.work / "out").glob("*.zip")) if (ctx.work / "out").exists() else []
    for bundle in bundles:  # made under the hostile environment, verified under a plain one
        run = ctx.cli("verify", str(bundle), codes={0})
        ctx.check("byte-identical" in run.out or "逐字节相同" in run.out,
                  "a bundle made under this environment is not byte-identical elsewhere", run)
    if ctx.full:
        ctx.cli("verify", str(ctx.shared.base_bundle()), env=env,
                codes={0} if name not in ("GIANTDESK_RESOURCES",) else {0, 1})


@probe_class("environment", "environment", fast=1)
def environment(rng: random.Random, full: bool) -> Iterator[Probe]:
    """Hostile environment variables (SOURCE_DATE_EPOCH not a number or out of range, an
    unknown GIANTDESK_LANG, an empty or relative GIANTDESK_HOME, resources that are missing,
    odd TZ, an ASCII locale or stdout, a keyring backend that does not exist, no HOME) under
    check, import, list, export, doctor and verify; a bundle made under each verifies byte for
    byte under a plain environment."""
    for name, value in HOSTILE:
        yield Probe("environment", f"{name}={value!r}", partial(environment_chain, name, value))
