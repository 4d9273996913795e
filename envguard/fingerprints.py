"""The key of fingerprints: never a public constant, so a fingerprint cannot be reversed by guessing.

A fingerprint is ``HMAC-SHA256(key, value)`` truncated to 64 bits. It tells whether two findings
are about the same value (baselines, SARIF's ``partialFingerprints``), and nothing else — provided
the key is secret: with a known key, anyone holding a fingerprint can test candidate values (the
common weak passwords are a short list) until one matches. So the key is, in order:

1. ``ENVGUARD_FINGERPRINT_KEY`` (a CI secret shared by the jobs that must agree);
2. the baseline's random salt, when a baseline is in use (existing baselines keep matching);
3. the project's own random key, ``.envguard/fingerprint.key`` at the repository root (or the
   configuration's root, else the current folder): 32 random bytes, mode 0600, created on first
   use and git-ignored by ``.envguard/.gitignore``;
4. where no such file can be created (a read-only checkout), a key for this run only: fingerprints
   would not be stable, so reports omit them and say so.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

FOLDER = ".envguard"
KEY_FILE = "fingerprint.key"
#: the note a report carries when fingerprints are left out
OMITTED = (
    "fingerprints omitted: no writable project folder for .envguard/fingerprint.key "
    "(set ENVGUARD_FINGERPRINT_KEY or use a baseline to get them)"
)


@dataclass(frozen=True)
class Key:
    """A fingerprint key and whether fingerprints made with it may be shown (stable across runs)."""

    secret: bytes
    stable: bool = True


def run_key() -> bytes:
    """A random key for one run: fingerprints match within the run only."""
    return os.urandom(32)


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def project_key(root: Path) -> bytes | None:
    """The project's key, created on first use; None when it can neither be read nor created.

    Race-safe: the key is written to a private temporary file and linked into place, which fails
    if another process got there first; then the file that won is read.
    """
    folder = root / FOLDER
    path = folder / KEY_FILE
    found = _read(path)
    if found is not None:
        return found
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        _ignore_in_git(folder)
        fd_tmp = folder / f".{KEY_FILE}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = os.open(fd_tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, os.urandom(32).hex().encode("ascii") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(fd_tmp, path)
        except FileExistsError:
            pass
        finally:
            with contextlib.suppress(OSError):
                os.unlink(fd_tmp)
    except OSError:
        return None
    return _read(path)


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None
    return key if len(key) >= 16 else None


def _ignore_in_git(folder: Path) -> None:
    """``.envguard/.gitignore`` holding ``fingerprint.key``: the key never reaches a commit."""
    ignore = folder / ".gitignore"
    if ignore.exists():
        if KEY_FILE in ignore.read_text(encoding="utf-8", errors="replace").split():
            return
        with ignore.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{KEY_FILE}\n")  # an ignore file the user keeps: leave it tracked
        return
    with contextlib.suppress(FileExistsError):
        fd = os.open(ignore, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # the ignore file ignores itself too: `git status` stays clean
            handle.write(f"# envguard's private files: never commit them\n{KEY_FILE}\n.gitignore\n")


def resolve(explicit: bytes | None, baseline_key: bytes | None, start: Path) -> Key:
    """The key for a lint run; see the module notes for the order."""
    override = os.environ.get("ENVGUARD_FINGERPRINT_KEY")
    if override:
        return Key(override.encode("utf-8"))
    for given in (explicit, baseline_key):
        if given:
            return Key(given)
    found = project_key(project_root(start))
    return Key(found) if found is not None else Key(run_key(), stable=False)
