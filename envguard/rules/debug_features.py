"""The ``debug`` family (EG4xx), part two: API docs, debug tools and mocked data switched on."""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, levels
from envguard.rules.debug import effective, is_on, norm, switched

_DOCS_TOKENS = frozenset({"DOCS", "SWAGGER", "OPENAPI", "REDOC", "GRAPHIQL", "PLAYGROUND",
                          "INTROSPECTION"})
_DOCS_URL_KEY = re.compile(r"^(?:DOCS|OPENAPI|REDOC|SWAGGER)_(?:URL|PATH)$")
_TOOL_KEY = re.compile(r"TELESCOPE|DEBUGBAR|DEBUG_?TOOLBAR|DEBUG_TB|CLOCKWORK|PROFILER|SILK")
_MOCK_TOKENS = frozenset({"MOCK", "MOCKS", "MOCKED", "FAKE", "FAKES", "STUB", "STUBS", "STUBBED",
                          "SANDBOX"})
_UNSET = frozenset({"", "none", "null", "false", "off", "0"})
_DOCS_GATE = Keys(*_DOCS_TOKENS)
_TOOL_GATE = Keys("TELESCOPE", "DEBUG", "CLOCKWORK", "PROFILER", "SILK")
_MOCK_GATE = Keys("MOCK", "FAKE", "STUB", "SANDBOX", "MODE")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _DOCS_GATE):
            key = var.key.upper()
            if _DOCS_URL_KEY.match(key) and norm(var.value or "") not in _UNSET:
                yield self.report(ctx, f"{var.key} publishes the API docs in {ctx.env.value}", var=var,
                                  hint="leave it empty so the framework serves no docs")
            elif set(key.split("_")) & _DOCS_TOKENS and not key.endswith(("_URL", "_PATH")) \
                    and is_on(var.value):
                yield self.report(ctx, f"{var.key} is on in {ctx.env.value}", var=var,
                                  hint=f"set {var.key}={switched(var.value or '', on=False)}")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _TOOL_GATE):
            if _TOOL_KEY.search(var.key.upper()) and is_on(var.value):
                yield self.report(ctx, f"{var.key} is on in {ctx.env.value}", var=var,
                                  hint=f"set {var.key}={switched(var.value or '', on=False)}")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _MOCK_GATE):
            key = var.key.upper()
            switch = bool(set(key.split("_")) & _MOCK_TOKENS) or key.endswith("TEST_MODE")
            mocked = switch and is_on(var.value)
            if mocked or (key.endswith("_MODE") and norm(var.value or "") == "sandbox"):
                yield self.report(ctx, f"{var.key} switches on mocked or sandbox behaviour in "
                                  f"{ctx.env.value}", var=var)


RULES: tuple[type[Rule], ...] = (ApiDocsEnabled, DebugToolEnabled, MockDataEnabled)
