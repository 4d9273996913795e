"""``schema`` rules about a value the schema sets limits on: length, forbidden values, and the
value pinned for an environment (``production = false``).
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import STRICT_ONLY, Context, Rule, levels
from envguard.rules.schema_checks import is_secret
from envguard.rules.schema_format import specced


class TooShort(Rule):
    """Value is shorter than the schema's `min_length`.

    ## What it does
    Compares a non-secret value's length with the schema's `min_length`; the finding gives both
    lengths. Secrets that are too short are reported by the weak-secret rules (`short-secret`).

    ## Why is this bad?
    The application or the provider rejects the value, or accepts a truncated one: an admin
    login of two letters, a webhook path token cut when pasted.

    ## Example
    ```dotenv
    ADMIN_USERNAME=ad
    ```

    ## Use instead
    ```dotenv
    ADMIN_USERNAME=coffee-manager
    ```
    """

    code = "EG906"
    name = "too-short"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.INFO, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, spec, value in specced(ctx):
            if spec.min_length is None or len(value) >= spec.min_length:
                continue
            if not is_secret(ctx, var.key):
                message = (
                    f"{var.key} is {len(value)} characters long; the schema requires at "
                    f"least {spec.min_length}"
                )
                yield self.report(ctx, message, var=var)


class ForbiddenValue(Rule):
    """Value is one the schema forbids in production.

    ## What it does
    Compares the value, ignoring case, with the schema's `forbid` list, in production and staging.

    ## Why is this bad?
    Some values work but are wrong for a live system: an `array` session store forgets every
    login, a `log` mailer sends nothing.

    ## Example
    ```dotenv
    MAIL_MAILER=log
    ```

    ## Use instead
    ```dotenv
    MAIL_MAILER=smtp
    ```
    """

    code = "EG907"
    name = "forbidden-value"
    category = Category.SCHEMA
    levels = STRICT_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.last.values():
            spec = ctx.spec(var.key)
            if spec is None or var.value is None or not spec.forbid:
                continue
            if var.value.strip().lower() in {f.lower() for f in spec.forbid}:
                yield self.report(
                    ctx, f"{var.key} has a value the schema forbids in {ctx.env.value}", var=var
                )


class EnvironmentValue(Rule):
    """Value differs from the one the schema requires in this environment.

    ## What it does
    Compares the value with the schema's per-environment value (`production = false`,
    `values = {production = "production"}`), ignoring case; booleans compare by meaning
    (`0`, `off`, `no` are `false`) and `a|b` lists alternatives.

    ## Why is this bad?
    The schema pins a value because anything else is unsafe or broken there: a production
    `APP_DEBUG=true` prints stack traces and environment variables to visitors.

    ## Example
    ```dotenv
    # .env.production
    APP_DEBUG=true
    ```

    ## Use instead
    ```dotenv
    APP_DEBUG=false
    ```
    """

    code = "EG908"
    name = "environment-value"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.last.values():
            spec = ctx.spec(var.key)
            expected = spec.expected(ctx.env) if spec is not None else None
            if expected is None or var.value is None or _same(var.value, expected):
                continue
            message = f"the schema requires {var.key}={expected} in {ctx.env.value}"
            yield self.report(ctx, message, var=var)


_TRUE = frozenset({"true", "1", "yes", "on", "(true)"})
_FALSE = frozenset({"false", "0", "no", "off", "(false)"})


def _same(actual: str, expected: str) -> bool:
    """``actual`` satisfies ``expected`` (``a|b`` alternatives; booleans by meaning)."""
    value = actual.strip().lower()
    for option in (o.strip().lower() for o in expected.split("|")):
        if value == option or (value in _TRUE and option in _TRUE):
            return True
        if value in _FALSE and option in _FALSE:
            return True
    return False


RULES: tuple[type[Rule], ...] = (TooShort, ForbiddenValue, EnvironmentValue)
