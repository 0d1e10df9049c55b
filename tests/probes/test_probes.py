"""The fast subset of the probes (``make test``): one seeded input of (almost) every class,
the same ones every run, through the real command line and with the core of each class's chain
of commands (``python -m tests.probes --full`` runs every input with the whole chain; see
``tests/probes/__init__.py``). The inputs of all classes share one pool of two workers; each
class is then one test, and a failure prints the input, the promise it broke, the command and
its output."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.probes import load_all
from tests.probes.harness import REGISTRY, Outcome, Shared, run_fast

load_all()
FAST = sorted(name for name, klass in REGISTRY.items() if klass.fast)
POSIX = pytest.mark.skipif(os.name == "nt", reason="FIFOs, devices, /proc, mount namespaces")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    scratch = tmp_path_factory.mktemp("probes")
    yield run_fast(FAST, Shared(scratch / "shared"), scratch, jobs=2)


@POSIX
@pytest.mark.parametrize("name", FAST)
def test_probe_class(name: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[name]
    assert outcome.inputs > 0
    assert outcome.ok, "\n\n".join(f"=== {name} / {probe}\n{failure}"
                                   for probe, failure in outcome.failures)
