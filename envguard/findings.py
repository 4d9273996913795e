"""The Finding record and its two enumerations.

A finding names a place (file, line, column, key) and a problem (code, name, category, severity,
message). It never holds a raw value: at most a hint such as a length, and a keyed fingerprint.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


def fingerprint(value: str, key: bytes) -> str:
    """A keyed, truncated hash of a value: equal values match; without the key (never a public
    constant: ``envguard.fingerprints``) the value cannot be guessed back."""
    return Fingerprinter(key)(value)


class Fingerprinter:
    """:func:`fingerprint` with one key, for many values: HMAC-SHA256 (RFC 2104) truncated to 64
    bits, its padded key hashed once, so that each value costs two hash copies (``hmac.new`` pads
    and hashes the key again for every value: twice the work on a report of 10,000 findings)."""

    def __init__(self, key: bytes) -> None:
        # imported here: a check that finds nothing never loads OpenSSL's hashes (a few ms at start)
        import hashlib

        block = hashlib.sha256().block_size
        padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def __call__(self, value: str) -> str:
        inner = self._inner.copy()
        inner.update(value.encode("utf-8", "surrogatepass"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:16]


class Severity(StrEnum):
    """How bad a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Numeric rank for comparisons: info 1, warning 2, error 3."""
        return _RANKS[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as bad as ``other`` or worse."""
        return self.rank >= other.rank


_RANKS = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Category(StrEnum):
    """The nine finding categories of DESIGN.md; no others exist."""

    SYNTAX = "syntax"
    SCHEMA = "schema"
    WEAK_SECRET = "weak-secret"
    LEAK = "leak"
    DEBUG = "debug"
    CORS = "cors"
    TRANSPORT = "transport"
    EXPOSURE = "exposure"
    ACCESS = "access"


class Environment(StrEnum):
    """The environment a set of variables is meant for."""

    PRODUCTION = "production"
    STAGING = "staging"
    DEVELOPMENT = "development"
    TEST = "test"
    EXAMPLE = "example"

    @property
    def strict(self) -> bool:
        """Production and staging are judged strictly."""
        return self is Environment.PRODUCTION or self is Environment.STAGING


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place. Holds no raw values, by construction of every rule."""

    file: str
    line: int | None
    column: int | None
    key: str | None
    code: str
    name: str
    category: Category
    severity: Severity
    message: str
    hint: str | None = None
    fingerprint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; field names are a stable contract."""
        data = asdict(self)
        data["category"] = str(self.category)
        data["severity"] = str(self.severity)
        return data

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, line, column, code."""
        return (self.file, self.line or 0, self.column or 0, self.code)
