"""``schema`` rules about values left as in the guide: placeholder and reserved domains, stand-in
words, and loopback addresses where the world must reach the app.

They judge non-secret values only (secrets belong to the weak-secret rules) and never quote the
value: a finding says which kind of problem, not which text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import STRICT_ONLY, Context, Rule, Variable, keyed, levels
from envguard.rules.roles import BROWSER_GATE, BROWSER_PREFIXES, SECRET_NAME_GATE
from envguard.rules.schema_checks import (
    domain_problem,
    hosts,
    is_local,
    is_placeholder,
    is_secret,
    may_name_bad_domain,
)

_WORDS = {
    "placeholder": "a placeholder domain",
    "reserved": "a reserved example domain (RFC 2606), which never resolves to your server",
}


def _plain(ctx: Context) -> Iterator[tuple[Variable, str]]:
    """Effective non-secret variables with a readable, non-empty value."""
    # the three rules below walk the same variables: judge secrecy once per context
    found = ctx.memo.get("schema_plain")
    if found is None:
        # without a schema only a name makes a secret here, and few names can: the gate finds them
        named = None if ctx.specced else frozenset(
            v.key for v in keyed(ctx, SECRET_NAME_GATE) if is_secret(ctx, v.key))
        # two flat lists, not a pair per variable: on a huge file, tens of thousands of kept pairs
        # cost more in garbage-collector passes than in building them
        plain: list[Variable] = []
        values: list[str] = []
        for var in ctx.last.values():
            value = var.value.strip() if var.value is not None else ""
            if value and not (var.key in named if named is not None else is_secret(ctx, var.key)):
                plain.append(var)
                values.append(value)
        found = ctx.memo["schema_plain"] = (plain, values)
    plain, values = cast("tuple[list[Variable], list[str]]", found)
    return zip(plain, values, strict=True)


def _hosts(value: str) -> tuple[str, ...]:
    return tuple(hosts(value))


def _domain_problem(value: str) -> str | None:
    """The first ``domain_problem`` of a host in ``value``, if any."""
    if not may_name_bad_domain(value):  # most values: no need to find their hosts
        return None
    return next((p for p in map(domain_problem, _hosts(value)) if p is not None), None)


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
        known: dict[str, str | None] = {}  # values repeat within a file (ports, flags, hosts)
        for var, value in _plain(ctx):
            if value in known:
                problem = known[value]
            else:
                problem = known[value] = ctx.once(_domain_problem, value)
            if problem is not None:
                yield self.report(
                    ctx,
                    f"{var.key} points at {_WORDS[problem]}",
                    var=var,
                    hint="set the real host name before deploying",
                )


class PlaceholderValue(Rule):
    """Value is a placeholder left from a template.

    ## What it does
    Reports non-secret values that are visibly stand-ins: `your-...`, `..._HERE`, `<...>`,
    `[YOUR-...]`, `changeme`, `XXXX`. Placeholders in secrets are reported by the weak-secret
    rules; placeholder domains by `placeholder-domain`.

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
        known: dict[str, bool] = {}  # values repeat within a file (ports, flags, hosts)
        for var, value in _plain(ctx):
            if value in known:
                placeholder = known[value]
            else:
                placeholder = known[value] = is_placeholder(value)
            if placeholder and ctx.once(_domain_problem, value) is None:
                yield self.report(ctx, f"{var.key} still holds a placeholder", var=var)


def is_public(ctx: Context, key: str) -> bool:
    """A value the outside world uses: ``public`` in the schema, or a browser-exposed prefix."""
    spec = ctx.spec(key)
    return (spec is not None and spec.public) or key.upper().startswith(BROWSER_PREFIXES)


class LocalAddress(Rule):
    """Public URL points at a local address in production.

    ## What it does
    Reports `localhost`, `127.0.0.1`, `0.0.0.0` and other loopback hosts in variables the outside
    world uses: those the schema marks `public` (`APP_URL`, webhook URLs) and browser-exposed
    ones (`VITE_`, `NEXT_PUBLIC_`...), in production and staging.

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
        # without a schema only a browser prefix makes a key public (the gate admits every such key):
        # most files have none
        gated = None if ctx.specced else frozenset(v.key for v in keyed(ctx, BROWSER_GATE))
        if gated is not None and not gated:
            return
        for var, value in _plain(ctx):
            if gated is not None and var.key not in gated:
                continue
            if is_public(ctx, var.key) and any(is_local(h) for h in ctx.once(_hosts, value)):
                yield self.report(
                    ctx,
                    f"{var.key} points at a local address in {ctx.env.value}",
                    var=var,
                    hint="use the public host name clients reach",
                )


RULES: tuple[type[Rule], ...] = (PlaceholderDomain, PlaceholderValue, LocalAddress)
