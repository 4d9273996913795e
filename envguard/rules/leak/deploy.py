"""Deploy-file rules (EG32x, category ``leak``): secrets written into committed deployment config.

``render.yaml``, compose files, ``railway.json``/``railway.toml`` and ``nixpacks.toml`` live in the
repository; a secret typed into them is as public as the repository. ``envguard.configfiles`` reads
those files into a ``DeployContext`` (one per service) so these rules know which kind of file they
judge. Values the platform fills in (``generateValue``, ``sync: false``, ``fromDatabase``,
``fromService``, ``${VAR}`` interpolation, pass-through keys) reach the rules as unknown (None).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import Context, Rule, Variable, levels

COMPOSE, RENDER, RAILWAY, NIXPACKS = "compose", "render", "railway", "nixpacks"

_SECRET_NAME = re.compile(
    r"(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_KEY|"
    r"ACCESS_KEY|SIGNING_KEY|ENCRYPTION_KEY|MASTER_KEY|APP_KEY|SECRET_KEY_BASE|DSN)(_|$)",
    re.I,
)
_NOT_SECRET_NAME = re.compile(r"(PUBLIC|PUBLISHABLE|_ID$|_FILE$|_PATH$|_URL$|_HOST$|_NAME$|_USER$)", re.I)
_URL_CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@", re.I)
_INTERPOLATION = re.compile(r"\$\{?[A-Za-z_]")


@dataclass
class DeployContext(Context):
    """A Context for the variables of one service in a deployment config file."""

    #: which file format: ``compose``, ``render``, ``railway`` or ``nixpacks``
    kind: str = ""
    #: how findings name the service (``service web``, ``env group shared``); None: file-wide
    service: str | None = None


def hard_coded_secret(ctx: Context, var: Variable) -> bool:
    """A literal value (no interpolation) under a secret name, or a URL with a password in it."""
    value = var.value
    if not value or _INTERPOLATION.search(value):
        return False
    if _URL_CREDENTIALS.match(value):
        return True
    spec = ctx.spec(var.key)
    if spec is not None and spec.secret is not None:
        return spec.secret
    return bool(_SECRET_NAME.search(var.key)) and not _NOT_SECRET_NAME.search(var.key)


class _DeployLeakRule(Rule):
    """Shared shape: report each hard-coded secret in one kind of deploy file."""

    category = Category.LEAK
    # production files are committed and deployed; a dev-only compose file's local password is not
    levels = levels(Severity.ERROR, None, Severity.ERROR)
    kinds: frozenset[str] = frozenset()
    advice: str = ""

    def check(self, ctx: Context) -> Iterator[Finding]:
        if not isinstance(ctx, DeployContext) or ctx.kind not in self.kinds:
            return
        for var in ctx.variables:
            if hard_coded_secret(ctx, var):
                yield self.report(
                    ctx, f"{var.key} is a secret written into {ctx.source}", var=var, hint=self.advice
                )


class RenderHardCodedSecret(_DeployLeakRule):
    """Secret hard-coded in render.yaml.

    ## What it does
    Reports an entry of `envVars` in a Render Blueprint (`render.yaml`) that gives a secret-looking
    variable (by the schema, by its name, or a URL with a password) a literal `value`.

    ## Why is this bad?
    `render.yaml` lives in the repository: everyone who can read the repository, its forks and its
    CI logs can read the secret, and it stays in the git history after it is rotated.

    ## Example
    ```yaml
    envVars:
      - key: SECRET_KEY
        value: 3f9a1c0e5b7d2a8f
    ```

    ## Use instead
    ```yaml
    envVars:
      - key: SECRET_KEY
        generateValue: true
      - key: STRIPE_SECRET_KEY
        sync: false
      - key: DATABASE_URL
        fromDatabase: {name: db, property: connectionString}
    ```
    """

    code = "EG320"
    name = "render-hard-coded-secret"
    kinds = frozenset({RENDER})
    advice = "use generateValue: true, sync: false (set it in the dashboard) or fromDatabase/fromService"


class ConfigHardCodedSecret(_DeployLeakRule):
    """Secret hard-coded in a compose or Railway config file.

    ## What it does
    Reports a secret-looking variable (by the schema, by its name, or a URL with a password) given
    a literal value in `environment:` of a production compose file, or in the variables of
    `railway.json`, `railway.toml` (`build.nixpacksPlan.variables`) or `nixpacks.toml`
    (`[variables]`). Development and test compose files (`docker-compose.dev.yml`) are not judged.

    ## Why is this bad?
    These files are committed: the secret is readable by everyone with access to the repository
    and stays in its history after rotation. Nixpacks variables are also baked into the image.

    ## Example
    ```yaml
    services:
      web:
        environment:
          SECRET_KEY: 3f9a1c0e5b7d2a8f
    ```

    ## Use instead
    ```yaml
    services:
      web:
        environment:
          SECRET_KEY: ${SECRET_KEY}
        env_file: .env.production   # not committed, or encrypted
    ```
    """

    code = "EG321"
    name = "config-hard-coded-secret"
    kinds = frozenset({COMPOSE, RAILWAY, NIXPACKS})
    advice = "interpolate it (${NAME}) or load it from an env_file / the platform's variables"


RULES: tuple[type[Rule], ...] = (RenderHardCodedSecret, ConfigHardCodedSecret)
