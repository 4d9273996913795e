"""Schema presence rules: required variables missing or empty, deprecated ones, and keys the
example file has. Aliases and framework defaults count as set: Auth.js v5 reads ``AUTH_SECRET``
where v4 read ``NEXTAUTH_SECRET``, Laravel falls back to ``DB_CONNECTION=sqlite``. A deprecation
applies from the framework version that made it (``deprecated_since``), when the project's own
files or the schema say which version the app runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.model import Context
from envguard.rules.base import EVERYWHERE_WARNING, Rule, levels
from envguard.schema import VarSpec, condition_holds


def required(spec: VarSpec, ctx: Context) -> bool:
    """Whether ``spec`` is required in ``ctx``: ``required``, or any ``required_when`` holds; a
    variable with a framework default, or one of whose aliases is set, is never missing."""
    if spec.default is not None or any(alias in ctx.last for alias in spec.aliases):
        return False
    if spec.required_when:
        return any(condition_holds(c, ctx.values) for c in spec.required_when)
    return spec.required


def deprecated_here(spec: VarSpec, ctx: Context) -> bool:
    """Whether ``spec``'s deprecation applies to the app being checked."""
    if not spec.deprecated:
        return False
    if spec.deprecated_since is None:
        return True
    version = ctx.project.major or ctx.schema.framework_version
    return version is not None and version >= spec.deprecated_since


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
    variables holds, such as `FEATURE_MCP_AI_TOOLS=true`) that the file does not define. A
    variable whose alias is set (`AUTH_SECRET` for `NEXTAUTH_SECRET`) or that has a framework
    `default` is not missing.

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
    APP_ENV=production
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
    Reports a variable the schema marks `deprecated`, naming its replacement (`replaced_by`). A
    deprecation the schema ties to a framework version (`deprecated_since = 11`) applies only when
    the app runs that version or later, as its `composer.lock`/`composer.json` (or the schema's
    `framework_version`) says: an app on an older version still reads the old name.

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
            if spec is None or not deprecated_here(spec, ctx):
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
    # .env.production; the example file, .env.example, also has REDIS_PASSWORD
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


RULES: tuple[type[Rule], ...] = (RequiredMissing, RequiredEmpty, DeprecatedVariable, MissingExampleKey)
