"""The ``exposure`` family (EG701-EG703): secrets in variables that bundlers ship to the browser.

Vite, Next.js, Create React App, Nuxt, SvelteKit/Astro, Expo and Gatsby inline every variable with
their prefix (``VITE_``, ``NEXT_PUBLIC_``...) into the JavaScript they build. Values public by design
pass: publishable keys, Supabase anon keys, Sentry DSNs, analytics ids, plain URLs, and variables
the schema marks ``public = true``.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge.formats import identify
from envguard.judge.hosts import is_connection_url, url_credentials
from envguard.judge.names import BROWSER_PREFIXES, Role, browser_prefix
from envguard.model import Context, Variable
from envguard.rules.base import Rule, levels

_HINT = "keep it server-side (drop the prefix) and call it from your backend"
#: roles a name gives that are never public by design (a bare key or token sometimes is)
_NEVER_PUBLIC = frozenset({Role.SIGNING_KEY, Role.PASSWORD, Role.SECRET, Role.PRIVATE_KEY})


def _browser_vars(rule: Rule, ctx: Context) -> Iterator[tuple[Variable, str]]:
    """Effective browser-exposed variables with a literal value."""
    for var in rule.candidates(ctx):
        if browser_prefix(var.key) is None or var.value is None:
            continue
        literal = ctx.reading(var).judged
        if literal:
            yield var, literal


class SecretNameInBrowser(Rule):
    """Browser-exposed variable is named as a secret.

    ## What it does
    Reports variables with a browser prefix whose name says they hold a secret
    (`VITE_JWT_SECRET`, `NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY`, `REACT_APP_ADMIN_PASSWORD`) or
    that the schema marks `secret = true`. A value recognised as public by design (a publishable
    key, an anon key) passes, as do variables the schema marks `public = true`.

    ## Why is this bad?
    Everything behind these prefixes is written into the built JavaScript, which every visitor
    downloads and can read; "secret" there is a contradiction.

    ## Example
    ```dotenv
    VITE_JWT_SECRET=3b9f2c71d8a04e6fb5c2a9e07d41f8c3
    ```

    ## Use instead
    ```dotenv
    JWT_SECRET=3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54
    ```
    """

    code = "EG701"
    name = "secret-name-in-browser"
    category = Category.EXPOSURE
    levels = levels(Severity.ERROR, Severity.WARNING, Severity.WARNING)

    keys = BROWSER_PREFIXES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in _browser_vars(self, ctx):
            spec = ctx.spec(var.key)
            if (
                (spec is not None and spec.public)
                or ctx.once(identify, value) is not None
                or is_connection_url(value)
            ):
                continue
            if (spec is not None and spec.secret) or ctx.role(var) in _NEVER_PUBLIC:
                yield self.report(
                    ctx, f"{var.key} is a secret in a browser-exposed variable", var=var, hint=_HINT
                )


class CredentialInBrowser(Rule):
    """Browser-exposed variable holds a credential.

    ## What it does
    Reports browser-prefixed variables whose value is a secret credential by its format: Stripe
    secret keys (`sk_live_`, `sk_test_`, `rk_`), Supabase `service_role` JWTs and secret keys,
    OpenAI/Anthropic/GitHub/SendGrid keys, Telegram bot tokens, private keys, and URLs carrying a
    password. This applies even when the schema marks the variable public: the value proves it
    is not. Publishable keys (`pk_live_`), anon keys and Sentry DSNs pass.

    ## Why is this bad?
    The bundler copies the value into the JavaScript every visitor downloads. A service-role key
    bypasses row-level security; a Stripe secret key can issue refunds.

    ## Example
    ```dotenv
    NEXT_PUBLIC_SUPABASE_KEY=eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.x
    ```

    ## Use instead
    ```dotenv
    NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x
    SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.x
    ```
    """

    code = "EG702"
    name = "credential-in-browser"
    category = Category.EXPOSURE
    levels = levels(Severity.ERROR, Severity.WARNING, None)

    keys = BROWSER_PREFIXES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in _browser_vars(self, ctx):
            token = ctx.once(identify, value)
            if token is not None and token.secret:
                what = token.label
            elif (
                token is None
                and not is_connection_url(value)
                and any(c.password for c in url_credentials(value))
            ):
                what = "a URL with a password"
            else:
                continue
            yield self.report(ctx, f"{var.key} is browser-exposed and holds {what}", var=var, hint=_HINT)


class DatabaseUrlInBrowser(Rule):
    """Browser-exposed variable holds a database URL.

    ## What it does
    Reports browser-prefixed variables holding a database, cache or queue connection URL
    (`postgres://`, `mysql://`, `mongodb+srv://`, `redis://`, `amqp://`...), with or without a
    password.

    ## Why is this bad?
    A browser cannot use a database URL, so shipping one only tells every visitor where your data
    lives and, usually, how to log in to it.

    ## Example
    ```dotenv
    VITE_DATABASE_URL=postgresql://ledger:vX3q9LmTz2rWk7pF@db.internal:5432/ledger
    ```

    ## Use instead
    ```dotenv
    DATABASE_URL=postgresql://ledger:vX3q9LmTz2rWk7pF@db.internal:5432/ledger
    VITE_API_BASE_URL=https://api.malar-market-ledger.com/api/v1
    ```
    """

    code = "EG703"
    name = "database-url-in-browser"
    category = Category.EXPOSURE
    levels = levels(Severity.ERROR, Severity.WARNING, Severity.WARNING)

    keys = BROWSER_PREFIXES

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in _browser_vars(self, ctx):
            if is_connection_url(value):
                yield self.report(
                    ctx,
                    f"{var.key} is browser-exposed and holds a connection URL",
                    var=var,
                    hint="connect from the backend; give the frontend an API URL",
                )


RULES: tuple[type[Rule], ...] = (SecretNameInBrowser, CredentialInBrowser, DatabaseUrlInBrowser)
