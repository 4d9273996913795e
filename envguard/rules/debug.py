"""The ``debug`` family (EG4xx), part one: debug mode, development environment names, verbose logging.
API docs, debug tools and mocked data are in ``debug_features``.

Booleans are read the way frameworks read them (``true/1/yes/on``, any case, Laravel's ``(true)``);
``is_on``/``is_off``/``switched`` are shared with the other families.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Environment, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, Variable, keyed, levels

_ON = frozenset({"true", "1", "yes", "y", "on", "t", "ok", "enable", "enabled", "(true)"})
_OFF = frozenset({"false", "0", "no", "n", "off", "f", "disable", "disabled", "(false)", ""})
_PAIRS = (("true", "false"), ("1", "0"), ("yes", "no"), ("y", "n"), ("on", "off"), ("t", "f"),
          ("enable", "disable"), ("enabled", "disabled"), ("(true)", "(false)"), ("ok", "no"))

_DEBUG_KEY = re.compile(r"(?:^|_)DEBUG(?:_MODE)?$")
_DEBUG_GATE = Keys("DEBUG")
_ENV_KEY = re.compile(r"(?:^|_)(?:ENV|ENVIRONMENT|STAGE)$")
_ENV_GATE = Keys("ENV", "STAGE")
_DEV_NAMES = frozenset({"local", "dev", "develop", "development", "debug", "test", "testing"})
_STAGING_NAMES = frozenset({"staging", "stage", "preprod"})
_LEVEL_KEY = re.compile(r"LOG(?:GING)?(?:_[A-Z0-9]+)?_?LEVEL$|^RUST_LOG$")
_VERBOSE = frozenset({"debug", "trace", "verbose", "silly", "all", "finest", "finer", "10", "5"})
_QUERY_LOG_KEYS = frozenset({"SQLALCHEMY_ECHO", "DB_ECHO", "DATABASE_ECHO", "LOG_QUERIES",
                             "DB_LOG_QUERIES", "DB_LOGGING"})
_LOG_GATE = Keys("LOG", "ECHO", "DEBUG")


def norm(value: str) -> str:
    """A value as frameworks compare it: unquoted, trimmed, lower case."""
    return value.strip().strip("'\"").strip().lower()


def is_on(value: str | None) -> bool:
    """A boolean switch that frameworks read as on."""
    return value is not None and norm(value) in _ON


def is_off(value: str | None) -> bool:
    """A boolean switch that frameworks read as off (empty included)."""
    return value is not None and norm(value) in _OFF


def switched(value: str, on: bool) -> str:
    """``value`` turned on or off in its own spelling (``True`` -> ``False``, ``1`` -> ``0``)."""
    pair = next((p for p in _PAIRS if norm(value) in p), ("true", "false"))
    word = pair[0] if on else pair[1]
    core = value.strip().strip("'\"")
    if core.isupper():
        return word.upper()
    return word.capitalize() if core[:1].isupper() else word


def effective(ctx: Context, keys: Keys | None = None) -> Iterator[Variable]:
    """Each upper-case key's last definition whose value could be read, through the gate ``keys``.

    Frameworks read `APP_DEBUG`, not `app_debug`; a lower-case key is the `lowercase-key` finding.
    """
    # most rules of the debug, cors, access and transport families walk these: list them once
    memo = "effective" if keys is None else keys.tag
    found: tuple[Variable, ...] | None = ctx.memo.get(memo)
    if found is None:
        pool = ctx.last.values() if keys is None else keyed(ctx, keys)
        found = ctx.memo[memo] = tuple(v for v in pool if v.value is not None and v.key == v.key.upper())
    return iter(found)


class DebugEnabled(Rule):
    """Debug mode is on.

    ## What it does
    Reports `APP_DEBUG`, `DEBUG`, `FLASK_DEBUG`, `DJANGO_DEBUG` and other `*_DEBUG` switches set to a
    value the framework reads as on (`true`, `1`, `yes`, `on`, any case).

    ## Why is this bad?
    Debug pages show stack traces, SQL, settings and environment variables (Laravel's Ignition, Django's
    yellow page, the Werkzeug console that runs code) to anyone who triggers an error.

    ## Example
    ```dotenv
    APP_DEBUG=true
    ```

    ## Use instead
    ```dotenv
    APP_DEBUG=false
    ```
    """

    code = "EG401"
    name = "debug-enabled"
    category = Category.DEBUG
    fix = "sets the switch to false"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _DEBUG_GATE):
            if _DEBUG_KEY.search(var.key.upper()) and is_on(var.value):
                yield self.report(ctx, f"{var.key} is on in {ctx.env.value}", var=var,
                                  hint=f"set {var.key}={switched(var.value or '', on=False)}")


class NonProductionEnvironment(Rule):
    """Environment name is a development or test one.

    ## What it does
    Reports `APP_ENV`, `NODE_ENV`, `RAILS_ENV`, `FLASK_ENV`, `ENVIRONMENT`, `ENV` and other `*_ENV`,
    `*_ENVIRONMENT`, `*_STAGE` variables naming `local`, `dev`, `development`, `debug` or `test` in a
    production or staging file, and `staging` in a production file (as a warning).

    ## Why is this bad?
    Frameworks switch behaviour on this name: `NODE_ENV=development` turns off Express's view cache and
    shows stack traces, `FLASK_ENV=development` turns on the debugger, Laravel skips production-only
    safeguards such as the confirmation before destructive Artisan commands.

    ## Example
    ```dotenv
    APP_ENV=local
    ```

    ## Use instead
    ```dotenv
    APP_ENV=production
    ```
    """

    code = "EG402"
    name = "non-production-environment"
    category = Category.DEBUG
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _ENV_GATE):
            name = norm(var.value or "")
            if not _ENV_KEY.search(var.key.upper()):
                continue
            if name in _DEV_NAMES:
                yield self.report(ctx, f"{var.key} names `{name}` in a {ctx.env.value} file", var=var,
                                  hint="set it to production")
            elif name in _STAGING_NAMES and ctx.env is Environment.PRODUCTION:
                yield self.report(ctx, f"{var.key} names `{name}` in a production file", var=var,
                                  severity=Severity.WARNING, hint="set it to production")


class VerboseLogging(Rule):
    """Log level is debug or more verbose.

    ## What it does
    Reports `LOG_LEVEL`, `APP_LOG_LEVEL`, `LOG_*_LEVEL`, `LOGGING_LEVEL` and `RUST_LOG` at `debug`,
    `trace`, `verbose` or `silly`; query logging switched on (`SQLALCHEMY_ECHO`, `DB_LOG_QUERIES`); and
    the `debug` package's `DEBUG=*` namespaces. `LOG_CHANNEL` names a destination, not a level, and is
    not judged.

    ## Why is this bad?
    Debug logs hold request bodies, SQL with parameters, tokens and personal data, and they fill disks
    and log bills; they end up in places with weaker access control than the database.

    ## Example
    ```dotenv
    LOG_LEVEL=debug
    ```

    ## Use instead
    ```dotenv
    LOG_LEVEL=info
    ```
    """

    code = "EG403"
    name = "verbose-logging"
    category = Category.DEBUG
    levels = levels(Severity.WARNING)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _LOG_GATE):
            key, value = var.key.upper(), var.value or ""
            if _LEVEL_KEY.search(key) and _VERBOSE.intersection(
                    part.rpartition("=")[2] for part in norm(value).split(",")):
                yield self.report(ctx, f"{var.key} logs at debug level in {ctx.env.value}", var=var,
                                  hint="use info or warning")
            elif key in _QUERY_LOG_KEYS and is_on(value):
                yield self.report(ctx, f"{var.key} logs every query in {ctx.env.value}", var=var)
            elif key == "DEBUG" and re.search(r"[*:]", value):
                yield self.report(ctx, f"{var.key} turns on debug namespaces in {ctx.env.value}",
                                  var=var, hint="unset DEBUG in production")


RULES: tuple[type[Rule], ...] = (DebugEnabled, NonProductionEnvironment, VerboseLogging)
