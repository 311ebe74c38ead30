"""Field encryption and keyed look-up hashes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from allo.adapters.crypto import FieldCipher, key_from_setting, load_or_create_key_file


def test_round_trip_and_random_nonce() -> None:
    c = FieldCipher(key_from_setting("a passphrase"))
    a = c.encrypt("+33612345642", "customers.phone")
    b = c.encrypt("+33612345642", "customers.phone")
    assert a != b and b"33612345642" not in a
    assert c.decrypt(a, "customers.phone") == "+33612345642"


def test_ciphertext_is_bound_to_its_column() -> None:
    c = FieldCipher(key_from_setting("a passphrase"))
    blob = c.encrypt("14 bd des Moulins", "orders.dropoff")
    with pytest.raises(InvalidTag):
        c.decrypt(blob, "customers.name")


def test_another_key_cannot_read() -> None:
    blob = FieldCipher(key_from_setting("key one")).encrypt("secret", "x")
    with pytest.raises(InvalidTag):
        FieldCipher(key_from_setting("key two")).decrypt(blob, "x")


def test_lookup_hash_is_stable_keyed_and_not_the_value() -> None:
    one, two = FieldCipher(key_from_setting("k1")), FieldCipher(key_from_setting("k2"))
    assert one.lookup_hash("+33612345642") == one.lookup_hash("+33612345642")
    assert one.lookup_hash("+33612345642") != two.lookup_hash("+33612345642")
    assert "612345642" not in one.lookup_hash("+33612345642")


def test_key_file_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "secret.key"
    first = load_or_create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key_file(path) == first and len(first) == 32
