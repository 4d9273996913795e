"""The ``weak-secret`` family, continued (EG205-EG207): how secrets are used together.

A secret reused for two roles, a test-mode key in production, and weak credentials inside a
connection URL (``postgres://postgres:postgres@…``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import STRICT_LENIENT_INFO, Context, Levels, P, Rule, Variable, levels, url_valued
from envguard.rules.roles import (
    browser_prefix,
    default_label,
    identify,
    is_placeholder,
    is_reference,
    secret_vars,
    url_credentials,
)
from envguard.rules.strength import guessable

_PASSWORD_WORD = re.compile(r"PASSWORD|PASSWD|PWD|(?:^|_)PASS(?:_|$)")
_SERVICES = {
    "db": ("DB", "DATABASE", "POSTGRES", "POSTGRESQL", "PG", "PGPASSWORD", "MYSQL", "MARIADB", "MONGO",
           "MONGODB"),
    "mail": ("MAIL", "SMTP", "EMAIL"),
}


def _role(key: str) -> tuple[str, bool]:
    """The service a key belongs to (``DB_PASSWORD`` and ``POSTGRES_PASSWORD`` share ``db``), and
    whether it is a password."""
    upper = _unprefixed(key)
    head = upper.split("_", 1)[0]
    service = next((name for name, heads in _SERVICES.items() if head in heads), head)
    return service, bool(_PASSWORD_WORD.search(upper))


def _aliases(first: str, second: str) -> bool:
    """Two names for one credential: passwords of one service, or a browser copy of a key."""
    (service_a, password_a), (service_b, password_b) = _role(first), _role(second)
    if password_a and password_b:
        return service_a == service_b
    return _unprefixed(first) == _unprefixed(second)


def _unprefixed(key: str) -> str:
    prefix = browser_prefix(key)
    return key.upper().removeprefix(prefix) if prefix else key.upper()


def _reusable(ctx: Context, value: str) -> bool:
    """Self-chosen secrets worth comparing: not URLs, provider keys, placeholders or defaults."""
    # the weak-secret rules have asked the same questions about the same values: share the answers
    return (len(value) >= 8 and "://" not in value and ctx.once(identify, value) is None
            and not ctx.once(is_placeholder, value) and default_label(value) is None)


class ReusedSecret(Rule):
    """Same secret used for two roles.

    ## What it does
    Reports a secret whose value equals another secret's under a different role: `JWT_SECRET`
    and `JWT_REFRESH_SECRET`, `SECRET_KEY` and `ADMIN_PASSWORD`. Passwords of one service under
    two names (`DB_PASSWORD` and `POSTGRES_PASSWORD`) are one role and pass; URLs and provider
    keys are not compared.

    ## Why is this bad?
    One leak opens both doors, and rotating one silently breaks the other. With equal access and
    refresh secrets, a refresh token is accepted as an access token.

    ## Example
    ```dotenv
    JWT_SECRET=9c1f...e2
    JWT_REFRESH_SECRET=9c1f...e2
    ```

    ## Use instead
    Generate each secret separately (`openssl rand -base64 32` once per variable).
    """

    code = "EG205"
    name = "reused-secret"
    category = Category.WEAK_SECRET
    levels = STRICT_LENIENT_INFO

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: dict[str, list[Variable]] = {}
        for var, value in secret_vars(ctx):
            if not _reusable(ctx, value):
                continue
            earlier = seen.setdefault(value, [])
            other = next((v for v in earlier if not _aliases(v.key, var.key)), None)
            if other is not None:
                yield self.report(ctx, f"{var.key} reuses the value of {other.key}", var=var,
                                  hint="generate a separate secret for each role")
            earlier.append(var)


class ProductionTestKey(Rule):
    """Test-mode key in production.

    ## What it does
    Reports, in production files, provider keys made for testing: Stripe `sk_test_`, `rk_test_`
    and `pk_test_` keys, and Supabase's local-development demo keys. Staging is left alone, where
    test mode is usually what you want.

    ## Why is this bad?
    Payments in test mode succeed without charging anyone; a demo key is public knowledge and
    grants access to whatever accepts it.

    ## Example
    ```dotenv
    STRIPE_SECRET_KEY=sk_test_51Hx...
    ```

    ## Use instead
    ```dotenv
    STRIPE_SECRET_KEY=sk_live_51Hx...
    ```
    """

    code = "EG206"
    name = "test-mode-key"
    category = Category.WEAK_SECRET
    levels: ClassVar[Levels] = {**levels(None), P: Severity.ERROR}

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.last.values():
            token = ctx.once(identify, var.value or "")
            if token is not None and token.test:
                yield self.report(ctx, f"{var.key} is {token.label}; production needs the live key",
                                  var=var, hint="use the live-mode key from the provider's dashboard")


def url_problem(username: str, password: str) -> str | None:
    """What is wrong with a URL's password, in words, or None."""
    if is_placeholder(password):
        return "a placeholder password"
    if password == username:
        return "a password equal to its user name"
    if default_label(password) is not None:
        return "a well-known default password"
    verdict = guessable(password, [username])
    if verdict is not None and verdict[0] < 3:
        return "a common password" if verdict[1] else "an easy-to-guess password"
    return None


class WeakUrlCredentials(Rule):
    """Weak password inside a connection URL.

    ## What it does
    Reads the credentials of every URL in a value (`postgres://user:password@host/db`,
    `redis://:pass@host:6379`) and reports placeholder passwords, passwords equal to the user
    name, well-known defaults and easy-to-guess ones.

    ## Why is this bad?
    `postgres:postgres`, `root:root` and `user:password` are the first credentials any scanner
    tries against an exposed database, cache or queue.

    ## Example
    ```dotenv
    DATABASE_URL=postgresql://postgres:postgres@db.internal:5432/ledger
    ```

    ## Use instead
    ```dotenv
    DATABASE_URL=postgresql://ledger_app:vX3q9LmTz2rWk7pFb4Ns@db.internal:5432/ledger
    ```
    """

    code = "EG207"
    name = "weak-url-credentials"
    category = Category.WEAK_SECRET
    levels = STRICT_LENIENT_INFO

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in url_valued(ctx):
            value = var.value or ""
            if "@" not in value:  # no credentials (``url_credentials``): no need to keep that answer
                continue
            for cred in ctx.once(url_credentials, value):
                if not cred.password or is_reference(cred.password):
                    continue
                problem = url_problem(cred.username, cred.password)
                if problem is not None:
                    yield self.report(ctx, f"{var.key} has {problem} in its URL", var=var,
                                      value=cred.password,
                                      hint="set a generated password on the server and in the URL")
                    break


RULES: tuple[type[Rule], ...] = (ReusedSecret, ProductionTestKey, WeakUrlCredentials)
