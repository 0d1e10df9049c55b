"""Export and verify of large bundles against plain hashing + copying, and their peak memory.

Run: ``.venv/bin/python -m bench.bench_export`` (or ``make bench``). Files are made in a temporary
folder and deleted afterwards. Reported:

* time of ``export_bundle`` and of ``verify_bundle`` with 300 MB of attachments, against the time,
  measured in the same run, of simply SHA-256-hashing and copying the same files (fsync'd, like
  the export). Best of three rounds each; target: within 1.5× of the baseline.
* peak memory (child process ``ru_maxrss``, and the ``tracemalloc`` peak of the export + verify
  itself) for 10 MB and 500 MB of attachments: must not grow with the size.
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
CHUNK = 1 * MiB
FINALIZED = datetime(2022, 7, 1, 8, 30, 15, tzinfo=UTC)
ROUNDS = 3


def make_files(folder: Path, total_mb: int, count: int = 6) -> list[Path]:
    """``count`` files of incompressible bytes adding up to ``total_mb``, written in chunks."""
    block = random.Random(4).randbytes(CHUNK)
    paths = []
    per_file = total_mb * MiB // count
    for i in range(count):
        path = folder / f"scan-{i:02d}.pdf"
        with path.open("wb") as fh:
            left = per_file
            while left:
                n = min(left, CHUNK)
                fh.write(block[:n])
                left -= n
        paths.append(path)
    return paths


def baseline(paths: list[Path], out: Path) -> None:
    """What any copy must cost at least: read, SHA-256, write, fsync."""
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
    from giantdesk.export.verify import verify_bundle

    report = verify_bundle(path)
    if not report.valid:
        raise SystemExit(f"benchmark bundle invalid: {report.problem}")


def best(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def warm_up() -> None:
    """Imports, fonts and definitions loaded before anything is measured."""
    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        _export([], Path(tmp))


def timing(total_mb: int = 300) -> dict[str, float]:
    warm_up()
    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        folder = Path(tmp)
        paths = make_files(folder, total_mb)
        base = best(lambda: baseline(paths, folder / "copy"))
        holder: list[Path] = []
        export = best(lambda: holder.append(_export(paths, folder / "out")))
        verify = best(lambda: _verify(holder[-1]))
        render_only = best(lambda: _export([], folder / "empty"))
    return {"baseline": base, "export": export, "verify": verify, "fixed": render_only}


def child(total_mb: int) -> None:
    """In a fresh process: export + verify ``total_mb`` of attachments, print peak memory."""
    import tracemalloc

    warm_up()
    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        folder = Path(tmp)
        paths = make_files(folder, total_mb)
        tracemalloc.start()
        path = _export(paths, folder / "out")
        _verify(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{rss_kib} {peak}")


def memory(total_mb: int) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_export", "--child", str(total_mb)],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]) / 1024, int(out[1]) / MiB


def main() -> None:
    t = timing()
    print(f"300 MB of attachments, best of {ROUNDS}:")
    print(f"  hash + copy baseline  {t['baseline']:6.2f} s")
    print(f"  export                {t['export']:6.2f} s  ({t['export'] / t['baseline']:.2f}× "
          f"baseline; target ≤ 1.5×)")
    print(f"  export, no attachments{t['fixed']:6.2f} s  (render + sign: a fixed cost, rendered on "
          f"a worker thread while the attachments stream)")
    print(f"  verify                {t['verify']:6.2f} s  ({t['verify'] / t['baseline']:.2f}×)")
    print(f"  export + verify       {t['export'] + t['verify']:6.2f} s  "
          f"({(t['export'] + t['verify']) / t['baseline']:.2f}×)")
    print("peak memory of export + verify (child process):")
    for size in (10, 500):
        rss, traced = memory(size)
        print(f"  {size:4d} MB attachments: ru_maxrss {rss:6.1f} MiB, "
              f"tracemalloc peak {traced:6.2f} MiB")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(int(sys.argv[2]))
    else:
        main()
