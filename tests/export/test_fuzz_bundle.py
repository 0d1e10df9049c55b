"""Fuzzing the bundle reader: random bytes and mutated bundles never raise, never pass tampering."""

from __future__ import annotations

import contextlib
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giantdesk.export.manifest import ManifestError, parse
from giantdesk.export.verify import verify_bundle

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
#: The structure-aware cases fail early (in the directory): many are cheap.
STRUCTURE = settings(SETTINGS, max_examples=150)


@pytest.fixture(scope="module")
def bundle_bytes(bundle: Path) -> bytes:
    return bundle.read_bytes()


def _verify(tmp_path: Path, data: bytes) -> int:
    path = tmp_path / "fuzz.zip"
    path.write_bytes(data)
    report = verify_bundle(path)
    assert report.exit_code in (0, 1, 2)
    report.as_json("zh")
    return report.exit_code


@SETTINGS
@given(data=st.binary(max_size=4096))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    assert _verify(tmp_path, data) in (1, 2)


@SETTINGS
@given(prefix=st.binary(max_size=64), body=st.binary(max_size=2048))
def test_random_bytes_that_end_like_a_zip(tmp_path: Path, prefix: bytes, body: bytes) -> None:
    # an end-of-central-directory record, so zipfile gets further than the signature search
    eocd = b"PK\x05\x06" + body[:18].ljust(18, b"\x00")
    assert _verify(tmp_path, prefix + b"PK\x01\x02" + body + eocd) in (1, 2)


mutation = st.tuples(st.floats(min_value=0, max_value=1, allow_nan=False),
                     st.integers(min_value=1, max_value=255))


@SETTINGS
@given(flips=st.lists(mutation, min_size=1, max_size=8), tail_bias=st.booleans(),
       cut=st.one_of(st.none(), st.integers(min_value=0, max_value=4096)))
def test_mutated_bundles(tmp_path: Path, bundle_bytes: bytes, flips: list[tuple[float, int]],
                         tail_bias: bool, cut: int | None) -> None:
    data = bytearray(bundle_bytes)
    # Half the runs aim at the last 4 KiB: the central directory and the manifest.
    start = max(0, len(data) - 4096) if tail_bias else 0
    for where, xor in flips:
        i = start + int(where * (len(data) - start - 1))
        data[i] ^= xor
    if cut is not None:
        del data[len(data) - cut:]
    _verify(tmp_path, bytes(data))


@pytest.mark.filterwarnings("ignore:Duplicate name")
@SETTINGS
@given(names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=6),
       payload=st.binary(max_size=200))
def test_zips_with_arbitrary_member_names(tmp_path: Path, names: list[str],
                                          payload: bytes) -> None:
    path = tmp_path / "names.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name.replace("\x00", ""))
            if info.filename:
                zf.writestr(info, payload)
    assert verify_bundle(path).exit_code == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=20)


@SETTINGS
@given(value=json_values)
def test_manifest_parser_only_raises_manifest_error(value: object) -> None:
    with contextlib.suppress(ManifestError):
        parse(json.dumps(value).encode())


@SETTINGS
@given(data=st.binary(max_size=512))
def test_manifest_parser_on_bytes(data: bytes) -> None:
    with contextlib.suppress(ManifestError):
        parse(data)


# ----------------------------------------------------------------------------------------------
# Structure-aware: the end record, the central directory and the local headers, field by field


_END_FIELDS = [(4, 2), (6, 2), (8, 2), (10, 2), (12, 4), (16, 4), (20, 2)]
_CENTRAL_FIELDS = [(4, 1), (5, 1), (6, 2), (8, 2), (10, 2), (12, 2), (14, 2), (16, 4), (20, 4),
                   (24, 4), (28, 2), (30, 2), (32, 2), (34, 2), (36, 2), (38, 4), (42, 4)]
_LOCAL_FIELDS = [(4, 2), (6, 2), (8, 2), (10, 2), (12, 2), (14, 4), (18, 4), (22, 4), (26, 2),
                 (28, 2)]


def _structures(data: bytes) -> list[tuple[str, int, list[tuple[int, int]]]]:
    """(kind, offset, fields) of every header of the bundle."""
    import io

    from giantdesk.export.zipcanon import read_layout
    from giantdesk.export.zipsafe import Limits

    layout = read_layout(io.BytesIO(data), len(data), Limits())
    out: list[tuple[str, int, list[tuple[int, int]]]] = [("end", len(data) - 22, _END_FIELDS)]
    at = layout.cd_offset
    for entry in layout.entries:
        out.append(("central", at, _CENTRAL_FIELDS))
        out.append(("local", entry.offset, _LOCAL_FIELDS))
        at += 46 + len(entry.name.encode())
    return out


def _interesting(size: int, width: int, original: int) -> st.SearchStrategy[int]:
    top = (1 << (8 * width)) - 1
    specials = [0, 1, top, top - 1, original + 1, (original - 1) & top, original ^ 0x80,
                size & top, (size - 22) & top, (size + 1) & top, (size // 2) & top,
                (original + size) & top, (original - size) & top]
    return st.sampled_from(specials) | st.integers(min_value=0, max_value=top)


@STRUCTURE
@given(data=st.data())
def test_structure_aware_mutations(tmp_path: Path, bundle_bytes: bytes,
                                   data: st.DataObject) -> None:
    """One or more header fields set to boundary or random values: verify never raises, never
    calls a changed bundle valid; carry-over and summarize answer with a message."""
    structures = _structures(bundle_bytes)
    mutated = bytearray(bundle_bytes)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        kind = data.draw(st.sampled_from(["end", "central", "local"]))
        _, at, fields = data.draw(st.sampled_from([s for s in structures if s[0] == kind]))
        offset, width = data.draw(st.sampled_from(fields))
        start = at + offset
        original = int.from_bytes(mutated[start:start + width], "little")
        value = data.draw(_interesting(len(mutated), width, original))
        mutated[start:start + width] = value.to_bytes(width, "little")
    code = _verify(tmp_path, bytes(mutated))
    if bytes(mutated) != bundle_bytes:
        assert code in (1, 2)


def test_garbled_end_record_offsets_everywhere(tmp_path: Path, bundle_bytes: bytes) -> None:
    """The case that ended in ``OSError: [Errno 22]``: the directory offset in the end record
    garbled, through verify, carry-over and summarize."""
    from datetime import date

    from giantdesk.store.carryover import read_source
    from giantdesk.store.errors import StoreError
    from giantdesk.summaries.collect import collect
    from giantdesk.summaries.tables import load_summary

    size = len(bundle_bytes)
    for value in (0, 1, size - 22, size, size + 1, 0x7FFFFFFF, 0xFFFFFFFE, 0xFFFFFFFF):
        data = bytearray(bundle_bytes)
        data[size - 6:size - 2] = value.to_bytes(4, "little")
        path = tmp_path / f"garbled-{value}.zip"
        path.write_bytes(bytes(data))
        report = verify_bundle(path)
        assert report.exit_code in (1, 2) and report.problem is not None
        with pytest.raises(StoreError):
            read_source(path)
        summary = collect(load_summary("annex3"), [path], as_of=date(2022, 7, 20))
        assert not summary.rows and summary.problems[0].code == report.problem.code


@STRUCTURE
@given(data=st.data())
def test_structure_aware_mutations_of_a_docx(data: st.DataObject, bundle_bytes: bytes) -> None:
    """The DOCX copy is itself a zip read with zipfile: a garbled directory gives a
    DocumentError, never another exception."""
    import io

    from giantdesk.export.doctext import DocumentError, docx_text

    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as zf:
        docx = zf.read("application.docx")
    mutated = bytearray(docx)
    end = docx.rindex(b"PK\x05\x06")
    central = [i for i in range(len(docx)) if docx.startswith(b"PK\x01\x02", i)]
    local = [i for i in range(central[0]) if docx.startswith(b"PK\x03\x04", i)]
    choices = {"end": [(end, f) for f in _END_FIELDS],
               "central": [(c, f) for c in central for f in _CENTRAL_FIELDS],
               "local": [(lo, f) for lo in local for f in _LOCAL_FIELDS]}
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        kind = data.draw(st.sampled_from(sorted(choices)))
        at, (offset, width) = data.draw(st.sampled_from(choices[kind]))
        start = at + offset
        original = int.from_bytes(mutated[start:start + width], "little")
        value = data.draw(_interesting(len(mutated), width, original))
        mutated[start:start + width] = value.to_bytes(width, "little")
    with contextlib.suppress(DocumentError):
        docx_text(bytes(mutated))
