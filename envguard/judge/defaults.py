"""Published defaults: values shipped in the templates and documentation of well-known projects.

People deploy them unchanged: Supabase's demo JWT keys, netbox-docker's passwords, express-session's
``keyboard cat``, jwt.io's ``your-256-bit-secret``, the AWS documentation's example keys, and the
example values of envguard's own documentation. They live in ``published-defaults.toml`` beside
this module as keyed hashes with where each comes from, never as values, so the list itself holds
nothing usable and secret scanners have nothing to find in it.

envguard's own documentation examples are listed (source ``ILLUSTRATION``) so that copying one
into a real file is reported; they illustrate what a real secret looks like and are no project's
shipped default, so an example file holding one still leaks it (EG302).

Add one with ``printf %s VALUE | python -m envguard.judge.defaults "where it comes from"``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

try:  # hashlib's own BLAKE2, without the OpenSSL hashes hashlib loads on import (a few ms at start)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

_KEY = b"envguard published defaults v1"
#: the source of envguard's own documentation examples
ILLUSTRATION = "envguard's documentation"
_DATA = Path(__file__).with_name("published-defaults.toml")


_PHRASE = re.compile(r"[A-Za-z !_.-]+")


def digest(value: str) -> str:
    """The keyed hash a published default is stored under (surrounding space ignored): BLAKE2b
    keyed, 128 bits, one C call per value."""
    text = value.strip().encode("utf-8", "surrogatepass")
    return blake2b(text, key=_KEY, digest_size=16).hexdigest()


def digests(value: str) -> list[str]:
    """What a published value is stored as: its exact hash, and for a phrase of letters
    (``keyboard cat``, ``SomeRandomString``) the hash of its lower case too, so any spelling matches."""
    found = [digest(value)]
    if _PHRASE.fullmatch(value.strip()) and value.strip().lower() != value.strip():
        found.append(digest(value.lower()))
    return found


class Defaults:
    """The published-defaults table, read from the data file once per instance."""

    def __init__(self, path: Path = _DATA) -> None:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        #: keyed hash -> where the value is published
        self.sources: dict[str, str] = {str(e["hash"]): str(e["source"]) for e in data.get("default", [])}

    def source(self, value: str) -> str | None:
        """Where ``value`` is published (``"express-session's documented example"``), ``""`` for a
        generic default (``secret``, ``password``), or None."""
        if not value.strip():
            return None
        if value.strip().lower().startswith("django-insecure-"):
            return "Django's generated development key"
        found = self.sources.get(digest(value))
        if found is None and _PHRASE.fullmatch(value.strip()):
            found = self.sources.get(digest(value.lower()))
        return found

    def shipped(self, value: str) -> bool:
        """A default a project ships in its own templates (not one of envguard's illustrations):
        everyone has it already, so an example file holding it leaks nothing."""
        source = self.source(value)
        return source is not None and source != ILLUSTRATION


def _add(source: str) -> int:
    """Append the value read from stdin to the data file, under ``source``."""
    value = sys.stdin.read().rstrip("\n")
    if not value.strip():
        print("no value on stdin", file=sys.stderr)
        return 2
    known = Defaults().source(value)
    if known is not None:
        print(f"already listed ({known})", file=sys.stderr)
        return 0
    phrase = _PHRASE.fullmatch(value.strip()) is not None
    with _DATA.open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[default]]\nhash = "{digest(value.lower() if phrase else value)}"\nsource = "{source}"\n'
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(_add(" ".join(sys.argv[1:]) or "unknown"))
