"""The ``cors`` family (EG5xx), part one: which browser origins may call the API. The shape of origin
lists (and of Django's and Sanctum's trusted origins) is checked in ``cors_format``.

Origin lists are read in the forms apps use: comma or space separated (Laravel's ``explode(',')``,
Express, Django via django-environ) or a JSON list (pydantic-settings' ``list[str]`` in FastAPI).
Origins are not secrets, so a finding may quote one, except one carrying ``user@`` credentials.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Keys, Rule, Variable, levels
from envguard.rules.debug import effective, is_on
from envguard.rules.transport import is_internal_host

_ORIGIN_KEY = re.compile(r"CORS\w*(?:ORIGINS?|WHITELIST|ALLOWLIST)$|(?:^|_)ALLOWED_ORIGINS?$")
_ALLOW_ALL_KEYS = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL", "CORS_ALLOW_ALL"})
_LOOPBACK = re.compile(r"^(?:localhost|127(?:\.\d+){3}|::1|0\.0\.0\.0)$|\.localhost$")
_ANY = frozenset({"*", "null"})
#: every key this family judges: origin lists, allow-all switches, CORS_*_CREDENTIALS
CORS_GATE = Keys("CORS", "ALLOWED_ORIGIN")


def is_origin_key(key: str) -> bool:
    """A CORS origin list (``CORS_ALLOWED_ORIGINS``, ``ALLOWED_ORIGINS``, ``BACKEND_CORS_ORIGINS``)."""
    upper = key.upper()
    skip = "REGEX" in upper or "ALLOW_ALL" in upper or upper.startswith("CSRF")
    return bool(_ORIGIN_KEY.search(upper)) and not skip


def origins(value: str) -> list[str] | None:
    """The items of an origin list; None when a JSON-looking list does not parse as strings."""
    text = value.strip()
    if text.startswith("["):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, list) or not all(isinstance(i, str) for i in data):
            return None
        return [i.strip() for i in data if i.strip()]
    return [i for i in re.split(r"[,\s]+", text) if i]


def shown(item: str, index: int) -> str:
    """How a finding names an origin: quoted, unless it carries credentials."""
    return f"origin {index}" if "@" in item or len(item) > 80 else f"`{item}`"


def origin_problem(item: str, needs_scheme: bool = True) -> str | None:
    """Why an origin can never match a browser's ``Origin`` header, or None."""
    if item in _ANY:
        return None
    if "://" not in item:
        return "has no scheme" if needs_scheme else None
    if re.search(r"[\"']", item):
        return "holds a quote character"
    parts = urlsplit(item)
    if parts.path == "/" and not parts.query:
        return "ends with a slash"
    if parts.path or parts.query or parts.fragment:
        return "has a path"
    return None


def _origin_lists(ctx: Context) -> Iterator[tuple[Variable, list[str] | None]]:
    # the three rules of this module and allows_any read the same lists: split them once
    found: tuple[tuple[Variable, list[str] | None], ...] | None = ctx.memo.get("origin_lists")
    if found is None:
        found = ctx.memo["origin_lists"] = tuple(
            (var, origins(var.value or "")) for var in effective(ctx, CORS_GATE) if is_origin_key(var.key))
    return iter(found)


def allows_any(ctx: Context) -> Variable | None:
    """The variable that lets any origin in (a `*` or `null` item, an allow-all switch), if one does."""
    for var, items in _origin_lists(ctx):
        if items and _ANY & set(items):
            return var
    switches = effective(ctx, CORS_GATE)
    return next((v for v in switches if v.key.upper() in _ALLOW_ALL_KEYS and is_on(v.value)), None)


class AnyOrigin(Rule):
    """CORS lets any origin in.

    ## What it does
    Reports `*` or `null` in an origin list (`CORS_ALLOWED_ORIGINS`, `ALLOWED_ORIGINS`,
    `BACKEND_CORS_ORIGINS`...) and `CORS_ALLOW_ALL_ORIGINS` / `CORS_ORIGIN_ALLOW_ALL` switched on.

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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, items in _origin_lists(ctx):
            for word in sorted(_ANY & set(items or ())):
                yield self.report(ctx, f"{var.key} lets origin `{word}` in, in {ctx.env.value}", var=var,
                                  hint="list the exact https origins of your frontends")
        for var in effective(ctx, CORS_GATE):
            if var.key.upper() in _ALLOW_ALL_KEYS and is_on(var.value):
                yield self.report(ctx, f"{var.key} lets every origin in, in {ctx.env.value}", var=var,
                                  hint="turn it off and list the allowed origins")


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

    def check(self, ctx: Context) -> Iterator[Finding]:
        wide = allows_any(ctx)
        if wide is None:
            return
        for var in effective(ctx, CORS_GATE):
            key = var.key.upper()
            if "CORS" in key and key.endswith("CREDENTIALS") and is_on(var.value):
                yield self.report(ctx, f"{var.key} is on while {wide.key} lets any origin in", var=var,
                                  hint="list exact origins, or turn credentials off")


class InsecureOrigin(Rule):
    """CORS trusts an http or localhost origin in production.

    ## What it does
    Reports origins in a CORS list that use plain `http://` (an error) or point at `localhost` or
    another loopback address (a warning), in production and staging.

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

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, items in _origin_lists(ctx):
            for index, item in enumerate(items or (), 1):
                host = urlsplit(item).hostname if "://" in item else None
                if host and _LOOPBACK.search(host):
                    yield self.report(ctx, f"{var.key} trusts local origin {shown(item, index)} in "
                                      f"{ctx.env.value}", var=var, severity=Severity.WARNING,
                                      hint="keep development origins in the development file")
                elif host and item.lower().startswith("http://") and not is_internal_host(host):
                    yield self.report(ctx, f"{var.key} trusts plain-http origin {shown(item, index)}",
                                      var=var, hint="use the https origin")


RULES: tuple[type[Rule], ...] = (AnyOrigin, AnyOriginWithCredentials, InsecureOrigin)
