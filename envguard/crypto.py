"""dotenvx-compatible encryption of single values: secp256k1 ECIES as eciesjs does it.

A value encrypts to ``encrypted:`` + base64 of ``ephemeral_pub(65) | nonce(16) | tag(16) |
ciphertext``. The AES-256-GCM key is HKDF-SHA256 (no salt, no info) over the ephemeral public key
and the ECDH shared *point*, both uncompressed (65 bytes each), exactly as eciesjs ``encapsulate``
and ``decapsulate`` do. Keys are hex: 32-byte private keys, 33-byte compressed public keys.

``cryptography`` only exposes the x coordinate of an ECDH result, so the shared point's y is
recovered from the curve equation and its sign settled by one more ECDH with the scalar plus one:
the secret scalar is only ever multiplied by OpenSSL. This module is the only one that imports
``cryptography``; ``envguard check`` never imports it without a private key to use.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from envguard.errors import CryptoError

PREFIX = "encrypted:"
_P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_CURVE = ec.SECP256K1()
_PUB_LEN, _NONCE_LEN, _TAG_LEN = 65, 16, 16
_HEADER_LEN = _PUB_LEN + _NONCE_LEN + _TAG_LEN

Point = tuple[int, int]


class WrongKeyError(CryptoError):
    """The private key does not open this value (or the value was altered)."""


class MalformedValueError(CryptoError):
    """The encrypted value is not valid base64 of an ECIES payload."""


class InvalidKeyError(CryptoError):
    """A private or public key that is not a valid secp256k1 key in hex."""


@dataclass(frozen=True, slots=True)
class Keypair:
    """A key pair as dotenvx writes it: hex private key, compressed hex public key."""

    public_key: str
    private_key: str


def generate_keypair() -> Keypair:
    """A fresh random key pair."""
    key = ec.generate_private_key(_CURVE)
    private = key.private_numbers().private_value.to_bytes(32, "big").hex()
    return Keypair(public_key=_compressed(key.public_key()), private_key=private)


def public_key_of(private_key: str) -> str:
    """The compressed hex public key of a hex private key."""
    return _compressed(_load_private(private_key).public_key())


def validate_public_key(public_key: str) -> None:
    """InvalidKeyError unless ``public_key`` is a secp256k1 public key in hex."""
    _load_public(public_key)


def encrypt_value(public_key: str, plaintext: str) -> str:
    """Encrypt ``plaintext`` for ``public_key``; the result starts with ``encrypted:``."""
    receiver = _load_public(public_key)
    ephemeral = ec.generate_private_key(_CURVE)
    ephemeral_pub = ephemeral.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    shared = _shared_point(ephemeral.private_numbers().private_value, receiver)
    nonce = os.urandom(_NONCE_LEN)
    sealed = AESGCM(_derive(ephemeral_pub, shared)).encrypt(nonce, plaintext.encode("utf-8"), None)
    payload = ephemeral_pub + nonce + sealed[-_TAG_LEN:] + sealed[:-_TAG_LEN]
    return PREFIX + base64.b64encode(payload).decode("ascii")


def decrypt_value(private_key: str, value: str) -> str:
    """Decrypt an ``encrypted:`` value; WrongKeyError, MalformedValueError or InvalidKeyError."""
    scalar = _load_private(private_key).private_numbers().private_value
    payload = _payload(value)
    ephemeral_pub = payload[:_PUB_LEN]
    try:
        ephemeral = ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, ephemeral_pub)
    except ValueError:
        raise MalformedValueError("the ephemeral public key is not a curve point") from None
    shared = _shared_point(scalar, ephemeral)
    nonce = payload[_PUB_LEN : _PUB_LEN + _NONCE_LEN]
    tag = payload[_PUB_LEN + _NONCE_LEN : _HEADER_LEN]
    try:
        plain = AESGCM(_derive(ephemeral_pub, shared)).decrypt(nonce, payload[_HEADER_LEN:] + tag, None)
        return plain.decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        raise WrongKeyError("wrong private key or altered value") from None


def _payload(value: str) -> bytes:
    """The raw ECIES bytes of an ``encrypted:`` value."""
    if not value.startswith(PREFIX):
        raise MalformedValueError("the value does not start with 'encrypted:'")
    try:
        payload = base64.b64decode(value[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise MalformedValueError("the value is not valid base64") from None
    if len(payload) < _HEADER_LEN or payload[0] != 4:
        raise MalformedValueError("the value is too short or not an ECIES payload")
    return payload


def _derive(ephemeral_pub: bytes, shared_point: bytes) -> bytes:
    """The AES key: HKDF-SHA256 over ephemeral_pub || shared_point, no salt, no info."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"")
    return hkdf.derive(ephemeral_pub + shared_point)


def _shared_point(scalar: int, peer: ec.EllipticCurvePublicKey) -> bytes:
    """``scalar * peer`` as an uncompressed point, the multiplication done by OpenSSL."""
    x = _exchange(scalar, peer)
    y = pow((x * x * x + 7) % _P, (_P + 1) // 4, _P)
    # (scalar + 1) * peer = shared + peer tells which of the two points with this x is ours.
    nudge = 1 if scalar + 1 < _N else -1
    x_next = _exchange(scalar + nudge, peer)
    numbers = peer.public_numbers()
    step = (numbers.x, numbers.y if nudge == 1 else _P - numbers.y)
    if _add((x, y), step)[0] != x_next:
        y = _P - y
    return b"\x04" + x.to_bytes(32, "big") + y.to_bytes(32, "big")


def _exchange(scalar: int, peer: ec.EllipticCurvePublicKey) -> int:
    """The x coordinate of ``scalar * peer``."""
    return int.from_bytes(ec.derive_private_key(scalar, _CURVE).exchange(ec.ECDH(), peer), "big")


def _add(a: Point, b: Point) -> Point:
    """Affine point addition on secp256k1 (the point at infinity never arises here)."""
    if a[0] == b[0]:
        slope = 3 * a[0] * a[0] * pow(2 * a[1], -1, _P) if a[1] == b[1] else 0
    else:
        slope = (b[1] - a[1]) * pow(b[0] - a[0], -1, _P)
    x = (slope * slope - a[0] - b[0]) % _P
    return x, (slope * (a[0] - x) - a[1]) % _P


def _compressed(key: ec.EllipticCurvePublicKey) -> str:
    """A public key as compressed hex (33 bytes), dotenvx's DOTENV_PUBLIC_KEY form."""
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint).hex()


def _load_private(private_key: str) -> ec.EllipticCurvePrivateKey:
    """A private key from 64 hex digits."""
    try:
        raw = bytes.fromhex(private_key.strip())
    except ValueError:
        raise InvalidKeyError("the private key is not hex") from None
    scalar = int.from_bytes(raw, "big")
    if len(raw) != 32 or not 0 < scalar < _N:
        raise InvalidKeyError("the private key is not a 32-byte secp256k1 key")
    return ec.derive_private_key(scalar, _CURVE)


def _load_public(public_key: str) -> ec.EllipticCurvePublicKey:
    """A public key from hex, compressed or uncompressed."""
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(_CURVE, bytes.fromhex(public_key.strip()))
    except ValueError:
        raise InvalidKeyError("the public key is not a valid secp256k1 key") from None
