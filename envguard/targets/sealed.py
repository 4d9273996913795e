"""Libsodium sealed boxes for GitHub secrets, through PyNaCl (``pip install 'envguard[github]'``).

GitHub keeps a Curve25519 public key per repository and per environment; a secret is sent as the
standard-Base64 sealed box of its UTF-8 value under that key. PyNaCl is imported here only, when
a value is sealed, so that no other command pays for it or needs it installed.
"""

from __future__ import annotations

import base64
import binascii

from envguard.errors import NetworkError, UsageError


def seal(public_key: str, value: str, name: str) -> str:
    """``value`` sealed to the Base64 ``public_key``, Base64-encoded, as GitHub's API takes it."""
    try:
        from nacl import exceptions, public
    except ImportError:
        raise UsageError(
            f"{name}: sealing GitHub secrets needs PyNaCl, which is not installed",
            hint="pip install 'envguard[github]'",
        ) from None
    try:
        key = public.PublicKey(base64.b64decode(public_key, validate=True))
    except (binascii.Error, ValueError, exceptions.CryptoError):
        raise NetworkError(f"{name}: the public key GitHub sent is not a Curve25519 key") from None
    box = public.SealedBox(key).encrypt(value.encode("utf-8"))
    return base64.b64encode(box).decode("ascii")
