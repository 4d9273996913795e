"""The ``transport`` family (EG6xx): lines that must be flagged, and realistic lines that must not."""

from __future__ import annotations

import family
import pytest
from family import where

from envguard.findings import Finding, Severity
from envguard.judge.hosts import is_internal as is_internal_host
from envguard.rules import transport

RULES = transport.RULES
PASSWORD = "Zq8vN2kLp4Rt7wXy"


def findings(text: str, env: str = "production") -> list[Finding]:
    """Run the transport family over ``text`` as a file of environment ``env``."""
    return family.findings(RULES, text, env)


FLAGGED = [
    ("APP_URL=http://facturino.mk", "EG601", 2),
    ("ASSET_URL=http://cdn.facturino.mk", "EG601", 2),
    ("FRONTEND_URL=http://malar-market-ledger.com", "EG601", 2),
    ("VITE_API_URL=http://api.malar-market-ledger.com/api/v1", "EG601", 2),
    ("VITE_WS_URL=ws://api.malar-market-ledger.com/ws", "EG601", 2),
    ("TWILIO_WEBHOOK_URL=http://api.malar-market-ledger.com/api/v1/whatsapp/webhook", "EG601", 2),
    ("APP_URL=HTTP://FACTURINO.MK", "EG601", 2),
    ("SESSION_SECURE_COOKIE=false", "EG602", 2),
    ("SESSION_COOKIE_SECURE=False", "EG602", 2),
    ("CSRF_COOKIE_SECURE=False", "EG602", 2),
    ("REMEMBER_COOKIE_SECURE=0", "EG602", 2),
    ("SESSION_SECURE_COOKIE=", "EG602", 2),
    ("SESSION_COOKIE_HTTPONLY=false", "EG602", 2),
    ("SECURE_SSL_REDIRECT=False", "EG603", 2),
    ("FORCE_HTTPS=false", "EG603", 2),
    ("MAIL_HOST=smtp.mailgun.org\nMAIL_PORT=587\nMAIL_ENCRYPTION=null", "EG604", 4),
    ("EMAIL_HOST=smtp.gmail.com\nEMAIL_PORT=587\nEMAIL_USE_TLS=False", "EG604", 4),
    ("REDIS_URL=redis://cache.malar-market-ledger.com:6379/0", "EG605", 2),
    ("DATABASE_URL=postgres://db.abcd.supabase.co:5432/postgres", "EG605", 2),
    ("REDIS_HOST=redis-12345.c1.eu-west-1.ec2.cloud.redislabs.com\nREDIS_PASSWORD=null", "EG605", 2),
    ("DB_HOST=203.0.113.7\nDB_PASSWORD=", "EG605", 2),
    ("MONGO_URL=mongodb://mongo.facturino.mk:27017/app", "EG605", 2),
    (
        f"DATABASE_URL=postgresql://app:{PASSWORD}@db.abcd.supabase.co:5432/postgres?sslmode=disable",
        "EG606",
        2,
    ),
    (f"DB_HOST=db.facturino.mk\nDB_PASSWORD={PASSWORD}\nDB_SSLMODE=disable", "EG606", 4),
    (f"DATABASE_URL=mysql://app:{PASSWORD}@mysql.facturino.mk/app?ssl-mode=DISABLED", "EG606", 2),
]


@pytest.mark.parametrize(("lines", "code", "line"), FLAGGED)
def test_flagged_in_production(lines: str, code: str, line: int) -> None:
    assert where(findings(f"APP_NAME=Facturino\n{lines}\n")) == [(code, line)]


@pytest.mark.parametrize(("lines", "code", "line"), FLAGGED)
def test_flagged_in_staging_too(lines: str, code: str, line: int) -> None:
    assert where(findings(f"APP_NAME=Facturino\n{lines}\n", "staging")) == [(code, line)]


CLEAN_PRODUCTION = [
    "APP_URL=https://facturino.mk\nASSET_URL=https://cdn.facturino.mk",
    "VITE_API_BASE_URL=https://api.malar-market-ledger.com/api/v1\n"
    "VITE_WS_URL=wss://api.malar-market-ledger.com/ws",
    # internal addresses: health checks, compose services, private networks
    "HEALTHCHECK_URL=http://127.0.0.1:8000/health\nAUTH_SERVICE_URL=http://auth-service:6021",
    "API_GATEWAY_URL=http://api-gateway:6020\nINTERNAL_API=http://10.0.4.12:8080/v1",
    "SEARCH_URL=http://search.railway.internal:7700\nMINIO_ENDPOINT=http://minio:9000",
    "SESSION_SECURE_COOKIE=true\nSESSION_COOKIE_SECURE=True\nCSRF_COOKIE_SECURE=1",
    "SECURE_SSL_REDIRECT=True\nSECURE_SSL_REDIRECT_EXEMPT=",
    "MAIL_HOST=smtp.mailgun.org\nMAIL_PORT=587\nMAIL_ENCRYPTION=tls",
    "MAIL_HOST=smtp.mailgun.org\nMAIL_PORT=465\nMAIL_ENCRYPTION=null",
    "MAIL_MAILER=ses\nMAIL_HOST=email-smtp.eu-central-1.amazonaws.com\nMAIL_ENCRYPTION=null",
    "MAIL_HOST=mailpit\nMAIL_PORT=1025\nMAIL_ENCRYPTION=null",
    "EMAIL_HOST=smtp.gmail.com\nEMAIL_USE_TLS=True\nEMAIL_USE_SSL=False",
    # the Facturino guide's Redis and Postgres blocks: private Redis, remote Postgres with a password
    f"DB_CONNECTION=pgsql\nDB_HOST=pg.facturino.up.railway.app\nDB_PORT=5432\nDB_PASSWORD={PASSWORD}",
    "REDIS_CLIENT=predis\nREDIS_HOST=redis.railway.internal\nREDIS_PORT=6379\nREDIS_PASSWORD=null",
    "DB_CONNECTION=mysql\nDB_HOST=127.0.0.1\nDB_PORT=3306\nDB_PASSWORD=",
    "REDIS_URL=redis://redis:6379/0\nDATABASE_URL=postgres://postgres@db:5432/app",
    f"REDIS_URL=rediss://default:{PASSWORD}@cache.malar-market-ledger.com:6380/0",
    "REDIS_URL=rediss://cache.malar-market-ledger.com:6380/0",
    f"REDIS_URL=redis://:{PASSWORD}@cache.malar-market-ledger.com:6379/0",
    "DATABASE_URL=postgresql://app@db.abcd.supabase.co:5432/postgres?sslmode=verify-full",
    "REDIS_HOST=tls://cache.facturino.mk\nREDIS_PASSWORD=null",
    "REDIS_HOST=cache.facturino.mk\nREDIS_SCHEME=tls",
    "DB_HOST=db.facturino.mk\nDB_SSLMODE=require",
    "DB_CONNECTION=sqlite\nDB_HOST=db.facturino.mk",
    "DATABASE_URL=postgres://user:password@db.facturino.mk:5432/app",  # weak, but a weak-secret finding
    "PGHOST=db.facturino.mk\nPGPASSWORD=encrypted:BDb7t0aVQ1RtCrj0zBc9dGJy",
    "XML_NAMESPACE=urn:facturino:invoice\nSCHEMA=https://json-schema.org/draft-07/schema",
]


@pytest.mark.parametrize("text", CLEAN_PRODUCTION)
def test_good_production_values_pass(text: str) -> None:
    assert findings(text) == []


DEVELOPMENT = [
    "APP_URL=http://localhost:8000\nVITE_API_BASE_URL=http://localhost:8000/api/v1",
    "APP_URL=http://facturino.test\nSESSION_SECURE_COOKIE=false\nSECURE_SSL_REDIRECT=False",
    "MAIL_HOST=smtp.mailtrap.io\nMAIL_ENCRYPTION=null\nREDIS_URL=redis://dev-cache.facturino.mk:6379",
    "DATABASE_URL=postgresql://app:pw@staging-db.facturino.mk/app?sslmode=disable",
]


@pytest.mark.parametrize("env", ["development", "test", "example"])
@pytest.mark.parametrize("text", DEVELOPMENT)
def test_development_test_and_example_files_pass(text: str, env: str) -> None:
    assert findings(text, env) == []


def test_mail_null_encryption_is_a_warning_and_plain_django_smtp_an_error() -> None:
    laravel = findings("MAIL_HOST=smtp.mailgun.org\nMAIL_ENCRYPTION=null\n")
    django = findings("EMAIL_HOST=smtp.gmail.com\nEMAIL_USE_TLS=False\nEMAIL_USE_SSL=False\n")
    assert [(f.line, f.severity) for f in laravel] == [(2, Severity.WARNING)]
    assert [(f.line, f.severity) for f in django] == [(2, Severity.ERROR)]


def test_messages_never_hold_the_url_or_password() -> None:
    url = f"postgresql://app:{PASSWORD}@db.abcd.supabase.co:5432/postgres?sslmode=disable"
    [finding] = findings(f"DATABASE_URL={url}\n")
    text = f"{finding.message} {finding.hint}"
    assert PASSWORD not in text and "supabase" not in text
    assert finding.fingerprint and PASSWORD not in finding.fingerprint


def test_one_finding_per_variable_for_url_lists() -> None:
    found = findings("WEBHOOK_URLS=http://a.facturino.mk/hook,http://b.facturino.mk/hook\n")
    assert where(found) == [("EG601", 1)]


def test_cookie_fix_is_declared_and_hint_keeps_spelling() -> None:
    [finding] = findings("SESSION_COOKIE_SECURE=False\n")
    assert finding.hint == "set SESSION_COOKIE_SECURE=True"
    assert transport.InsecureCookie.fix
    assert transport.SslRedirectOff.fix is None


def test_the_seed_example_file() -> None:
    text = (
        "APP_URL=http://your-production-domain.com\nDB_HOST=127.0.0.1\nREDIS_HOST=127.0.0.1\n"
        "REDIS_PASSWORD=null\nMAIL_HOST=smtp.mailgun.org\nMAIL_PORT=587\nMAIL_ENCRYPTION=null\n"
        "SESSION_SECURE_COOKIE=false\n"
    )
    assert where(findings(text)) == [("EG601", 1), ("EG604", 7), ("EG602", 8)]


@pytest.mark.parametrize(
    ("host", "internal"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("10.1.2.3", True),
        ("192.168.1.20", True),
        ("172.20.0.5", True),
        ("0.0.0.0", True),
        ("redis", True),
        ("redis.railway.internal", True),
        ("api.default.svc", True),
        ("printer.local", True),
        ("facturino.mk", False),
        ("203.0.113.7", False),
        ("8.8.8.8", False),
        ("db.abcd.supabase.co", False),
    ],
)
def test_internal_hosts(host: str, internal: bool) -> None:
    assert is_internal_host(host) is internal
