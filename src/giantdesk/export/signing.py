"""The user's Ed25519 signing key, kept in the OS credential store through ``keyring``.

The private key is stored as base64 of its 32 raw bytes under service ``giantdesk``, user name
``signing-key``; it is created on first use and never written to a file or a log. When there is
no usable credential store the key is refused, never kept somewhere unprotected:

* keyring's fail backend, an empty chainer, a backend that cannot even be loaded (a wrong
  ``PYTHON_KEYRING_BACKEND``), or any error while reading/writing → refused;
* a backend that drops writes (the null backend) → found by reading the key back → refused;
* a backend whose storage is a file — plain or weakly encrypted (``keyrings.alt``'s
  ``PlaintextKeyring`` / ``EncryptedKeyring``, ``keyrings.cryptfile``, anything with a
  ``file_path``) — picked by keyring itself (by priority, or as a member of its chainer, even
  when the chainer itself was named) → refused. Of a chainer's members the first acceptable one
  is used directly, so a file-backed member is never read or written. Only a file backend the
  user named itself (``PYTHON_KEYRING_BACKEND`` or keyring's config file) is used as it is.

The key id is the first 16 hex digits (upper case, groups of 4) of SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from giantdesk.forms.messages import Message

SERVICE = "giantdesk"
USERNAME = "signing-key"

_NEVER_A_FILE = Message("GiantDesk 不会把私钥写入未受保护的文件；草稿不受影响。",
                        "GiantDesk never writes the private key to an unprotected file; your "
                        "drafts are not affected.")
_FOR_SUPPORT = Message(
    "（技术人员：可用 PYTHON_KEYRING_BACKEND 环境变量或 keyring 的配置文件明确指定一个后端。）",
    "(For support staff: a backend can be chosen explicitly with the PYTHON_KEYRING_BACKEND "
    "environment variable or keyring's config file.)")

#: The user's words, by platform: what is unavailable and what to do. No environment variable,
#: no module or class name (those are in ``KeyringUnavailable.detail``, for the log and the
#: command line).
_USER_MESSAGES = {
    "win32": Message(
        "Windows 凭据管理器不可用，GiantDesk 无法保存用于签名的密钥，所以现在不能导出申报包。"
        "请这样做：① 用您自己的 Windows 账户登录（不要用来宾或临时账户）；② 打开“控制面板 → "
        "用户帐户 → 凭据管理器”，确认能打开“Windows 凭据”；③ 重新启动电脑后再导出。仍然不行时，"
        "请联系单位的 IT 人员（详细原因已写入日志）。",
        "The Windows Credential Manager is not available, so GiantDesk cannot keep the key it "
        "signs with and cannot export the bundle now. What to do: (1) sign in with your own "
        "Windows account (not a guest or temporary one); (2) open Control Panel → User Accounts "
        "→ Credential Manager and check that “Windows Credentials” opens; (3) restart the "
        "computer and export again. If it still fails, ask your IT staff (the details are in "
        "the log)."),
    "darwin": Message(
        "macOS 钥匙串（凭据存储）不可用，GiantDesk 无法保存用于签名的密钥，所以现在不能导出"
        "申报包。请打开“钥匙串访问”，解锁“登录”钥匙串后再导出；仍然不行时，请联系单位的 IT "
        "人员（详细原因已写入日志）。",
        "The macOS keychain (credential store) is not available, so GiantDesk cannot keep the "
        "key it signs with and cannot export the bundle now. Open Keychain Access, unlock the "
        "“login” keychain and export again; if it still fails, ask your IT staff (the details "
        "are in the log)."),
    "other": Message(
        "系统密钥环（凭据存储）不可用，GiantDesk 无法保存用于签名的密钥，所以现在不能导出申报包。"
        "请安装并解锁系统的密钥环（如 GNOME 密钥环 gnome-keyring 或 KWallet）后再导出；"
        "仍然不行时，请联系系统管理员（详细原因已写入日志）。",
        "The system keyring (credential store) is not available, so GiantDesk cannot keep the "
        "key it signs with and cannot export the bundle now. Install and unlock the desktop's "
        "keyring (such as gnome-keyring or KWallet) and export again; if it still fails, ask "
        "your system administrator (the details are in the log)."),
}


def user_message(platform: str | None = None) -> Message:
    """What the user reads when the credential store cannot keep the key, for ``platform``
    (``sys.platform`` by default)."""
    import sys

    platform = sys.platform if platform is None else platform
    text = _USER_MESSAGES.get(platform, _USER_MESSAGES["other"])
    return Message(f"{text.zh}{_NEVER_A_FILE.zh}", f"{text.en} {_NEVER_A_FILE.en}")


class KeyringUnavailable(RuntimeError):
    """No usable credential store. ``message`` says what is unavailable and what to do, in
    the user's words for their platform (no module, class or variable names: a dialog shows
    it); ``detail`` adds those for the command line, ``doctor`` and the log; :attr:`full` is
    both."""

    def __init__(self, message: Message, detail: Message | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.detail = detail

    @property
    def full(self) -> Message:
        if self.detail is None:
            return self.message
        return Message(f"{self.message.zh}\n{self.detail.zh}",
                       f"{self.message.en}\n{self.detail.en}")


def _unavailable(zh: str, en: str, technical: str = "") -> KeyringUnavailable:
    """``zh`` / ``en``: what is wrong, in plain words (said after the platform's message);
    ``technical``: the backend and the error (names), shown with the advice for support
    staff outside dialogs."""
    where = f"{technical} " if technical else ""
    user = user_message()
    return KeyringUnavailable(
        Message(f"{user.zh}\n（原因：{zh}）", f"{user.en}\n(Reason: {en}.)"),
        Message(f"{where}{_FOR_SUPPORT.zh}", f"{where}{_FOR_SUPPORT.en}"))


def key_id(public_raw: bytes) -> str:
    """``"3F2A 9C1B 77D0 E4A2"``: the short, shown form of a public key."""
    head = hashlib.sha256(public_raw).hexdigest()[:16].upper()
    return " ".join(head[i:i + 4] for i in range(0, 16, 4))


def normalize_key_id(text: str) -> str | None:
    """A key id typed by a user ("3f2a9c1b-77d0 e4a2") in canonical form, or None if malformed."""
    compact = "".join(ch for ch in text if ch not in " -:").upper()
    if len(compact) != 16 or any(ch not in "0123456789ABCDEF" for ch in compact):
        return None
    return " ".join(compact[i:i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class Signer:
    """A private key able to sign; ``public_raw`` and ``key_id`` go into the manifest."""

    _key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_raw(cls, private_raw: bytes) -> Signer:
        return cls(Ed25519PrivateKey.from_private_bytes(private_raw))

    @property
    def public_raw(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        return key_id(self.public_raw)

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def _private_raw(self) -> bytes:
        return self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def __repr__(self) -> str:  # never show the private key
        return f"Signer(key_id={self.key_id!r})"


def signature_valid(public_raw: bytes, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is the Ed25519 signature of ``data`` by ``public_raw``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# --------------------------------------------------------------------------------------------
# The credential store


def _explicitly_chosen() -> bool:
    """True when the user picked the backend (environment variable or keyring's config file)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    from keyring import core

    try:
        return bool(core.load_config())
    except Exception:  # a broken config file is not a choice we can honour
        return False


def _backend_name(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def file_backed(backend: object) -> bool:
    """True when ``backend`` keeps secrets in a file of its own (plain or weakly encrypted)."""
    module = type(backend).__module__
    return (hasattr(backend, "file_path") or module.startswith("keyrings.alt")
            or module.startswith("keyrings.cryptfile"))


def _refusal(backend: object, explicit: bool) -> KeyringUnavailable | None:
    from keyring.backends import fail, null

    name = _backend_name(backend)
    if isinstance(backend, fail.Keyring):
        return _unavailable("没有找到可用的凭据存储后端", "no credential store backend was found",
                            name)
    if isinstance(backend, null.Keyring):
        return _unavailable("所选的凭据存储不保存任何内容",
                            "the selected credential store does not keep anything", name)
    if file_backed(backend) and not explicit:
        return _unavailable(
            "自动选中的凭据存储把密码保存在普通文件中（明文或弱加密），未经明确指定不会使用",
            "the automatically selected credential store keeps secrets in a plaintext or "
            "weakly encrypted file and is used only when chosen explicitly", name)
    return None


def usable_backend(backend: object | None = None) -> object:
    """The credential store backend the key is kept in (``backend`` or keyring's choice);
    raises :class:`KeyringUnavailable` when there is none that keeps it safely."""
    from keyring.backends import chainer

    if backend is None:
        import keyring

        try:
            backend = keyring.get_keyring()
        except Exception as exc:  # a wrong PYTHON_KEYRING_BACKEND: ModuleNotFoundError, …
            raise _unavailable("无法加载所选的凭据存储后端",
                               "the chosen credential store backend cannot be loaded",
                               f"{type(exc).__name__}: {exc}") from None
    if isinstance(backend, chainer.ChainerBackend):
        # The chainer reads from every member and writes to the first that takes it: use the
        # first acceptable member directly, so a file-backed one is never read or written.
        try:
            members = list(backend.backends)
        except Exception as exc:
            raise _unavailable("无法列出凭据存储后端", "the credential store backends cannot be "
                               "listed", f"{type(exc).__name__}: {exc}") from None
        refusals = []
        for member in members:
            problem = _refusal(member, explicit=False)
            if problem is None:
                return member
            refusals.append(problem)
        if refusals:
            raise refusals[0]
        raise _unavailable("没有找到可用的凭据存储后端", "no credential store backend was found")
    problem = _refusal(backend, explicit=_explicitly_chosen())
    if problem is not None:
        raise problem
    return backend


def load_or_create_signer() -> Signer:
    """The user's signing key from the credential store, created (and stored) on first use.

    Raises :class:`KeyringUnavailable` when the key cannot be kept safely.
    """
    backend: Any = usable_backend()
    name = _backend_name(backend)
    try:
        stored = backend.get_password(SERVICE, USERNAME)
    except Exception as exc:
        raise _unavailable("读取失败（凭据存储可能已锁定）", "reading failed (the store may be "
                           "locked)", f"{name}: {type(exc).__name__}") from None
    if stored is not None:
        return _decode(stored)
    signer = Signer.generate()
    encoded = base64.b64encode(signer._private_raw()).decode("ascii")
    try:
        backend.set_password(SERVICE, USERNAME, encoded)
        read_back = backend.get_password(SERVICE, USERNAME)
    except Exception as exc:
        raise _unavailable("写入失败（凭据存储可能已锁定或只读）", "writing failed (the store may "
                           "be locked or read-only)", f"{name}: {type(exc).__name__}") from None
    if read_back != encoded:
        raise _unavailable("凭据存储没有保存写入的密钥（读回的内容不同）",
                           "the credential store did not keep the key (reading it back failed)",
                           name)
    return signer


def _decode(stored: str) -> Signer:
    try:
        raw = base64.b64decode(stored.strip(), validate=True)
        if len(raw) != 32:
            raise ValueError("length")
        return Signer.from_raw(raw)
    except (binascii.Error, ValueError):
        raise KeyringUnavailable(Message(
            f"凭据存储中的签名密钥（服务 {SERVICE}，用户名 {USERNAME}）已损坏。GiantDesk 不会覆盖它："
            "如确认不再需要，请在系统凭据管理器中删除该条目后重试（将生成新的密钥和新的密钥编号）。",
            f"the signing key in the credential store (service {SERVICE}, user {USERNAME}) is "
            "damaged. GiantDesk does not overwrite it: if you no longer need it, delete that entry "
            "in the system credential manager and try again (a new key and key id will be made)."
        )) from None
