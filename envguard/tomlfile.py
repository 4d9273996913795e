"""Reading TOML files (schemas, ``envguard.toml``, ``pyproject.toml``) with one-line errors.

A TOML file is untrusted input like any other: a regular file under the size cap
(``files.read_bytes``), its nesting bounded before ``tomllib`` parses it (``limits.loads_toml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from envguard import files, limits
from envguard.errors import EnvguardError, InputError


def load(path: Path, error: type[EnvguardError]) -> dict[str, Any]:
    """Parse ``path``; a read, decode or parse failure becomes ``error`` naming the file."""
    try:
        data = files.read_bytes(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: invalid TOML (not UTF-8 at byte {exc.start})") from None
        return limits.loads_toml(text, str(path))
    except InputError as exc:
        if error is InputError:
            raise
        raise error(exc.message, hint=exc.hint) from None
