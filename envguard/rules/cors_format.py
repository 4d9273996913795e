"""The ``cors`` family (EG5xx), part two: origin lists written so that they can never match.

Browsers send ``Origin: scheme://host[:port]``; CORS and Django's ``CSRF_TRUSTED_ORIGINS`` compare
it with each entry as written, while Laravel Sanctum compares ``host[:port]`` alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, levels
from envguard.rules.cors import is_origin_key, origin_problem, origins, shown
from envguard.rules.debug import effective

_ORIGIN_LIST_GATE = Keys("CORS", "ALLOWED_ORIGIN", "CSRF_TRUSTED_ORIGINS")


class MalformedOrigin(Rule):
    """Origin can never match: no scheme, a path, a trailing slash, or a broken list.

    ## What it does
    Reports items of a CORS origin list, or of `CSRF_TRUSTED_ORIGINS`, with a path or a trailing
    slash, CORS items without a scheme, and JSON-style lists that do not parse.

    ## Why is this bad?
    Browsers send `Origin: https://host[:port]`, with no path and no slash; an entry written
    differently never matches, so the real frontend is refused and someone "fixes" it with `*`.

    ## Example
    ```dotenv
    CORS_ALLOWED_ORIGINS=https://facturino.mk/,app.facturino.mk
    BACKEND_CORS_ORIGINS=["https://facturino.mk",]
    ```

    ## Use instead
    ```dotenv
    CORS_ALLOWED_ORIGINS=https://facturino.mk,https://app.facturino.mk
    BACKEND_CORS_ORIGINS=["https://facturino.mk"]
    ```
    """

    code = "EG504"
    name = "malformed-origin"
    category = Category.CORS
    levels = levels(Severity.WARNING, Severity.INFO)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in effective(ctx, _ORIGIN_LIST_GATE):
            csrf = var.key.upper() == "CSRF_TRUSTED_ORIGINS"
            if not (csrf or is_origin_key(var.key)):
                continue
            items = origins(var.value or "")
            if items is None:
                yield self.report(ctx, f"{var.key} looks like a JSON list but does not parse as one",
                                  var=var, hint='write ["https://a.example","https://b.example"]')
                continue
            for index, item in enumerate(items, 1):
                problem = origin_problem(item, needs_scheme=not csrf)
                if problem:
                    yield self.report(ctx, f"{var.key}: {shown(item, index)} {problem}", var=var,
                                      hint="write scheme://host[:port], nothing after it")


class CsrfOriginWithoutScheme(Rule):
    """`CSRF_TRUSTED_ORIGINS` entry has no scheme.

    ## What it does
    Reports entries of Django's `CSRF_TRUSTED_ORIGINS` written as bare hosts.

    ## Why is this bad?
    Since Django 4.0 every entry must start with `https://` or `http://`; Django refuses to start
    (system check 4_0.E001), or on older versions never matches the `Origin` header, failing every
    form post from the frontend.

    ## Example
    ```dotenv
    CSRF_TRUSTED_ORIGINS=facturino.mk,.facturino.mk
    ```

    ## Use instead
    ```dotenv
    CSRF_TRUSTED_ORIGINS=https://facturino.mk,https://*.facturino.mk
    ```
    """

    code = "EG505"
    name = "csrf-origin-without-scheme"
    category = Category.CORS
    levels = levels(Severity.ERROR, Severity.WARNING)

    def check(self, ctx: Context) -> Iterator[Finding]:
        var = ctx.last.get("CSRF_TRUSTED_ORIGINS")
        if var is None:
            return
        for index, item in enumerate(origins(var.value or "") or (), 1):
            if "://" not in item:
                yield self.report(ctx, f"CSRF_TRUSTED_ORIGINS: {shown(item, index)} has no scheme",
                                  var=var, hint="Django 4+ needs https://host")


class SanctumDomainWithScheme(Rule):
    """`SANCTUM_STATEFUL_DOMAINS` entry has a scheme or a path.

    ## What it does
    Reports entries of Laravel Sanctum's `SANCTUM_STATEFUL_DOMAINS` written as URLs.

    ## Why is this bad?
    Sanctum compares `host[:port]` from the request's `Referer`/`Origin` with each entry; an entry
    with `https://` or a path never matches, so the SPA gets 401 or 419 on every request.

    ## Example
    ```dotenv
    SANCTUM_STATEFUL_DOMAINS=https://app.facturino.mk/
    ```

    ## Use instead
    ```dotenv
    SANCTUM_STATEFUL_DOMAINS=app.facturino.mk,localhost:5173
    ```
    """

    code = "EG506"
    name = "sanctum-domain-with-scheme"
    category = Category.CORS
    levels = levels(Severity.WARNING, Severity.WARNING)

    def check(self, ctx: Context) -> Iterator[Finding]:
        var = ctx.last.get("SANCTUM_STATEFUL_DOMAINS")
        if var is None:
            return
        for index, item in enumerate(origins(var.value or "") or (), 1):
            if "://" in item or "/" in item:
                yield self.report(ctx, f"SANCTUM_STATEFUL_DOMAINS: {shown(item, index)} is not "
                                  "host[:port]", var=var, hint="drop the scheme and any path")


RULES: tuple[type[Rule], ...] = (MalformedOrigin, CsrfOriginWithoutScheme, SanctumDomainWithScheme)
