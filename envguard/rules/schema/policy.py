"""``schema`` rules about a value the schema sets limits on: length, forbidden values, and the
value pinned for an environment (``production = false``).
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge.values import is_off, is_on
from envguard.model import Context
from envguard.rules.base import STRICT_ONLY, Rule, levels
from envguard.rules.schema.format import specced


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
            if not ctx.role(var).secret:
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
    login, an `array` mailer sends nothing.

    ## Example
    ```dotenv
    MAIL_MAILER=array
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
        if not ctx.specced:
            return
        for var in ctx.last.values():
            spec = ctx.spec(var.key)
            literal = ctx.reading(var).literal if var.value is not None else None
            if spec is None or literal is None or not spec.forbid:
                continue
            if literal.strip().lower() in {f.lower() for f in spec.forbid}:
                yield self.report(
                    ctx, f"{var.key} has a value the schema forbids in {ctx.env.value}", var=var
                )


class EnvironmentValue(Rule):
    """Value differs from the one the schema requires in this environment.

    ## What it does
    Compares the value with the schema's per-environment value (`production = false`,
    `values = {production = "production"}`), ignoring case; booleans compare by meaning
    (`0`, `off`, `no` are `false`) and `a|b` lists alternatives. A key a `debug` rule already
    reports (`APP_DEBUG=true`, `APP_ENV=local` in production) is left to that rule.

    ## Why is this bad?
    The schema pins a value because anything else is unsafe or broken there: jobs pushed to a
    queue no worker reads are never run; a production `APP_DEBUG=true` shows secrets to visitors.

    ## Example
    ```dotenv
    # .env.production of finance-tracker, whose workers run `queue:work redis`
    QUEUE_CONNECTION=database
    ```

    ## Use instead
    ```dotenv
    QUEUE_CONNECTION=redis
    ```
    """

    code = "EG908"
    name = "environment-value"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        reported: set[str] | None = None
        if not ctx.specced:
            return
        for var in ctx.last.values():
            spec = ctx.spec(var.key)
            expected = spec.expected(ctx.env) if spec is not None else None
            literal = ctx.reading(var).literal if var.value is not None else None
            if expected is None or literal is None or _same(literal, expected):
                continue
            reported = _debug_keys(ctx) if reported is None else reported
            if var.key in reported:
                continue
            message = f"the schema requires {var.key}={expected} in {ctx.env.value}"
            yield self.report(ctx, message, var=var)


def _debug_keys(ctx: Context) -> set[str]:
    """Keys a debug rule reports here (``APP_DEBUG=true``, ``APP_ENV=local``): that finding already
    says what is wrong, so a pinned value on the same key does not say it twice."""
    from envguard.rules import debug

    keys: set[str] = set()
    for rule in debug.RULES:
        if rule.level(ctx.env) is not None:
            keys.update(f.key for f in rule().check(ctx) if f.key)
    return keys


def _same(actual: str, expected: str) -> bool:
    """``actual`` satisfies ``expected`` (``a|b`` alternatives; booleans by meaning)."""
    value = actual.strip().lower()
    for option in (o.strip().lower() for o in expected.split("|")):
        same_switch = (is_on(value) and is_on(option)) or (bool(value) and is_off(value) and is_off(option))
        if value == option or same_switch:
            return True
    return False


RULES: tuple[type[Rule], ...] = (TooShort, ForbiddenValue, EnvironmentValue)
