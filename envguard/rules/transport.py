"""The ``transport`` family (EG6xx): plain http/ws URLs, mail without encryption, cookies without
``Secure``, no HTTPS redirect, and databases or Redis reached without TLS or a password.

Internal addresses are not judged (``judge.hosts``: loopback, bare Compose service names, unix
sockets, private networks, ``*.railway.internal``): that traffic never crosses the internet, and
a loopback URL where the public must reach the app is the ``local-address`` rule's finding.
Connections are read from URLs (``DATABASE_URL=postgres://...``), ADO-style connection strings
(``Server=...;Encrypt=false``) and host-style settings (``DB_HOST`` + ``DB_PASSWORD`` +
``DB_SSLMODE``). Messages never quote a URL: it usually holds a password.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from envguard.findings import Category, Finding, Severity
from envguard.judge.hosts import (
    ado_string,
    is_connection_url,
    is_internal,
    query,
    url_credentials,
    url_host,
    url_items,
)
from envguard.judge.names import names_setting
from envguard.judge.values import UNSET_WORDS, is_off, is_on, switched
from envguard.model import Context, Variable
from envguard.rules.base import Rule, levels

_NO_ENCRYPTION = frozenset({"", "null", "(null)", "none", "false", "off", "0"})
_SECURE_FLAGS = ("SESSION_SECURE_COOKIE", "COOKIE_SECURE", "SECURE_COOKIE", "SECURE_COOKIES")
_HTTPONLY_FLAGS = ("SESSION_COOKIE_HTTPONLY", "SESSION_HTTP_ONLY", "COOKIE_HTTPONLY", "COOKIE_HTTP_ONLY")
_REDIRECT_FLAGS = (
    "SECURE_SSL_REDIRECT",
    "SSL_REDIRECT",
    "FORCE_HTTPS",
    "FORCE_SSL",
    "HTTPS_ONLY",
    "USE_HTTPS",
    "HTTPS_ENABLED",
    "ENABLE_HTTPS",
    "REQUIRE_HTTPS",
    "HTTPS",
)


def _url_valued(ctx: Context) -> Iterator[tuple[Variable, str]]:
    """Upper-case keys whose literal value holds ``://``."""
    for var in ctx.last.values():
        value = var.value
        if value is not None and "://" in value and var.key.isupper():
            literal = ctx.reading(var).literal
            if literal is not None and "://" in literal:
                yield var, literal


class InsecureUrl(Rule):
    """URL uses plain `http://` or `ws://` to a public host.

    ## What it does
    Reports values holding an `http://` or `ws://` URL to a public host (`APP_URL`, `ASSET_URL`,
    `FRONTEND_URL`, `VITE_API_URL`, webhook and callback URLs...) in production and staging. Internal
    addresses (see the module notes) and origin lists (the `cors` rules) are not judged.

    ## Why is this bad?
    Anyone on the path reads and rewrites the traffic: session cookies, tokens, API responses. Laravel
    builds every link and asset from `APP_URL`, so the whole site downgrades to http.

    ## Example
    ```dotenv
    APP_URL=http://facturino.mk
    VITE_WS_URL=ws://api.malar-market-ledger.com/ws
    ```

    ## Use instead
    ```dotenv
    APP_URL=https://facturino.mk
    VITE_WS_URL=wss://api.malar-market-ledger.com/ws
    ```
    """

    code = "EG601"
    name = "insecure-url"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in _url_valued(ctx):
            if "ORIGIN" in var.key or var.key.startswith("SANCTUM"):
                continue
            for item in url_items(value):
                scheme = item.partition("://")[0].lower()
                host = url_host(item)
                if scheme in ("http", "ws") and host and "$" not in host and not is_internal(host):
                    yield self.report(
                        ctx,
                        f"{var.key} uses {scheme}:// to a public host in {ctx.env.value}",
                        var=var,
                        hint=f"use {scheme}s:// so the traffic is encrypted",
                    )
                    break


class MailWithoutEncryption(Rule):
    """SMTP to a remote server without enforced encryption.

    ## What it does
    With a `MAIL_HOST`/`EMAIL_HOST` outside the private network and a port other than 465, reports
    Laravel's `MAIL_ENCRYPTION=null` (a warning: the mailer then only tries STARTTLS, which an
    attacker can strip) and Django's or Flask-Mail's `*_USE_TLS` and `*_USE_SSL` both off (an error:
    the SMTP password and every mail travel in clear). API mailers (`MAIL_MAILER=ses`...) are skipped.

    ## Why is this bad?
    Password-reset links, invoices and the SMTP credentials themselves can be read on the way.

    ## Example
    ```dotenv
    MAIL_HOST=smtp.mailgun.org
    MAIL_PORT=587
    MAIL_ENCRYPTION=null
    ```

    ## Use instead
    ```dotenv
    MAIL_HOST=smtp.mailgun.org
    MAIL_PORT=587
    MAIL_ENCRYPTION=tls
    ```
    """

    code = "EG604"
    name = "mail-without-encryption"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)
    keys = ("MAIL_", "EMAIL_")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for prefix in ("MAIL_", "EMAIL_"):
            if self._remote_smtp(ctx, prefix):
                yield from self._judge(ctx, prefix)

    @staticmethod
    def _remote_smtp(ctx: Context, prefix: str) -> bool:
        values = ctx.values
        # Laravel and Django say MAIL_HOST/EMAIL_HOST; Flask-Mail says MAIL_SERVER
        host = (values.get(f"{prefix}HOST") or values.get(f"{prefix}SERVER") or "").strip()
        mailer = values.get(f"{prefix}MAILER", values.get(f"{prefix}DRIVER", "smtp")).strip().lower()
        port = values.get(f"{prefix}PORT", "").strip()
        return bool(host) and not is_internal(host) and mailer in ("smtp", "") and port != "465"

    def _judge(self, ctx: Context, prefix: str) -> Iterator[Finding]:
        encryption = ctx.last.get(f"{prefix}ENCRYPTION")
        if encryption is not None and encryption.value is not None:
            if encryption.value.strip().lower() in _NO_ENCRYPTION:
                yield self.report(
                    ctx,
                    f"{encryption.key} is unset: mail to a remote host may travel in clear",
                    var=encryption,
                    severity=Severity.WARNING,
                    hint="set it to tls (port 587) or ssl (port 465)",
                )
            return
        flags = [ctx.last[k] for k in (f"{prefix}USE_TLS", f"{prefix}USE_SSL") if k in ctx.last]
        if flags and not any(is_on(ctx.reading(f).literal) for f in flags):
            yield self.report(
                ctx,
                f"{flags[0].key} is off: mail and the SMTP password travel in clear",
                var=flags[0],
                hint=f"set {prefix}USE_TLS=True (port 587)",
            )


class InsecureCookie(Rule):
    """Session or CSRF cookie is sent without `Secure` or `HttpOnly`.

    ## What it does
    Reports `SESSION_SECURE_COOKIE`, `SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE`,
    `REMEMBER_COOKIE_SECURE` and other `*_COOKIE_SECURE` flags, and `SESSION_COOKIE_HTTPONLY` /
    `SESSION_HTTP_ONLY`, set off or left empty.

    ## Why is this bad?
    Without `Secure` the browser also sends the cookie over plain http, where anyone on the network
    can take over the session; without `HttpOnly` any injected script can read it.

    ## Example
    ```dotenv
    SESSION_SECURE_COOKIE=false
    ```

    ## Use instead
    ```dotenv
    SESSION_SECURE_COOKIE=true
    ```
    """

    code = "EG602"
    name = "insecure-cookie"
    category = Category.TRANSPORT
    levels = levels(Severity.ERROR)
    fix = "sets the flag to true"

    keys = ("COOKIE", "HTTP_ONLY")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, literal in self.settings(ctx):
            key = var.key
            if (names_setting(key, _SECURE_FLAGS) or names_setting(key, _HTTPONLY_FLAGS)) and is_off(literal):
                flag = "Secure" if "SECURE" in key else "HttpOnly"
                yield self.report(
                    ctx,
                    f"{var.key} sends the cookie without {flag} in {ctx.env.value}",
                    var=var,
                    hint=f"set {var.key}={switched(literal, on=True)}",
                )


class SslRedirectOff(Rule):
    """Redirect to HTTPS is switched off.

    ## What it does
    Reports `SECURE_SSL_REDIRECT`, `FORCE_HTTPS`, `FORCE_SSL`, `HTTPS_ONLY`, `USE_HTTPS`, `HTTPS` and
    their prefixed variants (`DJANGO_SECURE_SSL_REDIRECT`, `APP_HTTPS`) explicitly set off.

    ## Why is this bad?
    Users who type the bare domain or follow an old http link stay on plain http. Behind a proxy
    that already redirects this is harmless, which is why it is a warning and `fix` leaves it alone:
    turning it on without `SECURE_PROXY_SSL_HEADER` makes Django redirect forever.

    ## Example
    ```dotenv
    SECURE_SSL_REDIRECT=False
    ```

    ## Use instead
    ```dotenv
    SECURE_SSL_REDIRECT=True
    SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
    ```
    """

    code = "EG603"
    name = "ssl-redirect-off"
    category = Category.TRANSPORT
    levels = levels(Severity.WARNING)

    keys = ("SSL", "HTTPS")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, literal in self.settings(ctx):
            if names_setting(var.key, _REDIRECT_FLAGS) and literal.strip() and is_off(literal):
                yield self.report(
                    ctx,
                    f"{var.key} is off in {ctx.env.value}",
                    var=var,
                    hint="redirect http to https here or at the proxy",
                )


_TLS_SCHEMES = frozenset({"rediss", "amqps", "mongodb+srv", "tls", "valkeys"})
_TLS_PARAMS = ("sslmode", "ssl", "ssl-mode", "ssl_mode", "tls", "ssl_cert_reqs", "sslrootcert", "encrypt")
_TLS_ON = frozenset(
    {
        "require",
        "required",
        "verify-ca",
        "verify-full",
        "verify_ca",
        "verify_identity",
        "verify-identity",
        "tls",
        "rediss",
    }
)
_TLS_OFF = frozenset({"disable", "disabled"})
_PREFIXES = ("DB_", "DATABASE_", "POSTGRES_", "PG", "MYSQL_", "REDIS_", "MONGO_", "MONGODB_")
_PASSWORD = ("PASSWORD", "PASS", "PWD")
_TLS_KEYS = ("SSLMODE", "SSL_MODE", "SSL", "TLS", "SCHEME", "SSL_ENABLED", "USE_SSL", "USE_TLS")
_NO_PASSWORD = UNSET_WORDS | {""}


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


def _from_url(var: Variable, value: str) -> Connection | None:
    value = value.strip()
    if not is_connection_url(value):
        return None
    ado = ado_string(value)
    if ado is not None:
        return _from_ado(var, ado)
    try:
        parts = urlsplit(value)
        host, scheme = parts.hostname, parts.scheme.lower()
    except ValueError:
        return None
    if host is None:
        return None
    has_password = any(c.password.lower() not in _NO_PASSWORD for c in url_credentials(value))
    return Connection(var, host, has_password, _url_tls(scheme, query(value)), var)


def _from_ado(var: Variable, ado: dict[str, str]) -> Connection:
    """A SQL Server style connection string: ``Encrypt=true|false|strict``."""
    said = ado.get("encrypt", "").lower()
    tls: bool | None = None
    if said in ("true", "yes", "mandatory", "strict"):
        tls = True
    elif said in ("false", "no", "optional"):
        tls = False
    has_password = ado.get("password", "").lower() not in _NO_PASSWORD
    return Connection(var, ado.get("host", ""), has_password, tls, var)


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
    """Every connection to a remote host the variables describe."""
    found = [_from_url(var, value) for var, value in _url_valued(ctx)]
    found += [
        _from_url(var, var.value or "")
        for var in ctx.last.values()
        if var.value and ";" in var.value and "=" in var.value and "://" not in var.value
    ]
    found += [_from_settings(ctx, prefix) for prefix in _PREFIXES]
    for conn in found:
        if conn is not None and conn.host and "$" not in conn.host and not is_internal(conn.host):
            yield conn


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
                yield self.report(
                    ctx,
                    f"{conn.var.key} connects to a remote host with neither TLS nor a password",
                    var=conn.var,
                    hint="require TLS and set a password, or keep it on a private network",
                )


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
                yield self.report(
                    ctx,
                    f"{conn.tls_var.key} turns TLS off to a remote host",
                    var=conn.tls_var,
                    hint="use sslmode=require or verify-full",
                )


RULES: tuple[type[Rule], ...] = (
    InsecureUrl,
    InsecureCookie,
    SslRedirectOff,
    MailWithoutEncryption,
    StoreWithoutTlsOrAuth,
    StoreTlsDisabled,
)
