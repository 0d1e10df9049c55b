"""The probe harness: run ``giantdesk …`` in subprocesses on hostile inputs and hold every run
to the promises of issues 7, 8 and 10.

Every probe gets a fresh folder (``home``: its ``GIANTDESK_HOME``, not yet created; ``work``:
the current folder of the commands, where inputs and outputs go). Each command it runs is held
to these invariants (:meth:`Ctx.cli`):

* it ends within its timeout (a hang is a failure: the process group is killed);
* its exit code is one the probe allows, and always one of 0, 1, 2 (documented in cli.py);
* no Python traceback, "Exception ignored" report or exception class name on stdout/stderr;
* a non-zero exit says something, and names what is wrong (the field, file or member the probe
  damaged) when the probe says what that is;
* stdout and stderr are valid UTF-8.

After the probe: no ``*.part`` file is left anywhere in its folders (unless it made one on
purpose). The probes themselves check the rest: the store never silently empty, no draft
data lost, a valid bundle never made from a tampered input, the same refusal everywhere.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
SAMPLE = SAMPLES / "annex1-pass.json"
REVIEW_SAMPLE = SAMPLES / "annex2-pass.json"
EXIT_CODES = frozenset({0, 1, 2})
#: Folders put in front of the import path of the commands run (``--src``: probe a snapshot of
#: the sources while they are being edited).
SOURCE: list[str] = []
#: Seconds a command may take before it counts as hung (an export renders three copies; the
#: machine may be shared): generous, a real hang is forever.
TIMEOUT = 60.0
#: Fixed finalization time of the probes' bundles (deterministic bytes).
EPOCH = "1656664215"  # 2022-07-01T08:30:15Z

_TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|Exception ignored in|^\s*File \".*\", line \d+"
    r"|\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception)\b|\bobject at 0x[0-9a-f]+",
    re.MULTILINE)


def giantdesk_command() -> list[str]:
    """The installed ``giantdesk`` script beside this interpreter (``.venv/bin/giantdesk``),
    else ``python -m giantdesk``."""
    script = Path(sys.executable).with_name("giantdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "giantdesk"]


class ProbeFailure(AssertionError):
    """A promise broken by one input."""


@dataclass
class Run:
    argv: tuple[str, ...]
    code: int | None  # None: killed after the timeout
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err

    def describe(self) -> str:
        shown = " ".join(self.argv)
        tail = (self.out[-600:] + "\n--- stderr ---\n" + self.err[-1500:]).strip()
        return f"$ giantdesk {shown}\n→ exit {self.code} after {self.seconds:.1f} s\n{tail}"


@dataclass
class Probe:
    klass: str
    name: str
    body: Callable[[Ctx], None]
    #: This probe leaves a ``.part`` file on purpose (a killed export).
    allow_part: bool = False
    #: Every command runs under the Windows-semantics emulation (``tests/winsem.py``).
    windows: bool = False


@dataclass
class ProbeClass:
    name: str
    area: str
    doc: str
    generate: Callable[[random.Random, bool], list[Probe]]
    #: How many of its inputs the fast subset (``make test``) runs.
    fast: int = 2
    #: POSIX facilities it needs (FIFOs, /dev/zero, mount namespaces).
    posix: bool = True


REGISTRY: dict[str, ProbeClass] = {}


def probe_class(name: str, area: str, *, fast: int = 2, posix: bool = True
                ) -> Callable[[Callable[[random.Random, bool], Iterable[Probe]]],
                              Callable[[random.Random, bool], Iterable[Probe]]]:
    """Register a generator ``(rng, full) -> probes``; its docstring describes the class."""

    def register(fn: Callable[[random.Random, bool], Iterable[Probe]]
                 ) -> Callable[[random.Random, bool], Iterable[Probe]]:
        REGISTRY[name] = ProbeClass(name, area, " ".join((fn.__doc__ or "").split("\n\n")[0].split()),
                                    lambda rng, full: list(fn(rng, full)), fast, posix)
        return fn

    return register


# --------------------------------------------------------------------------------------------
# What all probes share: the signing key (a plaintext keyring the probes name themselves, in a
# scratch folder), a valid bundle, an attachment.


class Shared:
    """Inputs built once per session (lazily, thread-safe)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.keyring = root / "keyring"
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key not in self._cache:
                self._cache[key] = make()
            return self._cache[key]

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GIANTDESK_", "PYTHON_KEYRING", "SOURCE_DATE"))}
        env.update(PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
                   XDG_DATA_HOME=str(self.keyring), SOURCE_DATE_EPOCH=EPOCH,
                   PYTHONPATH=os.pathsep.join([*SOURCE, str(ROOT)]),
                   PYTHONDONTWRITEBYTECODE="1")
        return env

    # -- the base bundle: the sample record with one PDF and one PNG attachment ---------------

    def base_bundle(self) -> Path:
        return self.get("bundle", self._make_bundle)  # type: ignore[no-any-return]

    def _make_bundle(self) -> Path:
        from tests.store.test_attachments import make_pdf, make_png

        folder = self.root / "base"
        folder.mkdir(parents=True, exist_ok=True)
        pdf = make_pdf(folder / "营业执照.pdf", pages=2)
        png = make_png(folder / "photo.png")
        env = dict(self.env(), GIANTDESK_HOME=str(folder / "home"))
        result = subprocess.run(
            [*giantdesk_command(), "export", str(SAMPLE), "--out", str(folder / "out"),
             "--attach", f"business_license={pdf}", "--attach", f"other={png}"],
            capture_output=True, text=True, env=env, cwd=folder, timeout=TIMEOUT * 2)
        if result.returncode != 0:
            raise RuntimeError(f"the base bundle could not be made: {result.stderr}")
        (bundle,) = (folder / "out").glob("*.zip")
        return bundle

    def review_bundle(self) -> Path:
        """An Annex 2 review bundle (for ``summarize annex4`` and carry-over refusals)."""

        def make() -> Path:
            folder = self.root / "review"
            folder.mkdir(parents=True, exist_ok=True)
            env = dict(self.env(), GIANTDESK_HOME=str(folder / "home"))
            result = subprocess.run(
                [*giantdesk_command(), "export", str(REVIEW_SAMPLE), "--out",
                 str(folder / "out")], capture_output=True, text=True, env=env, cwd=folder,
                timeout=TIMEOUT * 2)
            if result.returncode != 0:
                raise RuntimeError(f"the review bundle could not be made: {result.stderr}")
            (bundle,) = (folder / "out").glob("*.zip")
            return bundle

        return self.get("review", make)  # type: ignore[no-any-return]

    def stored_home(self) -> Path:
        """A data folder holding the sample as draft 1 and a backup taken after it (copied
        into each store probe's ``home``: importing costs a subprocess per probe)."""

        def make() -> Path:
            home = self.root / "stored-home"
            env = dict(self.env(), GIANTDESK_HOME=str(home))
            for argv in (["drafts", "import", str(SAMPLE)], ["drafts", "new", "annex1-batch4"],
                         ["drafts", "set", "2", "enterprise.name", "第二个企业"],
                         ["backup"], ["drafts", "set", "1", "contact.name", "备份之后"]):
                result = subprocess.run([*giantdesk_command(), *argv], capture_output=True,
                                        text=True, env=env, timeout=TIMEOUT)
                if result.returncode != 0:
                    raise RuntimeError(f"{argv}: {result.stderr}")
            return home

        return self.get("stored-home", make)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------
# One probe's context


class Ctx:
    def __init__(self, probe: Probe, root: Path, shared: Shared, lang: str) -> None:
        self.probe = probe
        self.root = root
        self.home = root / "home"
        self.work = root / "work"
        self.work.mkdir(parents=True)
        self.shared = shared
        self.lang = lang
        self.windows = probe.windows
        #: The whole chain of commands (``--full``), or its core (the fast subset of make test).
        self.full = True
        self.runs: list[Run] = []

    # -- running the command line ------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = self.shared.env()
        env.update(GIANTDESK_HOME=str(self.home), GIANTDESK_LANG=self.lang)
        env.update(extra)
        return env

    def command(self, windows: bool | None) -> list[str]:
        if self.windows if windows is None else windows:  # the CLI under the Windows-semantics emulation (tests/winsem.py)
            return [sys.executable, "-m", "tests.probes.winrun"]
        return giantdesk_command()

    def spawn(self, *argv: str, windows: bool | None = None, env: dict[str, str] | None = None,
              **kwargs: Any) -> subprocess.Popen[bytes]:
        """Start a command without waiting (a concurrent writer, a GUI-like lock holder)."""
        return subprocess.Popen([*self.command(windows), *argv], cwd=self.work,
                                env=env or self.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True, **kwargs)

    def cli(self, *argv: str, codes: Iterable[int] = EXIT_CODES, names: Sequence[str] = (),
            timeout: float = TIMEOUT, windows: bool | None = None,
            env: dict[str, str] | None = None,
            stdin: bytes | None = None, quiet_ok: bool = False) -> Run:
        """Run ``giantdesk argv…`` and check the invariants every run is held to."""
        started = time.monotonic()
        proc = self.spawn(*argv, windows=windows, env=env,
                          stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
            code: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, err = proc.communicate()
            code = None
        run = Run(tuple(argv), code, _decode(out), _decode(err), time.monotonic() - started)
        self.runs.append(run)
        if code is None:
            self.fail(f"hung: still running after {timeout:.0f} s", run)
        allowed = set(codes)
        if code not in allowed or code not in EXIT_CODES:
            self.fail(f"exit {code}, expected one of {sorted(allowed)}", run)
        # the keyring's details for support staff follow its message on the command line by
        # design (KeyringUnavailable.detail: backend and exception names); the GUI never shows it
        found = _TRACEBACK.search("\n".join(
            line for line in run.text.splitlines()
            if "For support staff" not in line and "技术人员" not in line))
        if found:
            self.fail(f"a traceback or Python class name on the output ({found.group()!r})", run)
        for stream, raw in (("stdout", out), ("stderr", err)):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                self.fail(f"{stream} is not valid UTF-8", run)
        if code != 0 and not quiet_ok and not run.text.strip():
            self.fail("a refusal without any message", run)
        if code != 0 and names and not any(n in run.text for n in names):
            self.fail(f"the message names none of {list(names)}", run)
        return run

    # -- checks -------------------------------------------------------------------------------

    def fail(self, what: str, run: Run | None = None) -> None:
        raise ProbeFailure(what + ("\n" + run.describe() if run else ""))

    def each(self, items: Iterable[Any], step: Callable[[Any], None]) -> None:
        """``step(item)`` for every item, going on after a broken promise; then all of them."""
        failures = []
        for item in items:
            try:
                step(item)
            except ProbeFailure as exc:
                failures.append(str(exc))
        if failures:
            raise ProbeFailure(f"{len(failures)} command(s) failed:\n\n" + "\n\n".join(failures))

    def check(self, condition: object, what: str, run: Run | None = None) -> None:
        if not condition:
            self.fail(what, run or (self.runs[-1] if self.runs else None))

    def drafts(self) -> list[dict[str, Any]] | None:
        """The drafts ``drafts list --format json`` shows, or None when it refuses."""
        import json

        run = self.cli("drafts", "list", "--format", "json")
        if run.code != 0:
            return None
        try:
            data = json.loads(run.out)
        except ValueError:
            self.fail("drafts list --format json printed something that is not JSON", run)
        return data  # type: ignore[no-any-return]

    def show(self, draft_id: int) -> str | None:
        """``drafts show ID --format json`` (the canonical record), or None when refused."""
        run = self.cli("drafts", "show", str(draft_id), "--format", "json")
        return run.out if run.code == 0 else None

    def never_silently_empty(self, held: int, run: Run | None = None) -> None:
        """The store held ``held`` drafts: it lists them all, or refuses (with a message)."""
        listed = self.drafts()
        if listed is not None:
            self.check(len(listed) >= held,
                       f"the store silently lists {len(listed)} draft(s); it held {held}",
                       self.runs[-1])

    def write(self, name: str, data: bytes | str) -> Path:
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        path.write_bytes(data)
        return path

    def copy_home(self, source: Path) -> None:
        shutil.copytree(source, self.home, symlinks=True)

    def leftovers(self) -> list[Path]:
        return [p for p in self.root.rglob("*.part")] + [
            p for p in self.root.rglob(".giantdesk-*") if p.is_file()]


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


# --------------------------------------------------------------------------------------------
# Running classes


@dataclass
class Outcome:
    klass: str
    inputs: int = 0
    passed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    commands: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def count(self, probe: Probe, failure: str | None, commands: int) -> None:
        """One input's result."""
        self.inputs += 1
        self.commands += commands
        if failure is None:
            self.passed += 1
        else:
            self.failures.append((probe.name, failure))


def select(klass: ProbeClass, full: bool, seed: int) -> list[Probe]:
    rng = random.Random(f"{klass.name}:{seed}".encode("utf-8", "surrogatepass"))
    probes = klass.generate(rng, full)
    if full or len(probes) <= klass.fast:
        return probes
    # The fast subset: the same inputs every run (seeded), spread over the class.
    pick = random.Random(f"fast:{klass.name}").sample(range(len(probes)), klass.fast)
    return [probes[i] for i in sorted(pick)]


def run_probe(probe: Probe, shared: Shared, scratch: Path, keep: bool, full: bool = True,
              ) -> tuple[str | None, int]:
    """Run one probe; (failure text or None, commands run)."""
    root = Path(tempfile.mkdtemp(prefix="probe-", dir=scratch))
    lang = ("zh", "en")[zlib.crc32(probe.name.encode("utf-8", "surrogatepass")) % 2]
    ctx = Ctx(probe, root, shared, lang)
    ctx.full = full
    failure: str | None = None
    try:
        probe.body(ctx)
        left = [] if probe.allow_part else ctx.leftovers()
        if left:
            raise ProbeFailure("partial files left behind: "
                               + ", ".join(str(p.relative_to(root)) for p in left))
    except ProbeFailure as exc:
        failure = str(exc)
    except Exception:  # the probe itself broke: reported as a failure of the harness
        failure = "harness error:\n" + traceback.format_exc()
    finally:
        _restore_modes(root)
        if failure is None or not keep:
            shutil.rmtree(root, ignore_errors=True)
        elif failure is not None:
            failure += f"\n(kept: {root})"
    return failure, len(ctx.runs)


def _restore_modes(root: Path) -> None:
    """Probes make folders read-only; make them removable again."""
    for path in [root, *root.rglob("*")]:
        try:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)
        except OSError:
            pass


def run_class(name: str, shared: Shared, scratch: Path, *, full: bool, seed: int = 0,
              jobs: int = 2, keep: bool = False) -> Outcome:
    """Run every selected input of one class; the outcome counts them."""
    klass = REGISTRY[name]
    outcome = Outcome(name)
    started = time.monotonic()
    if klass.posix and os.name == "nt":
        return outcome
    probes = select(klass, full, seed)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda p: (p, *run_probe(p, shared, scratch, keep, full)),
                                probes))
    for probe, failure, commands in results:
        outcome.count(probe, failure, commands)
    outcome.seconds = time.monotonic() - started
    return outcome


def run_classes(names: Sequence[str], *, full: bool, seed: int = 0, jobs: int = 2,
                keep: bool = False, scratch: Path | None = None,
                progress: Callable[[str], None] | None = None) -> list[Outcome]:
    own = scratch is None
    scratch = scratch or Path(tempfile.mkdtemp(prefix="giantdesk-probes-"))
    shared = Shared(scratch / "shared")
    outcomes = []
    try:
        for name in names:
            outcome = run_class(name, shared, scratch, full=full, seed=seed, jobs=jobs,
                                keep=keep)
            outcomes.append(outcome)
            if progress:
                progress(f"{name}: {outcome.passed}/{outcome.inputs} passed, "
                         f"{outcome.commands} commands, {outcome.seconds:.1f} s"
                         + "".join(f"\n\n=== {name} / {probe}\n{failure}"
                                   for probe, failure in outcome.failures))
    finally:
        if own and not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return outcomes


def run_fast(names: Sequence[str], shared: Shared, scratch: Path, *, jobs: int = 2
             ) -> dict[str, Outcome]:
    """The fast subset of every class in ``names``, all in one pool (the classes' inputs
    interleave, so the pool stays busy): an outcome per class."""
    chosen = [(name, probe) for name in names
              if not (REGISTRY[name].posix and os.name == "nt")
              for probe in select(REGISTRY[name], False, 0)]
    outcomes = {name: Outcome(name) for name in names}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(
            lambda item: (item[0], item[1], *run_probe(item[1], shared, scratch, False, False)),
            chosen))
    for name, probe, failure, commands in results:
        outcomes[name].count(probe, failure, commands)
    for outcome in outcomes.values():
        outcome.seconds = time.monotonic() - started
    return outcomes
