"""GitHub's rules for Actions secrets, checked in the plan before anything is sent.

Names take letters, digits and underscores, do not start with a digit or ``GITHUB_``, and are
stored upper case (so ``api_key`` and ``API_KEY`` are one secret); a value is at most 48 KB; a
repository or an environment holds at most 100 secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from envguard.errors import UsageError

MAX_BYTES = 48 * 1024
MAX_SECRETS = 100
_NAME = re.compile(r"[A-Za-z0-9_]+")
RULES = "names take letters, digits and _, and start neither with a digit nor with GITHUB_"


def problem(key: str) -> str | None:
    """Why GitHub refuses ``key`` as a secret name, or None when it takes it."""
    if not _NAME.fullmatch(key):
        return "only letters, digits and _ are allowed"
    if key[0].isdigit():
        return "it starts with a digit"
    if key.upper().startswith("GITHUB_"):
        return "the GITHUB_ prefix is reserved"
    return None


def admit(local: Mapping[str, str], existing: Iterable[str] | None, name: str) -> dict[str, str]:
    """``local`` under the names GitHub stores (upper case); UsageError for what it would refuse.

    ``existing``: the names already there, to hold the total to the limit (None: not read yet).
    """
    out: dict[str, str] = {}
    for key, value in local.items():
        if (why := problem(key)) is not None:
            raise UsageError(f"{name}: {key!r} cannot be a GitHub secret name: {why}", hint=RULES)
        stored = key.upper()
        if stored in out:
            raise UsageError(
                f"{name}: two keys are the one secret {stored} (GitHub names ignore case)",
                hint="keep one spelling of the name in the file",
            )
        if len(value.encode("utf-8")) > MAX_BYTES:
            raise UsageError(
                f"{name}: {key} is larger than GitHub's 48 KB per secret",
                hint="store a large value elsewhere and its path or reference as the secret",
            )
        out[stored] = value
    if existing is not None:
        total = len(set(existing) | set(out))
        if total > MAX_SECRETS:
            raise UsageError(
                f"{name}: {total} secrets would pass GitHub's limit of {MAX_SECRETS} per "
                "repository or environment",
                hint="remove secrets that are no longer used, or split them across environments",
            )
    return out
