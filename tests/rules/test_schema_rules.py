"""The ``schema`` family: a table per rule of values it must flag and realistic ones it must not."""

from __future__ import annotations

import re
import tomllib

import pytest

from envguard import engine, envfile
from envguard.findings import Category, Environment, Finding, Severity
from envguard.rules import debug
from envguard.rules import schema as schema_rules
from envguard.rules.base import DOC_SECTIONS, Rule
from envguard.rules.schema.format import InvalidChoice, InvalidType, PatternMismatch
from envguard.rules.schema.placeholders import LocalAddress, PlaceholderDomain, PlaceholderValue
from envguard.rules.schema.policy import EnvironmentValue, ForbiddenValue, TooShort
from envguard.rules.schema.presence import (
    DeprecatedVariable,
    MissingExampleKey,
    RequiredEmpty,
    RequiredMissing,
)
from envguard.schema import GENERIC, Schema, build
from envguard.sources import file_context

PROD, DEV, EXAMPLE = Environment.PRODUCTION, Environment.DEVELOPMENT, Environment.EXAMPLE


def make_schema(toml: str) -> Schema:
    return build(tomllib.loads(toml), source="test.toml")


def run(
    rule: type[Rule],
    text: str,
    schema: Schema = GENERIC,
    env: Environment = PROD,
    example_keys: frozenset[str] | None = None,
) -> list[Finding]:
    parsed = envfile.parse_text(text, ".env.test")
    ctx = file_context(parsed, env, schema, ".env.test", example_keys=example_keys)
    found = engine.run(ctx, [rule])
    for finding in found:  # no value ever reaches a finding
        for value in parsed.values().values():
            if len(value) >= 8:
                assert value not in finding.message and value not in (finding.hint or "")
    return found


def flagged(rule: type[Rule], key: str, value: str, schema: Schema, env: Environment = PROD) -> bool:
    return bool(run(rule, f"{key}={value}\n", schema, env))


def test_family_is_complete_and_documented() -> None:
    codes = [r.code for r in schema_rules.RULES]
    assert len(set(codes)) == len(codes) == 13
    assert len({r.name for r in schema_rules.RULES}) == 13
    for rule in schema_rules.RULES:
        assert re.fullmatch(r"EG9\d\d", rule.code) and rule.category is Category.SCHEMA
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert all(section in rule.doc() for section in DOC_SECTIONS), rule.name


# invalid-type ----------------------------------------------------------------------------------

TYPE_TABLE = [
    ("int", "5432", False),
    ("int", "-1", False),
    ("int", "5432/tcp", True),
    ("int", "1.5", True),
    ("float", "0.1", False),
    ("float", "1e-3", False),
    ("float", "ten", True),
    ("bool", "true", False),
    ("bool", "False", False),
    ("bool", "0", False),
    ("bool", "on", False),
    ("bool", "enabled", True),
    ("bool", "truee", True),
    ("url", "https://app.facturino.mk", False),
    ("url", "postgresql://db:5432/ledger", False),
    ("url", "wss://api.malar-market-ledger.com/ws", False),
    ("url", "malar-market-ledger.com", True),
    ("url", "https://", True),
    ("url", "http://api.acme.io:99999", True),
    ("url-list", "https://malar-market-ledger.com,https://www.malar-market-ledger.com", False),
    ("url-list", "https://a.acme.io, admin.acme.io", True),
    ("email", "noreply@facturino.mk", False),
    ("email", "Acme Store <orders@acme-store.io>", False),
    ("email", "noreply", True),
    ("email", "admin@facturino", True),
    ("port", "6379", False),
    ("port", "0", True),
    ("port", "65536", True),
    ("port", "http", True),
    ("duration", "15m", False),
    ("duration", "7d", False),
    ("duration", "900", False),
    ("duration", "1h30m", False),
    ("duration", "PT15M", False),
    ("duration", "2 days", False),
    ("duration", "soon", True),
    ("duration", "15 minutes ago", True),
    ("host", "db.internal.acme.io", False),
    ("host", "10.0.0.1", False),
    ("host", "[::1]", False),
    ("host", "redis:6379", False),
    ("host", "https://db.acme.io", True),
    ("host", "db host", True),
    ("host-list", "acme.io,admin.acme.io:8080", False),
    ("host-list", "https://acme.io", True),
    ("json", '["https://acme.io"]', False),
    ("json", "[acme", True),
    ("string", "anything at all", False),
]


@pytest.mark.parametrize(("kind", "value", "bad"), TYPE_TABLE)
def test_invalid_type(kind: str, value: str, bad: bool) -> None:
    schema = make_schema(f'[vars.SETTING]\ntype = "{kind}"\n')
    assert flagged(InvalidType, "SETTING", value, schema) is bad


@pytest.mark.parametrize("value", ["", "null", "YOUR_PORT_HERE", "<port>"])
def test_invalid_type_leaves_empty_unset_and_placeholder_values_to_other_rules(value: str) -> None:
    schema = make_schema('[vars.DB_PORT]\ntype = "port"\n')
    assert not flagged(InvalidType, "DB_PORT", value, schema)


def test_invalid_type_is_a_warning_in_development_and_off_in_examples() -> None:
    schema = make_schema('[vars.DB_PORT]\ntype = "port"\n')
    assert run(InvalidType, "DB_PORT=pg\n", schema, DEV)[0].severity is Severity.WARNING
    assert not run(InvalidType, "DB_PORT=pg\n", schema, EXAMPLE)


# invalid-choice --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "bad"), [("database", False), ("Redis", False), ("file", True), ("reddis", True)]
)
def test_invalid_choice(value: str, bad: bool) -> None:
    schema = make_schema('[vars.SESSION_DRIVER]\nchoices = ["database", "redis"]\n')
    found = run(InvalidChoice, f"SESSION_DRIVER={value}\n", schema)
    assert bool(found) is bad
    if found:
        assert found[0].hint == "one of: database, redis"


# pattern-mismatch ------------------------------------------------------------------------------

SID = """
[vars.TWILIO_ACCOUNT_SID]
secret = false
pattern = '^AC[0-9a-f]{32}$'
example = "AC0123456789abcdef0123456789abcdef"
[vars.TWILIO_AUTH_TOKEN]
secret = true
pattern = '^[0-9a-f]{32}$'
example = "0123456789abcdef0123456789abcdef"
"""


@pytest.mark.parametrize(
    ("key", "value", "bad"),
    [
        ("TWILIO_ACCOUNT_SID", "AC7f3e1b2c4d5a69788a9b0c1d2e3f4a5b", False),
        ("TWILIO_ACCOUNT_SID", "SK7f3e1b2c4d5a69788a9b0c1d2e3f4a5b", True),
        ("TWILIO_ACCOUNT_SID", "AC7f3e1b2c", True),
        ("TWILIO_ACCOUNT_SID", "your-twilio-account-sid", False),  # a placeholder: not this rule
        ("TWILIO_AUTH_TOKEN", "9c1d2e3f4a5b7f3e1b2c4d5a69788a9b", False),
        ("TWILIO_AUTH_TOKEN", "9c1d2e3f-4a5b-7f3e-1b2c-4d5a69788a9b", True),
    ],
)
def test_pattern_mismatch(key: str, value: str, bad: bool) -> None:
    found = run(PatternMismatch, f"{key}={value}\n", make_schema(SID))
    assert bool(found) is bad
    if found:
        assert found[0].message == f"{key} does not match the expected format"


def test_pattern_hint_shows_the_example_only_for_non_secrets() -> None:
    schema = make_schema(SID)
    sid = run(PatternMismatch, "TWILIO_ACCOUNT_SID=SK00\n", schema)[0]
    token = run(PatternMismatch, "TWILIO_AUTH_TOKEN=zz\n", schema)[0]
    assert sid.hint == "for example: AC0123456789abcdef0123456789abcdef"
    assert token.hint is None


# too-short -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "bad"),
    [
        ("ADMIN_USERNAME", "ad", True),
        ("ADMIN_USERNAME", "coffee-manager", False),
        ("SECRET_KEY", "k3Jx9-Qm", False),  # a short secret is the weak-secret rules' finding
        ("SECRET_KEY", "Zq8wK2mP9xR4tV7yB3nC6fH1jL5sD0gA", False),
    ],
)
def test_too_short(key: str, value: str, bad: bool) -> None:
    schema = make_schema(
        "[vars.ADMIN_USERNAME]\nmin_length = 6\n[vars.SECRET_KEY]\nsecret = true\nmin_length = 32\n"
    )
    found = run(TooShort, f"{key}={value}\n", schema)
    assert bool(found) is bad
    if found:
        assert found[0].message == f"{key} is {len(value)} characters long; the schema requires at least 6"


# forbidden-value -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "env", "bad"),
    [
        ("log", PROD, True),
        ("LOG", Environment.STAGING, True),
        ("log", DEV, False),
        ("smtp", PROD, False),
        ("postmark", PROD, False),
    ],
)
def test_forbidden_value(value: str, env: Environment, bad: bool) -> None:
    schema = make_schema('[vars.MAIL_MAILER]\nforbid = ["log", "array"]\n')
    assert flagged(ForbiddenValue, "MAIL_MAILER", value, schema, env) is bad


# environment-value -----------------------------------------------------------------------------

PINNED = """
[vars.APP_DEBUG]
type = "bool"
production = false
[vars.ENVIRONMENT]
production = "production|prod"
development = "development"
[vars.QUEUE_CONNECTION]
production = "redis"
"""


@pytest.mark.parametrize(
    ("key", "value", "env", "bad"),
    [
        ("QUEUE_CONNECTION", "database", PROD, True),
        ("QUEUE_CONNECTION", "Redis", PROD, False),
        ("QUEUE_CONNECTION", "database", DEV, False),
        ("APP_DEBUG", "true", PROD, False),  # the debug family reports it, see below
        ("APP_DEBUG", "1", PROD, False),
        ("APP_DEBUG", "false", PROD, False),
        ("APP_DEBUG", "False", PROD, False),
        ("APP_DEBUG", "0", PROD, False),
        ("APP_DEBUG", "true", DEV, False),
        ("ENVIRONMENT", "staging", PROD, False),  # the debug family reports it
        ("ENVIRONMENT", "production", PROD, False),
        ("ENVIRONMENT", "Prod", PROD, False),
        ("ENVIRONMENT", "production", DEV, True),
        ("ENVIRONMENT", "production", EXAMPLE, False),
    ],
)
def test_environment_value(key: str, value: str, env: Environment, bad: bool) -> None:
    found = run(EnvironmentValue, f"{key}={value}\n", make_schema(PINNED), env)
    assert bool(found) is bad


def test_environment_value_says_what_the_schema_requires() -> None:
    found = run(EnvironmentValue, "QUEUE_CONNECTION=sync\n", make_schema(PINNED))
    assert found[0].message == "the schema requires QUEUE_CONNECTION=redis in production"


@pytest.mark.parametrize("line", ["APP_DEBUG=true", "APP_DEBUG=1", "ENVIRONMENT=staging"])
def test_a_pinned_debug_flag_is_reported_once_by_the_debug_family(line: str) -> None:
    schema = make_schema(PINNED)
    parsed = envfile.parse_text(line + "\n", ".env.production")
    ctx = file_context(parsed, PROD, schema, ".env.production")
    found = engine.run(ctx, [*debug.RULES, *(), EnvironmentValue])
    assert len(found) == 1 and found[0].category is Category.DEBUG


# required-missing and required-empty -----------------------------------------------------------

REQUIRED = """
[vars.APP_KEY]
required = true
secret = true
[vars.CLAUDE_API_KEY]
required_when = "FEATURE_MCP_AI_TOOLS=true"
[vars.REDIS_HOST]
required_when = ["CACHE_STORE=redis", "QUEUE_CONNECTION=redis"]
[vars.MAIL_MAILER]
required = true
[vars.MAIL_DRIVER]
replaced_by = "MAIL_MAILER"
[vars.DB_PASSWORD]
required = true
allow_empty = true
"""
BASE = "APP_KEY=base64:x\nMAIL_MAILER=smtp\nDB_PASSWORD=\n"


@pytest.mark.parametrize(
    ("extra", "missing"),
    [
        ("", set()),
        ("FEATURE_MCP_AI_TOOLS=false\n", set()),
        ("FEATURE_MCP_AI_TOOLS=True\n", {"CLAUDE_API_KEY"}),
        ("FEATURE_MCP_AI_TOOLS=true\nCLAUDE_API_KEY=sk-ant-x\n", set()),
        ("QUEUE_CONNECTION=redis\n", {"REDIS_HOST"}),
        ("CACHE_STORE=database\nQUEUE_CONNECTION=database\n", set()),
    ],
)
def test_required_missing(extra: str, missing: set[str]) -> None:
    found = run(RequiredMissing, BASE + extra, make_schema(REQUIRED))
    assert {f.key for f in found} == missing
    assert all(f.line is None for f in found)


def test_required_missing_names_the_schema_and_the_condition() -> None:
    found = run(RequiredMissing, "FEATURE_MCP_AI_TOOLS=true\n", make_schema(REQUIRED))
    messages = {f.key: f.message for f in found}
    assert messages["APP_KEY"] == "APP_KEY is required by schema test but not set"
    assert messages["CLAUDE_API_KEY"].endswith("(required when FEATURE_MCP_AI_TOOLS=true)")


def test_a_deprecated_predecessor_covers_its_replacement() -> None:
    found = run(RequiredMissing, "APP_KEY=k\nMAIL_DRIVER=smtp\nDB_PASSWORD=p\n", make_schema(REQUIRED))
    assert found == []


def test_required_missing_is_info_in_development_and_off_in_examples() -> None:
    schema = make_schema(REQUIRED)
    assert {f.severity for f in run(RequiredMissing, "", schema, DEV)} == {Severity.INFO}
    assert run(RequiredMissing, "", schema, EXAMPLE) == []


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("APP_KEY=\nMAIL_MAILER=smtp\n", {"APP_KEY"}),
        ("APP_KEY=''\nMAIL_MAILER=  \n", {"APP_KEY", "MAIL_MAILER"}),
        ("APP_KEY=encrypted:BDb7t0eW\nMAIL_MAILER=smtp\nDB_PASSWORD=\n", set()),
        ("APP_KEY=k\nMAIL_MAILER=smtp\nCLAUDE_API_KEY=\n", set()),  # not required here
    ],
)
def test_required_empty(text: str, empty: set[str]) -> None:
    assert {f.key for f in run(RequiredEmpty, text, make_schema(REQUIRED))} == empty


# deprecated-variable ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("MAIL_DRIVER=smtp\n", "MAIL_DRIVER is deprecated: use MAIL_MAILER"),
        (
            "MAIL_DRIVER=smtp\nMAIL_MAILER=smtp\n",
            "MAIL_DRIVER is deprecated: use MAIL_MAILER (both are set: remove it)",
        ),
        ("FLASK_ENV=production\n", "FLASK_ENV is deprecated: use FLASK_DEBUG"),
        ("OLD_FLAG=1\n", "OLD_FLAG is deprecated and no longer read"),
        ("MAIL_MAILER=smtp\nFLASK_DEBUG=0\n", None),
    ],
)
@pytest.mark.parametrize("env", [PROD, DEV, EXAMPLE])
def test_deprecated_variable(text: str, message: str | None, env: Environment) -> None:
    schema = make_schema(
        '[vars.MAIL_DRIVER]\nreplaced_by = "MAIL_MAILER"\n'
        '[vars.FLASK_ENV]\nreplaced_by = "FLASK_DEBUG"\n[vars.OLD_FLAG]\ndeprecated = true\n'
    )
    found = run(DeprecatedVariable, text, schema, env)
    assert [f.message for f in found] == ([message] if message else [])
    assert all(f.severity is Severity.WARNING for f in found)


# missing-example-key ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "missing"),
    [
        (frozenset({"APP_KEY", "REDIS_PASSWORD"}), ["REDIS_PASSWORD"]),
        (frozenset({"APP_KEY"}), []),
        (None, []),
    ],
)
def test_missing_example_key(keys: frozenset[str] | None, missing: list[str]) -> None:
    found = run(MissingExampleKey, "APP_KEY=k\nAPP_URL=https://facturino.mk\n", example_keys=keys)
    assert [f.key for f in found] == missing


# placeholder-domain ----------------------------------------------------------------------------

DOMAIN_TABLE = [
    ("APP_URL", "https://your-production-domain.com", True),
    ("APP_URL", "https://yourdomain.com/app", True),
    ("SANCTUM_STATEFUL_DOMAINS", "your-production-domain.com", True),
    ("DB_HOST", "your-postgres-host.railway.app", True),
    ("REDIS_URL", "redis://host:6379/0", True),
    ("MAIL_HOST", "smtp.example.com", True),
    ("MAIL_FROM_ADDRESS", "noreply@example.org", True),
    ("APP_URL", "https://finance.example.net", True),
    ("API_URL", "https://api.shop.test", True),
    ("ALLOWED_HOSTS", "acme.io,staging.example", True),
    ("APP_URL", "https://facturino.mk", False),
    ("MAIL_HOST", "smtp.postmarkapp.com", False),
    ("APP_URL", "https://example-company.io", False),
    ("MAIL_FROM_ADDRESS", "noreply@facturino.mk", False),
    ("VITE_API_BASE_URL", "https://api.malar-market-ledger.com/api/v1", False),
    ("REDIS_HOST", "redis", False),
    ("DB_HOST", "127.0.0.1", False),
    ("APP_NAME", "Malar Market Digital Ledger", False),
    ("DB_PASSWORD", "example.com", False),  # a secret: the weak-secret rules judge it
]


@pytest.mark.parametrize(("key", "value", "bad"), DOMAIN_TABLE)
def test_placeholder_domain(key: str, value: str, bad: bool) -> None:
    assert flagged(PlaceholderDomain, key, value, GENERIC) is bad


def test_placeholder_domain_words_reserved_and_placeholder_apart() -> None:
    reserved = run(PlaceholderDomain, "MAIL_HOST=smtp.example.com\n")[0]
    placeholder = run(PlaceholderDomain, "APP_URL=https://yourdomain.com\n")[0]
    assert "reserved example domain" in reserved.message
    assert placeholder.message == "APP_URL points at a placeholder domain"


def test_placeholder_domain_is_info_in_development_and_right_in_examples() -> None:
    text = "APP_URL=https://your-production-domain.com\n"
    assert run(PlaceholderDomain, text, env=DEV)[0].severity is Severity.INFO
    assert run(PlaceholderDomain, text, env=EXAMPLE) == []


# placeholder-value -----------------------------------------------------------------------------

VALUE_TABLE = [
    ("TELEGRAM_CHAT_ID", "your_chat_id", True),
    ("SMTP_USER", "your-email@gmail.com", True),
    ("TWILIO_ACCOUNT_SID", "your-twilio-account-sid", True),
    ("SUPPORT_PHONE", "+380XXXXXXXXX", True),
    ("ADMIN_EMAIL", "<admin e-mail>", True),
    ("AWS_BUCKET", "CHANGE_ME", True),
    ("AWS_BUCKET", "REPLACE_WITH_BUCKET", True),
    ("REGION", "YOUR_REGION_HERE", True),
    ("DEFAULT_FROM_EMAIL", "Acme Store <orders@acme-store.io>", False),
    ("APP_NAME", "Malar Market Digital Ledger", False),
    ("TELEGRAM_CHAT_ID", "-1001234567890", False),
    ("AWS_DEFAULT_REGION", "eu-central-1", False),
    ("LOG_CHANNEL", "stack", False),
    ("GREETING", "come here", False),
    ("TOUR_GUIDE", "tour-guide", False),
    ("SMTP_PASSWORD", "your-app-password", False),  # a secret: the weak-secret rules judge it
    ("APP_URL", "https://your-production-domain.com", False),  # placeholder-domain reports it
]


@pytest.mark.parametrize(("key", "value", "bad"), VALUE_TABLE)
def test_placeholder_value(key: str, value: str, bad: bool) -> None:
    assert flagged(PlaceholderValue, key, value, GENERIC) is bad


def test_schema_decides_what_is_secret() -> None:
    schema = make_schema("[vars.SENTRY_DSN]\nsecret = false\n")
    dsn = "https://your-sentry-dsn@sentry.io/project-id"
    assert flagged(PlaceholderValue, "SENTRY_DSN", dsn, schema)
    # a DSN without a password is a public URL, judged like any other value
    assert flagged(PlaceholderValue, "SENTRY_DSN", dsn, GENERIC)
    secret = make_schema("[vars.SENTRY_DSN]\nsecret = true\n")
    assert not flagged(PlaceholderValue, "SENTRY_DSN", dsn, secret)


# local-address ---------------------------------------------------------------------------------

PUBLIC = '[vars.APP_URL]\ntype = "url"\npublic = true\n[vars.DB_HOST]\ntype = "host"\n'


@pytest.mark.parametrize(
    ("key", "value", "env", "bad"),
    [
        ("APP_URL", "http://localhost:8000", PROD, True),
        ("APP_URL", "https://127.0.0.1", Environment.STAGING, True),
        ("APP_URL", "http://0.0.0.0:8000", PROD, True),
        ("VITE_API_BASE_URL", "http://localhost:8000/api/v1", PROD, True),
        ("NEXT_PUBLIC_SITE_URL", "http://app.localhost:3000", PROD, True),
        ("APP_URL", "https://app.facturino.mk", PROD, False),
        ("APP_URL", "http://localhost:8000", DEV, False),
        ("DB_HOST", "127.0.0.1", PROD, False),
        ("REDIS_URL", "redis://localhost:6379/0", PROD, False),
    ],
)
def test_local_address(key: str, value: str, env: Environment, bad: bool) -> None:
    assert flagged(LocalAddress, key, value, make_schema(PUBLIC), env) is bad
