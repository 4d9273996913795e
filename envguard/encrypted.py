"""Encrypted env files as ``check`` sees them.

With a private key at hand, encrypted values are opened in memory so the rules judge the real
values; without one they stay unread (present, not weak) and a note says so, once per run because
the note's text does not name the file. A value the keys at hand cannot open (a wrong private key,
a corrupted ciphertext) ends the check with that one-line error and exit 2, as ``get``, ``run`` and
``decrypt`` do: reporting "No problems found" would hide every encrypted value's problems.
``cryptography`` is imported only when there is both an encrypted value and a key to try.
Whether a ``.env.keys`` beside the file would be committed is asked of git here, so that the
rules themselves do no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from envguard import keys
from envguard.envfile import EnvFile

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
    """Open the encrypted values and look for a committable ``.env.keys``; CryptoError when a key
    is at hand but does not open a value."""
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
        opened[record.line] = opener.open(record.key, record.value)
    return Inspection(opened=opened, exposed_keys_file=exposed)


def _exposed_keys_file(path: Path) -> str | None:
    """The ``.env.keys`` beside ``path`` if git would commit it (tracked, or not ignored), else None.

    Outside a git work tree, or without git, nothing can be committed: None.
    """
    stored = keys.keys_path(path)
    # only a .env.keys on disk makes git worth asking (and its modules worth loading)
    return str(stored) if stored.is_file() and keys.committable(stored) else None
