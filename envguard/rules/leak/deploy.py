"""Deploy-file leaks (EG320-EG329): secrets written into committed deployment config.

``render.yaml``, compose files, ``railway.json``/``railway.toml`` and ``nixpacks.toml`` live in the
repository; a secret typed into them is as public as the repository. ``envguard.configfiles`` reads
those files into one context per service, whose ``origin`` names the kind of file. Values the
platform fills in (``generateValue``, ``sync: false``, ``fromDatabase``, ``fromService``,
pass-through keys) reach the rules as unknown (None); ``${VAR}`` interpolations are references.
Which variables are secrets is the same judgement as for an env file (``Context.role``).
"""

from __future__ import annotations

from collections.abc import Iterator

from envguard.findings import Category, Finding, Severity
from envguard.judge.values import Kind
from envguard.model import Context, Origin, Variable
from envguard.rules.base import Rule, levels


def hard_coded_secret(ctx: Context, var: Variable) -> bool:
    """A secret (by the judgement every source shares) written as a literal, not a reference, a
    placeholder or a value the platform fills in."""
    if var.value is None:
        return False
    reading = ctx.reading(var)
    # a reference's default (``${JWT_SECRET:-secret}``) is judged by the weak-secret rules as the
    # value it becomes; here only what is written as the value itself counts
    literal = reading.judged if reading.kind is Kind.LITERAL else None
    return bool(literal) and ctx.role(var).secret and not ctx.placeholder(var)


class _DeployLeakRule(Rule):
    """Shared shape: report each hard-coded secret in one kind of deploy file."""

    category = Category.LEAK
    # production files are committed and deployed; a dev-only compose file's local password is not
    levels = levels(Severity.ERROR, None, Severity.ERROR)
    kinds: frozenset[Origin] = frozenset()
    advice: str = ""

    def check(self, ctx: Context) -> Iterator[Finding]:
        if ctx.origin not in self.kinds:
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
    services:
      - type: web
        name: api
        envVars:
          - key: SECRET_KEY
            value: 3f9a1c0e5b7d2a8f
    ```

    ## Use instead
    ```yaml
    services:
      - type: web
        name: api
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
    kinds = frozenset({Origin.RENDER})
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
    kinds = frozenset({Origin.COMPOSE, Origin.RAILWAY, Origin.NIXPACKS})
    advice = "interpolate it (${NAME}) or load it from an env_file / the platform's variables"


RULES: tuple[type[Rule], ...] = (RenderHardCodedSecret, ConfigHardCodedSecret)
