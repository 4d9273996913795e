"""The ``transport`` family (EG6xx), part two: what keeps the browser on HTTPS, namely the cookie
flags and the redirect from http.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, levels
from envguard.rules.debug import effective, is_off, switched

_SECURE_FLAG = re.compile(r"^SESSION_SECURE_COOKIE$|(?:^|_)COOKIE_SECURE$|^SECURE_COOKIES?$")
_HTTPONLY_FLAG = frozenset({"SESSION_COOKIE_HTTPONLY", "SESSION_HTTP_ONLY", "COOKIE_HTTPONLY",
                            "REMEMBER_COOKIE_HTTPONLY"})
_REDIRECT_FLAG = frozenset({"SECURE_SSL_REDIRECT", "FORCE_HTTPS", "FORCE_SSL", "APP_FORCE_HTTPS",
                            "HTTPS_ONLY"})
_COOKIE_GATE = Keys("COOKIE", "HTTP_ONLY")
_REDIRECT_GATE = Keys("SSL", "HTTPS")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _COOKIE_GATE):
            key = var.key.upper()
            if (_SECURE_FLAG.search(key) or key in _HTTPONLY_FLAG) and is_off(var.value):
                flag = "Secure" if "SECURE" in key else "HttpOnly"
                yield self.report(ctx, f"{var.key} sends the cookie without {flag} in "
                                  f"{ctx.env.value}", var=var,
                                  hint=f"set {var.key}={switched(var.value or '', on=True)}")


class SslRedirectOff(Rule):
    """Redirect to HTTPS is switched off.

    ## What it does
    Reports `SECURE_SSL_REDIRECT`, `FORCE_HTTPS`, `FORCE_SSL` and `HTTPS_ONLY` explicitly set off.

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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _REDIRECT_GATE):
            if var.key.upper() in _REDIRECT_FLAG and (var.value or "").strip() and is_off(var.value):
                yield self.report(ctx, f"{var.key} is off in {ctx.env.value}", var=var,
                                  hint="redirect http to https here or at the proxy")


RULES: tuple[type[Rule], ...] = (InsecureCookie, SslRedirectOff)
