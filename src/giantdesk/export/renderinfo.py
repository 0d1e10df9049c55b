"""What the copies' bytes depend on besides the record, recorded in the manifest (``render``).

The renderers are deterministic: the same record, finalization time and key id give the same
bytes *on the same installation*. What "the same installation" means is written down here, so
``verify`` can decide whether its own re-rendering must be byte-identical to the bundle's copies
(everything below equal) or can only be compared at the text level (anything differs):

* ``renderer``: SHA-256 over the bytecode of every GiantDesk module the renderers run
  (:data:`RENDER_MODULES`, read through the import system, so it works from source and from the
  frozen app alike) and over the form definitions and code tables they print;
* ``python``: the interpreter's version (bytecode, ``zipfile``, number formatting);
* ``libraries``: reportlab, python-docx, lxml and the zlib the PDF and DOCX are compressed with;
* ``fonts``: each font file the copies are set in (file name, sub-font, SHA-256).
"""

from __future__ import annotations

import hashlib
import importlib.util
import platform
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import CodeType
from typing import Any

#: Every GiantDesk module that runs while the three copies are rendered (a test keeps this list
#: equal to what importing the renderers loads).
RENDER_MODULES = (
    "giantdesk",
    "giantdesk.export",
    "giantdesk.export.cjkwrap",
    "giantdesk.export.context",
    "giantdesk.export.docx_render",
    "giantdesk.export.entry_sheet",
    "giantdesk.export.fingerprint",
    "giantdesk.export.fonts",
    "giantdesk.export.layout",
    "giantdesk.export.ooxml",
    "giantdesk.export.pdf",
    "giantdesk.export.qrpayload",
    "giantdesk.forms",
    "giantdesk.forms.codes",
    "giantdesk.forms.computed",
    "giantdesk.forms.definitions",
    "giantdesk.forms.limits",
    "giantdesk.forms.messages",
    "giantdesk.forms.model",
    "giantdesk.forms.record",
    "giantdesk.forms.scope",
    "giantdesk.forms.sme_size",
    "giantdesk.forms.validation",
    "giantdesk.forms.validators",
    "giantdesk.forms.values",
    "giantdesk.resources",
)
#: The data the renderers print from (package-relative folders of ``giantdesk.forms``).
RENDER_DATA = ("definitions", "data")


@dataclass(frozen=True)
class FontHash:
    file: str  # the file's name (not its folder, which differs between machines)
    index: int  # sub-font of a .ttc
    sha256: str


@dataclass(frozen=True)
class RenderInputs:
    renderer: str
    python: str
    libraries: tuple[tuple[str, str], ...]  # (name, version), sorted
    fonts: tuple[FontHash, ...]

    def as_json(self) -> dict[str, Any]:
        return {"renderer": self.renderer, "python": self.python,
                "libraries": dict(self.libraries),
                "fonts": [{"file": f.file, "index": f.index, "sha256": f.sha256}
                          for f in self.fonts]}

    @classmethod
    def from_json(cls, data: Any) -> RenderInputs:
        """Strict: raises ``ValueError`` naming the part that is not as written by
        :meth:`as_json`."""
        if not isinstance(data, dict) or set(data) != {"renderer", "python", "libraries",
                                                       "fonts"}:
            raise ValueError("render")
        renderer, python, libraries, fonts = (data["renderer"], data["python"],
                                              data["libraries"], data["fonts"])
        if not isinstance(renderer, str) or len(renderer) != 64:
            raise ValueError("render.renderer")
        if not isinstance(python, str) or not python:
            raise ValueError("render.python")
        if not isinstance(libraries, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in libraries.items()):
            raise ValueError("render.libraries")
        if not isinstance(fonts, list):
            raise ValueError("render.fonts")
        hashes = []
        for font in fonts:
            if (not isinstance(font, dict) or set(font) != {"file", "index", "sha256"}
                    or not isinstance(font["file"], str) or not isinstance(font["sha256"], str)
                    or not isinstance(font["index"], int) or isinstance(font["index"], bool)):
                raise ValueError("render.fonts")
            hashes.append(FontHash(font["file"], font["index"], font["sha256"]))
        return cls(renderer, python, tuple(sorted(libraries.items())), tuple(hashes))


def _library_versions() -> tuple[tuple[str, str], ...]:
    import docx
    import lxml.etree  # type: ignore[import-untyped]
    import reportlab

    return tuple(sorted({"reportlab": str(reportlab.Version),
                         "python-docx": str(getattr(docx, "__version__", "?")),
                         "lxml": str(lxml.etree.__version__),
                         "zlib": zlib.ZLIB_RUNTIME_VERSION}.items()))


def _const_bytes(value: object) -> bytes:
    """A stable encoding of a code constant (a frozenset's order varies between runs)."""
    if isinstance(value, frozenset):
        return b"frozenset(" + b",".join(sorted(_const_bytes(v) for v in value)) + b")"
    if isinstance(value, tuple):
        return b"(" + b",".join(_const_bytes(v) for v in value) + b")"
    return f"{type(value).__name__}:{value!r}".encode("utf-8", "surrogatepass")


def _hash_code(code: CodeType, digest: Any) -> None:
    digest.update(code.co_code)
    digest.update(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars,
                        code.co_flags, code.co_argcount, code.co_kwonlyargcount)).encode())
    for const in code.co_consts:
        if isinstance(const, CodeType):
            _hash_code(const, digest)
        else:
            digest.update(_const_bytes(const))


def _data_files() -> Iterator[tuple[str, bytes]]:
    root = resources.files("giantdesk.forms")
    for folder in RENDER_DATA:
        for item in sorted(root.joinpath(folder).iterdir(), key=lambda i: i.name):
            if item.name.endswith(".json"):
                yield f"{folder}/{item.name}", item.read_bytes()


@cache
def renderer_digest() -> str:
    """SHA-256 of the renderers' bytecode and printed data; "unknown" if any module's code
    cannot be obtained (then no re-rendering is ever taken to be byte-comparable)."""
    digest = hashlib.sha256()
    for name in RENDER_MODULES:
        spec = importlib.util.find_spec(name)
        get_code = getattr(spec.loader, "get_code", None) if spec is not None else None
        code = get_code(name) if get_code is not None else None
        if not isinstance(code, CodeType):
            return "unknown"
        digest.update(name.encode() + b"\0")
        _hash_code(code, digest)
    for name, data in _data_files():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


@cache
def _file_sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def font_hashes() -> tuple[FontHash, ...]:
    from giantdesk.export.fonts import font_files

    hashes = []
    for font in font_files():
        st = font.path.stat()
        hashes.append(FontHash(font.path.name, font.subfont_index,
                               _file_sha256(font.path, st.st_size, st.st_mtime_ns)))
    return tuple(hashes)


def this_installation() -> RenderInputs:
    """The render inputs of this installation (raises ``FontError`` without the fonts)."""
    return RenderInputs(renderer_digest(),
                        f"{platform.python_implementation()} {platform.python_version()}",
                        _library_versions(), font_hashes())
