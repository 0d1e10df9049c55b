"""Adversarial probes of the command line (issues 7, 8 and 10): hostile and damaged inputs
driven through ``giantdesk …`` in subprocesses, each on a fresh data folder.

``python -m tests.probes`` runs the fast subset (the one ``make test`` runs, through
``tests/probes/test_probes.py``); ``python -m tests.probes --full`` runs every input of every
class and prints the table of classes, inputs and outcomes. See ``harness.py`` for the
invariants every input is held to.
"""


def load_all() -> None:
    """Import every module that registers probe classes."""
    import importlib

    for module in ("records", "store", "bundles", "attachments", "kills", "environment",
                   "windows"):
        importlib.import_module(f"tests.probes.{module}")
