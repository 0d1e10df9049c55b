"""Timing helpers shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def time_calls(fn: Callable[[int], object], repeat: int) -> list[float]:
    """Seconds taken by each of ``repeat`` calls ``fn(0)``, ``fn(1)``, …"""
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> str:
    """``median … ms   p95 … ms``."""
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(times) * 1e3:7.3f} ms   p95 {p95 * 1e3:7.3f} ms"
