"""Where dotenvx keys live and how they are named; opening a file's encrypted values.

Names follow dotenvx: a ``DOTENV_PUBLIC_KEY*`` already in the file wins; else ``.env`` has no
suffix and ``.env.production`` gets ``_PRODUCTION``. Private keys are looked up in the environment
(the file's own name, then ``DOTENV_PRIVATE_KEY``), then in ``.env.keys`` beside the file; each
may hold several comma-separated keys, tried in turn. This module stays free of ``cryptography``:
``envguard.crypto`` is imported only when a value is actually opened.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from envguard import envfile
from envguard.envfile import EnvFile, Record
from envguard.errors import CryptoError

PREFIX = "encrypted:"
PUBLIC = "DOTENV_PUBLIC_KEY"
PRIVATE = "DOTENV_PRIVATE_KEY"
KEYS_FILE = ".env.keys"
KEYS_HEADER = (
    "#/------------------!DOTENV_PRIVATE_KEYS!-------------------/\n"
    "#/ private decryption keys. DO NOT commit to source control /\n"
    "#/  store them in a secret manager; CI reads them from env  /\n"
    "#/----------------------------------------------------------/\n"
)
PUBLIC_HEADER = (
    "#/-------------------[DOTENV_PUBLIC_KEY]--------------------/",
    "#/            public-key encryption for .env files          /",
    "#/       [how it works](https://dotenvx.com/encryption)     /",
    "#/----------------------------------------------------------/",
)


def is_encrypted(value: str | None) -> bool:
    """Whether a value is a dotenvx ciphertext (``encrypted:...``)."""
    return value is not None and value.startswith(PREFIX)


def stays_plain(key: str) -> bool:
    """Keys never encrypted: public keys and ``*_PLAIN`` (as dotenvx)."""
    return key.startswith(PUBLIC) or key.endswith("_PLAIN")


def environment_suffix(path: Path) -> str | None:
    """dotenvx's environment of a file: ``.env.production`` -> ``PRODUCTION``; ``.env`` -> None."""
    name = path.name.lower()
    if name.startswith(".env") and name.endswith(".txt"):
        name = name[:-4]
    if name == ".env":
        return None
    parts = name.split(".")[2:]
    env = "_".join(parts[:2]) if parts else name.replace(".env", "development")
    return env.upper()


@dataclass(frozen=True, slots=True)
class KeyNames:
    """The public and private key variable names of one env file."""

    public: str
    private: str


def key_names(file: EnvFile) -> KeyNames:
    """Key names for a file: a public key already in it wins, else its file name decides."""
    for record in file.entries():
        if record.key is not None and record.key.startswith(PUBLIC):
            return KeyNames(record.key, PRIVATE + record.key[len(PUBLIC) :])
    suffix = environment_suffix(file.path)
    tail = f"_{suffix}" if suffix else ""
    return KeyNames(PUBLIC + tail, PRIVATE + tail)


def public_key(file: EnvFile) -> str | None:
    """The file's public key value, if it has one."""
    value = file.values().get(key_names(file).public)
    return value or None


def keys_path(path: Path) -> Path:
    """The ``.env.keys`` beside an env file."""
    return path.parent / KEYS_FILE


@dataclass(frozen=True, slots=True)
class Candidate:
    """One private key to try, and where it came from (for messages; the key is never shown)."""

    source: str
    secret: str = field(repr=False)


def candidates(file: EnvFile, environ: Mapping[str, str] | None = None) -> tuple[Candidate, ...]:
    """Private keys for a file, in lookup order, comma-separated lists split, duplicates dropped."""
    environ = os.environ if environ is None else environ
    name = key_names(file).private
    found: list[tuple[str, str]] = [
        (f"{n} from the environment", environ.get(n, "")) for n in dict.fromkeys((name, PRIVATE))
    ]
    stored = keys_path(file.path)
    if stored.is_file():
        found.append((f"{name} from {stored}", envfile.read(stored).values().get(name, "")))
    seen: dict[str, Candidate] = {}
    for source, value in found:
        for secret in (part.strip() for part in value.split(",")):
            if secret and secret not in seen:
                seen[secret] = Candidate(source, secret)
    return tuple(seen.values())


@dataclass(frozen=True)
class Opener:
    """Opens the encrypted values of one file with the private keys found for it."""

    file: EnvFile
    names: KeyNames
    keys: tuple[Candidate, ...]

    @classmethod
    def for_file(cls, file: EnvFile, environ: Mapping[str, str] | None = None) -> Opener:
        """An opener with the keys the environment and ``.env.keys`` hold for ``file``."""
        return cls(file, key_names(file), candidates(file, environ))

    def open(self, key: str, value: str) -> str:
        """The plaintext of one value (plain ones pass through); CryptoError names key and file."""
        if not is_encrypted(value):
            return value
        from envguard import crypto

        where = f"cannot decrypt {key} in {self.file.path}"
        if not self.keys:
            raise CryptoError(
                f"{where}: no private key ({self.names.private} is not set)",
                hint=f"set it in the environment or in {keys_path(self.file.path)}",
            )
        errors: list[tuple[Candidate, CryptoError]] = []
        for candidate in self.keys:
            try:
                return crypto.decrypt_value(candidate.secret, value)
            except CryptoError as exc:
                errors.append((candidate, exc))
        raise self._failure(where, errors)

    def _failure(self, where: str, errors: list[tuple[Candidate, CryptoError]]) -> CryptoError:
        """One error for a value no key opened: corrupted, invalid key, or wrong key."""
        from envguard import crypto

        for _candidate, exc in errors:
            if isinstance(exc, crypto.MalformedValueError):
                return CryptoError(f"{where}: corrupted ciphertext ({exc})")
        invalid = [c for c, exc in errors if isinstance(exc, crypto.InvalidKeyError)]
        if len(invalid) == len(errors):
            return CryptoError(f"{where}: {invalid[0].source} is not a valid private key")
        public = public_key(self.file)
        valid = [c for c, _ in errors if c not in invalid]
        if public and any(_matches(c.secret, public) for c in valid):
            return CryptoError(f"{where}: corrupted ciphertext (authentication failed)")
        tried = ", ".join(c.source for c in valid)
        return CryptoError(
            f"{where}: wrong private key ({tried})",
            hint=f"use the private key that matches {self.names.public}",
        )

    def values(self) -> dict[str, str]:
        """Every key's effective value, decrypted; the first failure raises CryptoError."""
        return {key: self.open(key, value) for key, value in self.file.values().items()}


def _matches(private_key: str, public: str) -> bool:
    """Whether a private key belongs to a public key."""
    from envguard import crypto

    return crypto.public_key_of(private_key) == public.strip().lower()


def store_private_key(keys_file: Path, name: str, secret: str, env_name: str) -> Path | None:
    """Add a private key to ``.env.keys``, which is made 0600 (created with its do-not-commit
    header), and to ``.gitignore`` in a git work tree; returns the ``.gitignore`` it was added to."""
    if keys_file.exists() or keys_file.is_symlink():
        existing = envfile.read(keys_file)
        if name in existing.values():
            raise CryptoError(
                f"{keys_file} already holds {name}", hint="remove it first to replace the key pair"
            )
        text = existing.render()
        if text and not text.endswith(("\n", "\r")):
            text += existing.newline
        envfile.atomic_write(keys_file, f"{text}\n# {env_name}\n{name}={secret}\n", mode=0o600)
    else:
        envfile.atomic_write(keys_file, f"{KEYS_HEADER}\n# {env_name}\n{name}={secret}\n", mode=0o600)
    return _ignore(keys_file)


def _git(folder: Path, *args: str) -> int:
    """The exit status of ``git -C folder ARGS`` (128 when git is missing or fails to run)."""
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return 128
    try:
        done = subprocess.run([git, "-C", str(folder), *args], capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return 128
    return done.returncode


def committable(keys_file: Path) -> bool:
    """Whether git would commit ``keys_file``: tracked, or in a work tree and not ignored."""
    folder = keys_file.parent.resolve()
    if _git(folder, "rev-parse", "--is-inside-work-tree") != 0:
        return False
    tracked = _git(folder, "ls-files", "--error-unmatch", "--", keys_file.name) == 0
    return tracked or _git(folder, "check-ignore", "-q", "--no-index", "--", keys_file.name) != 0


def _ignore(keys_file: Path) -> Path | None:
    """Add ``keys_file`` to the ``.gitignore`` beside it when git would not ignore it."""
    folder = keys_file.parent.resolve()
    if _git(folder, "rev-parse", "--is-inside-work-tree") != 0:
        return None
    if _git(folder, "check-ignore", "-q", "--no-index", "--", keys_file.name) == 0:
        return None
    ignore = keys_file.parent / ".gitignore"
    text = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    envfile.atomic_write(
        ignore,
        f"{text}{keys_file.name}\n",
        mode=ignore.stat().st_mode & 0o7777 if ignore.is_file() else 0o644,
    )
    return ignore


def with_public_key(file: EnvFile, name: str, value: str) -> EnvFile:
    """The file with ``name="value"`` and dotenvx's explanatory header prepended."""
    head = tuple(Record(0, 0, line, comment=line[1:]) for line in PUBLIC_HEADER)
    entry = envfile.entry(name, value, written=f'"{value}"')
    gap = (Record(0, 0, ""),) if file.records else ()
    return replace(file.with_records((*head, entry, *gap, *file.records)), final_newline=True)
