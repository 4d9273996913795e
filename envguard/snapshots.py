"""Encrypted snapshots of a target's values, taken before a destructive push, for ``rollback``.

``.envguard/snapshots/<target>-<time>.env`` is a dotenvx file (``dotenvx decrypt`` opens it) whose
private key sits in ``.env.keys`` beside it, one key pair per folder. Its first comment names the
target (``# envguard-snapshot: vault://secret/app 20260301T101500Z``): that line is how envguard
recognises a snapshot (restored by ``rollback``, never linted as a production file).

Nothing may make a snapshot unrestorable:

- the key pair is created under an exclusive lock and re-read, so pushes started together share
  one pair instead of overwriting each other's private key;
- each snapshot file name is reserved with an exclusive create;
- remote keys that are not plain env names (``my key``, ``A=B``, ``HASH#KEY``, a line break, a
  random-looking key that .env readers would not show, and names that start like the encoding
  itself) are stored as ``ENVGUARD_KEY_<the name's bytes as hex, written A-P>``: letters only, so the
  stored name reads as a name to every reader, and rollback decodes it back byte for byte. A key
  too long to encode within ``MAX_KEY_LENGTH`` stops the snapshot (and so the push) with a clear
  error rather than being stored where rollback could not find it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from envguard import envfile
from envguard.errors import InputError

FOLDER = Path(".envguard") / "snapshots"
MARKER = "envguard-snapshot:"
ENCODED = "ENVGUARD_KEY_"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# the sixteen hex digits written as the letters A-P, and back
_TO_LETTERS = str.maketrans("0123456789abcdef", "ABCDEFGHIJKLMNOP")
_FROM_LETTERS = str.maketrans("ABCDEFGHIJKLMNOP", "0123456789abcdef")


def encode_key(key: str) -> str:
    """``key`` as a name every .env reader keeps exactly: itself, or its bytes written in letters."""
    from envguard import keys

    if (
        _PLAIN_KEY.fullmatch(key)
        and envfile.looks_like_name(key)
        and not key.startswith((ENCODED, keys.PUBLIC))
    ):
        return key
    encoded = ENCODED + key.encode("utf-8").hex().translate(_TO_LETTERS)
    if len(encoded) > envfile.MAX_KEY_LENGTH:
        raise InputError(
            f"cannot snapshot a remote key of {len(key)} characters (at most "
            f"{(envfile.MAX_KEY_LENGTH - len(ENCODED)) // 2} bytes can be restored); "
            "rename it on the target first"
        )
    return encoded


def decode_key(name: str) -> str:
    """The remote key a snapshot name stands for (the inverse of ``encode_key``)."""
    if not name.startswith(ENCODED):
        return name
    try:
        return bytes.fromhex(name[len(ENCODED) :].translate(_FROM_LETTERS)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return name


def take(values: Mapping[str, str], uri: str, slug: str, folder: Path) -> Path:
    """Write ``values`` encrypted to a new snapshot file in ``folder`` and return its path."""
    from envguard import crypto, keys

    names = [encode_key(k) for k in values]  # before anything is written: a key may not fit
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    public = crypto.public_key_of(private_key(folder))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = _reserve(folder, f"{slug}-{stamp}")
    lines = [
        f"# {MARKER} {uri} {stamp}",
        f"# restore with: envguard rollback {path}",
        *keys.PUBLIC_HEADER,
        f'{keys.PUBLIC}="{public}"',
        "",
        *(
            f"{name}={crypto.encrypt_value(public, value)}"
            for name, value in zip(names, values.values(), strict=True)
        ),
    ]
    envfile.atomic_write(path, "\n".join(lines) + "\n", mode=0o600)
    return path


def _reserve(folder: Path, stem: str) -> Path:
    """A new file name in ``folder``, created exclusively so no other push can take it too."""
    for counter in range(1, 1000):
        path = folder / (f"{stem}.env" if counter == 1 else f"{stem}-{counter}.env")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{folder}: no free snapshot name for {stem}")


def private_key(folder: Path) -> str:
    """The folder's snapshot private key from ``.env.keys``, created once under a lock."""
    from envguard import crypto, keys

    stored = folder / keys.KEYS_FILE
    with _locked(folder / ".env.keys.lock"):
        found = _stored_key(stored)
        if not found:
            pair = crypto.generate_keypair()
            keys.store_private_key(stored, keys.PRIVATE, pair.private_key, "envguard snapshots")
            found = _stored_key(stored)  # re-read: what is on disk is what every snapshot uses
    if not found:
        raise OSError(f"{stored}: the snapshot key could not be stored")
    return found


def _stored_key(stored: Path) -> str | None:
    from envguard import keys

    if not stored.is_file():
        return None
    return envfile.read(stored).values().get(keys.PRIVATE) or None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` for the block (``flock``; held by threads and processes)."""
    import fcntl

    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def target_of(path: Path) -> str | None:
    """The target URI a snapshot was taken of, or None when ``path`` is no envguard snapshot."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, UnicodeDecodeError):
        return None
    words = first.removeprefix("#").split()
    if len(words) >= 2 and words[0] == MARKER:
        return words[1]
    return None


def values(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """A snapshot's values, decrypted in memory, under their original remote keys."""
    from envguard import keys

    opened = keys.Opener.for_file(envfile.read(path), environ).values()
    return {decode_key(k): v for k, v in opened.items() if not k.startswith(keys.PUBLIC)}
