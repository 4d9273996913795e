"""Environment names: what each framework treats as production.

Frameworks compare the name exactly: Express and Next.js run in production mode only for
``NODE_ENV=production``, so ``NODE_ENV=prod`` keeps development behaviour (no view cache, stack
traces); Rails loads ``config/environments/<RAILS_ENV>.rb``; Laravel's ``isProduction()`` wants
``APP_ENV=production`` while Symfony's production name is ``prod``; Elixir's ``MIX_ENV`` is
``prod``; ASP.NET Core's is ``Production``.
"""

from __future__ import annotations

from enum import StrEnum

_DEVELOPMENT = frozenset({"local", "dev", "develop", "development", "debug", "test", "testing"})
_STAGING = frozenset({"staging", "stage", "preprod", "pre-production", "uat"})
_PRODUCTION = frozenset({"production", "prod", "live"})
#: names each variable's reader accepts as production, where it is strict about it
_EXACT = {
    "NODE_ENV": frozenset({"production"}),
    "RAILS_ENV": frozenset({"production"}),
    "RACK_ENV": frozenset({"production"}),
    "FLASK_ENV": frozenset({"production"}),
    "MIX_ENV": frozenset({"prod"}),
    "ASPNETCORE_ENVIRONMENT": frozenset({"production"}),
    "DOTNET_ENVIRONMENT": frozenset({"production"}),
}
_READERS = {
    "NODE_ENV": "Express and Next.js",
    "RAILS_ENV": "Rails",
    "RACK_ENV": "Rack",
    "FLASK_ENV": "Flask",
    "MIX_ENV": "Mix",
    "ASPNETCORE_ENVIRONMENT": "ASP.NET Core",
    "DOTNET_ENVIRONMENT": ".NET",
}


class Stage(StrEnum):
    """What an environment name means to the app that reads it."""

    PRODUCTION = "production"
    STAGING = "staging"
    DEVELOPMENT = "development"
    #: a production word the reader does not accept (``NODE_ENV=prod``)
    ALIAS = "alias"
    UNKNOWN = "unknown"


def is_env_name_key(key: str) -> bool:
    """A variable that names the environment (``APP_ENV``, ``NODE_ENV``, ``*_ENVIRONMENT``, ``*_STAGE``,
    Spring's ``SPRING_PROFILES_ACTIVE``)."""
    upper = key.upper()
    return upper in ("ENV", "ENVIRONMENT", "STAGE", "SPRING_PROFILES_ACTIVE") or upper.endswith(
        ("_ENV", "_ENVIRONMENT", "_STAGE")
    )


def stage(key: str, value: str, framework: str | None = None) -> Stage:
    """What ``key=value`` means; ``framework`` (``laravel``, ``symfony``...) makes ``APP_ENV`` exact."""
    name = value.strip().strip("'\"").strip().lower()
    upper = key.upper()
    if upper == "SPRING_PROFILES_ACTIVE":
        names = [n for n in name.replace(",", " ").split() if n]
        found = [stage("APP_ENV", n) for n in names]
        for wanted in (Stage.DEVELOPMENT, Stage.STAGING, Stage.PRODUCTION):
            if wanted in found:
                return wanted
        return Stage.UNKNOWN
    exact = _EXACT.get(upper)
    if upper == "APP_ENV" and framework == "laravel":
        exact = frozenset({"production"})
    elif upper == "APP_ENV" and framework == "symfony":
        exact = frozenset({"prod"})
    if exact is not None and name in exact:
        return Stage.PRODUCTION
    if name in _DEVELOPMENT:
        return Stage.DEVELOPMENT
    if name in _STAGING:
        return Stage.STAGING
    if name in _PRODUCTION:
        return Stage.ALIAS if exact is not None else Stage.PRODUCTION
    return Stage.UNKNOWN


def reader(key: str, framework: str | None = None) -> str:
    """Who reads ``key`` strictly, for messages (``Express and Next.js``)."""
    if key.upper() == "APP_ENV" and framework:
        return framework.capitalize()
    return _READERS.get(key.upper(), "the framework")


def production_name(key: str, framework: str | None = None) -> str:
    """The name ``key``'s reader wants for production."""
    exact = _EXACT.get(key.upper())
    if key.upper() == "APP_ENV" and framework == "symfony":
        return "prod"
    return next(iter(exact)) if exact else "production"
