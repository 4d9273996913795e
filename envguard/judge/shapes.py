"""The shapes a schema's ``type`` names: integers, URLs, e-mail addresses, durations, hosts...

Each test answers for a non-empty, stripped value and runs in time linear in it (e-mail addresses
and durations are read by splitting, not by backtracking patterns).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from envguard.judge.formats import JSON_DEPTH, loads_bounded, nesting
from envguard.judge.hosts import is_connection_url, is_host
from envguard.judge.values import items

_BOOLS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off", "(true)", "(false)"})
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_UNITS = frozenset(
    {
        "ms",
        "s",
        "m",
        "h",
        "d",
        "w",
        "y",
        "sec",
        "secs",
        "second",
        "seconds",
        "min",
        "mins",
        "minute",
        "minutes",
        "hr",
        "hrs",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "year",
        "years",
    }
)
_DURATION_PART = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|\s+|.")
_ISO_DURATION = re.compile(r"P(?:\d+[YMWD])*(?:T(?:\d+(?:\.\d+)?[HMS])+)?", re.I)
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9-]+")


def is_url(value: str) -> bool:
    """An absolute URL with a scheme and a host (``https://x``, ``redis://h:6379/0``)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    if not _SCHEME.fullmatch(parts.scheme or ""):
        return False
    # a database URL may name a file or a socket instead of a host: ``sqlite:///app.db``,
    # ``postgres://u:p@//cloudsql/project:region:db/app``
    return bool(parts.hostname) or (is_connection_url(value) and bool(parts.path or parts.netloc))


def is_email(value: str) -> bool:
    """``a@b.tld`` or ``Name <a@b.tld>``."""
    text = value.strip()
    if text.endswith(">") and "<" in text:
        head, _, address = text[:-1].rpartition("<")
        if "<" in head or ">" in head:
            return False
        text = address
    local, at, domain = text.partition("@")
    if not at or not local or "@" in domain or any(c.isspace() or c in "<>" for c in text):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return False
    return len(labels[-1]) >= 2 and bool(_DOMAIN_LABEL.fullmatch(labels[-1]))


def is_port(value: str) -> bool:
    """An integer from 1 to 65535."""
    return bool(_INT.fullmatch(value)) and len(value) < 7 and 0 < int(value) < 65536


def is_duration(value: str) -> bool:
    """Seconds (``900``), units (``15m``, ``7d``, ``1h30m``, ``2 days``) or ISO 8601 (``PT15M``)."""
    text = value.strip()
    if _ISO_DURATION.fullmatch(text) and len(text) > 1 and text.upper() not in ("P", "PT"):
        return True
    parts = [p for p in _DURATION_PART.findall(text) if not p.isspace()]
    if len(parts) == 1:
        return bool(_FLOAT.fullmatch(parts[0]))
    if not parts or len(parts) % 2:
        return False
    numbers, units = parts[::2], parts[1::2]
    return all(_FLOAT.fullmatch(n) for n in numbers) and all(u.lower() in _UNITS for u in units)


def is_json(value: str) -> bool:
    """Parses as JSON, nested no deeper than ``formats.JSON_DEPTH``."""
    if nesting(value) > JSON_DEPTH:
        return False
    return loads_bounded(value) is not None or value.strip() == "null"


_TYPE_CHECKS: dict[str, Callable[[str], bool]] = {
    "int": lambda v: bool(_INT.fullmatch(v)),
    "float": lambda v: bool(_FLOAT.fullmatch(v)),
    "bool": lambda v: v.lower() in _BOOLS,
    "url": is_url,
    "url-list": lambda v: all(is_url(i) for i in items(v)),
    "email": is_email,
    "port": is_port,
    "duration": is_duration,
    "host": is_host,
    "host-list": lambda v: all(is_host(i) for i in items(v)),
    "json": is_json,
    "path": lambda v: "\0" not in v,
}


def has_type(kind: str, value: str) -> bool:
    """Whether a non-empty ``value`` is of schema type ``kind`` (string, list and enum: always)."""
    check = _TYPE_CHECKS.get(kind)
    return check is None or check(value.strip())
