"""Schema rules about the shape of a value: its type, its choices, its pattern.

Placeholders (``your-...``, ``..._HERE``) are skipped here: they are right in example files and get
a finding of their own elsewhere (placeholder and weak-secret rules), not a confusing "wrong type".
So are "unset" literals (``null``) and references (``${VAR}``): only the default of a reference,
the value the app gets when the variable is unset, is judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge.placeholders import is_placeholder
from envguard.judge.shapes import has_type
from envguard.judge.values import Kind
from envguard.model import Context, Variable
from envguard.rules.base import Rule, levels
from envguard.schema import VarSpec

_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean (true/false)",
    "url": "an absolute URL",
    "url-list": "a comma-separated list of absolute URLs",
    "email": "an e-mail address",
    "port": "a port number (1-65535)",
    "duration": "a duration (900, 15m, 7d, PT15M)",
    "host": "a host name or IP address",
    "host-list": "a comma-separated list of host names",
    "json": "valid JSON",
    "path": "a path",
}


def specced(ctx: Context) -> Iterator[tuple[Variable, VarSpec, str]]:
    """Each effective variable the schema describes, with its stripped, judgeable value."""
    if not ctx.specced:
        return
    for var in ctx.last.values():
        spec = ctx.spec(var.key)
        if spec is None or var.value is None:
            continue
        reading = ctx.reading(var)
        kind = reading.literal_kind if reading.kind is Kind.REFERENCE else reading.kind
        value = (reading.literal or "").strip()
        if value and kind not in (Kind.UNSET, Kind.EMPTY) and not ctx.once(is_placeholder, value):
            yield var, spec, value


class InvalidType(Rule):
    """Value is not of the type the schema declares.

    ## What it does
    Checks values against the schema's `type`: `int`, `float`, `bool`, `url`, `url-list`,
    `email`, `port`, `duration`, `host`, `host-list`, `json`, `path`.

    ## Why is this bad?
    The application casts the value at boot or, worse, on first use: a `DB_PORT` of `5432/tcp`
    or a `SESSION_LIFETIME` of `1 day` fails in production, not in review.

    ## Example
    ```dotenv
    DB_PORT=postgres
    APP_URL=malar-market-ledger.com
    ```

    ## Use instead
    ```dotenv
    DB_PORT=5432
    APP_URL=https://malar-market-ledger.com
    ```
    """

    code = "EG903"
    name = "invalid-type"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        reported: set[str] | None = None
        for var, spec, value in specced(ctx):
            if spec.type in _TYPE_WORDS and not has_type(spec.type, value):
                reported = _origin_keys(ctx) if reported is None else reported
                if var.key not in reported:
                    yield self.report(ctx, f"{var.key} must be {_TYPE_WORDS[spec.type]}", var=var)


def _origin_keys(ctx: Context) -> set[str]:
    """Keys a cors rule reports here (``CSRF_TRUSTED_ORIGINS`` without a scheme): that finding
    already says what is wrong with the list, so a wrong type is not said twice."""
    from envguard.rules import cors

    return {
        f.key for rule in cors.RULES if rule.level(ctx.env) is not None for f in rule().check(ctx) if f.key
    }


class InvalidChoice(Rule):
    """Value is not one of the schema's `choices`.

    ## What it does
    Compares the value, ignoring case, with the schema's list of allowed values.

    ## Why is this bad?
    Frameworks fall back silently on an unknown driver name or fail on first use: a typo such as
    `QUEUE_CONNECTION=reddis` leaves jobs unprocessed.

    ## Example
    ```dotenv
    SESSION_DRIVER=files
    ```

    ## Use instead
    ```dotenv
    SESSION_DRIVER=database
    ```
    """

    code = "EG904"
    name = "invalid-choice"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, spec, value in specced(ctx):
            allowed = {c.lower() for c in spec.choices}
            if allowed and value.lower() not in allowed:
                yield self.report(
                    ctx,
                    f"{var.key} is not one of the allowed values",
                    var=var,
                    hint="one of: " + ", ".join(spec.choices),
                )


class PatternMismatch(Rule):
    """Value does not match the format the schema expects.

    ## What it does
    Matches the value against the schema's `pattern` (a regular expression, whole value).

    ## Why is this bad?
    Provider credentials and identifiers have fixed formats; a value that does not match is
    truncated, pasted from the wrong field, or for another provider.

    ## Example
    ```dotenv
    TWILIO_ACCOUNT_SID=SK0123456789abcdef0123456789abcdef
    ```

    ## Use instead
    ```dotenv
    TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef
    ```
    """

    code = "EG905"
    name = "pattern-mismatch"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, spec, value in specced(ctx):
            if spec.pattern and not re.fullmatch(spec.pattern, value):
                hint = None
                if spec.example and not ctx.role(var).secret:
                    hint = f"for example: {spec.example}"
                message = f"{var.key} does not match the expected format"
                yield self.report(ctx, message, var=var, hint=hint)


RULES: tuple[type[Rule], ...] = (InvalidType, InvalidChoice, PatternMismatch)
