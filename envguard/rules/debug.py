"""The ``debug`` family (EG4xx): debug mode, development environment names, verbose logging, API
docs, debug tools and mocked data switched on in production.

Switches are read as frameworks read them (``judge.values.is_on``), the value a reference falls
back to included (``DEBUG=${DEBUG:-true}`` is on when ``DEBUG`` is unset); environment names as
each framework reads them (``judge.envnames``). A prefixed variant of a setting counts as the
setting (``DJANGO_DEBUG``, cookiecutter style).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Environment, Finding, Severity
from envguard.judge import envnames
from envguard.judge.values import is_on, norm, switched
from envguard.model import Context
from envguard.rules.base import Rule, levels

_DEBUG_KEY = re.compile(r"(?:^|_)DEBUG(?:_MODE)?$")
_LEVEL_KEY_TAILS = ("LOG_LEVEL", "LOGGING_LEVEL", "LOGLEVEL")
_VERBOSE = frozenset({"debug", "trace", "verbose", "silly", "all", "finest", "finer", "10", "5"})
_QUERY_LOG_KEYS = frozenset(
    {"SQLALCHEMY_ECHO", "DB_ECHO", "DATABASE_ECHO", "LOG_QUERIES", "DB_LOG_QUERIES", "DB_LOGGING"}
)
_DOCS_TOKENS = frozenset({"DOCS", "SWAGGER", "OPENAPI", "REDOC", "GRAPHIQL", "PLAYGROUND", "INTROSPECTION"})
_DOCS_URL_KEY = re.compile(r"^(?:DOCS|OPENAPI|REDOC|SWAGGER)_(?:URL|PATH)$")
_TOOL_WORDS = (
    "TELESCOPE",
    "DEBUGBAR",
    "DEBUG_TOOLBAR",
    "DEBUGTOOLBAR",
    "DEBUG_TB",
    "CLOCKWORK",
    "PROFILER",
    "SILK",
)
_MOCK_TOKENS = frozenset({"MOCK", "MOCKS", "MOCKED", "FAKE", "FAKES", "STUB", "STUBS", "STUBBED", "SANDBOX"})
_UNSET = frozenset({"", "none", "null", "false", "off", "0"})


class DebugEnabled(Rule):
    """Debug mode is on.

    ## What it does
    Reports `APP_DEBUG`, `DEBUG`, `FLASK_DEBUG`, `DJANGO_DEBUG` and other `*_DEBUG` switches set to a
    value the framework reads as on (`true`, `1`, `yes`, `on`, any case), and modes set to `debug`
    (Gin's `GIN_MODE=debug`, any `*_MODE=debug`).

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

    keys = ("DEBUG", "_MODE")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            # Gin's GIN_MODE=debug, and any *_MODE=debug, are the same switch written as a word
            mode = var.key.endswith("_MODE") and "DEBUG" not in var.key and norm(value) == "debug"
            if (_DEBUG_KEY.search(var.key) and is_on(value)) or mode:
                yield self.report(
                    ctx,
                    f"{var.key} is on in {ctx.env.value}",
                    var=var,
                    hint=f"set {var.key}={switched(value, on=False)}",
                )


class NonProductionEnvironment(Rule):
    """Environment name is a development or test one.

    ## What it does
    Reports `APP_ENV`, `NODE_ENV`, `RAILS_ENV`, `FLASK_ENV`, `ENVIRONMENT`, `ENV` and other `*_ENV`,
    `*_ENVIRONMENT`, `*_STAGE` variables naming `local`, `dev`, `development`, `debug` or `test` in a
    production or staging file, `staging` in a production file (as a warning), and a production
    word the framework does not accept: `NODE_ENV=prod` (Express and Next.js want `production`),
    `RAILS_ENV=prod`, a Laravel app's `APP_ENV=prod`.

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

    keys = ("ENV", "STAGE", "PROFILES_ACTIVE")

    def check(self, ctx: Context) -> Iterator[Finding]:
        framework = ctx.project.framework
        for var, value in self.settings(ctx):
            if not envnames.is_env_name_key(var.key):
                continue
            stage = envnames.stage(var.key, value, framework)
            name = norm(value)
            wanted = envnames.production_name(var.key, framework)
            if stage is envnames.Stage.DEVELOPMENT:
                yield self.report(
                    ctx,
                    f"{var.key} names `{name}` in a {ctx.env.value} file",
                    var=var,
                    hint=f"set it to {wanted}",
                )
            elif stage is envnames.Stage.STAGING and ctx.env is Environment.PRODUCTION:
                yield self.report(
                    ctx,
                    f"{var.key} names `{name}` in a production file",
                    var=var,
                    severity=Severity.WARNING,
                    hint=f"set it to {wanted}",
                )
            elif stage is envnames.Stage.ALIAS and ctx.env is Environment.PRODUCTION:
                who = envnames.reader(var.key, framework)
                yield self.report(
                    ctx,
                    f"{var.key}=`{name}` is not `{wanted}` to {who}, which then runs in development mode",
                    var=var,
                    hint=f"set it to {wanted}",
                )


class VerboseLogging(Rule):
    """Log level is debug or more verbose.

    ## What it does
    Reports `LOG_LEVEL`, `APP_LOG_LEVEL`, `LOG_*_LEVEL`, `LOGGING_LEVEL` and `RUST_LOG` at `debug`,
    `trace`, `verbose` or `silly`; query logging switched on (`SQLALCHEMY_ECHO`, `DB_LOG_QUERIES`); and
    the `debug` package's `DEBUG=*` namespaces. `LOG_CHANNEL` names a destination, not a level, and is
    not judged. In staging, where debug logs are often the point, this is only info.

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

    keys = ("LOG", "ECHO", "DEBUG")

    def check(self, ctx: Context) -> Iterator[Finding]:
        # debug logs on a staging system are often what staging is for: say so, quietly
        severity = Severity.INFO if ctx.env is Environment.STAGING else None
        for var, value in self.settings(ctx):
            key = var.key
            if _level_key(key) and _VERBOSE.intersection(
                part.rpartition("=")[2] for part in norm(value).split(",")
            ):
                yield self.report(
                    ctx,
                    f"{var.key} logs at debug level in {ctx.env.value}",
                    var=var,
                    severity=severity,
                    hint="use info or warning",
                )
            elif key in _QUERY_LOG_KEYS and is_on(value):
                yield self.report(
                    ctx, f"{var.key} logs every query in {ctx.env.value}", var=var, severity=severity
                )
            elif key == "DEBUG" and ("*" in value or ":" in value):
                yield self.report(
                    ctx,
                    f"{var.key} turns on debug namespaces in {ctx.env.value}",
                    var=var,
                    severity=severity,
                    hint="unset DEBUG in production",
                )


class ApiDocsEnabled(Rule):
    """API documentation or GraphQL playground is switched on.

    ## What it does
    Reports switches such as `ENABLE_DOCS`, `SWAGGER_ENABLED`, `OPENAPI_ENABLED`,
    `GRAPHQL_PLAYGROUND` or `GRAPHQL_INTROSPECTION` that are on, and `DOCS_URL`, `OPENAPI_URL`,
    `REDOC_URL` or `SWAGGER_PATH` set to a path.

    ## Why is this bad?
    Swagger UI and introspection hand an attacker a map of every endpoint, parameter and model, and
    often a form to call them.

    ## Example
    ```dotenv
    SWAGGER_ENABLED=true
    DOCS_URL=/docs
    ```

    ## Use instead
    ```dotenv
    SWAGGER_ENABLED=false
    DOCS_URL=
    ```
    """

    code = "EG404"
    name = "api-docs-enabled"
    category = Category.DEBUG
    levels = levels(Severity.WARNING)

    keys = tuple(sorted(_DOCS_TOKENS))

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            key = var.key
            if _DOCS_URL_KEY.match(key) and norm(value) not in _UNSET:
                yield self.report(
                    ctx,
                    f"{var.key} publishes the API docs in {ctx.env.value}",
                    var=var,
                    hint="leave it empty so the framework serves no docs",
                )
            elif set(key.split("_")) & _DOCS_TOKENS and not key.endswith(("_URL", "_PATH")) and is_on(value):
                yield self.report(
                    ctx,
                    f"{var.key} is on in {ctx.env.value}",
                    var=var,
                    hint=f"set {var.key}={switched(value, on=False)}",
                )


class DebugToolEnabled(Rule):
    """Debug tool (Telescope, Debugbar, debug toolbar, profiler) is switched on.

    ## What it does
    Reports `TELESCOPE_ENABLED`, `DEBUGBAR_ENABLED`, `DEBUG_TOOLBAR`, `DEBUG_TB_ENABLED`,
    `CLOCKWORK_ENABLE` and other profiler switches set to on.

    ## Why is this bad?
    These tools record every request with its headers, cookies, session, queries and mail; one
    misconfigured gate makes them readable by anyone.

    ## Example
    ```dotenv
    TELESCOPE_ENABLED=true
    ```

    ## Use instead
    ```dotenv
    TELESCOPE_ENABLED=false
    ```
    """

    code = "EG405"
    name = "debug-tool-enabled"
    category = Category.DEBUG
    levels = levels(Severity.ERROR)
    fix = "sets the switch to false"

    keys = ("TELESCOPE", "DEBUG", "CLOCKWORK", "PROFILER", "SILK")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            if any(word in var.key for word in _TOOL_WORDS) and is_on(value):
                yield self.report(
                    ctx,
                    f"{var.key} is on in {ctx.env.value}",
                    var=var,
                    hint=f"set {var.key}={switched(value, on=False)}",
                )


class MockDataEnabled(Rule):
    """Mocked data, fake services or a payment sandbox is switched on.

    ## What it does
    Reports switches whose name holds `MOCK`, `MOCKED`, `FAKE`, `STUB` or `SANDBOX` (`USE_MOCK_DATA`,
    `FEATURE_PARTNER_MOCKED_DATA`, `PADDLE_SANDBOX`) or ending in `TEST_MODE` set to on, and `*_MODE`
    set to `sandbox`.

    ## Why is this bad?
    Users see invented data, or payments are accepted by a sandbox and never charged.

    ## Example
    ```dotenv
    FEATURE_PARTNER_MOCKED_DATA=true
    ```

    ## Use instead
    ```dotenv
    FEATURE_PARTNER_MOCKED_DATA=false
    ```
    """

    code = "EG406"
    name = "mock-data-enabled"
    category = Category.DEBUG
    levels = levels(Severity.ERROR)

    keys = ("MOCK", "FAKE", "STUB", "SANDBOX", "MODE")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in self.settings(ctx):
            key = var.key
            switch = bool(set(key.split("_")) & _MOCK_TOKENS) or key.endswith("TEST_MODE")
            mocked = switch and is_on(value)
            if mocked or (key.endswith("_MODE") and norm(value) == "sandbox"):
                yield self.report(
                    ctx, f"{var.key} switches on mocked or sandbox behaviour in {ctx.env.value}", var=var
                )


def _level_key(key: str) -> bool:
    """``LOG_LEVEL``, ``APP_LOG_LEVEL``, ``LOG_CHANNEL_LEVEL``, ``LOGGING_LEVEL``, ``RUST_LOG``, and
    Spring's ``LOGGING_LEVEL_ROOT``/``LOGGING_LEVEL_<PACKAGE>``."""
    if key == "RUST_LOG" or key.endswith(_LEVEL_KEY_TAILS) or key.startswith("LOGGING_LEVEL_"):
        return True
    parts = key.split("_")
    return len(parts) >= 3 and parts[-1] == "LEVEL" and ("LOG" in parts[:-1] or "LOGGING" in parts[:-1])


RULES: tuple[type[Rule], ...] = (
    DebugEnabled,
    NonProductionEnvironment,
    VerboseLogging,
    ApiDocsEnabled,
    DebugToolEnabled,
    MockDataEnabled,
)
