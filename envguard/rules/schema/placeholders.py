"""``schema`` rules about values left as in the guide: placeholder and reserved domains, stand-in
words, and loopback addresses where the world must reach the app.

They judge non-secret values only (secrets belong to the weak-secret rules) and never quote the
value: a finding says which kind of problem, not which text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge import features
from envguard.judge.hosts import Scope, domain_problem, hosts, may_name_bad_domain, scope
from envguard.judge.names import browser_prefix, is_public_url_name
from envguard.model import Context, Variable
from envguard.rules.base import STRICT_ONLY, Rule, levels

_WORDS = {
    "placeholder": "a placeholder domain",
    "reserved": "a reserved example domain (RFC 2606), which never resolves to your server",
}


def _hosts(value: str) -> tuple[str, ...]:
    return tuple(hosts(value))


def _domain_problem(value: str) -> str | None:
    """The first ``domain_problem`` of a host in ``value``, if any."""
    if not may_name_bad_domain(value):  # most values: no need to find their hosts
        return None
    return next((p for p in map(domain_problem, _hosts(value)) if p is not None), None)


def _quiet(ctx: Context, var: Variable) -> Severity | None:
    """Info for a feature the file switches off (``EMAIL_ENABLED=false``); else the rule's level."""
    return Severity.INFO if features.unused(var.key, ctx.values, ctx.spec(var.key)) else None


class PlaceholderDomain(Rule):
    """Value points at a placeholder or reserved example domain.

    ## What it does
    Looks at the host names in non-secret values (URLs, e-mail addresses, host lists) and reports
    guide placeholders (`your-production-domain.com`, `yourdomain.com`,
    `your-postgres-host.railway.app`) and names reserved for documentation (`example.com`,
    `example.org`, `example.net`, `*.example`, `*.test`, `*.invalid`).

    ## Why is this bad?
    The value was copied from a deployment guide and never filled in: links in e-mails, OAuth
    redirects, cookies and CSRF checks all point at a host that is not yours.

    ## Example
    ```dotenv
    APP_URL=https://your-production-domain.com
    MAIL_HOST=smtp.example.com
    ```

    ## Use instead
    ```dotenv
    APP_URL=https://facturino.mk
    MAIL_HOST=smtp.postmarkapp.com
    ```
    """

    code = "EG910"
    name = "placeholder-domain"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.INFO, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in ctx.plain:
            problem = ctx.once(_domain_problem, value)
            if problem is not None:
                yield self.report(
                    ctx,
                    f"{var.key} points at {_WORDS[problem]}",
                    var=var,
                    severity=_quiet(ctx, var),
                    hint="set the real host name before deploying",
                )


class PlaceholderValue(Rule):
    """Value is a placeholder left from a template.

    ## What it does
    Reports non-secret values that are visibly stand-ins, by the same judgement as secrets:
    `your-...`, `..._HERE`, `<...>`, `[YOUR-...]`, `changeme`, `XXXX`, `REPLACE_BACKEND_DOMAIN`,
    and their Spanish, Portuguese, French, German, Russian and Ukrainian forms. Placeholders in
    secrets are reported by the weak-secret rules; placeholder domains by `placeholder-domain`.
    A placeholder of a feature the file switches off (`EMAIL_ENABLED=false`) is only info.

    ## Why is this bad?
    The application starts, then fails where the value is used: an account SID of
    `your-twilio-account-sid` fails every message, a chat id of `your_chat_id` loses every alert.

    ## Example
    ```dotenv
    TELEGRAM_CHAT_ID=your_chat_id
    SMTP_USER=your-email@gmail.com
    ```

    ## Use instead
    ```dotenv
    TELEGRAM_CHAT_ID=-1001234567890
    SMTP_USER=ledger-alerts@malar-market-ledger.com
    ```
    """

    code = "EG911"
    name = "placeholder-value"
    category = Category.SCHEMA
    levels = levels(Severity.ERROR, Severity.INFO, None)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in ctx.plain:
            if ctx.placeholder(var) and ctx.once(_domain_problem, value) is None:
                yield self.report(
                    ctx, f"{var.key} still holds a placeholder", var=var, severity=_quiet(ctx, var)
                )


def is_public(ctx: Context, var: Variable) -> bool:
    """A value the outside world uses: ``public`` in the schema, a browser-exposed prefix, or a
    name apps give their public URLs (``APP_URL``, ``FRONTEND_URL``, ``*_REDIRECT_URI``)."""
    spec = ctx.spec(var.key)
    return (
        (spec is not None and spec.public)
        or browser_prefix(var.key) is not None
        or is_public_url_name(var.key)
    )


#: what a value naming a local address holds one of: a URL, ``localhost`` or a loopback address
_LOCAL_HINT = re.compile(r"://|localhost|127\.|0\.0\.0\.0|\[::1\]")


class LocalAddress(Rule):
    """Public URL points at a local address in production.

    ## What it does
    Reports `localhost`, `127.0.0.1`, `0.0.0.0` and other loopback hosts in variables the outside
    world uses: those the schema marks `public`, browser-exposed ones (`VITE_`, `NEXT_PUBLIC_`...),
    and the names apps give their public URLs (`APP_URL`, `SITE_URL`, `FRONTEND_URL`, `CLIENT_URL`,
    `NEXTAUTH_URL`, `*_REDIRECT_URI`, `*_CALLBACK_URL`), in production and staging.

    ## Why is this bad?
    The browser or the webhook provider resolves `localhost` to its own machine: the built
    frontend calls nothing, WhatsApp delivers nowhere.

    ## Example
    ```dotenv
    VITE_API_BASE_URL=http://localhost:8000/api/v1
    ```

    ## Use instead
    ```dotenv
    VITE_API_BASE_URL=https://api.malar-market-ledger.com/api/v1
    ```
    """

    code = "EG912"
    name = "local-address"
    category = Category.SCHEMA
    levels = STRICT_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in ctx.plain:
            if _LOCAL_HINT.search(value) is None:
                continue
            if is_public(ctx, var) and any(scope(h) is Scope.LOOPBACK for h in ctx.once(_hosts, value)):
                yield self.report(
                    ctx,
                    f"{var.key} points at a local address in {ctx.env.value}",
                    var=var,
                    hint="use the public host name clients reach",
                )


RULES: tuple[type[Rule], ...] = (PlaceholderDomain, PlaceholderValue, LocalAddress)
