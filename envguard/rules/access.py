"""The ``access`` family (EG8xx), part one: who the app trusts. Proxies, host names, CSRF and JWT
algorithms; the admin account seeded from the environment is judged in ``access_admin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, levels
from envguard.rules.cors import origins
from envguard.rules.debug import effective, is_off, is_on, norm

_PROXY_LIST_KEY = re.compile(r"(?:^|_)TRUSTED_PROXIES$|^TRUSTED_PROXY$|^FORWARDED_ALLOW_IPS$")
_PROXY_SWITCH_KEY = re.compile(r"(?:^|_)TRUST_PROXY$")
_ALL_ADDRESSES = frozenset({"*", "**", "0.0.0.0/0", "::/0"})
_HOSTS_KEY = re.compile(r"(?:^|_)ALLOWED_HOSTS$")
_CSRF_ON_KEY = re.compile(r"(?:^|_)CSRF_(?:ENABLED|PROTECTION|CHECK)$|^ENABLE_CSRF$")
_CSRF_OFF_KEY = re.compile(r"^(?:DISABLE_CSRF|CSRF_DISABLED)$")
_JWT_ALG_KEY = re.compile(r"JWT\w*_ALG(?:ORITHM)?S?$")
_PROXY_GATE = Keys("PROX", "FORWARDED_ALLOW_IPS")
_HOSTS_GATE = Keys("ALLOWED_HOSTS")
_CSRF_GATE = Keys("CSRF")
_JWT_GATE = Keys("JWT")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _PROXY_GATE):
            key = var.key.upper()
            listed = _PROXY_LIST_KEY.search(key) and _ALL_ADDRESSES & set(origins(var.value or "") or ())
            switch = _PROXY_SWITCH_KEY.search(key) and norm(var.value or "") in ("true", "yes", "on")
            if listed or switch:
                yield self.report(ctx, f"{var.key} trusts every address as a proxy in {ctx.env.value}",
                                  var=var, hint="name the proxy's addresses or the number of hops")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _HOSTS_GATE):
            if _HOSTS_KEY.search(var.key.upper()) and "*" in (origins(var.value or "") or ()):
                yield self.report(ctx, f"{var.key} accepts any host name in {ctx.env.value}", var=var,
                                  hint="list the domains the app serves")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _CSRF_GATE):
            key = var.key.upper()
            off = _CSRF_ON_KEY.search(key) and (var.value or "").strip() and is_off(var.value)
            if off or (_CSRF_OFF_KEY.match(key) and is_on(var.value)):
                yield self.report(ctx, f"{var.key} turns CSRF protection off in {ctx.env.value}",
                                  var=var, hint="keep CSRF on; exempt only stateless API routes in code")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _JWT_GATE):
            if not _JWT_ALG_KEY.search(var.key.upper()):
                continue
            if "none" in {i.lower() for i in origins(var.value or "") or ()}:
                yield self.report(ctx, f"{var.key} accepts unsigned tokens", var=var,
                                  hint="use HS256 with a 32-byte secret, or RS256/ES256")


RULES: tuple[type[Rule], ...] = (TrustAllProxies, AllowedHostsWildcard, CsrfDisabled, JwtAlgorithmNone)
