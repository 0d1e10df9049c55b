"""Store: the cost of one autosaved edit, and peak memory while importing a big attachment.

Run: ``python -m bench.bench_store``. Self-contained: everything happens in a temporary data
folder that is deleted at the end.

1. One autosaved edit (durable: WAL + ``synchronous=FULL``, committed, with its revision row)
   against a baseline measured in the same run: a bare ``sqlite3`` upsert + commit with the
   same pragmas. Both pay one fsync of the WAL per edit; the ratio is the store's own overhead.
2. Peak memory of importing a 5 MB and a 500 MB attachment (a JPEG and a PDF whose pages are
   tiny but which carries a 500 MB stream), each in a fresh child process: ``tracemalloc`` peak
   during the import and the process's ``ru_maxrss``. Memory must not grow with file size.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from bench.timing import summary, time_calls

MB = 1024 * 1024
EDITS = 300






def bench_edits(home: Path) -> dict[str, float]:
    from giantdesk.store import Autosaver, open_store

    home.mkdir(parents=True, exist_ok=True)
    db = home / "baseline.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)")

    def bare(i: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO kv VALUES ('enterprise.name', ?) ON CONFLICT(k) DO UPDATE "
                     "SET v = excluded.v", (json.dumps(f"名称{i}", ensure_ascii=False),))
        conn.execute("COMMIT")

    store = open_store(home, backup_on_start=False)
    draft_id = store.create_draft("annex1-batch4")
    saver = Autosaver(store, draft_id)

    def set_value(i: int) -> None:
        store.set_value(draft_id, "finance.2021.operating_revenue", Decimal(i) + Decimal("0.5"))

    def autosaved(i: int) -> None:
        saver.set_value("enterprise.name", f"名称{i}")
        saver.flush()

    from datetime import date

    def set_input(i: int) -> None:
        store.set_input(draft_id, "contact.mobile", f"139{i:08d}", today=date(2022, 6, 20))

    results: dict[str, float] = {}
    rows = [("baseline: bare sqlite3 upsert+commit", bare),
            ("store.set_value (typed, + revision)", set_value),
            ("Autosaver flush of one edit", autosaved),
            ("store.set_input (parse_input + save)", set_input)]
    for _ in range(20):  # warm-up
        bare(0)
        set_value(0)
    baseline = 0.0
    for label, fn in rows:
        times = time_calls(fn, EDITS)
        median = statistics.median(times)
        if not baseline:
            baseline = median
        results[label] = median * 1e3
        print(f"  {label:40s} {summary(times)}   ×{median / baseline:5.2f} baseline")
    store.close()
    conn.close()
    return results


def make_jpeg(path: Path, size: int) -> None:
    with open(path, "wb") as handle:  # a JPEG signature, then a sparse body
        handle.write(b"\xff\xd8\xff\xe0")
        handle.truncate(size - 2)
        handle.seek(size - 2)
        handle.write(b"\xff\xd9")


def make_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF carrying an unreferenced stream that makes it ``size`` bytes."""
    objects = [b"<< /Type /Catalog /Pages 3 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] >>"]
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    tail_objects = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n + 2, body)
                            for n, body in enumerate(objects))
    fixed = len(head) + 200 + len(tail_objects) + 300
    length = max(1, size - fixed)
    offsets = []
    with open(path, "wb") as handle:
        handle.write(head)
        offsets.append(handle.tell())
        handle.write(b"1 0 obj\n<< /Length %d >>\nstream\n" % length)
        handle.seek(length, os.SEEK_CUR)  # sparse
        handle.write(b"\nendstream\nendobj\n")
        for n, body in enumerate(objects):
            offsets.append(handle.tell())
            handle.write(b"%d 0 obj\n%s\nendobj\n" % (n + 2, body))
        xref = handle.tell()
        handle.write(b"xref\n0 5\n0000000000 65535 f \n")
        for offset in offsets:
            handle.write(b"%010d 00000 n \n" % offset)
        handle.write(b"trailer\n<< /Size 5 /Root 2 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)


_CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
from giantdesk.store import open_store
home, source = Path(sys.argv[1]), Path(sys.argv[2])
store = open_store(home, backup_on_start=False, max_attachment_bytes=1 << 40)
draft_id = store.create_draft("annex1-batch4")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
start = time.perf_counter()
info = store.add_attachment(draft_id, "other", source)
elapsed = time.perf_counter() - start
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
store.close()
print(json.dumps({"size": info.size, "seconds": elapsed, "tracemalloc_peak": peak,
                  "maxrss_before_kb": before, "maxrss_after_kb": after,
                  "media_type": info.media_type}))
"""


def bench_memory(work: Path) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for kind, maker in (("jpeg", make_jpeg), ("pdf", make_pdf)):
        for size_mb in (5, 500):
            source = work / f"big-{size_mb}.{kind}"
            maker(source, size_mb * MB)
            home = work / f"home-{kind}-{size_mb}"
            try:
                out = subprocess.run([sys.executable, "-c", _CHILD, str(home), str(source)],
                                     capture_output=True, text=True, check=True).stdout
            finally:
                source.unlink()
            data = json.loads(out)
            label = f"{kind} {size_mb:3d} MB"
            results[label] = data
            print(f"  {label}: tracemalloc peak {data['tracemalloc_peak'] / MB:6.2f} MB   "
                  f"ru_maxrss {data['maxrss_before_kb'] / 1024:6.1f} → "
                  f"{data['maxrss_after_kb'] / 1024:6.1f} MB   "
                  f"{data['seconds']:6.2f} s ({size_mb / data['seconds']:6.0f} MB/s)")
            # the stored copy and the database go with the folder
            for path in sorted(home.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            home.rmdir()
    return results


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="giantdesk-bench-") as tmp:
        work = Path(tmp)
        print(f"One autosaved edit ({EDITS} edits each; WAL + synchronous=FULL):")
        bench_edits(work / "edits")
        print("Peak memory importing an attachment (fresh child process each):")
        bench_memory(work)


if __name__ == "__main__":
    main()
