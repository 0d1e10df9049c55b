"""Export and verify of large bundles against plain hashing, and their peak memory.

Run: ``.venv/bin/python -m bench.bench_export`` (or ``make bench``). Files are made in a temporary
folder and deleted afterwards. Reported:

* with 300 MB of attachments (6 × 50 MB), best of three rounds each, against baselines measured
  in the same run: ``hash`` = reading the bundle file once and SHA-256-hashing it (what any
  check of its bytes costs at least; verify's target is ≤ 1.5× this), ``copy`` = reading,
  hashing, writing and fsyncing the attachments (what any export costs at least; export's
  target is ≤ 1.5× this);
* the fixed costs: rendering the three copies (warm fonts), export and verify of a bundle with
  no attachments;
* peak memory of export and of verify, each in a fresh child process after a warm-up (imports,
  fonts), for 5 MB and 300 MB of attachments in 16 files: ``ru_maxrss`` of the child and the
  ``tracemalloc`` peak of the operation itself. Target: ≤ 5 MB more at 300 MB than at 5 MB.
"""

from __future__ import annotations

import hashlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

MiB = 1 << 20
CHUNK = 4 * MiB
FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)
ROUNDS = 3


def make_files(folder: Path, total_bytes: int, count: int = 6) -> list[Path]:
    """``count`` files of incompressible bytes adding up to ``total_bytes``, written in chunks."""
    block = random.Random(4).randbytes(MiB)
    paths = []
    per_file = total_bytes // count
    for i in range(count):
        path = folder / f"scan-{i:02d}.pdf"
        with path.open("wb") as fh:
            left = per_file
            while left:
                n = min(left, MiB)
                fh.write(block[:n])
                left -= n
        paths.append(path)
    return paths


def copy_baseline(paths: list[Path], out: Path) -> None:
    """What any export must cost at least: read, SHA-256, write, fsync."""
    out.mkdir(exist_ok=True)
    for path in paths:
        digest = hashlib.sha256()
        with path.open("rb") as src, (out / path.name).open("wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    for copy in out.iterdir():
        copy.unlink()


def hash_baseline(path: Path) -> None:
    """What any check of a file's bytes costs at least: read it once, SHA-256."""
    digest = hashlib.sha256()
    buffer = memoryview(bytearray(CHUNK))
    with path.open("rb", buffering=0) as fh:
        while n := fh.readinto(buffer):
            digest.update(buffer[:n])


def _export(paths: list[Path], out: Path) -> Path:
    from giantdesk.export.attachments import Attachment
    from giantdesk.export.bundle import export_bundle
    from giantdesk.export.demo import load_sample
    from giantdesk.export.signing import Signer

    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    attachments = [Attachment("audit_report", p) for p in paths]
    return export_bundle(load_sample(), out, attachments=attachments, finalized_at=FINALIZED,
                         signer=Signer.from_raw(bytes(32))).path


def _verify(path: Path) -> None:
    from giantdesk.export import copies
    from giantdesk.export.verify import verify_bundle

    copies._CACHE.clear()  # every round renders the copies again, as a fresh process would
    report = verify_bundle(path)
    if not report.valid:
        raise SystemExit(f"benchmark bundle invalid: {report.problem}")


def _render() -> None:
    from giantdesk.export import copies
    from giantdesk.export.context import RenderContext
    from giantdesk.export.demo import load_sample

    copies._CACHE.clear()
    copies.rerender(RenderContext.of(load_sample(), FINALIZED, "0000 0000 0000 0000"))


def best(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def warm_up(folder: Path) -> None:
    """Imports, fonts and definitions loaded before anything is measured."""
    _verify(_export([], folder / "warm"))


def timing(total_mb: int = 300) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        folder = Path(tmp)
        warm_up(folder)
        paths = make_files(folder, total_mb * MiB)
        copy = best(lambda: copy_baseline(paths, folder / "copy"))
        holder: list[Path] = []
        export = best(lambda: holder.append(_export(paths, folder / "out")))
        bundle = holder[-1]
        hashed = best(lambda: hash_baseline(bundle))
        verify = best(lambda: _verify(bundle))
        empty = _export([], folder / "empty")
        return {"copy": copy, "hash": hashed, "export": export, "verify": verify,
                "render": best(_render), "export0": best(lambda: _export([], folder / "e0")),
                "verify0": best(lambda: _verify(empty)), "size": bundle.stat().st_size / MiB}


def child(kind: str, total_bytes: int) -> None:
    """In a fresh process: warm up, then export (or verify) 16 attachments adding up to
    ``total_bytes``; print ru_maxrss (KiB) and the tracemalloc peak (bytes) of the operation."""
    import tracemalloc

    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        folder = Path(tmp)
        warm_up(folder)
        paths = make_files(folder, total_bytes, count=16)
        bundle = _export(paths, folder / "out") if kind == "verify" else None
        tracemalloc.start()
        if bundle is None:
            _export(paths, folder / "out")
        else:
            _verify(bundle)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{rss_kib} {peak}")


def memory(kind: str, total_bytes: int) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_export", "--child", kind,
                          str(total_bytes)], check=True, capture_output=True, text=True).stdout
    rss, peak = out.split()
    return int(rss) / 1024, int(peak) / MiB


def main() -> None:
    t = timing()
    print(f"300 MB of attachments (bundle {t['size']:.0f} MiB), best of {ROUNDS}:")
    print(f"  baseline: read + SHA-256 the bundle   {t['hash']:6.2f} s")
    print(f"  baseline: hash + copy + fsync         {t['copy']:6.2f} s")
    print(f"  export                                {t['export']:6.2f} s  "
          f"({t['export'] / t['copy']:.2f}× copy baseline; target ≤ 1.5×)")
    print(f"  verify                                {t['verify']:6.2f} s  "
          f"({t['verify'] / t['hash']:.2f}× hash baseline; target ≤ 1.5×)")
    print("fixed costs:")
    print(f"  render the three copies (warm)        {t['render']:6.2f} s")
    print(f"  export, no attachments                {t['export0']:6.2f} s")
    print(f"  verify, no attachments (re-renders)   {t['verify0']:6.2f} s")
    print("peak memory, fresh child process after a warm-up (16 attachments):")
    for kind in ("export", "verify"):
        small, large = memory(kind, 5 * MiB), memory(kind, 300 * MiB)
        print(f"  {kind:6s}   5 MB: ru_maxrss {small[0]:6.1f} MiB, tracemalloc {small[1]:6.2f} MiB"
              f"   300 MB: ru_maxrss {large[0]:6.1f} MiB, tracemalloc {large[1]:6.2f} MiB"
              f"   growth {large[0] - small[0]:+.1f} MiB (target ≤ 5)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
