"""The signing key: kept only in the credential store, refused when that store is unusable."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import keyring
import pytest
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked

from giantdesk.export import signing
from giantdesk.export.signing import (
    SERVICE,
    USERNAME,
    KeyringUnavailable,
    Signer,
    key_id,
    load_or_create_signer,
    normalize_key_id,
    signature_valid,
)
from tests.conftest import MemoryKeyring


@pytest.fixture(autouse=True)
def no_config_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own keyring config file must not decide these tests."""
    from keyring import core

    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(core, "load_config", lambda: None)


def test_key_is_created_once_and_kept_in_the_keyring(memory_keyring: MemoryKeyring,
                                                     tmp_path: Path,
                                                     giantdesk_home: Path) -> None:
    first = load_or_create_signer()
    stored = memory_keyring.store[(SERVICE, USERNAME)]
    raw = base64.b64decode(stored, validate=True)
    assert len(raw) == 32
    assert Signer.from_raw(raw).public_raw == first.public_raw
    second = load_or_create_signer()
    assert second.key_id == first.key_id
    assert list(giantdesk_home.iterdir()) == []  # nothing written to the data folder
    assert stored not in repr(first) and "Signer(key_id=" in repr(first)


def test_key_id_is_16_hex_digits_of_the_public_key_hash() -> None:
    signer = Signer.from_raw(bytes(32))
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){3}", signer.key_id)
    assert key_id(signer.public_raw) == signer.key_id
    assert normalize_key_id(signer.key_id.lower().replace(" ", "")) == signer.key_id
    assert normalize_key_id(signer.key_id.replace(" ", "-")) == signer.key_id
    assert normalize_key_id("12345") is None
    assert normalize_key_id("G" * 16) is None


def test_signatures() -> None:
    signer, other = Signer.from_raw(bytes(32)), Signer.from_raw(bytes([1]) * 32)
    sig = signer.sign(b"manifest")
    assert signature_valid(signer.public_raw, sig, b"manifest")
    assert not signature_valid(signer.public_raw, sig, b"manifesT")
    assert not signature_valid(other.public_raw, sig, b"manifest")
    assert not signature_valid(b"short", sig, b"manifest")


def _refused(backend: object) -> KeyringUnavailable:
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)  # type: ignore[arg-type]
    try:
        with pytest.raises(KeyringUnavailable) as caught:
            load_or_create_signer()
    finally:
        keyring.set_keyring(previous)
    message, full = caught.value.message, caught.value.full
    # the message is what a dialog shows, in the user's words for the platform ("Windows 凭据
    # 管理器不可用…" on Windows), then the reason: no variable, module or class names …
    assert message.zh.startswith(signing.user_message().zh)
    assert message.en.startswith(signing.user_message().en)
    assert "PYTHON_KEYRING_BACKEND" not in message.zh + message.en
    assert "keyring." not in message.en and "Error" not in message.en
    # … the command line and doctor add them for support staff
    assert "PYTHON_KEYRING_BACKEND" in full.zh and "PYTHON_KEYRING_BACKEND" in full.en
    assert full.en.startswith(message.en)
    return caught.value


def test_the_message_is_the_platforms() -> None:
    windows = signing.user_message("win32")
    assert windows.zh.startswith("Windows 凭据管理器不可用")
    assert "凭据管理器" in windows.zh and "Credential Manager" in windows.en
    assert "IT" in windows.zh and "不会把私钥写入未受保护的文件" in windows.zh
    assert "钥匙串" in signing.user_message("darwin").zh
    linux = signing.user_message("linux")
    assert "gnome-keyring" in linux.en and "密钥环" in linux.zh


def test_no_backend_is_refused_with_what_to_do() -> None:
    error = _refused(fail.Keyring())
    assert "no credential store backend" in error.message.en


def test_the_null_backend_is_refused() -> None:
    assert "does not keep anything" in _refused(null.Keyring()).message.en


def test_an_empty_chainer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    _refused(chainer.ChainerBackend())


class DroppingKeyring(MemoryKeyring):
    """Accepts writes and forgets them (like the null backend, under another name)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        pass


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")


class ReadOnlyKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("D-Bus says no")


def test_a_backend_that_drops_writes_is_found_by_reading_back() -> None:
    assert "did not keep the key" in _refused(DroppingKeyring()).message.en


def test_locked_or_failing_backends_are_refused() -> None:
    assert "KeyringLocked" in _refused(LockedKeyring()).full.en
    assert "writing failed" in _refused(ReadOnlyKeyring()).message.en


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backends (plaintext on disk)."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_a_plaintext_backend_is_refused_unless_chosen_explicitly(
        monkeypatch: pytest.MonkeyPatch) -> None:
    refused = _refused(PlaintextKeyring())
    assert "plaintext" in refused.message.en and "keyrings.alt.file" in refused.full.en
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    try:
        signer = load_or_create_signer()
    finally:
        keyring.set_keyring(previous)
    assert backend.store[(SERVICE, USERNAME)]
    assert signer.key_id


def test_a_plaintext_backend_chosen_in_the_config_file_is_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring import core

    backend = PlaintextKeyring()
    monkeypatch.setattr(core, "load_config", lambda: backend)
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        load_or_create_signer()
    finally:
        keyring.set_keyring(previous)


def test_a_damaged_stored_key_is_reported_and_kept(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.store[(SERVICE, USERNAME)] = "not base64!"
    with pytest.raises(KeyringUnavailable) as caught:
        load_or_create_signer()
    assert "damaged" in caught.value.message.en and "损坏" in caught.value.message.zh
    assert memory_keyring.store[(SERVICE, USERNAME)] == "not base64!"


def test_the_module_never_opens_files_for_the_key(monkeypatch: pytest.MonkeyPatch,
                                                  memory_keyring: MemoryKeyring) -> None:
    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("signing must not open files")

    monkeypatch.setattr("builtins.open", no_open)
    monkeypatch.setattr(Path, "open", no_open)
    assert signing.load_or_create_signer().key_id
