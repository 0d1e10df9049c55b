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
