"""The ECIES primitives: round trips, vectors made by dotenvx, and every way opening fails."""

from __future__ import annotations

import base64

import pytest

from envguard import crypto

# Made by dotenvx 2.38 (`dotenvx encrypt` / `dotenvx set`); the key is a throwaway test key.
DOTENVX_PRIVATE = "fd250b7f0b3d6cc2dc3687459e15330a678dde588bbe6e2985ec0d0cd868681d"
DOTENVX_PUBLIC = "0356736e41a91ead62b7b1418fb82dce7f089dd914d684444330248e61402a5b10"
DOTENVX_VECTORS = [
    (
        "encrypted:BNaNxaCVNU4yVD9W+Dk+fB2Oc4g3qlU42bWH9kPyrOlju7JV3+qb8X+MC3YM+8EtNlMOqgTeLuSXyP32"
        "2lkeWzFsNXuQBJiukp5Pjoppe45APkqWWsomyPwOji1ft5/lNyqJDcVv0BWAgXAP",
        "hello world",
    ),
    (
        "encrypted:BIDU8uJsZtEryL7UDKQ3+f9BdmljX1+btLhnuNARb2vKBw0iTqPSDu/ChFteqU1OVixDIM3EIaD4wN/K"
        "dnbp158d9Wtezfo1//al8heb7HZXh3/eHKx3BQim7KguqTW2Mw==",
        "",
    ),
    (
        "encrypted:BNroyfU/uDmiXe4CU/gEtYkzfSIOlnoW8Fga/ol9ywGihEu3GwHloUCoIGpLbdlZcd6hzH7KOZ08nrKG"
        "cvpF0tx7V3FLZxCjAd7BLL8rfqZy72yDO09DdC6Cxz8c/H36DPKbxKZVVdnbKT/3vHicGbm29xq9D2hvThlj",
        "héllo ☃ 日本\nline two",
    ),
]
VALUES = ["", "x", "hello world", "a=b=c", "# not a comment", 'it\'s "q"', "line1\nline2", "日本 🚀"]


@pytest.mark.parametrize(("payload", "plaintext"), DOTENVX_VECTORS)
def test_opens_values_encrypted_by_dotenvx(payload: str, plaintext: str) -> None:
    assert crypto.decrypt_value(DOTENVX_PRIVATE, payload) == plaintext


def test_public_key_matches_dotenvx() -> None:
    assert crypto.public_key_of(DOTENVX_PRIVATE) == DOTENVX_PUBLIC


@pytest.mark.parametrize("plaintext", VALUES)
def test_round_trip(plaintext: str) -> None:
    pair = crypto.generate_keypair()
    sealed = crypto.encrypt_value(pair.public_key, plaintext)
    assert sealed.startswith("encrypted:")
    assert len(plaintext) < 8 or plaintext not in sealed
    assert crypto.decrypt_value(pair.private_key, sealed) == plaintext


def test_payload_layout_is_ephemeral_nonce_tag_ciphertext() -> None:
    sealed = crypto.encrypt_value(DOTENVX_PUBLIC, "abc")
    raw = base64.b64decode(sealed.removeprefix("encrypted:"))
    assert len(raw) == 65 + 16 + 16 + 3
    assert raw[0] == 4  # uncompressed ephemeral public key


def test_each_encryption_is_fresh() -> None:
    assert crypto.encrypt_value(DOTENVX_PUBLIC, "same") != crypto.encrypt_value(DOTENVX_PUBLIC, "same")


def test_many_round_trips_cover_both_signs_of_the_shared_point() -> None:
    pair = crypto.generate_keypair()
    for index in range(40):
        value = f"value {index}"
        assert crypto.decrypt_value(pair.private_key, crypto.encrypt_value(pair.public_key, value)) == value


def test_keypair_format() -> None:
    pair = crypto.generate_keypair()
    assert len(pair.private_key) == 64 and len(pair.public_key) == 66
    assert pair.public_key[:2] in ("02", "03")
    assert crypto.public_key_of(pair.private_key) == pair.public_key


def test_wrong_key() -> None:
    other = crypto.generate_keypair().private_key
    with pytest.raises(crypto.WrongKeyError):
        crypto.decrypt_value(other, DOTENVX_VECTORS[0][0])


def test_altered_ciphertext_fails_authentication() -> None:
    raw = bytearray(base64.b64decode(DOTENVX_VECTORS[0][0].removeprefix("encrypted:")))
    raw[-1] ^= 1
    with pytest.raises(crypto.WrongKeyError):
        crypto.decrypt_value(DOTENVX_PRIVATE, "encrypted:" + base64.b64encode(raw).decode())


@pytest.mark.parametrize(
    "payload",
    [
        "encrypted:!!!notbase64",
        "encrypted:" + base64.b64encode(b"\x04short").decode(),
        "plain",
        "encrypted:" + base64.b64encode(b"\x04" + b"\x00" * 96).decode(),
    ],
)
def test_malformed_values(payload: str) -> None:
    with pytest.raises(crypto.MalformedValueError):
        crypto.decrypt_value(DOTENVX_PRIVATE, payload)


@pytest.mark.parametrize("key", ["zz", "00" * 32, "ff" * 32, "ab" * 31, ""])
def test_invalid_private_keys(key: str) -> None:
    with pytest.raises(crypto.InvalidKeyError):
        crypto.decrypt_value(key, DOTENVX_VECTORS[0][0])


def test_invalid_public_key() -> None:
    with pytest.raises(crypto.InvalidKeyError):
        crypto.encrypt_value("02" + "00" * 32, "x")


def test_errors_never_hold_the_key_or_value() -> None:
    other = crypto.generate_keypair().private_key
    with pytest.raises(crypto.WrongKeyError) as caught:
        crypto.decrypt_value(other, DOTENVX_VECTORS[0][0])
    assert other not in str(caught.value) and "hello" not in str(caught.value)
