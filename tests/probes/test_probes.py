"""The fast subset of the probes (``make test``): a few seeded inputs of every class, the
same ones every run, through the real command line (``python -m tests.probes --full`` runs all
of them; see ``tests/probes/__init__.py``). Each class is one test; a failure prints the
input, the promise it broke, the command and its output."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.probes import load_all
from tests.probes.harness import REGISTRY, Shared, run_class

load_all()
FAST = sorted(name for name, klass in REGISTRY.items() if klass.fast)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shared, Path]]:
    scratch = tmp_path_factory.mktemp("probes")
    yield Shared(scratch / "shared"), scratch


@pytest.mark.skipif(os.name == "nt", reason="FIFOs, devices, /proc, mount namespaces")
@pytest.mark.parametrize("name", FAST)
def test_probe_class(name: str, session: tuple[Shared, Path]) -> None:
    shared, scratch = session
    outcome = run_class(name, shared, scratch, full=False, jobs=2)
    assert outcome.inputs > 0
    assert outcome.ok, "\n\n".join(f"=== {name} / {probe}\n{failure}"
                                   for probe, failure in outcome.failures)
