"""roles and tokens: which variables are secrets, placeholders, provider formats, JWT claims, URLs."""

from __future__ import annotations

import base64
import random

import pytest
from secret_samples import ANON, DEMO_SERVICE, SERVICE, jwt

from envguard import envfile, sources
from envguard.findings import Environment
from envguard.rules import roles
from envguard.rules.base import Context
from envguard.schema import GENERIC, build


def ctx(text: str = "", schema_toml: dict[str, object] | None = None) -> Context:
    schema = build(schema_toml, source="test") if schema_toml else GENERIC
    return sources.file_context(envfile.parse_text(text), Environment.PRODUCTION, schema, "x")


@pytest.mark.parametrize(("key", "secret"), [
    ("DB_PASSWORD", True), ("POSTGRES_PASSWORD", True), ("MYSQL_PASSWD", True), ("SECRET_KEY", True),
    ("JWT_SECRET_KEY", True), ("TELEGRAM_TOKEN_CLIENT", True), ("TWILIO_AUTH_TOKEN", True),
    ("APP_KEY", True), ("STRIPE_SECRET_KEY", True), ("AWS_SECRET_ACCESS_KEY", True), ("API_KEYS", True),
    ("DOTENV_PRIVATE_KEY", True), ("GOOGLE_CREDENTIALS", True), ("SENTRY_DSN", True),
    ("DATABASE_URL", True), ("SECRET_KEY_BASE", True), ("OPENAI_APIKEY", True),
    ("AWS_ACCESS_KEY_ID", False), ("PUBLIC_KEY", False), ("DOTENV_PUBLIC_KEY", False),
    ("STRIPE_PUBLISHABLE_KEY", False), ("JWT_TOKEN_TTL", False), ("ACCESS_TOKEN_EXPIRE_MINUTES", False),
    ("REFRESH_TOKEN_EXPIRES_IN", False), ("JWT_PRIVATE_KEY_PATH", False), ("JWT_ALGORITHM", False),
    ("REDIS_KEY_PREFIX", False), ("TELEGRAM_CHAT_ID", False), ("PASSWORD_MIN_LENGTH", False),
    ("OAUTH_TOKEN_URL", False), ("APP_NAME", False), ("REDIS_URL", False), ("TWILIO_ACCOUNT_SID", False),
])
def test_secret_by_name(key: str, secret: bool) -> None:
    assert roles.secret_name(key) is secret


@pytest.mark.parametrize(("value", "secret"), [
    ("sk_live_51HxAbCdEfGhIjKlMnOpQrStUv", True), ("ghp_" + "a1B2" * 9, True), (SERVICE, True),
    ("postgresql://ledger:vX3q9LmTz2rWk7pF@db.internal:5432/ledger", True),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEA\\n-----END OPENSSH PRIVATE KEY-----", True),
    ("pk_live_51HxAbCdEfGhIjKlMnOpQrStUv", False), (ANON, False), ("AC" + "0f" * 16, False),
    ("https://3f2a9c@o450123.ingest.sentry.io/5512345", False), ("redis://cache.internal:6379/0", False),
    ("https://api.malar-market-ledger.com/api/v1", False), ("G-7XK2M9QZ3B", False), ("production", False),
])
def test_secret_by_value(value: str, secret: bool) -> None:
    assert roles.secret_value(value) is secret
    assert roles.is_secret(ctx(), "SOME_SETTING", value) is secret


def test_schema_decides_before_name_and_value() -> None:
    schema = {"schema": {"name": "t"}, "vars": {"SECRET_PHRASE_LENGTH": {"secret": True},
                                                "WIDGET_SECRET": {"public": True},
                                                "INTERNAL_TOKEN": {"secret": False}}}
    context = ctx(schema_toml=schema)
    assert roles.is_secret(context, "SECRET_PHRASE_LENGTH")
    assert not roles.is_secret(context, "WIDGET_SECRET")
    assert not roles.is_secret(context, "INTERNAL_TOKEN", "ghp_" + "a1B2" * 9)


PLACEHOLDERS = [
    "YOUR_SECURE_PASSWORD_HERE", "your-jwt-secret-key-change-this", "change-this-in-production",
    "your-super-secret-key-change-this-in-production", "GENERATED_KEY_HERE", "STRONG_PASSWORD_HERE",
    "sk-ant-YOUR_API_KEY_HERE", "AKIA_YOUR_KEY_HERE", "1234567890:AAAA-your-client-bot-token",
    "changeme", "CHANGE_ME", "xxxxxxxxxxxx", "sk_live_xxxxxxxxxxxxxxxx", "<your-api-key>", "<secret>",
    "base64:YOUR_ACTUAL_APP_KEY_HERE", "YOUR_SMTP_PASSWORD", "your_bot_token", "your-app-password",
    "your_super_secret_key_32_chars_min", "replace-with-a-real-key", "{{ JWT_SECRET }}", "[YOUR-KEY]",
    "********", "sk-...", "SECRET_KEY", "placeholder", "dummy-token", "AKIAIOSFODNN7EXAMPLE",
]
NOT_PLACEHOLDERS = [
    "3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54",
    "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=", "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv",
    "vX3q-9LmTz2r-Wk7pFb4", "${DB_PASSWORD}", "keyboard cat", "P@ssw0rd", "finance_prod_user",
    "Rj8#tQ1v!Ze5mW9c", "smtp.postmarkapp.com",
]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders(value: str) -> None:
    assert roles.is_placeholder(value)


@pytest.mark.parametrize("value", NOT_PLACEHOLDERS)
def test_not_placeholders(value: str) -> None:
    assert not roles.is_placeholder(value)


def test_random_values_are_never_placeholders() -> None:
    rng = random.Random(20261122)  # seeded: a failure must reproduce
    for _ in range(3000):
        raw = rng.randbytes(32)
        for value in (base64.urlsafe_b64encode(raw).decode().rstrip("="), raw.hex(),
                      base64.urlsafe_b64encode(raw[:16]).decode().rstrip("=")):
            assert not roles.is_placeholder(value), value


@pytest.mark.parametrize("value", ["xxxxxxxx", "sk-xxxx", "AKIAXXXXXXXXXXXXXXXX", "XXXX-XXXX", "key_xxxx"])
def test_runs_of_x_are_placeholders(value: str) -> None:
    assert roles.is_placeholder(value)


def test_a_short_run_of_x_inside_random_text_is_not_a_placeholder() -> None:
    assert not roles.is_placeholder("q8Zr2xxxxWb71LmA9cD3")


@pytest.mark.parametrize(("value", "label", "kind", "test"), [
    ("AKIA" + "Z7Q2" * 4, "an AWS access key id", "identifier", False),
    ("sk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe live secret key", "secret", False),
    ("rk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe live restricted key", "secret", False),
    ("sk_test_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe test-mode secret key", "secret", True),
    ("pk_test_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe test-mode publishable key", "public", True),
    ("pk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe publishable key", "public", False),
    ("ghp_" + "a1B2" * 9, "a GitHub token", "secret", False),
    ("github_pat_11ABCDEFG0" + "x9Y8" * 12, "a GitHub fine-grained token", "secret", False),
    ("https://hooks.slack.com/services/T00000000/B00000000/" + "Xy9" * 8, "a Slack webhook URL", "secret",
     False),
    ("sk-ant-api03-" + "Ab3_" * 20, "an Anthropic API key", "secret", False),
    ("sk-proj-" + "Ab3d" * 12, "an OpenAI API key", "secret", False),
    ("sk-" + "Ab3d" * 12, "an OpenAI API key", "secret", False),
    ("SG." + "Ab3d" * 6 + "." + "Xy9z" * 11, "a SendGrid API key", "secret", False),
    ("AC" + "0f" * 16, "a Twilio account SID", "identifier", False),
    ("SK" + "0f" * 16, "a Twilio API key SID", "identifier", False),
    ("7012345678:AAH" + "k3Lm" * 8, "a Telegram bot token", "secret", False),
    ("-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----", "a private key", "secret",
     False),
    (SERVICE, "a Supabase service-role key", "secret", False),
    (ANON, "a Supabase anon key", "public", False),
    (DEMO_SERVICE, "the Supabase local-development demo key", "public", True),
])
def test_identify(value: str, label: str, kind: str, test: bool) -> None:
    token = roles.identify(value)
    assert token is not None
    assert (token.label, token.kind, token.test) == (label, kind, test)


@pytest.mark.parametrize("value", [
    "AKIA_YOUR_KEY_HERE", "sk-ant-YOUR_API_KEY_HERE", "1234567890:AAAA-your-client-bot-token",
    "AKIAIOSFODNN7EXAMPLE", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "hello", "https://sentry.io/1",
    "eyJhbGciOiJIUzI1NiJ9.not-json.x",
])
def test_identify_ignores_ordinary_values(value: str) -> None:
    assert roles.identify(value) is None


def test_jwt_claims_are_read_without_verifying() -> None:
    assert roles.jwt_claims(SERVICE) == {"iss": "supabase", "ref": "abcdefghijklmnop",
                                         "role": "service_role", "iat": 1700000000}
    assert roles.jwt_claims("not.a.jwt") is None
    admin = roles.identify(jwt({"sub": "42", "admin": True}))
    assert admin is not None and admin.privileged


def test_url_credentials() -> None:
    found = roles.url_credentials("postgresql://user:p%40ss@host:5432/db,redis://:s3cret@cache:6379")
    assert [(c.scheme, c.username, c.password, c.host) for c in found] == [
        ("postgresql", "user", "p@ss", "host"), ("redis", "", "s3cret", "cache")]
    assert roles.url_credentials("https://api.example.org/v1") == []
    assert roles.is_connection_url("postgresql+asyncpg://db/x")
    assert roles.is_connection_url("mongodb+srv://cluster0.abcde.mongodb.net")
    assert not roles.is_connection_url("https://db.example.org")


@pytest.mark.parametrize(("value", "low", "high"), [
    ("3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54", 32, 32),
    ("base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=", 32, 32),
    ("mysecretjwt1", 4, 9), ("a" * 40, 0, 0), ("0123456789", 2, 5), ("", 0, 0),
])
def test_random_bytes(value: str, low: int, high: int) -> None:
    assert low <= roles.random_bytes(value) <= high


def test_token_urlsafe_32_counts_as_32_bytes() -> None:
    rng = random.Random(32)  # seeded: a failure must reproduce
    tokens = [base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("=") for _ in range(5000)]
    assert all(roles.random_bytes(token) >= 32 for token in tokens)
    assert roles.random_bytes("kJhQwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOpAsDfG") >= 32  # no digit, by chance


def test_references_defaults_and_prefixes() -> None:
    assert roles.is_reference("${DB_PASSWORD}") and roles.is_reference("${A:-x}${B}")
    assert not roles.is_reference("$ecretP4ss") and not roles.is_reference("pre${A}")
    assert roles.default_label("Keyboard Cat") == "express-session's documented example"
    assert roles.default_label("django-insecure-7l1cu+o9z3x0kqv3b9") == "Django's generated development key"
    assert roles.default_label("secret") == "" and roles.default_label("vX3q9LmTz2rWk7pF") is None
    assert roles.browser_prefix("NEXT_PUBLIC_SUPABASE_URL") == "NEXT_PUBLIC_"
    assert roles.browser_prefix("PUBLIC_KEY") == "PUBLIC_" and roles.browser_prefix("APP_KEY") is None
