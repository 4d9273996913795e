"""The ``access`` family (EG8xx), part two: the admin account an app seeds from its environment
(``ADMIN_USERNAME``/``ADMIN_PASSWORD``/``ADMIN_EMAIL``, ``DJANGO_SUPERUSER_*``). Passwords are never
quoted; well-known defaults come from ``roles.default_label`` plus a short list of admin favourites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, Variable, levels
from envguard.rules.debug import effective
from envguard.rules.roles import default_label

_ADMIN_KEY = re.compile(
    r"^(?P<who>\w*(?:ADMIN|SUPERUSER)\w*?)_(?P<field>PASSWORD|PASS|PWD|USERNAME|USER|LOGIN|EMAIL)$"
)
_ADMIN_PASSWORDS = frozenset({"admin", "admin123", "admin1234", "administrator", "password", "password1",
                              "password123", "123456", "12345678", "changeme", "secret", "root", "toor",
                              "qwerty", "letmein", "pass", "demo", "test", "default", "admin@123"})
_ADMIN_NAMES = frozenset({"admin", "administrator", "root", "superuser", "sa", "demo", "test"})
_ADMIN_DOMAINS = frozenset({"example.com", "example.org", "example.net", "admin.com", "test.com",
                            "localhost", "admin", "test", "local"})
_SHORT = 12
_ADMIN_GATE = Keys("ADMIN", "SUPERUSER")


def _admin_accounts(ctx: Context) -> dict[str, dict[str, Variable]]:
    """Admin settings grouped by account prefix: ``{"ADMIN": {"PASSWORD": var, "EMAIL": var}}``."""
    accounts: dict[str, dict[str, Variable]] = {}
    for var in effective(ctx, _ADMIN_GATE):
        match = _ADMIN_KEY.match(var.key.upper())
        if match:
            field = {"PASS": "PASSWORD", "PWD": "PASSWORD", "USER": "USERNAME", "LOGIN": "USERNAME"}
            name = field.get(match["field"], match["field"])
            accounts.setdefault(match["who"], {})[name] = var
    return accounts


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for fields in _admin_accounts(ctx).values():
            yield from self._account(ctx, fields)

    def _account(self, ctx: Context, fields: dict[str, Variable]) -> Iterator[Finding]:
        password, user, email = (fields.get(f) for f in ("PASSWORD", "USERNAME", "EMAIL"))
        secret = (password.value or "").strip() if password else ""
        login = (user.value or "").strip().lower() if user else ""
        if password and secret and (secret.lower() in _ADMIN_PASSWORDS or default_label(secret) is not None
                                    or secret.lower() == login):
            yield self.report(ctx, f"{password.key} is a well-known default or equals the user name",
                              var=password, hint="generate a long random password")
        elif user and login in _ADMIN_NAMES and password and secret and len(secret) < _SHORT:
            yield self.report(ctx, f"{user.key} is a default admin name and {password.key} is short",
                              var=user, hint=f"use a personal login and a password of {_SHORT}+ characters")
        if email and _default_email(email.value or ""):
            yield self.report(ctx, f"{email.key} is a default admin address", var=email,
                              severity=Severity.WARNING, hint="use a real, monitored mailbox")


RULES: tuple[type[Rule], ...] = (DefaultAdminCredentials,)
