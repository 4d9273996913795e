"""The ``access`` family (EG8xx): who the app trusts. Proxies, host names, CSRF, JWT algorithms,
and the admin account an app seeds from its environment (``ADMIN_USERNAME``/``ADMIN_PASSWORD``/
``ADMIN_EMAIL``, ``DJANGO_SUPERUSER_*``). Passwords are never quoted.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge.names import names_setting
from envguard.judge.values import is_off, is_on, items, norm
from envguard.model import Context, Variable
from envguard.rules.base import Rule, levels

_ALL_ADDRESSES = frozenset({"*", "**", "0.0.0.0/0", "::/0"})
_PROXY_LISTS = ("TRUSTED_PROXIES", "TRUSTED_PROXY", "FORWARDED_ALLOW_IPS")
_CSRF_ON = ("CSRF_ENABLED", "CSRF_PROTECTION", "CSRF_CHECK", "ENABLE_CSRF")
_CSRF_OFF = ("DISABLE_CSRF", "CSRF_DISABLED")
_JWT_ALG_TAILS = ("ALG", "ALGS", "ALGORITHM", "ALGORITHMS")
_ADMIN_FIELDS = {
    "PASSWORD": "PASSWORD",
    "PASS": "PASSWORD",
    "PWD": "PASSWORD",
    "USERNAME": "USERNAME",
    "USER": "USERNAME",
    "LOGIN": "USERNAME",
    "EMAIL": "EMAIL",
}
_ADMIN_PASSWORDS = frozenset(
    {
        "admin",
        "admin123",
        "admin1234",
        "administrator",
        "password",
        "password1",
        "password123",
        "123456",
        "12345678",
        "changeme",
        "secret",
        "root",
        "toor",
        "qwerty",
        "letmein",
        "pass",
        "demo",
        "test",
        "default",
        "admin@123",
    }
)
_ADMIN_NAMES = frozenset({"admin", "administrator", "root", "superuser", "sa", "demo", "test"})
_ADMIN_DOMAINS = frozenset(
    {
        "example.com",
        "example.org",
        "example.net",
        "admin.com",
        "test.com",
        "localhost",
        "admin",
        "test",
        "local",
    }
)
_SHORT = 12


def _list(value: str) -> list[str]:
    """The items of a list value, JSON brackets and quotes dropped."""
    return [i.strip("[]\"'") for i in items(value.strip().strip("[]"))]


class TrustAllProxies(Rule):
    """Every client is trusted as a proxy.

    ## What it does
    Reports `TRUSTED_PROXIES=*` or `**` (Laravel), `FORWARDED_ALLOW_IPS=*` (uvicorn, gunicorn) and
    `0.0.0.0/0`, and Express's `TRUST_PROXY=true`.

    ## Why is this bad?
    The app then believes `X-Forwarded-For`, `-Proto` and `-Host` from anyone who reaches it: clients
    fake their IP (rate limits, audit logs, IP allow-lists) and poison the host of password-reset
    links. On a platform whose proxy is the only way in, list its range or hop count; if it truly
    cannot be known, keep `*` with `# envguard: ignore[EG801]` and a comment saying why.

    ## Example
    ```dotenv
    TRUSTED_PROXIES="*"
    TRUST_PROXY=true
    ```

    ## Use instead
    ```dotenv
    TRUSTED_PROXIES=10.0.0.0/8
    TRUST_PROXY=1
    ```
    """

    code = "EG801"
    name = "trust-all-proxies"
    category = Category.ACCESS
    levels = levels(Severity.ERROR)

    keys = ("PROX", "FORWARDED_ALLOW_IPS")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            key = var.key
            listed = names_setting(key, _PROXY_LISTS) and _ALL_ADDRESSES & set(_list(value))
            switch = names_setting(key, ("TRUST_PROXY",)) and norm(value) in ("true", "yes", "on")
            if listed or switch:
                yield self.report(
                    ctx,
                    f"{var.key} trusts every address as a proxy in {ctx.env.value}",
                    var=var,
                    hint="name the proxy's addresses or the number of hops",
                )


class AllowedHostsWildcard(Rule):
    """`ALLOWED_HOSTS` accepts any host name.

    ## What it does
    Reports `*` in `ALLOWED_HOSTS`, `DJANGO_ALLOWED_HOSTS` and other `*_ALLOWED_HOSTS` lists.

    ## Why is this bad?
    Django then trusts whatever `Host` header a request carries, so an attacker can make it build
    password-reset and absolute links to their own domain, and poison shared caches.

    ## Example
    ```dotenv
    DJANGO_ALLOWED_HOSTS=*
    ```

    ## Use instead
    ```dotenv
    DJANGO_ALLOWED_HOSTS=facturino.mk,.facturino.mk
    ```
    """

    code = "EG802"
    name = "allowed-hosts-wildcard"
    category = Category.ACCESS
    levels = levels(Severity.ERROR)

    keys = ("ALLOWED_HOSTS",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            if names_setting(var.key, ("ALLOWED_HOSTS",)) and "*" in _list(value):
                yield self.report(
                    ctx,
                    f"{var.key} accepts any host name in {ctx.env.value}",
                    var=var,
                    hint="list the domains the app serves",
                )


class CsrfDisabled(Rule):
    """CSRF protection is switched off.

    ## What it does
    Reports `CSRF_ENABLED`, `WTF_CSRF_ENABLED`, `CSRF_PROTECTION` and `ENABLE_CSRF` set off, and
    `DISABLE_CSRF` / `CSRF_DISABLED` set on.

    ## Why is this bad?
    Any page the user visits can submit forms to the app with the user's cookies: change their
    e-mail, make a payment, add an admin.

    ## Example
    ```dotenv
    WTF_CSRF_ENABLED=False
    ```

    ## Use instead
    ```dotenv
    WTF_CSRF_ENABLED=True
    ```
    """

    code = "EG803"
    name = "csrf-disabled"
    category = Category.ACCESS
    levels = levels(Severity.ERROR)

    keys = ("CSRF",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            key = var.key
            off = names_setting(key, _CSRF_ON) and value.strip() and is_off(value)
            if off or (key in _CSRF_OFF and is_on(value)):
                yield self.report(
                    ctx,
                    f"{var.key} turns CSRF protection off in {ctx.env.value}",
                    var=var,
                    hint="keep CSRF on; exempt only stateless API routes in code",
                )


class JwtAlgorithmNone(Rule):
    """JWT algorithm is `none`.

    ## What it does
    Reports `JWT_ALGORITHM`, `JWT_ALG`, `JWT_ALGORITHMS` and similar settings naming `none`.

    ## Why is this bad?
    Tokens with `"alg": "none"` carry no signature: anyone can write a token for any user, admin
    included, and the app accepts it.

    ## Example
    ```dotenv
    JWT_ALGORITHM=none
    ```

    ## Use instead
    ```dotenv
    JWT_ALGORITHM=HS256
    ```
    """

    code = "EG804"
    name = "jwt-algorithm-none"
    category = Category.ACCESS
    levels = levels(Severity.ERROR, Severity.ERROR, Severity.WARNING)

    keys = ("JWT",)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            words = var.key.split("_")
            if words[-1] not in _JWT_ALG_TAILS or not any("JWT" in w for w in words[:-1]):
                continue
            if "none" in {i.lower() for i in _list(value)}:
                yield self.report(
                    ctx,
                    f"{var.key} accepts unsigned tokens",
                    var=var,
                    hint="use HS256 with a 32-byte secret, or RS256/ES256",
                )


def _default_email(value: str) -> bool:
    local, _, domain = value.strip().lower().partition("@")
    return local in _ADMIN_NAMES and domain in _ADMIN_DOMAINS


class DefaultAdminCredentials(Rule):
    """Admin account uses default credentials.

    ## What it does
    For each admin account the environment seeds (`ADMIN_PASSWORD`, `ADMIN_USERNAME`, `ADMIN_EMAIL`,
    `DJANGO_SUPERUSER_*`...), reports a well-known default password or one equal to the user name,
    a default user name (`admin`, `root`) with a password under 12 characters, and (as a warning) a
    default address such as `admin@example.com`.

    ## Why is this bad?
    `admin`/`admin` is the first thing every scanner tries on `/admin`; a guessable login is a
    guessable admin panel.

    ## Example
    ```dotenv
    ADMIN_USERNAME=admin
    ADMIN_PASSWORD=admin123
    ```

    ## Use instead
    ```dotenv
    ADMIN_EMAIL=ops@facturino.mk
    ADMIN_PASSWORD=<24+ random characters from a password manager>
    ```
    """

    code = "EG805"
    name = "default-admin-credentials"
    category = Category.ACCESS
    levels = levels(Severity.ERROR)

    keys = ("ADMIN", "SUPERUSER")

    def check(self, ctx: Context) -> Iterator[Finding]:
        accounts: dict[str, dict[str, Variable]] = {}
        for var, _value in self.settings(ctx):
            words = var.key.split("_")
            field = _ADMIN_FIELDS.get(words[-1])
            who = "_".join(words[:-1])
            if field is not None and ("ADMIN" in who or "SUPERUSER" in who):
                accounts.setdefault(who, {})[field] = var
        for fields in accounts.values():
            yield from self._account(ctx, fields)

    def _account(self, ctx: Context, fields: dict[str, Variable]) -> Iterator[Finding]:
        password, user, email = (fields.get(f) for f in ("PASSWORD", "USERNAME", "EMAIL"))
        secret = (ctx.reading(password).literal or "").strip() if password else ""
        login = (ctx.reading(user).literal or "").strip().lower() if user else ""
        known = secret.lower() in _ADMIN_PASSWORDS or ctx.run.defaults.source(secret) is not None
        if password and secret and (known or secret.lower() == login):
            yield self.report(
                ctx,
                f"{password.key} is a well-known default or equals the user name",
                var=password,
                hint="generate a long random password",
            )
        elif user and login in _ADMIN_NAMES and password and secret and len(secret) < _SHORT:
            yield self.report(
                ctx,
                f"{user.key} is a default admin name and {password.key} is short",
                var=user,
                hint=f"use a personal login and a password of {_SHORT}+ characters",
            )
        if email and _default_email(ctx.reading(email).literal or ""):
            yield self.report(
                ctx,
                f"{email.key} is a default admin address",
                var=email,
                severity=Severity.WARNING,
                hint="use a real, monitored mailbox",
            )


RULES: tuple[type[Rule], ...] = (
    TrustAllProxies,
    AllowedHostsWildcard,
    CsrfDisabled,
    JwtAlgorithmNone,
    DefaultAdminCredentials,
)
