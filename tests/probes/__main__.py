"""``python -m tests.probes [--full] [--only CLASS …] [--jobs N] [--seed N] [--keep]``.

Runs the probe classes through the real command line and prints one row per class: inputs
run, passed, failed, commands, seconds; then each failure (the input, the promise broken,
the command and its output). Exit 1 when any input failed.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
import time

from tests.probes import harness, load_all
from tests.probes.harness import REGISTRY, run_classes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.probes")
    parser.add_argument("--full", action="store_true", help="every input of every class")
    parser.add_argument("--only", nargs="+", default=["*"], metavar="CLASS",
                        help="class names or patterns (e.g. 'bundles.*')")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="for the random classes")
    parser.add_argument("--keep", action="store_true", help="keep the folders of failures")
    parser.add_argument("--list", action="store_true", help="list the classes")
    parser.add_argument("--src", help="run the commands from this copy of src/ instead")
    args = parser.parse_args(argv)
    load_all()
    if args.src:
        harness.SOURCE[:] = [args.src]
    names = [n for n in REGISTRY if any(fnmatch.fnmatch(n, p) for p in args.only)]
    if args.list:
        for name in names:
            print(f"{name:32} {REGISTRY[name].doc}")
        return 0
    started = time.monotonic()
    outcomes = run_classes(names, full=args.full, seed=args.seed, jobs=args.jobs,
                           keep=args.keep, progress=lambda s: print(s, file=sys.stderr,
                                                                   flush=True))
    print("\n| class | inputs | passed | failed | commands | seconds |\n|---|---|---|---|---|---|")
    for o in outcomes:
        print(f"| {o.klass} | {o.inputs} | {o.passed} | {len(o.failures)} | {o.commands} "
              f"| {o.seconds:.0f} |")
    total = sum(o.inputs for o in outcomes)
    failed = sum(len(o.failures) for o in outcomes)
    print(f"| **all** | {total} | {total - failed} | {failed} | "
          f"{sum(o.commands for o in outcomes)} | {time.monotonic() - started:.0f} |")
    for o in outcomes:
        for name, failure in o.failures:
            print(f"\n=== {o.klass} / {name}\n{failure}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
