"""Encrypted env files as ``check`` sees them.

With a private key at hand, encrypted values are opened in memory so the rules judge the real
values; without one they stay unread (present, not weak) and a note says so, once per run because
the note's text does not name the file. ``cryptography`` is imported only when there is both an
encrypted value and a key to try. Whether a ``.env.keys`` beside the file would be committed is
asked of git here, so that the rules themselves do no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from envguard import keys
from envguard.envfile import EnvFile
from envguard.errors import CryptoError

NO_KEY_NOTE = (
    "encrypted values were not checked: no private key "
    "(set DOTENV_PRIVATE_KEY[_ENV] or keep .env.keys beside the file)"
)


@dataclass(frozen=True)
class Inspection:
    """What ``check`` learns about a file's encryption before the rules run."""

    #: plaintext of the encrypted entries that could be opened, by line number
    opened: Mapping[int, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    #: the ``.env.keys`` beside the file when git would commit it
    exposed_keys_file: str | None = None


def inspect(file: EnvFile, environ: Mapping[str, str] | None = None) -> Inspection:
    """Open what can be opened and look for a committable ``.env.keys``; never raises CryptoError."""
    exposed = _exposed_keys_file(file.path)
    prefix = keys.PREFIX  # the value test first: it is rarely true, and entries() is a generator
    sealed = [r for r in file.records if r.value is not None and r.value.startswith(prefix) and r.is_entry]
    if not sealed:
        return Inspection(exposed_keys_file=exposed)
    opener = keys.Opener.for_file(file, environ)
    if not opener.keys:
        return Inspection(notes=(NO_KEY_NOTE,), exposed_keys_file=exposed)
    opened: dict[int, str] = {}
    for record in sealed:
        assert record.key is not None and record.value is not None
        try:
            opened[record.line] = opener.open(record.key, record.value)
        except CryptoError as exc:
            note = f"{exc.message}; its encrypted values were not checked"
            return Inspection(notes=(note,), exposed_keys_file=exposed)
    return Inspection(opened=opened, exposed_keys_file=exposed)


def _exposed_keys_file(path: Path) -> str | None:
    """The ``.env.keys`` beside ``path`` if it is tracked by git or not ignored, else None.

    Outside a git work tree, or without git, nothing can be committed: None.
    """
    stored = keys.keys_path(path)
    if not stored.is_file():
        return None
    # only a .env.keys on disk makes git worth asking (and its modules worth loading)
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        return None
    folder = str(stored.parent.resolve())

    def ask(*args: str) -> int:
        try:
            done = subprocess.run([git, "-C", folder, *args], capture_output=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return 128
        return done.returncode

    if ask("rev-parse", "--is-inside-work-tree") != 0:
        return None
    tracked = ask("ls-files", "--error-unmatch", "--", keys.KEYS_FILE) == 0
    ignored = ask("check-ignore", "-q", "--no-index", "--", keys.KEYS_FILE) == 0
    return str(stored) if tracked or not ignored else None
