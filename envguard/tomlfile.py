"""Reading TOML files (schemas, ``envguard.toml``, ``pyproject.toml``) with one-line errors."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from envguard.errors import EnvguardError


def load(path: Path, error: type[EnvguardError]) -> dict[str, Any]:
    """Parse ``path``; a decode or OS failure becomes ``error`` naming the file."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: invalid TOML ({exc})") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
