"""The leak rules for example files (EG301-EG302): real credentials flagged, placeholders left alone."""

from __future__ import annotations

import pytest
from secret_samples import (
    ANON,
    DEMO_SERVICE,
    HEX64,
    LARAVEL_KEY,
    SENTRY_DSN,
    SERVICE,
    STRIPE_LIVE,
    STRIPE_PUBLISHABLE,
    URLSAFE43,
    jwt,
)

from envguard import engine, envfile, sources
from envguard.findings import Environment
from envguard.model import Context
from envguard.rules import leak
from envguard.schema import GENERIC


def context(text: str, env: Environment = Environment.EXAMPLE) -> Context:
    return sources.file_context(envfile.parse_text(text), env, GENERIC, ".env.example")


def found(text: str, env: Environment = Environment.EXAMPLE) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.key, f.severity.value) for f in engine.run(context(text, env), leak.RULES)]


FLAGGED = [
    (
        "STRIPE_SECRET_KEY=" + STRIPE_LIVE,
        "EG301",
        "STRIPE_SECRET_KEY holds a Stripe live secret key in an example file",
    ),
    ("STRIPE_RESTRICTED_KEY=rk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "EG301", None),
    (
        "AWS_ACCESS_KEY_ID=AKIAZ7Q2Z7Q2Z7Q2Z7Q2",
        "EG301",
        "AWS_ACCESS_KEY_ID holds an AWS access key id in an example file",
    ),
    ("GITHUB_TOKEN=ghp_" + "a1B2" * 9, "EG301", None),
    ("SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/" + "Xy9" * 8, "EG301", None),
    ("OPENAI_API_KEY=sk-proj-" + "Ab3d" * 12, "EG301", None),
    ("CLAUDE_API_KEY=sk-ant-api03-" + "Ab3_" * 20, "EG301", None),
    ("SENDGRID_API_KEY=SG." + "Ab3d" * 6 + "." + "Xy9z" * 11, "EG301", None),
    ("TWILIO_ACCOUNT_SID=AC" + "0f" * 16, "EG301", None),
    ("TELEGRAM_BOT_TOKEN=7012345678:AAH" + "k3Lm" * 8, "EG301", None),
    (
        'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----"',
        "EG301",
        "JWT_PRIVATE_KEY holds a private key in an example file",
    ),
    ("SUPABASE_SERVICE_ROLE_KEY=" + SERVICE, "EG301", None),
    ("ADMIN_JWT=" + jwt({"sub": "1", "admin": True}), "EG301", None),
    ("JWT_SECRET=" + HEX64, "EG302", "JWT_SECRET holds a random-looking value in an example file"),
    ("SECRET_KEY=" + URLSAFE43, "EG302", None),
    ("APP_KEY=" + LARAVEL_KEY, "EG302", None),
    ("DB_PASSWORD=vX3q9LmTz2rWk7pFb4Ns", "EG302", None),
    (
        "DATABASE_URL=postgresql://ledger:vX3q9LmTz2rWk7pFb4Ns@db.internal:5432/ledger",
        "EG302",
        "DATABASE_URL holds a real-looking password in its URL in an example file",
    ),
]


@pytest.mark.parametrize(("line", "code", "message"), FLAGGED)
def test_real_credentials_in_examples_are_errors(line: str, code: str, message: str | None) -> None:
    findings = engine.run(context(line), leak.RULES)
    assert [(f.code, f.severity.value) for f in findings] == [(code, "error")]
    if message is not None:
        assert findings[0].message == message
    assert line.partition("=")[2].strip('"') not in findings[0].message


def test_test_mode_key_in_example_is_a_warning() -> None:
    assert found("STRIPE_SECRET_KEY=sk_test_51HxAbCdEfGhIjKlMnOpQrStUv") == [
        ("EG301", "STRIPE_SECRET_KEY", "warning")
    ]


PLACEHOLDER_EXAMPLE = """\
APP_KEY=
APP_KEY_EXAMPLE=base64:YOUR_ACTUAL_APP_KEY_HERE
DB_PASSWORD=YOUR_SECURE_PASSWORD_HERE
CLAUDE_API_KEY=sk-ant-YOUR_API_KEY_HERE
AWS_ACCESS_KEY_ID=AKIA_YOUR_KEY_HERE
AWS_SECRET_ACCESS_KEY=YOUR_SECRET_KEY_HERE
TELEGRAM_TOKEN_CLIENT=1234567890:AAAA-your-client-bot-token
SECRET_KEY=your-super-secret-key-change-this-in-production
JWT_SECRET_KEY=your-jwt-secret-key-change-this
DATABASE_URL=postgresql://user:password@host:5432/database_name
LOCAL_DATABASE_URL=postgres://postgres:postgres@localhost:5432/app
REDIS_URL=redis://host:6379/0
SESSION_SECRET=keyboard cat
DJANGO_SECRET_KEY=django-insecure-7l1cu+o9z3x0kqv3b9yq6k1m8s
DEV_SECRET=dev-secret-key-not-for-production
STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx
STRIPE_TEST_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc
AWS_EXAMPLE_KEY_ID=AKIAIOSFODNN7EXAMPLE
SENTRY_DSN=https://your-sentry-dsn@sentry.io/project-id
MAIL_PASSWORD=<smtp-password>
JWT_REFRESH_SECRET=${JWT_SECRET}
API_TOKEN=changeme
"""


def test_placeholder_example_file_is_clean() -> None:
    assert found(PLACEHOLDER_EXAMPLE) == []


@pytest.mark.parametrize(
    "line",
    [
        "STRIPE_PUBLISHABLE_KEY=" + STRIPE_PUBLISHABLE,
        "SUPABASE_ANON_KEY=" + ANON,
        "SUPABASE_SERVICE_ROLE_KEY=" + DEMO_SERVICE,
        "SENTRY_DSN=" + SENTRY_DSN,
        "VITE_GA_MEASUREMENT_ID=G-7XK2M9QZ3B",
        "APP_URL=https://facturino.mk",
        "REQUEST_ID_PREFIX=" + HEX64[:8],
        'DB_PASSWORD="encrypted:BNexEwjKwt87k+Q3tH4uPp9hEoRjYsmvZ8Cl0a8Qy1wA"',
        "SOME_JWT=" + jwt({"sub": "42", "role": "authenticated"}),
    ],
)
def test_public_and_non_secret_values_pass(line: str) -> None:
    assert found(line) == []


def test_leak_rules_only_run_on_example_files() -> None:
    text = f"STRIPE_SECRET_KEY={STRIPE_LIVE}\nJWT_SECRET={HEX64}\n"
    for env in (Environment.PRODUCTION, Environment.STAGING, Environment.DEVELOPMENT, Environment.TEST):
        assert found(text, env) == []
    assert [code for code, _, _ in found(text)] == ["EG301", "EG302"]
