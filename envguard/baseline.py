"""Baselines: findings accepted once, so that only new ones fail the build.

An entry is keyed by file (relative to the baseline's folder), key, code and the keyed fingerprint
of the value: no line numbers, so edits elsewhere in a file and merges do not invalidate it, and
no values. Each baseline carries a random salt that keys its fingerprints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from envguard.envfile import atomic_write
from envguard.errors import InputError
from envguard.findings import Finding

Entry = tuple[str, str | None, str, str | None]
VERSION = 1


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
        return (_relative(finding.file, self.path.parent), finding.key, finding.code,
                finding.fingerprint)

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
    """Read a baseline; InputError if it is missing or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        salt = data["salt"]
        bytes.fromhex(salt)
        entries = frozenset(
            (e["file"], e.get("key"), e["code"], e.get("fingerprint")) for e in data["findings"]
        )
    except FileNotFoundError:
        raise InputError(f"{path}: baseline not found",
                         hint="create one with --write-baseline") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise InputError(f"{path}: not an envguard baseline file") from None
    return Baseline(path, salt, entries)


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
        "findings": [dict(zip(("file", "key", "code", "fingerprint"), e, strict=True))
                     for e in entries],
    }
    atomic_write(baseline.path, json.dumps(document, indent=2) + "\n", mode=0o644)
    return len(entries)
