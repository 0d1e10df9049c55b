"""Files the user receives (bundles, summaries): written beside their final name, then renamed.

Unlike ``tempfile.mkstemp`` (always 0600) the temporary file is created with the user's umask,
so a bundle a clerk exports is readable like any other file they save. A temporary file left
behind by a killed export (``.giantdesk-*.zip.part``) is removed by the next one in that folder.
"""

from __future__ import annotations

from pathlib import Path

from giantdesk import fileops


def create_beside(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """Create a new, empty temporary file in ``folder``: its descriptor (open for writing and
    reading) and path. Raises ``OSError`` like ``os.open``. Stale temporary files of the same
    kind (older than a minute, held by no process) are removed first."""
    fileops.remove_stale_temps(folder, prefix, suffix, min_age=60)
    return fileops.create_temp(folder, prefix, suffix)
