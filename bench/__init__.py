"""Benchmarks: each ``bench_*.py`` measures against a baseline taken in the same run."""
