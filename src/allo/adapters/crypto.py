"""Personal data at rest: AES-GCM encryption and keyed hashes for look-ups."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"
_NONCE = 12


class FieldCipher:
    """Encrypts personal fields with AES-256-GCM; the column name is bound as associated data,
    so a ciphertext moved to another column does not decrypt."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) < 16:
            raise ValueError("the secret key is too short")
        self._aead = AESGCM(_derive(master_key, b"allo/field-encryption"))
        self._hmac_key = _derive(master_key, b"allo/lookup-hash")

    def encrypt(self, plaintext: str | None, context: str) -> bytes | None:
        if plaintext is None:
            return None
        nonce = os.urandom(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode())

    def decrypt(self, blob: bytes | None, context: str) -> str | None:
        if blob is None:
            return None
        blob = bytes(blob)
        if blob[:1] != _VERSION:
            raise ValueError("unknown ciphertext version")
        nonce, body = blob[1 : 1 + _NONCE], blob[1 + _NONCE :]
        return self._aead.decrypt(nonce, body, context.encode()).decode("utf-8")

    def lookup_hash(self, value: str) -> str:
        """HMAC-SHA256 of a normalised value: equal inputs give equal hashes, nothing to reverse."""
        return hmac.new(self._hmac_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"allo-v1", info=info).derive(master)


def key_from_setting(secret: str) -> bytes:
    """A urlsafe-base64 32-byte key is used as is; anything else is treated as a passphrase."""
    try:
        raw = base64.urlsafe_b64decode(secret.encode() + b"=" * (-len(secret) % 4))
        if len(raw) == 32:
            return raw
    except (ValueError, base64.binascii.Error):
        pass
    return hashlib.sha256(("allo-passphrase:" + secret).encode("utf-8")).digest()


def load_or_create_key_file(path: Path) -> bytes:
    """Read the key file, or create it (mode 0600) with a fresh random key."""
    if path.exists():
        return key_from_setting(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key_from_setting(key)
