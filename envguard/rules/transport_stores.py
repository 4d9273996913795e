"""The ``transport`` family (EG6xx), part three: database, Redis, MongoDB and AMQP connections.

A connection is judged from a URL (``DATABASE_URL=postgres://...``, ``REDIS_URL=redis://...``) or
from host-style settings (``DB_HOST`` + ``DB_PASSWORD`` + ``DB_SSLMODE``, ``REDIS_HOST`` +
``REDIS_PASSWORD`` + ``REDIS_SCHEME``). Internal hosts are skipped (see ``transport``). Messages never
quote the URL: it usually holds a password.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Rule, Variable, levels, url_valued
from envguard.rules.debug import is_off, is_on
from envguard.rules.roles import is_connection_url, url_credentials
from envguard.rules.transport import is_internal_host, url_host

_TLS_SCHEMES = frozenset({"rediss", "amqps", "mongodb+srv", "tls"})
_TLS_PARAMS = ("sslmode", "ssl", "ssl-mode", "ssl_mode", "tls", "ssl_cert_reqs", "sslrootcert")
_TLS_ON = frozenset({"require", "required", "verify-ca", "verify-full", "verify_ca", "verify_identity",
                     "verify-identity", "tls", "rediss"})
_TLS_OFF = frozenset({"disable", "disabled"})
_PREFIXES = ("DB_", "DATABASE_", "POSTGRES_", "PG", "MYSQL_", "REDIS_", "MONGO_", "MONGODB_")
_PASSWORD = ("PASSWORD", "PASS", "PWD")
_TLS_KEYS = ("SSLMODE", "SSL_MODE", "SSL", "TLS", "SCHEME", "SSL_ENABLED", "USE_SSL", "USE_TLS")
_NO_PASSWORD = frozenset({"", "null", "(null)", "none"})


@dataclass(frozen=True, slots=True)
class Connection:
    """What a rule needs to know about one connection; holds no password."""

    var: Variable
    host: str
    password: bool
    #: True when TLS is required, False when it is explicitly disabled, None when unsaid
    tls: bool | None
    tls_var: Variable


def tls_word(word: str) -> bool | None:
    """Whether a TLS setting (``sslmode=require``, ``ssl=true``, ``REDIS_SCHEME=tls``) turns TLS on."""
    word = word.strip().lower()
    if word in _TLS_ON or is_on(word):
        return True
    if word in _TLS_OFF or (word and is_off(word)):
        return False
    return None


def _url_tls(scheme: str, params: dict[str, str]) -> bool | None:
    """What a URL says about TLS: its parameters first, then its scheme."""
    for key in _TLS_PARAMS:
        if key in params:
            said = True if key in ("ssl_cert_reqs", "sslrootcert") else tls_word(params[key])
            if said is not None:
                return said
    return True if scheme in _TLS_SCHEMES else None


def _from_url(var: Variable) -> Connection | None:
    value = (var.value or "").strip()
    if not is_connection_url(value):
        return None
    try:
        parts = urlsplit(value)
        host, scheme = parts.hostname, parts.scheme.lower()
    except ValueError:
        return None
    if host is None:
        return None
    params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    has_password = any(c.password.lower() not in _NO_PASSWORD for c in url_credentials(value))
    return Connection(var, host, has_password, _url_tls(scheme, params), var)


def _host_of(raw: str) -> str:
    """The host of a ``*_HOST`` setting, which may carry a scheme (``tls://``) or a port."""
    if "://" in raw:
        return url_host(raw) or ""
    return raw.rpartition(":")[0] if raw.count(":") == 1 else raw


def _has_password(ctx: Context, prefix: str) -> bool:
    """A password setting that is present and not empty or ``null`` (an encrypted one counts)."""
    for name in (f"{prefix}{p}" for p in _PASSWORD):
        var = ctx.last.get(name)
        if var is not None and (var.value is None or var.value.strip().lower() not in _NO_PASSWORD):
            return True
    return False


def _from_settings(ctx: Context, prefix: str) -> Connection | None:
    host_var = ctx.last.get(f"{prefix}HOST")
    raw = (host_var.value or "").strip() if host_var is not None else ""
    if host_var is None or not raw or f"{prefix}URL" in ctx.last:
        return None
    if prefix == "DB_" and ctx.values.get("DB_CONNECTION", "").strip().lower() == "sqlite":
        return None
    tls_var = next((ctx.last[f"{prefix}{k}"] for k in _TLS_KEYS if f"{prefix}{k}" in ctx.last), None)
    tls = tls_word(tls_var.value or "") if tls_var is not None else None
    if raw.lower().startswith(("tls://", "rediss://")):
        tls = True
    return Connection(host_var, _host_of(raw), _has_password(ctx, prefix), tls, tls_var or host_var)


def connections(ctx: Context) -> Iterator[Connection]:
    """Every connection to a remote host the variables describe (found once per context: both rules
    of this module walk them)."""
    remote: tuple[Connection, ...] | None = ctx.memo.get("connections")
    if remote is None:
        found = [_from_url(v) for v in url_valued(ctx) if v.key == v.key.upper()]
        found += [_from_settings(ctx, prefix) for prefix in _PREFIXES]
        remote = ctx.memo["connections"] = tuple(
            c for c in found if c is not None and c.host and not is_internal_host(c.host))
    return iter(remote)


class StoreWithoutTlsOrAuth(Rule):
    """Database or Redis on a remote host with neither TLS nor a password.

    ## What it does
    Reports a database, Redis, MongoDB or AMQP connection (a URL, or `*_HOST` settings) to a host
    outside the private network that has no password and does not require TLS (`rediss://`,
    `sslmode=require`/`verify-*`, `ssl=true`, `DB_SSLMODE=require`, `REDIS_SCHEME=tls`).

    ## Why is this bad?
    Anyone who can reach the port can read and write every key or row; Redis and Postgres listening
    on a public address are scanned for within minutes.

    ## Example
    ```dotenv
    REDIS_URL=redis://cache.malar-market-ledger.com:6379/0
    ```

    ## Use instead
    ```dotenv
    REDIS_URL=rediss://default:<password>@cache.malar-market-ledger.com:6380/0
    ```
    """

    code = "EG605"
    name = "store-without-tls-or-auth"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for conn in connections(ctx):
            if not conn.password and conn.tls is not True:
                yield self.report(ctx, f"{conn.var.key} connects to a remote host with neither TLS "
                                  "nor a password", var=conn.var,
                                  hint="require TLS and set a password, or keep it on a private network")


class StoreTlsDisabled(Rule):
    """TLS is explicitly disabled towards a remote database or Redis.

    ## What it does
    Reports `sslmode=disable`, `ssl=false`, `tls=false`, `DB_SSLMODE=disable` and similar settings on
    a connection to a host outside the private network.

    ## Why is this bad?
    Every query, every row returned and the authentication exchange cross the internet in clear.

    ## Example
    ```dotenv
    DATABASE_URL=postgresql://app:<password>@db.abcd.supabase.co:5432/postgres?sslmode=disable
    ```

    ## Use instead
    ```dotenv
    DATABASE_URL=postgresql://app:<password>@db.abcd.supabase.co:5432/postgres?sslmode=verify-full
    ```
    """

    code = "EG606"
    name = "store-tls-disabled"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for conn in connections(ctx):
            if conn.tls is False:
                yield self.report(ctx, f"{conn.tls_var.key} turns TLS off to a remote host",
                                  var=conn.tls_var, hint="use sslmode=require or verify-full")


RULES: tuple[type[Rule], ...] = (StoreWithoutTlsOrAuth, StoreTlsDisabled)
