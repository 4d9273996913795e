"""Hosts and the URLs and connection strings that name them.

Every host is in one scope:

* ``LOOPBACK``: this machine (``localhost``, ``*.localhost``, ``127.0.0.0/8``, ``::1``, ``0.0.0.0``);
* ``LOCAL``: a name only a local network resolves, or no network at all: a bare host name (a
  Compose service such as ``db``), a unix socket (``/cloudsql/project:region:db``,
  ``/var/run/postgresql``);
* ``PRIVATE``: a private network (10/8, 172.16/12, 192.168/16, CGNAT 100.64/10, link-local,
  ``fc00::/7``, and ``.internal``, ``.local``, ``.svc``, ``.lan``... names such as
  ``*.railway.internal``);
* ``RESERVED``: names reserved for documentation (RFC 2606 and 6761: ``example.com``,
  ``*.example``, ``*.test``, ``*.invalid``), which never reach your server;
* ``PUBLIC``: everything else.

URLs are read as the libraries that use them read them: ``sqlite:///relative.db`` and
``sqlite:////abs.db`` name files, not hosts; ADO-style connection strings
(``Server=tcp:db.example.net,1433;User ID=app;Password=...;Encrypt=false``) carry a host,
credentials and a TLS setting like a URL does.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, unquote, urlsplit

from envguard.judge.names import MANY_SWITCHES
from envguard.judge.placeholders import is_placeholder, may_hold_cues
from envguard.judge.values import items


class Scope(StrEnum):
    """Who can reach a host."""

    LOOPBACK = "loopback"
    LOCAL = "local"
    PRIVATE = "private"
    RESERVED = "reserved"
    PUBLIC = "public"


_PRIVATE_SUFFIXES = (
    ".internal",
    ".local",
    ".localdomain",
    ".svc",
    ".lan",
    ".home.arpa",
    ".intranet",
    ".corp",
    ".private",
)
_PRIVATE_NETS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
        "169.254.0.0/16",
        "fe80::/10",
    )
)
_RESERVED_SLD = frozenset({"example.com", "example.net", "example.org", "example.edu"})
_RESERVED_TLD = frozenset({"example", "test", "invalid"})
_PLACEHOLDER_HOSTS = frozenset({"host", "hostname", "domain", "domain.com", "server", "your-host"})
_PLACEHOLDER_LABEL = re.compile(r"your[-_]?|my[-_]?domain|domain[-_]?name", re.I)
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s,;\"'<>]+")
_DB_SCHEMES = frozenset(
    {
        "postgres",
        "postgresql",
        "mysql",
        "mariadb",
        "mongodb",
        "mongodb+srv",
        "redis",
        "rediss",
        "amqp",
        "amqps",
        "mssql",
        "sqlserver",
        "cockroachdb",
        "clickhouse",
        "oracle",
        "memcached",
        "nats",
        "kafka",
        "sqlite",
        "valkey",
        "valkeys",
    }
)
_ADO_HOST = ("server", "data source", "host", "address", "addr", "network address")
_ADO_USER = ("user id", "uid", "user", "username", "user name")
_ADO_PASSWORD = ("password", "pwd")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if ":" not in host and not host.replace(".", "").isdigit():
        return None  # only digits and dots (IPv4) or a colon (IPv6) can be an address
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def scope(host: str) -> Scope:
    """Which scope ``host`` (a name, an address or a socket path) is in."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if not host or host.startswith("/") or host.startswith("@"):
        return Scope.LOCAL
    if host == "localhost" or host.endswith(".localhost"):
        return Scope.LOOPBACK
    ip = _ip(host)
    if ip is not None:
        if ip.is_loopback or ip.is_unspecified:
            return Scope.LOOPBACK
        return Scope.PRIVATE if any(ip in net for net in _PRIVATE_NETS) else Scope.PUBLIC
    if "." not in host:
        return Scope.LOCAL
    if host.endswith(_PRIVATE_SUFFIXES):
        return Scope.PRIVATE
    labels = host.split(".")
    if labels[-1] in _RESERVED_TLD or ".".join(labels[-2:]) in _RESERVED_SLD:
        return Scope.RESERVED
    return Scope.PUBLIC


def is_local(host: str) -> bool:
    """This machine, or a name only a local network knows (loopback, bare names, sockets)."""
    return scope(host) in (Scope.LOOPBACK, Scope.LOCAL)


def is_internal(host: str) -> bool:
    """Traffic to ``host`` stays inside the machine or a private network."""
    return scope(host) in (Scope.LOOPBACK, Scope.LOCAL, Scope.PRIVATE)


def domain_problem(host: str) -> str | None:
    """``reserved`` for a documentation name (``example.com``), ``placeholder`` for a guide's
    stand-in host (``your-domain.com``, ``deine-domain.de``, ``seu-dominio.com.br``), else None."""
    host = host.lower()
    if scope(host) is Scope.RESERVED:
        return "reserved"
    labels = host.split(".")
    if host in _PLACEHOLDER_HOSTS or any(
        _PLACEHOLDER_LABEL.match(label) or is_placeholder(label, markers=False) for label in labels[:-1]
    ):
        return "placeholder"
    return None


#: a word every host ``domain_problem`` reports holds, unless a placeholder cue does (lower case):
#: looked for all at once
_DOMAIN_WORDS = re.compile("example|test|invalid|host|domain|server|your|my")


def may_name_bad_domain(value: str) -> bool:
    """False when no host in ``value`` can have a ``domain_problem``; True is only a maybe."""
    return _DOMAIN_WORDS.search(value.lower()) is not None or may_hold_cues(value)


def is_host(value: str) -> bool:
    """A host name or IP address, optionally with ``:port``; ``*`` and ``.domain`` allowed."""
    host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if port and not (port.isdigit() and len(port) < 6 and 0 < int(port) < 65536):
        return False
    host = host.strip("[]")
    if host == "*" or _ip(host) is not None:
        return True
    labels = host.removeprefix("*.").removeprefix(".").rstrip(".").split(".")
    return bool(host) and len(host) < 254 and all(_HOST_LABEL.fullmatch(label) for label in labels)


def reads_as_host(value: str) -> bool:
    """Whether ``value`` is a host someone wrote, so a message may quote it: ``is_host``, and an IP
    address, ``localhost``, ``*`` or a dotted name whose labels read as words (no hash- or
    token-like label, ``names.MANY_SWITCHES``). A single random label (a secret pasted into a list
    of hosts) is not one."""
    if not is_host(value):
        return False
    host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    host = host.strip("[]")
    if host in ("*", "localhost") or _ip(host) is not None:
        return True
    labels = [label for label in host.removeprefix("*.").removeprefix(".").rstrip(".").split(".") if label]
    return len(labels) > 1 and not any(MANY_SWITCHES.search(label) for label in labels)


def url_host(url: str) -> str | None:
    """The host name of a URL, or None when it has none or does not parse."""
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def url_items(value: str) -> list[str]:
    """The URL-looking items of a value: one URL, or a comma, space or JSON-style list."""
    return [i.strip("[]\"'") for i in items(value) if "://" in i]


def hosts(value: str) -> Iterator[str]:
    """The host names a value mentions: URL hosts, e-mail domains and the hosts of a list."""
    for item in items(value):
        if "://" in item:
            host = url_host(item.strip("[]\"'"))
        elif "@" in item:
            host = item.rpartition("@")[2]
        else:
            host = item.rpartition(":")[0] if item.count(":") == 1 else item
        host = (host or "").strip("[]").rstrip(".").lower().removeprefix("*.").lstrip(".")
        if (
            host
            and ("." in host or host in _PLACEHOLDER_HOSTS or host == "localhost" or _ip(host) is not None)
            and is_host(host)
        ):
            yield host


@dataclass(frozen=True, slots=True)
class Credentials:
    """The credentials in one URL or connection string; ``password`` is empty when there is none."""

    scheme: str
    username: str
    password: str
    host: str


def url_credentials(value: str) -> list[Credentials]:
    """The user name and password of every URL in ``value`` that carries one (percent-decoded), or
    of an ADO-style connection string."""
    found: list[Credentials] = []
    if "://" not in value or "@" not in value:  # credentials come before an @: most URLs have none
        ado = ado_string(value) if ";" in value else None
        if ado is not None and (ado.get("password") or ado.get("user")):
            found.append(
                Credentials("ado", ado.get("user", ""), ado.get("password", ""), ado.get("host", ""))
            )
        return found
    for match in _URL.finditer(value):
        if "@" not in match.group():
            continue
        try:
            parts = urlsplit(match.group())
            host = parts.hostname or ""
        except ValueError:
            continue
        if parts.username is not None or parts.password is not None:
            found.append(
                Credentials(
                    parts.scheme.lower(), unquote(parts.username or ""), unquote(parts.password or ""), host
                )
            )
    return found


def ado_string(value: str) -> dict[str, str] | None:
    """An ADO-style connection string (``Server=...;Password=...``) as host, user, password and
    the lower-cased remaining settings; None for anything else."""
    if ";" not in value or "=" not in value:
        return None
    settings: dict[str, str] = {}
    if "://" in value:
        # Prisma writes SQL Server as ``sqlserver://HOST:PORT;database=...;password=...``
        head, _, rest = value.partition(";")
        scheme_, _, server = head.partition("://")
        if scheme_.lower() not in ("sqlserver", "mssql") or "/" in server:
            return None
        settings["server"], value = server.rsplit(":", 1)[0] if server.count(":") == 1 else server, rest
    for part in value.split(";"):
        name, sep, setting = part.partition("=")
        if sep:
            settings[name.strip().lower()] = setting.strip()
    out = {k: v for k, v in settings.items() if k not in (*_ADO_HOST, *_ADO_USER, *_ADO_PASSWORD)}
    found = next((settings[k] for k in _ADO_HOST if k in settings), None)
    if found is None:
        return None
    out["host"] = found.removeprefix("tcp:").split(",", 1)[0].strip()
    user = next((settings[k] for k in _ADO_USER if k in settings), None)
    password = next((settings[k] for k in _ADO_PASSWORD if k in settings), None)
    if user is not None:
        out["user"] = user
    if password is not None:
        out["password"] = password
    return out


def scheme(value: str) -> str | None:
    """The lower-cased scheme of a URL value (``jdbc:`` dropped), or None."""
    match = _URL.match(value.strip().removeprefix("jdbc:"))
    if match is None:
        return None
    return match.group().split("://", 1)[0].lower()


def is_connection_url(value: str) -> bool:
    """A database, cache or queue URL (``postgres://``, ``redis://``, ``mongodb+srv://``...) or an
    ADO-style connection string."""
    found = scheme(value)
    if found is None:
        return ado_string(value.strip()) is not None
    return found.split("+", 1)[0] in _DB_SCHEMES or found in _DB_SCHEMES


def query(url: str) -> dict[str, str]:
    """A URL's query parameters, names lower-cased."""
    try:
        return {k.lower(): v for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
    except ValueError:
        return {}
