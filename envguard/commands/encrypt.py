"""``envguard keypair``, ``encrypt`` and ``decrypt``: dotenvx-compatible files, rewritten in place.

Each command works on the whole file in memory and writes it once, atomically and keeping its
mode; any failure (a missing or wrong key, a corrupted value) leaves the file untouched. Messages
name keys and files, never values.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from envguard import envfile, envquote, files, keys
from envguard.envfile import EnvFile, Record
from envguard.errors import EXIT_OK, CryptoError, UsageError


def load(path: Path) -> EnvFile:
    """The parsed file, or an empty one (that will get a final newline) when it does not exist."""
    if not path.exists() and not path.is_symlink():
        return replace(envfile.parse_text("", path), final_newline=True)
    return envfile.read(path)


def ensure_keypair(file: EnvFile, environ: Mapping[str, str] | None = None) -> tuple[EnvFile, str]:
    """The file with a public key (created with its private key if missing) and that key."""
    from envguard import crypto

    names = keys.key_names(file)
    existing = keys.public_key(file)
    if existing:
        try:
            crypto.validate_public_key(existing)
        except crypto.InvalidKeyError:
            raise CryptoError(
                f"{file.path}: {names.public} is not a valid public key",
                hint="restore it, or remove it to make a new key pair",
            ) from None
        return file, existing
    found = [c for c in keys.candidates(file, environ) if c.source.startswith(f"{names.private} ")]
    if found:
        public = crypto.public_key_of(found[0].secret)
        note = f"using the private key {found[0].source}"
    else:
        pair = crypto.generate_keypair()
        keys_file = keys.keys_path(file.path)
        ignored = keys.store_private_key(keys_file, names.private, pair.private_key, file.path.name)
        public = pair.public_key
        note = f"wrote {names.private} to {keys_file} (mode 600; never commit it)"
        if ignored is not None:
            note += f"; added {keys_file.name} to {ignored}"
    print(f"envguard: added {names.public} to {file.path}; {note}", file=sys.stderr)
    return keys.with_public_key(file, names.public, public), public


def keypair(path: Path, show_private: bool = False, environ: Mapping[str, str] | None = None) -> int:
    """Make a key pair for a file: the public key goes into it, the private one into .env.keys."""
    file = load(path)
    names = keys.key_names(file)
    if keys.public_key(file):
        raise UsageError(
            f"{path} already has {names.public}",
            hint="decrypt the file and remove the key first to make a new pair",
        )
    updated, _public = ensure_keypair(file, environ)
    written = envfile.atomic_write(path, updated.render())
    if written != path:
        print(f"envguard: wrote {files.shown(path, written)}", file=sys.stderr)
    if show_private:
        secret = keys.candidates(updated, environ)
        if secret:
            print(f"{names.private}={secret[0].secret}")
    return EXIT_OK


def encrypt(path: Path, patterns: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> int:
    """Encrypt every value of a file (or those matching ``patterns``), in place."""
    from envguard import crypto

    original = envfile.read(path)
    file, public = ensure_keypair(original, environ)

    def seal(record: Record) -> Record | None:
        assert record.key is not None and record.value is not None
        if keys.stays_plain(record.key) or keys.is_encrypted(record.value):
            return None
        if record.quote in ("'", "`") and envquote.expands(record.value):
            # quoted so that dotenvx reads the `$` literally; decrypted, it would expand it
            raise envfile.UnwritableValueError(
                f"{record.key} in {path}: cannot encrypt this value: dotenvx would expand the `$` "
                "its quotes keep literal now",
                hint="encrypt the other keys with -k, or avoid the `$`",
            )
        sealed = crypto.encrypt_value(public, record.value)
        return envfile.set_value(record, sealed, written=f'"{sealed}"')

    count, written = _rewrite(file, _selected(patterns), seal, force=file is not original)
    print(f"envguard: encrypted {count} value(s) in {files.shown(path, written)}", file=sys.stderr)
    return EXIT_OK


def decrypt(path: Path, patterns: Sequence[str] = (), environ: Mapping[str, str] | None = None) -> int:
    """Decrypt every encrypted value of a file (or those matching ``patterns``), in place."""
    file = envfile.read(path)
    opener = keys.Opener.for_file(file, environ)

    def unseal(record: Record) -> Record | None:
        assert record.key is not None and record.value is not None
        if not keys.is_encrypted(record.value):
            return None
        plain = opener.open(record.key, record.value)
        # dotenvx expanded the decrypted value: it must expand the plaintext the same way
        return envfile.set_value(record, plain, written=envquote.quote(plain, record.key, expanded=True))

    count, written = _rewrite(file, _selected(patterns), unseal)
    print(f"envguard: decrypted {count} value(s) in {files.shown(path, written)}", file=sys.stderr)
    return EXIT_OK


def _selected(patterns: Sequence[str]) -> Callable[[str], bool]:
    """A key filter: every key, or those matching one of the glob patterns."""
    if not patterns:
        return lambda key: True
    if any(not p.strip() for p in patterns):
        raise UsageError("-k needs a key name or glob pattern")
    return lambda key: any(fnmatch.fnmatchcase(key, p) for p in patterns)


def _rewrite(
    file: EnvFile,
    wanted: Callable[[str], bool],
    change: Callable[[Record], Record | None],
    force: bool = False,
) -> tuple[int, Path]:
    """Apply ``change`` to the wanted entries and write the file once; the count of changes and
    the file written (a link's target)."""
    records: list[Record] = []
    count = 0
    for record in file.records:
        new = change(record) if record.is_entry and wanted(record.key or "") else None
        records.append(new or record)
        count += new is not None
    if count or force:
        return count, envfile.atomic_write(file.path, file.with_records(tuple(records)).render())
    return count, file.path
