"""The weak-secret rules (EG201-EG207): tables of values that must and must not be flagged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from family import context
from secret_samples import ANON, DEMO_SERVICE, HEX64, LARAVEL_KEY, URLSAFE43

from envguard import engine, envfile, sources
from envguard.findings import Environment, Severity
from envguard.rules import RULES, exposure, leak, weak_secret
from envguard.rules.base import DOC_SECTIONS
from envguard.schema import GENERIC

OURS = weak_secret.RULES
DJANGO_KEY = "q7!v0z3$k9x#1m@4c8b^2n6&l5p*j0r(h3g)f7d-s9a_e2w=u4"


def found(
    text: str, env: Environment = Environment.PRODUCTION, schema: dict[str, object] | None = None
) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.key, f.severity.value) for f in engine.run(context(text, env, schema), OURS)]


FLAGGED = [
    ("APP_KEY=base64:GENERATED_KEY_HERE", "EG201", "APP_KEY is a placeholder"),
    ("APP_KEY=base64:YOUR_ACTUAL_APP_KEY_HERE", "EG201", "APP_KEY is a placeholder"),
    ("DB_PASSWORD=STRONG_PASSWORD_HERE", "EG201", "DB_PASSWORD is a placeholder"),
    ("DB_PASSWORD=YOUR_SECURE_PASSWORD_HERE", "EG201", None),
    ("CLAUDE_API_KEY=sk-ant-YOUR_API_KEY_HERE", "EG201", None),
    ("AWS_SECRET_ACCESS_KEY=YOUR_SECRET_KEY_HERE", "EG201", None),
    ("TELEGRAM_TOKEN_CLIENT=1234567890:AAAA-your-client-bot-token", "EG201", None),
    ("POSTGRES_PASSWORD=your_secure_password", "EG201", None),
    ("SECRET_KEY=your_super_secret_key_32_chars_min", "EG201", None),
    ("SECRET_KEY=your-super-secret-key-change-this-in-production", "EG201", None),
    ("JWT_SECRET_KEY=your-jwt-secret-key-change-this", "EG201", None),
    ("TELEGRAM_BOT_TOKEN=your_bot_token", "EG201", None),
    ("REDIS_PASSWORD=YOUR_REDIS_PASSWORD", "EG201", None),
    ("JWT_SECRET=changeme", "EG201", None),
    ("API_TOKEN=xxxxxxxxxxxxxxxx", "EG201", None),
    ("SESSION_SECRET=<session-secret>", "EG201", None),
    (
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "EG202",
        "AWS_SECRET_ACCESS_KEY is the AWS documentation's example",
    ),
    ("DB_PASSWORD=${DB_PASSWORD:-changeme}", "EG201", "DB_PASSWORD is a placeholder"),
    ("DB_PASS=secure_password", "EG201", None),
    ("SMTP_PASS=ваш_пароль", "EG201", None),
    ("SESSION_SECRET=your-256-bit-secret", "EG201", "SESSION_SECRET is a placeholder"),
    ("SESSION_SECRET=shhhhh", "EG202", "SESSION_SECRET is jsonwebtoken's documented example"),
    ("INVITATION_TOKEN=try-huginn", "EG202", None),
    ("JWT_SECRET=", "EG208", "JWT_SECRET is empty"),
    ("POSTGRES_PASSWORD=", "EG208", "POSTGRES_PASSWORD is empty"),
    ("DB_PASSWORD=SecurePassword123!", "EG204", None),
    ("ES_PASS=Summer2024", "EG204", None),
    (
        "SECRET_KEY=django-insecure-7l1cu+o9z3x0kqv3b9yq6k1m8s",
        "EG202",
        "SECRET_KEY is Django's generated development key",
    ),
    ("SESSION_SECRET=keyboard cat", "EG202", "SESSION_SECRET is express-session's documented example"),
    ("JWT_SECRET=secret", "EG202", "JWT_SECRET is a well-known default value"),
    ("DB_PASSWORD=password", "EG202", None),
    ("RABBITMQ_PASSWORD=guest", "EG202", None),
    (
        "JWT_SECRET=mysecretjwt1",
        "EG203",
        "JWT_SECRET holds about 62 random bits; HS256 keys need 256 (RFC 7518, section 3.2)",
    ),
    (
        "SECRET_KEY=abc123def456",
        "EG203",
        "SECRET_KEY holds about 62 random bits; a signing key needs at least 128",
    ),
    (
        "APP_KEY=base64:c2hvcnQ=",
        "EG203",
        "APP_KEY decodes to 5 bytes; Laravel's AES-256 cipher needs exactly 32",
    ),
    ("APP_KEY=base64:not*base64", "EG203", "APP_KEY is not valid base64 after `base64:`"),
    ("NEXTAUTH_SECRET=" + "ab" * 24, "EG203", None),
    ("DB_PASSWORD=P@ssw0rd", "EG204", "DB_PASSWORD is a common password"),
    ("ADMIN_PASSWORD=admin123", "EG204", None),
    ("MAIL_PASSWORD=summer2024", "EG204", None),
    # high Shannon entropy, yet a keyboard walk, a sequence, a repeat
    (
        "ADMIN_PASSWORD=qwertyuiopasdfghjklzxcvbnm",
        "EG204",
        "ADMIN_PASSWORD is easy to guess (about 10^8 guesses)",
    ),
    ("DB_PASSWORD=abcdefghijklmnopqrstuvwxyz0123456789", "EG204", None),
    ("REDIS_PASSWORD=passwordpasswordpasswordpasswordpasswordpassword", "EG204", None),
    (
        "STRIPE_SECRET_KEY=sk_test_51HxAbCdEfGhIjKlMnOpQrStUv",
        "EG206",
        "STRIPE_SECRET_KEY is a Stripe test-mode secret key; production needs the live key",
    ),
    ("VITE_STRIPE_KEY=pk_test_51HxAbCdEfGhIjKlMnOpQrStUv", "EG206", None),
    ("SUPABASE_SERVICE_ROLE_KEY=" + DEMO_SERVICE, "EG206", None),
    (
        "DATABASE_URL=postgres://postgres:postgres@db.internal:5432/app",
        "EG207",
        "DATABASE_URL has a password equal to its user name in its URL",
    ),
    (
        "DATABASE_URL=postgresql://user:password@host:5432/database_name",
        "EG207",
        "DATABASE_URL has a well-known default password in its URL",
    ),
    (
        "REDIS_URL=redis://:changeme@cache.internal:6379/0",
        "EG207",
        "REDIS_URL has a placeholder password in its URL",
    ),
    ("CELERY_BROKER_URL=amqp://app:qwerty123@mq.internal:5672//", "EG207", None),
]


@pytest.mark.parametrize(("line", "code", "message"), FLAGGED)
def test_flagged_in_production(line: str, code: str, message: str | None) -> None:
    findings = engine.run(context(line), OURS)
    assert [f.code for f in findings] == [code]
    if message is not None:
        assert findings[0].message == message
    value = line.partition("=")[2]
    assert not value or value not in findings[0].message


PASSING = [
    f"SECRET_KEY={DJANGO_KEY}",
    f"JWT_SECRET={HEX64}",
    f"JWT_SECRET_KEY={URLSAFE43}",
    f"APP_KEY={LARAVEL_KEY}",
    f"SECRET_KEY_BASE={HEX64 * 2}",
    "DB_PASSWORD=Lq7-vT2mXz9-Rk4pWb8",
    "MAIL_PASSWORD=qwvt lmzk pxrh dnsb",
    "TWILIO_AUTH_TOKEN=" + "0f9e8d7c" * 4,
    "AWS_SECRET_ACCESS_KEY=kq3Zr8Vb1xN0pT6wYc2mHf9sLd4gJe7aUo5iRt1B",
    "GOOGLE_CLIENT_SECRET=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",
    "STRIPE_SECRET_KEY=sk_live_51HxAbCdEfGhIjKlMnOpQrStUv",
    "STRIPE_PUBLISHABLE_KEY=pk_live_51HxAbCdEfGhIjK",
    "STRIPE_WEBHOOK_SECRET=whsec_k3Lm9Qz2Vx8Wb1Nc4Rt7Yp0Sd6Fh",
    f"SUPABASE_ANON_KEY={ANON}",
    "SENTRY_DSN=https://3f2a9c41d7e84b0f@o450123.ingest.sentry.io/5512345",
    "DB_PASSWORD=${DB_PASSWORD}",
    'JWT_SECRET="encrypted:BNexEwjKwt87k+Q3tH4uPp9hEoRjYsmvZ8Cl0a8Qy1wA"',
    "ACCESS_TOKEN_EXPIRE_MINUTES=15",
    "JWT_ALGORITHM=HS256",
    "AWS_ACCESS_KEY_ID=AKIAZ7Q2Z7Q2Z7Q2Z7Q2",
    "DATABASE_URL=postgresql://ledger:vX3q9LmTz2rWk7pFb4Ns@db.internal:5432/ledger",
    "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@db.internal:5432/app",
    "REDIS_URL=redis://cache.internal:6379/0",
    "REDIS_PASSWORD=null",
    "MAIL_USERNAME=null\nMAIL_PASSWORD=null",
    "CORS_ALLOW_CREDENTIALS=true",
    "ACCESS_TOKEN_REQUIRED=true",
    "VAULT_TOKEN_RENEW=true",
    "PRIVATE_NETWORK=true",
    "RESET_PASSWORD_WITHIN=6.hours",
    "SAML_PRIVATE_CERT=app.key",
    "JWT_PRIVATE_KEY=/run/secrets/jwt.pem",
    "PUSHER_APP_SECRET=3f8a9c1e2b7d4f6a8c0e",
    "REVERB_APP_SECRET=kq3v9zx8m2p4w7r1t6y0",
    "SLACK_SIGNING_SECRET=" + "8c" * 16,
    "APP_SECRET=" + "c4a91b2f" * 4,
    "SECRET_KEY=c4a91b2f7e3d5068a1b2c3d4e5f60718",
    "DB_PASSWORD=op://prod/ledger/db",
    "JWT_SECRET=${{shared.JWT_SECRET}}",
    "DB_PASSWORD=${DB_PASSWORD:?set it}",
    "MAIL_PASSWORD=",
    "AWS_SECRET_ACCESS_KEY=",
    f"DB_PASSWORD={URLSAFE43}\nPOSTGRES_PASSWORD={URLSAFE43}",
    f"SUPABASE_ANON_KEY={ANON}\nVITE_SUPABASE_ANON_KEY={ANON}",
    f"OPENAI_API_KEY=sk-proj-{'Ab3d' * 12}\nLLM_API_KEY=sk-proj-{'Ab3d' * 12}",
    "APP_NAME=Facturino",
]


@pytest.mark.parametrize("text", PASSING)
def test_not_flagged_in_production(text: str) -> None:
    assert found(text) == []


def test_reused_secret_names_the_first_role() -> None:
    text = f"JWT_SECRET={URLSAFE43}\nJWT_REFRESH_SECRET={URLSAFE43}\nADMIN_PASSWORD={URLSAFE43}\n"
    findings = engine.run(context(text), OURS)
    assert [(f.code, f.key, f.message) for f in findings] == [
        ("EG205", "JWT_REFRESH_SECRET", "JWT_REFRESH_SECRET reuses the value of JWT_SECRET"),
        ("EG205", "ADMIN_PASSWORD", "ADMIN_PASSWORD reuses the value of JWT_SECRET"),
    ]


def test_password_equal_to_user_name() -> None:
    text = "DB_USERNAME=finance_prod_user\nDB_PASSWORD=finance_prod_user\n"
    findings = engine.run(context(text), OURS)
    assert [(f.code, f.message) for f in findings] == [
        ("EG204", "DB_PASSWORD equals its user name (DB_USERNAME)")
    ]


def test_short_between_16_and_32_bytes_is_a_warning() -> None:
    assert found("JWT_SECRET=" + "0f9e8d7c" * 4) == [("EG203", "JWT_SECRET", "warning")]
    assert found("JWT_SECRET=" + "0f9e8d7c" * 4, Environment.DEVELOPMENT) == [("EG203", "JWT_SECRET", "info")]


def test_a_published_test_key_is_both_a_default_and_a_test_key() -> None:
    codes = {code for code, _, _ in found("STRIPE_SECRET_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc")}
    assert codes == {"EG202", "EG206"}


def test_schema_min_length_and_generate() -> None:
    schema = {
        "schema": {"name": "t"},
        "vars": {
            "ADMIN_TOKEN": {"secret": True, "min_length": 48},
            "HOOK_KEY": {"secret": True, "generate": "hex:48"},
        },
    }
    text = f"ADMIN_TOKEN={URLSAFE43}\nHOOK_KEY={HEX64}\n"
    findings = engine.run(context(text, schema=schema), OURS)
    assert [(f.key, f.message) for f in findings] == [
        ("ADMIN_TOKEN", "ADMIN_TOKEN is 43 characters; the schema requires at least 48"),
        ("HOOK_KEY", "HOOK_KEY holds about 256 random bits; the schema's generator makes 384"),
    ]


def test_lenient_in_development_off_in_examples() -> None:
    text = (
        "SECRET_KEY=dev\nDB_PASSWORD=postgres\nDATABASE_URL=postgres://postgres:postgres@localhost/app\n"
        "STRIPE_SECRET_KEY=sk_test_51HxAbCdEfGhIjKlMnOpQrStUv\nJWT_SECRET=changeme\n"
    )
    for env in (Environment.DEVELOPMENT, Environment.TEST):
        assert {severity for _, _, severity in found(text, env)} == {"info"}
    assert found(text, Environment.EXAMPLE) == []
    assert not any(code == "EG206" for code, _, _ in found(text, Environment.STAGING))


def test_each_secret_gets_one_strength_finding() -> None:
    assert [c for c, _, _ in found("JWT_SECRET=password")] == ["EG202"]
    assert [c for c, _, _ in found("JWT_SECRET=your-secret")] == ["EG201"]


@pytest.mark.parametrize("rule", [*OURS, *leak.RULES, *exposure.RULES])
def test_rules_are_registered_and_documented(rule: type) -> None:
    assert rule in RULES
    doc = rule.doc()
    assert all(section in doc for section in DOC_SECTIONS), rule.code
    assert rule.code[:3] in ("EG2", "EG3", "EG7")


def test_fix_is_declared_where_fix_can_generate() -> None:
    assert all(rule.fix for rule in weak_secret.RULES[:4])
    assert not any(rule.fix for rule in weak_secret.RULES[4:7])


def test_plain_check_does_not_import_zxcvbn(tmp_path: Path) -> None:
    path = tmp_path / ".env.production"
    path.write_text(f"SECRET_KEY={DJANGO_KEY}\nJWT_SECRET={HEX64}\nAPP_KEY={LARAVEL_KEY}\n")
    code = (
        "import sys; from envguard import engine, envfile, sources; from envguard.rules import RULES;"
        "from envguard.findings import Environment; from envguard.schema import GENERIC;"
        f"ctx = sources.file_context(envfile.read(__import__('pathlib').Path({str(path)!r})),"
        " Environment.PRODUCTION, GENERIC, 'x');"
        "assert not [f for f in engine.run(ctx, RULES) if f.category == 'weak-secret'];"
        "assert 'zxcvbn' not in sys.modules, 'zxcvbn imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


CANARY = "qZ7canaryXk2Lw"


def _canary_file(tmp_path: Path) -> Path:
    path = tmp_path / ".env.production"
    path.write_text(
        f"JWT_SECRET={CANARY}\nADMIN_PASSWORD={CANARY}\n"
        f"DATABASE_URL=postgres://{CANARY}:{CANARY}@db.internal:5432/app\n"
        f"VITE_STRIPE_KEY=sk_live_{CANARY}abcdefghijkl\nNEXT_PUBLIC_DB_PASSWORD={CANARY}\n"
        "SESSION_SECRET=shhhhh\n"
    )
    return path


def test_canary_never_in_findings(tmp_path: Path) -> None:
    ctx = sources.file_context(envfile.read(_canary_file(tmp_path)), Environment.PRODUCTION, GENERIC, "x")
    findings = engine.run(ctx, RULES)
    assert {f.code for f in findings} >= {"EG203", "EG205", "EG207", "EG701", "EG702"}
    assert any(f.severity is Severity.ERROR for f in findings)
    for finding in findings:
        assert not any(CANARY in str(v) for v in finding.to_dict().values())


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_canary_never_in_check_output(tmp_path: Path, fmt: str) -> None:
    path = _canary_file(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "envguard", "check", str(path), "--format", fmt],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "EG702" in result.stdout
    assert CANARY not in result.stdout + result.stderr
    assert "shhhhh" not in result.stdout + result.stderr
