"""The ``cors`` family (EG5xx): which browser origins may call the API, and origin lists written
so that they can never match.

Origin lists are read in the forms apps use: comma or space separated (Laravel's ``explode(',')``,
Express, Django via django-environ) or a JSON list (pydantic-settings' ``list[str]`` in FastAPI).
Browsers send ``Origin: scheme://host[:port]``; CORS and Django's ``CSRF_TRUSTED_ORIGINS`` compare
it with each entry as written, while Laravel Sanctum compares ``host[:port]`` alone. Besides the
lists, a single origin under an app's own name (``FRONTEND_URL``, ``CLIENT_URL``, ``CLIENT_ORIGIN``)
is what Express apps hand to ``cors({origin})``: ``*`` there lets every origin in.
A finding quotes an origin only when it parses as one; anything else is named by its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from envguard.findings import Category, Finding, Severity
from envguard.judge.formats import loads_bounded
from envguard.judge.hosts import Scope, reads_as_host, scope
from envguard.judge.values import is_on, items
from envguard.model import Context, Variable
from envguard.rules.base import Rule, levels

_ALLOW_ALL_KEYS = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL", "CORS_ALLOW_ALL"})
_ANY = frozenset({"*", "null"})
_LIST_TAILS = ("ORIGIN", "ORIGINS", "WHITELIST", "ALLOWLIST")
#: single origins under the app's own names, as Express apps pass them to ``cors()``
_SINGLE_ORIGIN = frozenset(
    {
        "FRONTEND_URL",
        "FRONTEND_ORIGIN",
        "CLIENT_URL",
        "CLIENT_ORIGIN",
        "WEB_URL",
        "WEB_ORIGIN",
        "APP_ORIGIN",
        "ORIGIN",
        "UI_URL",
        "SPA_URL",
        "CORS_ORIGIN",
    }
)
_ORIGIN_WORDS = ("CORS", "ORIGIN", "FRONTEND", "CLIENT", "WEB_", "UI_URL", "SPA_URL")


def is_origin_key(key: str) -> bool:
    """A CORS origin list (``CORS_ALLOWED_ORIGINS``, ``ALLOWED_ORIGINS``, ``BACKEND_CORS_ORIGINS``)."""
    upper = key.upper()
    if "REGEX" in upper or "ALLOW_ALL" in upper or upper.startswith("CSRF"):
        return False
    words = upper.split("_")
    if words[-1] not in _LIST_TAILS:
        return False
    return "CORS" in words[:-1] or upper.endswith(("ALLOWED_ORIGIN", "ALLOWED_ORIGINS"))


def origins(value: str) -> list[str] | None:
    """The items of an origin list; None when a JSON-looking list does not parse as strings."""
    text = value.strip()
    if text.startswith("["):
        data = loads_bounded(text)
        if not isinstance(data, list) or not all(isinstance(i, str) for i in data):
            return None
        return [i.strip() for i in data if i.strip()]
    return items(text)


def shown(item: str, index: int) -> str:
    """How a finding names an origin: quoted when its host reads as one someone wrote
    (``hosts.reads_as_host``), else by its place in the list."""
    bare = item.partition("://")[2] if "://" in item else item
    host = bare.split("/", 1)[0]
    if "@" in item or len(item) > 80 or not (reads_as_host(host) or host in _ANY):
        return f"origin {index}"
    return f"`{item}`"


def origin_problem(item: str, needs_scheme: bool = True) -> str | None:
    """Why an origin can never match a browser's ``Origin`` header, or None."""
    if item in _ANY or item.startswith("^"):
        return None  # nelmio and django-cors-headers take regular expressions: not an origin to parse
    if "://" not in item:
        return "has no scheme" if needs_scheme else None
    if '"' in item or "'" in item:
        return "holds a quote character"
    try:
        parts = urlsplit(item)
    except ValueError:
        return "does not parse as an origin"
    if parts.path == "/" and not parts.query:
        return "ends with a slash"
    if parts.path or parts.query or parts.fragment:
        return "has a path"
    return None


def _origin_lists(rule: Rule, ctx: Context) -> Iterator[tuple[Variable, list[str] | None]]:
    for var, literal in rule.settings(ctx):
        if is_origin_key(var.key):
            yield var, origins(literal)


def _single_origins(rule: Rule, ctx: Context) -> Iterator[tuple[Variable, str]]:
    for var, literal in rule.settings(ctx):
        if var.key in _SINGLE_ORIGIN:
            yield var, literal.strip()


def allows_any(rule: Rule, ctx: Context) -> Variable | None:
    """The variable that lets any origin in (a `*` or `null` item, an allow-all switch), if one does."""
    for var, listed in _origin_lists(rule, ctx):
        if listed and _ANY & set(listed):
            return var
    for var, value in _single_origins(rule, ctx):
        if value in _ANY:
            return var
    for var in rule.candidates(ctx):
        if var.key in _ALLOW_ALL_KEYS and is_on(ctx.reading(var).literal):
            return var
    return None


class AnyOrigin(Rule):
    """CORS lets any origin in.

    ## What it does
    Reports `*` or `null` in an origin list (`CORS_ALLOWED_ORIGINS`, `ALLOWED_ORIGINS`,
    `BACKEND_CORS_ORIGINS`...) or as the single origin an app hands to its CORS middleware
    (`FRONTEND_URL`, `CLIENT_URL`, `CLIENT_ORIGIN`), and `CORS_ALLOW_ALL_ORIGINS` /
    `CORS_ORIGIN_ALLOW_ALL` switched on.

    ## Why is this bad?
    Any web page a user visits can call the API from their browser and read the answers. `null` is
    the origin of sandboxed iframes and `file:` pages, which any attacker can produce.

    ## Example
    ```dotenv
    CORS_ALLOWED_ORIGINS=*
    ```

    ## Use instead
    ```dotenv
    CORS_ALLOWED_ORIGINS=https://malar-market-ledger.com,https://www.malar-market-ledger.com
    ```
    """

    code = "EG501"
    name = "cors-any-origin"
    category = Category.CORS
    levels = levels(Severity.ERROR)

    keys = _ORIGIN_WORDS

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, listed in _origin_lists(self, ctx):
            for word in sorted(_ANY & set(listed or ())):
                yield self.report(
                    ctx,
                    f"{var.key} lets origin `{word}` in, in {ctx.env.value}",
                    var=var,
                    hint="list the exact https origins of your frontends",
                )
        for var, value in _single_origins(self, ctx):
            if value in _ANY:
                yield self.report(
                    ctx,
                    f"{var.key} is `{value}`: used as the CORS origin, it lets every "
                    f"origin in, in {ctx.env.value}",
                    var=var,
                    hint="set the frontend's exact https origin",
                )
        for var in self.candidates(ctx):
            if var.key in _ALLOW_ALL_KEYS and is_on(ctx.reading(var).literal):
                yield self.report(
                    ctx,
                    f"{var.key} lets every origin in, in {ctx.env.value}",
                    var=var,
                    hint="turn it off and list the allowed origins",
                )


class AnyOriginWithCredentials(Rule):
    """CORS lets any origin in and allows credentials.

    ## What it does
    Reports `CORS_ALLOW_CREDENTIALS`, `CORS_SUPPORTS_CREDENTIALS` or `CORS_CREDENTIALS` switched on
    while an origin list holds `*`/`null` or an allow-all switch is on.

    ## Why is this bad?
    Browsers refuse `*` with credentials, so libraries such as Starlette and `cors` reflect the
    caller's origin instead: every site can then make requests with the user's cookies and read the
    answers, a full account takeover from any page.

    ## Example
    ```dotenv
    CORS_ALLOWED_ORIGINS=*
    CORS_ALLOW_CREDENTIALS=true
    ```

    ## Use instead
    ```dotenv
    CORS_ALLOWED_ORIGINS=https://app.facturino.mk
    CORS_ALLOW_CREDENTIALS=true
    ```
    """

    code = "EG502"
    name = "cors-any-origin-with-credentials"
    category = Category.CORS
    levels = levels(Severity.ERROR)

    keys = _ORIGIN_WORDS

    def check(self, ctx: Context) -> Iterator[Finding]:
        wide = allows_any(self, ctx)
        if wide is None:
            return
        for var in self.candidates(ctx):
            key = var.key
            if "CORS" in key and key.endswith("CREDENTIALS") and is_on(ctx.reading(var).literal):
                yield self.report(
                    ctx,
                    f"{var.key} is on while {wide.key} lets any origin in",
                    var=var,
                    hint="list exact origins, or turn credentials off",
                )


class InsecureOrigin(Rule):
    """CORS trusts an http or localhost origin in production.

    ## What it does
    Reports origins in a CORS list that use plain `http://` to a public host (an error), or point at
    `localhost`, another loopback address or a private network such as `http://192.168.1.5:5173`
    (a warning), in production and staging.

    ## Why is this bad?
    Script injected into the http page by anyone on the network, or any program serving
    `localhost:3000` on a user's machine, may call the API with the user's session.

    ## Example
    ```dotenv
    ALLOWED_ORIGINS=http://malar-market-ledger.com,http://localhost:5173
    ```

    ## Use instead
    ```dotenv
    ALLOWED_ORIGINS=https://malar-market-ledger.com
    ```
    """

    code = "EG503"
    name = "cors-insecure-origin"
    category = Category.CORS
    levels = levels(Severity.ERROR)

    keys = _ORIGIN_WORDS

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, listed in _origin_lists(self, ctx):
            for index, item in enumerate(listed or (), 1):
                host = _host(item)
                where = scope(host) if host else None
                if where in (Scope.LOOPBACK, Scope.PRIVATE):
                    what = "local" if where is Scope.LOOPBACK else "private-network"
                    yield self.report(
                        ctx,
                        f"{var.key} trusts {what} origin {shown(item, index)} in {ctx.env.value}",
                        var=var,
                        severity=Severity.WARNING,
                        hint="keep development origins in the development file",
                    )
                elif where is Scope.PUBLIC and item.lower().startswith("http://"):
                    yield self.report(
                        ctx,
                        f"{var.key} trusts plain-http origin {shown(item, index)}",
                        var=var,
                        hint="use the https origin",
                    )


def _host(item: str) -> str | None:
    """The host of an origin item, or None."""
    if "://" not in item:
        return None
    try:
        return urlsplit(item).hostname
    except ValueError:
        return None


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

    keys = ("CORS", "ORIGIN")

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, literal in self.settings(ctx):
            csrf = var.key == "CSRF_TRUSTED_ORIGINS"
            if not (csrf or is_origin_key(var.key)):
                continue
            listed = origins(literal)
            if listed is None:
                yield self.report(
                    ctx,
                    f"{var.key} looks like a JSON list but does not parse as one",
                    var=var,
                    hint='write ["https://a.example","https://b.example"]',
                )
                continue
            for index, item in enumerate(listed, 1):
                problem = origin_problem(item, needs_scheme=not csrf)
                if problem:
                    yield self.report(
                        ctx,
                        f"{var.key}: {shown(item, index)} {problem}",
                        var=var,
                        hint="write scheme://host[:port], nothing after it",
                    )


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
        literal = ctx.reading(var).literal if var is not None and var.value is not None else None
        if var is None or literal is None:
            return
        for index, item in enumerate(origins(literal) or (), 1):
            if "://" not in item:
                yield self.report(
                    ctx,
                    f"CSRF_TRUSTED_ORIGINS: {shown(item, index)} has no scheme",
                    var=var,
                    hint="Django 4+ needs https://host",
                )


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
        literal = ctx.reading(var).literal if var is not None and var.value is not None else None
        if var is None or literal is None:
            return
        for index, item in enumerate(origins(literal) or (), 1):
            if "://" in item or "/" in item:
                yield self.report(
                    ctx,
                    f"SANCTUM_STATEFUL_DOMAINS: {shown(item, index)} is not host[:port]",
                    var=var,
                    hint="drop the scheme and any path",
                )


RULES: tuple[type[Rule], ...] = (
    AnyOrigin,
    AnyOriginWithCredentials,
    InsecureOrigin,
    MalformedOrigin,
    CsrfOriginWithoutScheme,
    SanctumDomainWithScheme,
)
