"""The exposure rules (EG701-EG703): secrets behind browser prefixes, public-by-design values pass."""

from __future__ import annotations

import pytest
from family import context
from secret_samples import ANON, HEX64, SENTRY_DSN, SERVICE, STRIPE_LIVE, STRIPE_PUBLISHABLE, URLSAFE43

from envguard import engine
from envguard.findings import Environment
from envguard.rules import exposure


def found(
    text: str, env: Environment = Environment.PRODUCTION, schema: dict[str, object] | None = None
) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.key, f.severity.value) for f in engine.run(context(text, env, schema), exposure.RULES)]


FLAGGED = [
    ("VITE_JWT_SECRET=" + HEX64, "EG701", "VITE_JWT_SECRET is a secret in a browser-exposed variable"),
    ("REACT_APP_ADMIN_PASSWORD=" + URLSAFE43, "EG701", None),
    ("NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY=your-service-role-key", "EG701", None),
    ("NUXT_PUBLIC_PRIVATE_API_KEY=" + URLSAFE43, "EG701", None),
    ("EXPO_PUBLIC_CLIENT_SECRET=" + URLSAFE43, "EG701", None),
    (
        "VITE_STRIPE_KEY=" + STRIPE_LIVE,
        "EG702",
        "VITE_STRIPE_KEY is browser-exposed and holds a Stripe live secret key",
    ),
    ("NEXT_PUBLIC_STRIPE_SECRET_KEY=sk_test_51HxAbCdEfGhIjKlMnOpQrStUv", "EG702", None),
    (
        "NEXT_PUBLIC_SUPABASE_KEY=" + SERVICE,
        "EG702",
        "NEXT_PUBLIC_SUPABASE_KEY is browser-exposed and holds a Supabase service-role key",
    ),
    ("REACT_APP_OPENAI_API_KEY=sk-proj-" + "Ab3d" * 12, "EG702", None),
    ("PUBLIC_GITHUB_TOKEN=ghp_" + "a1B2" * 9, "EG702", None),
    ("GATSBY_TELEGRAM_BOT_TOKEN=7012345678:AAH" + "k3Lm" * 8, "EG702", None),
    ("VITE_API_URL=https://admin:vX3q9LmTz2rWk7pF@api.internal/v1", "EG702", None),
    (
        "VITE_DATABASE_URL=postgresql://ledger:vX3q9LmTz2rWk7pF@db.internal:5432/ledger",
        "EG703",
        "VITE_DATABASE_URL is browser-exposed and holds a connection URL",
    ),
    ("NEXT_PUBLIC_REDIS_URL=redis://cache.internal:6379/0", "EG703", None),
    ("VITE_MONGO_URI=mongodb+srv://app:pw@cluster0.abcde.mongodb.net/app", "EG703", None),
]


@pytest.mark.parametrize(("line", "code", "message"), FLAGGED)
def test_secrets_in_browser_variables_are_errors(line: str, code: str, message: str | None) -> None:
    findings = engine.run(context(line), exposure.RULES)
    assert [(f.code, f.severity.value) for f in findings] == [(code, "error")]
    if message is not None:
        assert findings[0].message == message
    assert line.partition("=")[2] not in findings[0].message


PUBLIC_BY_DESIGN = [
    "VITE_STRIPE_PUBLISHABLE_KEY=" + STRIPE_PUBLISHABLE,
    "NEXT_PUBLIC_STRIPE_KEY=" + STRIPE_PUBLISHABLE,
    "NEXT_PUBLIC_SUPABASE_ANON_KEY=" + ANON,
    "VITE_SUPABASE_KEY=" + ANON,
    "NEXT_PUBLIC_SUPABASE_URL=https://abcdefghijklmnop.supabase.co",
    "VITE_SENTRY_DSN=" + SENTRY_DSN,
    "VITE_SENTRY_DSN=https://your-sentry-dsn@sentry.io/project-id",
    "NEXT_PUBLIC_GA_ID=G-7XK2M9QZ3B",
    "REACT_APP_GTM_ID=GTM-ABC1234",
    "NEXT_PUBLIC_POSTHOG_KEY=phc_k3Lm9Qz2Vx8Wb1Nc4Rt7Yp0Sd6FhJ2aL",
    "VITE_FIREBASE_API_KEY=AIzaSyD-k3Lm9Qz2Vx8Wb1Nc4Rt7Yp0Sd6FhJ2",
    "VITE_MAPBOX_TOKEN=pk.eyJ1IjoibWFs.abc",
    "VITE_API_BASE_URL=https://api.malar-market-ledger.com/api/v1",
    "VITE_WS_URL=wss://api.malar-market-ledger.com/ws",
    "VITE_PASSWORD_MIN_LENGTH=12",
    "NEXT_PUBLIC_RECAPTCHA_SITE_KEY=6LcX0k3Lm9Qz2Vx8Wb1Nc4Rt7Yp0Sd6FhJ2aLmQ",
    "VITE_JWT_SECRET=${JWT_SECRET}",
    'VITE_JWT_SECRET="encrypted:BNexEwjKwt87k+Q3tH4uPp9hEoRjYsmvZ8Cl0a8Q"',
    "JWT_SECRET=" + HEX64,
    "STRIPE_SECRET_KEY=" + STRIPE_LIVE,
    "SUPABASE_SERVICE_ROLE_KEY=" + SERVICE,
    "DATABASE_URL=postgresql://ledger:vX3q9LmTz2rWk7pF@db.internal:5432/ledger",
    "VITE_JWT_SECRET=",
]


@pytest.mark.parametrize("line", PUBLIC_BY_DESIGN)
def test_public_by_design_values_pass(line: str) -> None:
    assert found(line) == []


def test_schema_marks_public_and_secret() -> None:
    schema = {
        "schema": {"name": "t"},
        "vars": {"VITE_WIDGET_SECRET": {"public": True}, "VITE_BUILD_SALT": {"secret": True}},
    }
    text = f"VITE_WIDGET_SECRET=wgt_{URLSAFE43}\nVITE_BUILD_SALT={URLSAFE43}\n"
    assert found(text, schema=schema) == [("EG701", "VITE_BUILD_SALT", "error")]
    # a public mark does not excuse a value that is a secret by its format
    assert found(f"VITE_WIDGET_SECRET={STRIPE_LIVE}", schema=schema) == [
        ("EG702", "VITE_WIDGET_SECRET", "error")
    ]


def test_levels_by_environment() -> None:
    text = f"VITE_JWT_SECRET={HEX64}\nVITE_STRIPE_KEY={STRIPE_LIVE}\nVITE_DB_URL=postgres://db.internal/app\n"
    assert found(text, Environment.STAGING) == [
        ("EG701", "VITE_JWT_SECRET", "error"),
        ("EG702", "VITE_STRIPE_KEY", "error"),
        ("EG703", "VITE_DB_URL", "error"),
    ]
    assert {s for _, _, s in found(text, Environment.DEVELOPMENT)} == {"warning"}
    # in example files the real key is a leak (EG301); the design mistakes are still warnings
    assert found(text, Environment.EXAMPLE) == [
        ("EG701", "VITE_JWT_SECRET", "warning"),
        ("EG703", "VITE_DB_URL", "warning"),
    ]
