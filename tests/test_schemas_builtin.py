"""The built-in schemas against the seed guides' env blocks and against strong production files.

``fixtures/seeds/<app>.env`` are the guides' blocks as a user pastes them (concatenated, comments
kept); ``fixtures/good/<schema>.env`` are strong, correct production files for every schema.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envguard import catalog, engine, envfile
from envguard.findings import Environment, Finding, Severity
from envguard.rules import RULES
from envguard.rules import schema as schema_rules
from envguard.sources import file_context

FIXTURES = Path(__file__).parent / "fixtures"
FRAMEWORKS = ["laravel", "django", "flask", "fastapi", "rails", "node", "nextjs", "vite"]
APPS = {  # seed app -> the framework it extends
    "finance-tracker": "laravel",
    "loyalty-system": "fastapi",
    "facturino": "laravel",
    "beauty-platform": "node",
    "malar-ledger": "fastapi",
    "malar-ledger-web": "vite",
}


def check(path: Path, name: str, env: Environment = Environment.PRODUCTION) -> list[Finding]:
    parsed = envfile.read(path)
    ctx = file_context(parsed, env, catalog.load(name), path.name)
    return engine.run(ctx, schema_rules.RULES)


def codes(findings: list[Finding]) -> set[tuple[str, str | None]]:
    return {(f.name, f.key) for f in findings}


def test_every_documented_schema_is_built_in() -> None:
    assert set(catalog.builtin_names()) == {*FRAMEWORKS, *APPS}


@pytest.mark.parametrize("name", sorted({*FRAMEWORKS, *APPS}))
def test_builtin_schema_loads(name: str) -> None:
    loaded = catalog.load(name)
    assert loaded.name == name and loaded.description
    assert loaded.vars


@pytest.mark.parametrize(("app", "framework"), sorted(APPS.items()))
def test_each_app_extends_its_framework(app: str, framework: str) -> None:
    loaded = catalog.load(app)
    assert loaded.extends == (framework,)
    assert any(spec.required for spec in loaded.vars.values())


def missing(*keys: str) -> set[tuple[str, str | None]]:
    return {("required-missing", k) for k in keys}


SEED_FINDINGS: dict[str, set[tuple[str, str | None]]] = {
    "finance-tracker": missing(
        "APP_ENV",
        "APP_URL",
        "DB_HOST",
        "DB_PORT",
        "DB_DATABASE",
        "DB_USERNAME",
        "DB_PASSWORD",
        "REDIS_PASSWORD",
        "QUEUE_CONNECTION",
        "MAIL_MAILER",
        "MAIL_FROM_ADDRESS",
        "SENTRY_LARAVEL_DSN",
    ),
    "loyalty-system": missing("ENVIRONMENT"),
    "facturino": {
        ("placeholder-domain", "APP_URL"),
        ("placeholder-domain", "DB_HOST"),
        ("placeholder-domain", "SANCTUM_STATEFUL_DOMAINS"),
        ("placeholder-domain", "MAIL_HOST"),
        ("placeholder-domain", "REDIS_HOST"),
        ("deprecated-variable", "MAIL_DRIVER"),
    },
    "beauty-platform": missing("NODE_ENV", "DATABASE_URL", "REDIS_URL", "JWT_SECRET", "JWT_REFRESH_SECRET")
    | {("placeholder-value", "TELEGRAM_CHAT_ID")},
    "malar-ledger": {
        ("placeholder-domain", "REDIS_URL"),
        ("placeholder-value", "TWILIO_ACCOUNT_SID"),
        ("placeholder-value", "SMTP_USER"),
        ("placeholder-value", "SENTRY_DSN"),
    },
    "malar-ledger-web": {("placeholder-value", "VITE_SENTRY_DSN")},
}


@pytest.mark.parametrize("app", sorted(APPS))
def test_seed_block_reports_placeholders_deprecations_and_missing_variables(app: str) -> None:
    found = check(FIXTURES / "seeds" / f"{app}.env", app)
    assert codes(found) == SEED_FINDINGS[app]
    assert len(found) == len(SEED_FINDINGS[app])  # one finding per problem


def test_deprecated_mail_driver_names_its_replacement() -> None:
    found = check(FIXTURES / "seeds" / "facturino.env", "facturino")
    (deprecated,) = [f for f in found if f.key == "MAIL_DRIVER"]
    assert deprecated.message == "MAIL_DRIVER is deprecated: use MAIL_MAILER"
    assert deprecated.severity is Severity.WARNING and deprecated.line == 34


@pytest.mark.parametrize("app", sorted(APPS))
def test_seed_blocks_as_examples_are_not_placeholder_findings(app: str) -> None:
    found = check(FIXTURES / "seeds" / f"{app}.env", app, Environment.EXAMPLE)
    assert {f.name for f in found} <= {"deprecated-variable"}


@pytest.mark.parametrize("app", sorted(APPS))
def test_seed_blocks_in_development_give_no_error(app: str) -> None:
    found = check(FIXTURES / "seeds" / f"{app}.env", app, Environment.DEVELOPMENT)
    assert all(f.severity is not Severity.ERROR for f in found)


@pytest.mark.parametrize("name", sorted({*FRAMEWORKS, *APPS}))
@pytest.mark.parametrize("env", [Environment.PRODUCTION, Environment.STAGING])
def test_strong_production_file_gives_no_schema_finding(name: str, env: Environment) -> None:
    assert check(FIXTURES / "good" / f"{name}.env", name, env) == []


@pytest.mark.parametrize("name", sorted({*FRAMEWORKS, *APPS}))
@pytest.mark.parametrize("env", [Environment.PRODUCTION, Environment.STAGING])
def test_strong_production_file_passes_every_rule(name: str, env: Environment) -> None:
    path = FIXTURES / "good" / f"{name}.env"
    ctx = file_context(envfile.read(path), env, catalog.load(name), path.name)
    assert [(f.code, f.key) for f in engine.run(ctx, RULES)] == []


@pytest.mark.parametrize(
    ("name", "line", "key", "rule"),
    [
        ("facturino", "MAIL_MAILER=log", "MAIL_MAILER", "forbidden-value"),
        ("facturino", "SESSION_DRIVER=file", "SESSION_DRIVER", "invalid-choice"),
        ("facturino", "FEATURE_PSD2_BANKING=maybe", "FEATURE_PSD2_BANKING", "invalid-type"),
        ("finance-tracker", "QUEUE_CONNECTION=database", "QUEUE_CONNECTION", "environment-value"),
        (
            "malar-ledger",
            "TWILIO_WHATSAPP_NUMBER=+919876543210",
            "TWILIO_WHATSAPP_NUMBER",
            "pattern-mismatch",
        ),
        (
            "malar-ledger-web",
            "VITE_API_BASE_URL=http://localhost:8000/api/v1",
            "VITE_API_BASE_URL",
            "local-address",
        ),
        ("beauty-platform", "TELEGRAM_CHAT_ID=@ops", "TELEGRAM_CHAT_ID", "pattern-mismatch"),
        ("flask", "FLASK_ENV=production", "FLASK_ENV", "deprecated-variable"),
        ("loyalty-system", "SECRET_KEY=", "SECRET_KEY", "required-empty"),
    ],
)
def test_one_mistake_in_a_good_file_is_one_finding(
    tmp_path: Path, name: str, line: str, key: str, rule: str
) -> None:
    good = (FIXTURES / "good" / f"{name}.env").read_text(encoding="utf-8")
    path = tmp_path / ".env.production"
    path.write_text(good + line + "\n", encoding="utf-8")
    assert codes(check(path, name)) == {(rule, key)}


def every_rule(path: Path, name: str, env: Environment) -> list[Finding]:
    return engine.run(file_context(envfile.read(path), env, catalog.load(name), path.name), RULES)


#: real mistakes of the guides' blocks, wrong in any environment: keys defined twice, a renamed variable
BLOCK_MISTAKES = {"duplicate-key", "deprecated-variable"}


@pytest.mark.parametrize("app", sorted(APPS))
def test_seed_block_as_an_example_file_flags_no_placeholder(app: str) -> None:
    """In a .env.example placeholders are right: no family may warn about them."""
    found = every_rule(FIXTURES / "seeds" / f"{app}.env", app, Environment.EXAMPLE)
    assert [
        (f.code, f.key) for f in found if f.severity is not Severity.INFO and f.name not in BLOCK_MISTAKES
    ] == []


@pytest.mark.parametrize("app", sorted(APPS))
def test_seed_block_in_development_has_no_error_from_any_rule(app: str) -> None:
    found = every_rule(FIXTURES / "seeds" / f"{app}.env", app, Environment.DEVELOPMENT)
    assert [
        (f.code, f.key) for f in found if f.severity is Severity.ERROR and f.name not in BLOCK_MISTAKES
    ] == []


#: every family together on each guide's block, as a user pasting it would check it in production
ALL_FAMILIES_ON_SEEDS = {
    "facturino": {
        "deprecated-variable": {"MAIL_DRIVER"},
        "duplicate-key": {"CACHE_STORE", "QUEUE_CONNECTION", "SESSION_DRIVER"},
        "placeholder-domain": {"APP_URL", "DB_HOST", "SANCTUM_STATEFUL_DOMAINS", "MAIL_HOST", "REDIS_HOST"},
        "placeholder-secret": {
            "APP_KEY",
            "DB_PASSWORD",
            "MAIL_PASSWORD",
            "REDIS_PASSWORD",
            "CLAUDE_API_KEY",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
        },
        "trust-all-proxies": {"TRUSTED_PROXIES"},
    },
    "finance-tracker": {
        "placeholder-secret": {"APP_KEY"},
        "required-missing": {
            "APP_ENV",
            "APP_URL",
            "DB_DATABASE",
            "DB_HOST",
            "DB_PASSWORD",
            "DB_PORT",
            "DB_USERNAME",
            "MAIL_FROM_ADDRESS",
            "MAIL_MAILER",
            "QUEUE_CONNECTION",
            "REDIS_PASSWORD",
            "SENTRY_LARAVEL_DSN",
        },
    },
    "loyalty-system": {
        "placeholder-secret": {
            "TELEGRAM_TOKEN_CLIENT",
            "TELEGRAM_TOKEN_BARISTA",
            "POSTGRES_PASSWORD",
            "ADMIN_PASSWORD",
            "SECRET_KEY",
        },
        "required-missing": {"ENVIRONMENT"},
    },
    "beauty-platform": {
        "placeholder-secret": {"TELEGRAM_BOT_TOKEN"},
        "placeholder-value": {"TELEGRAM_CHAT_ID"},
        "required-missing": {"DATABASE_URL", "JWT_REFRESH_SECRET", "JWT_SECRET", "NODE_ENV", "REDIS_URL"},
    },
    "malar-ledger": {
        "duplicate-key": {"ENVIRONMENT", "DEBUG"},
        "placeholder-domain": {"REDIS_URL"},
        "placeholder-secret": {
            "SECRET_KEY",
            "JWT_SECRET_KEY",
            "TWILIO_AUTH_TOKEN",
            "INTERAKT_API_KEY",
            "SMTP_PASSWORD",
        },
        "placeholder-value": {"TWILIO_ACCOUNT_SID", "SMTP_USER", "SENTRY_DSN"},
        "weak-url-credentials": {"DATABASE_URL"},
    },
    "malar-ledger-web": {
        "duplicate-key": {"VITE_API_BASE_URL"},
        "placeholder-value": {"VITE_SENTRY_DSN"},
    },
}


@pytest.mark.parametrize("app", sorted(ALL_FAMILIES_ON_SEEDS))
def test_seed_block_in_production_reports_every_mistake_once(app: str) -> None:
    found = every_rule(FIXTURES / "seeds" / f"{app}.env", app, Environment.PRODUCTION)
    by_rule: dict[str, set[str | None]] = {}
    for finding in found:
        by_rule.setdefault(finding.name, set()).add(finding.key)
    assert by_rule == ALL_FAMILIES_ON_SEEDS[app]
    assert len(found) == sum(len(keys) for keys in ALL_FAMILIES_ON_SEEDS[app].values())
