"""The ``schema`` family (EG9xx): what the app's schema requires, and the shape of each value.

Presence rules live here; value-shape rules in ``schema_format``, placeholder rules in
``schema_placeholders``. ``RULES`` lists the whole family for the registry.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules import schema_format, schema_placeholders, schema_policy
from envguard.rules.base import EVERYWHERE_WARNING, Context, Rule, levels
from envguard.schema import VarSpec, condition_holds


def required(spec: VarSpec, ctx: Context) -> bool:
    """Whether ``spec`` is required in ``ctx``: ``required``, or any ``required_when`` holds."""
    if spec.required_when:
        return any(condition_holds(c, ctx.values) for c in spec.required_when)
    return spec.required


def _renamed(ctx: Context) -> set[str]:
    """Keys whose deprecated predecessor is present: the deprecation finding covers them."""
    out: set[str] = set()
    if not ctx.specced:
        return out
    for key in ctx.last:
        spec = ctx.spec(key)
        if spec is not None and spec.replaced_by:
            out.add(spec.replaced_by)
    return out


class RequiredMissing(Rule):
    """Required variable is missing.

    ## What it does
    Reports each variable the schema marks `required` (or `required_when` a condition on other
    variables holds, such as `FEATURE_MCP_AI_TOOLS=true`) that the file does not define.

    ## Why is this bad?
    The application boots with a framework default or crashes on first use: without
    `SENTRY_LARAVEL_DSN` errors go unseen, without `JWT_REFRESH_SECRET` sessions cannot be renewed.

    ## Example
    ```dotenv
    # .env.production of a Laravel app
    APP_KEY=base64:6YbqvN1c2f3lQv9y7kq0d0mJcT9xw0Yx2VQ2b4g8m1A=
    ```

    ## Use instead
    ```dotenv
    APP_KEY=base64:6YbqvN1c2f3lQv9y7kq0d0mJcT9xw0Yx2VQ2b4g8m1A=
    APP_URL=https://finance-tracker.com.ua
    ```
    """

    code = "EG901"
    name = "required-missing"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.INFO, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        renamed = _renamed(ctx)
        for name in sorted(ctx.schema.vars):
            spec = ctx.schema.vars[name]
            if name in ctx.last or name in renamed or not required(spec, ctx):
                continue
            when = " or ".join(spec.required_when)
            why = f" (required when {when})" if when else ""
            yield self.report(
                ctx,
                f"{name} is required by schema {ctx.schema.name} but not set{why}",
                key=name,
                hint=spec.description or None,
            )


class RequiredEmpty(Rule):
    """Required variable is empty.

    ## What it does
    Reports a required variable that is defined with an empty value, unless the schema says
    `allow_empty = true`. Encrypted values count as set.

    ## Why is this bad?
    `DB_PASSWORD=` looks configured in review but connects without a password, or not at all.

    ## Example
    ```dotenv
    APP_URL=
    ```

    ## Use instead
    ```dotenv
    APP_URL=https://facturino.mk
    ```
    """

    code = "EG902"
    name = "required-empty"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.INFO, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.specced:
            return
        for var in ctx.last.values():
            spec = ctx.schema.vars.get(var.key)
            if spec is None or var.value is None or var.value.strip() or spec.allow_empty:
                continue
            if required(spec, ctx):
                yield self.report(
                    ctx, f"{var.key} is required by schema {ctx.schema.name} but empty", var=var
                )


class DeprecatedVariable(Rule):
    """Variable is deprecated.

    ## What it does
    Reports a variable the schema marks `deprecated`, naming its replacement (`replaced_by`).

    ## Why is this bad?
    The framework no longer reads it, so the setting silently does nothing: since Laravel 7
    `MAIL_DRIVER` is ignored and mail goes to the default mailer; Flask 2.3 ignores `FLASK_ENV`.

    ## Example
    ```dotenv
    MAIL_DRIVER=smtp
    ```

    ## Use instead
    ```dotenv
    MAIL_MAILER=smtp
    ```
    """

    code = "EG909"
    name = "deprecated-variable"
    category = Category.SCHEMA
    levels = EVERYWHERE_WARNING
    fix = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not ctx.specced:
            return
        for var in ctx.last.values():
            spec = ctx.spec(var.key)
            if spec is None or not spec.deprecated:
                continue
            if spec.replaced_by:
                also = " (both are set: remove it)" if spec.replaced_by in ctx.last else ""
                message = f"{var.key} is deprecated: use {spec.replaced_by}{also}"
            else:
                message = f"{var.key} is deprecated and no longer read"
            yield self.report(ctx, message, var=var, hint=spec.description or None)


class MissingExampleKey(Rule):
    """Variable from the example file is missing.

    ## What it does
    With `--example FILE`, reports each key the example file defines that the checked file does
    not.

    ## Why is this bad?
    `.env.example` is the list of what the app reads; a key missing from the real file is a
    feature left unconfigured or a default nobody chose.

    ## Example
    ```dotenv
    # .env.example has REDIS_PASSWORD; .env.production does not
    REDIS_HOST=10.0.0.12
    ```

    ## Use instead
    ```dotenv
    REDIS_HOST=10.0.0.12
    REDIS_PASSWORD=Zq8wK2mP9xR4tV7yB3nC6fH1jL5sD0gA
    ```
    """

    code = "EG920"
    name = "missing-example-key"
    category = Category.SCHEMA
    levels = levels(Severity.WARNING, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for key in sorted(ctx.example_keys or ()):
            if key not in ctx.last:
                yield self.report(ctx, f"{key} is in the example file but not set here", key=key)


RULES: tuple[type[Rule], ...] = (
    RequiredMissing,
    RequiredEmpty,
    DeprecatedVariable,
    MissingExampleKey,
    *schema_format.RULES,
    *schema_policy.RULES,
    *schema_placeholders.RULES,
)
