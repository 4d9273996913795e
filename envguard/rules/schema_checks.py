"""Pure value checks behind the ``schema`` rules: types, placeholders, hosts.

Nothing here reports anything or keeps a value; each function answers one yes/no question about a
value so the rules can word a finding without quoting it.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from envguard.rules.base import Context
from envguard.rules.roles import SECRET_HINT

_BOOLS = frozenset({"true", "false", "1", "0", "yes", "no", "on", "off", "(true)", "(false)"})
_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[A-Za-z0-9-]{2,}")
_NAMED_EMAIL = re.compile(r"[^<>]*<(?P<addr>[^<>]+)>")
_UNIT = r"(?:ms|s|m|h|d|w|y|sec|secs|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|years?)"
_DURATION = re.compile(rf"(?:\d+(?:\.\d+)?\s*{_UNIT}\s*)+|\d+(?:\.\d+)?", re.I)
_ISO_DURATION = re.compile(r"P(?!$)(?:\d+[YMWD])*(?:T(?=\d)(?:\d+(?:\.\d+)?[HMS])*)?", re.I)
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)")
_LIST_SPLIT = re.compile(r"[,\s]+")


def items(value: str) -> list[str]:
    """The non-empty items of a comma- or space-separated list."""
    return [part for part in _LIST_SPLIT.split(value.strip()) if part]


def is_url(value: str) -> bool:
    """An absolute URL with a scheme and a host (``https://x``, ``redis://h:6379/0``)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    scheme_ok = re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme or "")
    return bool(scheme_ok and parts.hostname)


def is_host(value: str) -> bool:
    """A host name or IP address, optionally with ``:port``; ``*`` and ``.domain`` allowed."""
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        return False
    host = host.strip("[]")
    if host == "*" or _is_ip(host):
        return True
    labels = host.removeprefix("*.").removeprefix(".").rstrip(".").split(".")
    return bool(host) and all(_HOST_LABEL.fullmatch(label) for label in labels)


def _is_ip(host: str) -> bool:
    """An IPv4 or IPv6 address; most hosts are names, and only digits, dots or a colon can be one."""
    if ":" not in host and not host.replace(".", "").isdigit():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_email(value: str) -> bool:
    """``a@b.tld`` or ``Name <a@b.tld>``."""
    named = _NAMED_EMAIL.fullmatch(value)
    return bool(_EMAIL.fullmatch(named.group("addr") if named else value))


def is_port(value: str) -> bool:
    """An integer from 1 to 65535."""
    return bool(_INT.fullmatch(value)) and 0 < int(value) < 65536


def is_duration(value: str) -> bool:
    """Seconds (``900``), units (``15m``, ``7d``, ``1h30m``, ``2 days``) or ISO 8601 (``PT15M``)."""
    return bool(_DURATION.fullmatch(value) or _ISO_DURATION.fullmatch(value))


def is_json(value: str) -> bool:
    """Parses as JSON."""
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


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


_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_KEY|AUTH_KEY"
    r"|(?:^|_)KEY$|(?:^|_)PWD$|(?:^|_)DSN$|(?:^|_)DATABASE_URL$|(?:^|_)DB_URL$"
)
_SETTING_NAME = re.compile(
    r"EXPIRE|TTL|LIFETIME|TIMEOUT|_(?:MINUTES|HOURS|DAYS|SECONDS|LENGTH|ALGORITHM|FILE|PATH|ID)$"
)


def is_secret(ctx: Context, key: str) -> bool:
    """A secret per the schema, else by name (``*PASSWORD*``, ``*SECRET*``, ``*_KEY``...).

    Names that hold settings about a secret (``ACCESS_TOKEN_EXPIRE_MINUTES``) are not secrets.
    """
    spec = ctx.spec(key)
    if spec is not None and spec.secret is not None:
        return spec.secret
    if spec is not None and spec.public:
        return False
    return _secret_by_name(key)


@lru_cache(maxsize=1 << 16)  # keys repeat across the files of a tree
def _secret_by_name(key: str) -> bool:
    upper = key.upper()
    if SECRET_HINT.search(upper) is None:  # the words every secret name here holds too
        return False
    return bool(_SECRET_NAME.search(upper)) and not _SETTING_NAME.search(upper)


_PLACEHOLDER = re.compile(
    r"(?<![a-z])your(?:[-_ .]|(?=domain|app|company|site|project|email|name|host|server|org))"
    r"|[-_]here\b|\bchange[-_ ]?(?:me|this)\b|\breplace[-_ ]?(?:me\b|this\b|with[-_ ])"
    r"|x{4,}|<(?![^<>@\s]+@[^<>\s]+>)[^<>\s][^<>]*>|\[[A-Z][A-Z0-9_ -]*\]"
    r"|^(?:placeholder|todo|tbd|fixme|changeme|\.\.\.)$",
    re.I,
)
#: a substring every match of ``_PLACEHOLDER`` contains, lower-cased, one per alternative: on ASCII
#: text, where IGNORECASE folds letters exactly as ``str.lower`` does, no hit here means no placeholder
#: (a literal alternation searched with IGNORECASE is as slow as ``_PLACEHOLDER`` itself)
_PLACEHOLDER_WORDS = re.compile(r"your|here|change|replace|xxxx|<|\[|placeholder|todo|tbd|fixme|\.\.\.")


def is_placeholder(value: str) -> bool:
    """A value that is visibly a stand-in: ``your-...``, ``..._HERE``, ``<...>``, ``changeme``."""
    value = value.strip()
    # non-ASCII text folds case in ways str.lower does not (long s, Kelvin sign, dotless i): only
    # the full pattern is exact there
    if value.isascii() and _PLACEHOLDER_WORDS.search(value.lower()) is None:
        return False
    return _PLACEHOLDER.search(value) is not None


_RESERVED_SLD = frozenset({"example.com", "example.net", "example.org", "example.edu"})
_RESERVED_TLD = frozenset({"example", "test", "invalid", "localhost", "local"})
_PLACEHOLDER_HOSTS = frozenset({"host", "hostname", "domain", "domain.com", "server"})
_PLACEHOLDER_LABEL = re.compile(r"your[-_]?|my[-_]?domain|domain[-_]?name", re.I)
_LOCAL = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal"})
#: dotless names that still count as hosts
_BARE_HOSTS = _PLACEHOLDER_HOSTS | _LOCAL
#: a substring of every dotless name in ``_BARE_HOSTS``
_BARE_HINT = re.compile(r"host|domain|server|::1", re.I)


def hosts(value: str) -> Iterator[str]:
    """The host names a value mentions: URL hosts, e-mail domains and bare hosts of a list."""
    if "." not in value and not _BARE_HINT.search(value):
        return  # a host has a dot or is one of _BARE_HOSTS: most values (ports, flags) have neither
    for item in items(value):
        if "://" in item:
            try:
                host = urlsplit(item).hostname
            except ValueError:
                continue
        elif "@" in item:
            host = item.rpartition("@")[2]
        else:
            host = item.rpartition(":")[0] if item.count(":") == 1 else item
        host = (host or "").strip("[]").rstrip(".").lower().removeprefix("*.").lstrip(".")
        if host and ("." in host or host in _BARE_HOSTS) and is_host(host):
            yield host


#: a substring of every host ``domain_problem`` reports, lower-cased: a placeholder name or label
#: (``host``, ``domain``, ``server``, ``your``, ``my-domain``) or a reserved one (``example``, ``test``,
#: ``invalid``)
_DOMAIN_WORDS = re.compile(r"host|domain|server|your|example|test|invalid")


def may_name_bad_domain(value: str) -> bool:
    """False when no host in ``value`` can have a ``domain_problem``; True is only a maybe.

    Hosts are lower-cased pieces of the value, so on ASCII text one of ``_DOMAIN_WORDS`` must be in
    the lower-cased value; other text can fold case otherwise (the Kelvin sign lower-cases to ``k``,
    a dotless i matches ``i`` in ``_PLACEHOLDER_LABEL``) and always gets a maybe.
    """
    return not value.isascii() or _DOMAIN_WORDS.search(value.lower()) is not None


def domain_problem(host: str) -> str | None:
    """Why ``host`` cannot be a production host name: ``placeholder`` or ``reserved``, else None."""
    labels = host.split(".")
    if host in _PLACEHOLDER_HOSTS or any(_PLACEHOLDER_LABEL.match(label) for label in labels):
        return "placeholder"
    if labels[-1] in _RESERVED_TLD - {"localhost", "local"}:
        return "reserved"
    if ".".join(labels[-2:]) in _RESERVED_SLD:
        return "reserved"
    return None


def is_local(host: str) -> bool:
    """A loopback or container-local address."""
    if host in _LOCAL or host.endswith((".localhost", ".local")):
        return True
    if not _is_ip(host):
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
