"""The installed Qt binding keeps Python's reference counts (PySide6 6.12.0 does not: every
call of a wrapper returning None drops a reference to None, and ``Signal.emit`` one to True,
until the interpreter aborts with ``Fatal Python error: none_dealloc`` — docs/ui.md)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QSize, Signal


class _Emitter(QObject):
    signal = Signal()


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def test_wrappers_returning_none_or_bool_keep_their_references() -> None:
    obj, size, emitter = QObject(), QSize(), _Emitter()
    before = _counts()
    for _ in range(50):
        obj.setObjectName("x")  # void → None
        size.setWidth(3)  # void on a value type
        obj.parent()  # returns None
        size.isNull()  # returns a bool
        emitter.signal.emit()  # returns a bool
    after = _counts()
    lost = [b - a for b, a in zip(before, after, strict=True)]
    # (On Python 3.12+ the three are immortal: their counts never move.)
    assert all(n <= 0 for n in lost), (
        f"the Qt binding drops references to None/True/False: {lost} in 50 rounds "
        "(see docs/ui.md, 'PySide6 6.12.0')")
