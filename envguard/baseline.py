"""Baselines: findings accepted once, so that only new ones fail the build.

An entry is keyed by file (relative to the baseline's folder), key, code and the keyed fingerprint
of the value: no line numbers, so edits elsewhere in a file and merges do not invalidate it, and
no values. Each baseline carries a random salt that keys its fingerprints.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from envguard import files, limits
from envguard.envfile import atomic_write
from envguard.errors import InputError
from envguard.findings import Finding

Entry = tuple[str, str | None, str, str | None]
VERSION = 1
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})+")


@dataclass(frozen=True)
class Baseline:
    """Accepted findings, and the salt their fingerprints were made with."""

    path: Path
    salt: str
    entries: frozenset[Entry]

    @property
    def key(self) -> bytes:
        """The fingerprint key for runs that use this baseline."""
        return bytes.fromhex(self.salt)

    def entry(self, finding: Finding) -> Entry:
        """A finding's baseline key."""
        return (_relative(finding.file, self.path.parent), finding.key, finding.code, finding.fingerprint)

    def contains(self, finding: Finding) -> bool:
        """Whether ``finding`` was accepted."""
        return self.entry(finding) in self.entries


def _relative(file: str, root: Path) -> str:
    if "://" in file or file.startswith(("env:", "pid:")):
        return file
    try:
        return Path(os.path.relpath(Path(file).resolve(), root.resolve())).as_posix()
    except ValueError:
        return Path(file).as_posix()


def fingerprint_key(path: Path | None) -> bytes | None:
    """ENVGUARD_FINGERPRINT_KEY, else the salt of the baseline at ``path`` if it exists."""
    override = os.environ.get("ENVGUARD_FINGERPRINT_KEY")
    if override:
        return override.encode("utf-8")
    if path is not None and path.is_file():
        return load(path).key
    return None


def load(path: Path) -> Baseline:
    """Read a baseline; InputError (one line, what is wrong) if it is missing or malformed.

    Read as untrusted input: a regular file under the size cap, nesting bounded before parsing,
    every field checked for its type.
    """
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path}: baseline not found", hint="create one with --write-baseline")
    data = files.read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not an envguard baseline file (not UTF-8)") from None
    document = limits.loads_json(text, str(path))
    salt, entries = _shape(document, path)
    return Baseline(path, salt, frozenset(entries))


def _shape(document: Any, path: Path) -> tuple[str, list[Entry]]:
    """The salt and entries of a parsed baseline, each field checked."""

    def wrong(what: str) -> InputError:
        return InputError(
            f"{path}: not an envguard baseline file ({what})", hint="write a new one with --write-baseline"
        )

    if not isinstance(document, dict):
        raise wrong("expected a JSON object")
    salt = document.get("salt")
    if not isinstance(salt, str) or not _HEX.fullmatch(salt):
        raise wrong("`salt` must be a hex string")
    found = document.get("findings")
    if not isinstance(found, list):
        raise wrong("`findings` must be a list")
    entries: list[Entry] = []
    for index, item in enumerate(found):
        if not isinstance(item, dict):
            raise wrong(f"findings[{index}] must be an object")
        file, key, code, fingerprint = (item.get(k) for k in ("file", "key", "code", "fingerprint"))
        if not isinstance(file, str) or not isinstance(code, str):
            raise wrong(f"findings[{index}] needs `file` and `code` strings")
        if not isinstance(key, str | None) or not isinstance(fingerprint, str | None):
            raise wrong(f"findings[{index}]: `key` and `fingerprint` must be strings or null")
        entries.append((file, key, code, fingerprint))
    return salt, entries


def new(path: Path) -> Baseline:
    """An empty baseline for ``path``, keeping the salt of an existing one."""
    if path.is_file():
        return Baseline(path, load(path).salt, frozenset())
    import secrets  # only a new baseline needs a salt; keep `check` start-up light

    return Baseline(path, secrets.token_hex(16), frozenset())


def write(baseline: Baseline, findings: Iterable[Finding]) -> int:
    """Write ``findings`` as the accepted set; returns how many entries were written."""
    entries = sorted({baseline.entry(f) for f in findings}, key=lambda e: tuple(map(str, e)))
    document = {
        "version": VERSION,
        "salt": baseline.salt,
        "findings": [dict(zip(("file", "key", "code", "fingerprint"), e, strict=True)) for e in entries],
    }
    import json  # here: a check without a baseline never needs it

    atomic_write(baseline.path, json.dumps(document, indent=2) + "\n", mode=0o644)
    return len(entries)
