"""Files the user receives (bundles, summaries): written beside their final name, then renamed.

Unlike ``tempfile.mkstemp`` (always 0600) the temporary file is created with the user's umask,
so a bundle a clerk exports is readable like any other file they save.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def create_beside(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """Create a new, empty temporary file in ``folder``: its descriptor (open for writing and
    reading) and path. Raises ``OSError`` like ``os.open``."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = folder / f"{prefix}{secrets.token_hex(6)}{suffix}"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")
