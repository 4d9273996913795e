"""The ``access`` family (EG8xx): lines that must be flagged, and realistic lines that must not."""

from __future__ import annotations

import family
import pytest
from family import where

from envguard.findings import Finding, Severity
from envguard.rules import access

RULES = access.RULES
STRONG = "v7Lq-2xPz!9KmW4rTb8N"


def findings(text: str, env: str = "production") -> list[Finding]:
    """Run the access family over ``text`` as a file of environment ``env``."""
    return family.findings(RULES, text, env)


FLAGGED = [
    ('TRUSTED_PROXIES="*"', "EG801", 2),
    ("TRUSTED_PROXIES=**", "EG801", 2),
    ("TRUSTED_PROXIES=10.0.0.0/8,0.0.0.0/0", "EG801", 2),
    ("FORWARDED_ALLOW_IPS=*", "EG801", 2),
    ("TRUST_PROXY=true", "EG801", 2),
    ("APP_TRUST_PROXY=TRUE", "EG801", 2),
    ("ALLOWED_HOSTS=*", "EG802", 2),
    ("DJANGO_ALLOWED_HOSTS=facturino.mk,*", "EG802", 2),
    ('ALLOWED_HOSTS=["*"]', "EG802", 2),
    ("CSRF_ENABLED=false", "EG803", 2),
    ("WTF_CSRF_ENABLED=False", "EG803", 2),
    ("DISABLE_CSRF=true", "EG803", 2),
    ("JWT_ALGORITHM=none", "EG804", 2),
    ("JWT_ALGORITHM=None", "EG804", 2),
    ("JWT_ALGORITHMS=HS256,none", "EG804", 2),
    ("ADMIN_PASSWORD=admin", "EG805", 2),
    ("ADMIN_PASSWORD=Admin123", "EG805", 2),
    ("ADMIN_PASSWORD=password", "EG805", 2),
    ("DJANGO_SUPERUSER_PASSWORD=changeme", "EG805", 2),
    ("ADMIN_USER=barista\nADMIN_PASS=barista", "EG805", 3),
    ("ADMIN_USERNAME=admin\nADMIN_PASSWORD=Coffee2024", "EG805", 2),
    ("ADMIN_EMAIL=admin@example.com", "EG805", 2),
    ("DJANGO_SUPERUSER_EMAIL=admin@admin.com", "EG805", 2),
]


@pytest.mark.parametrize(("lines", "code", "line"), FLAGGED)
def test_flagged_in_production(lines: str, code: str, line: int) -> None:
    assert where(findings(f"APP_NAME=Facturino\n{lines}\n")) == [(code, line)]


CLEAN_PRODUCTION = [
    "TRUSTED_PROXIES=10.0.0.0/8,172.16.0.0/12\nFORWARDED_ALLOW_IPS=127.0.0.1",
    "TRUST_PROXY=1\nTRUST_PROXY_HOPS=2",
    "TRUST_PROXY=loopback, linklocal, uniquelocal",
    "ALLOWED_HOSTS=facturino.mk,.facturino.mk\nDJANGO_ALLOWED_HOSTS=api.malar-market-ledger.com",
    "CSRF_ENABLED=true\nWTF_CSRF_ENABLED=True\nWTF_CSRF_TIME_LIMIT=3600\nCSRF_COOKIE_NAME=csrftoken",
    "JWT_ALGORITHM=HS256\nACCESS_TOKEN_EXPIRE_MINUTES=15\nREFRESH_TOKEN_EXPIRE_DAYS=7",
    "JWT_ALGORITHMS=RS256,ES256",
    f"ADMIN_USERNAME=admin\nADMIN_PASSWORD={STRONG}",
    f"ADMIN_EMAIL=ops@facturino.mk\nADMIN_PASSWORD={STRONG}\nADMIN_NAME=Admin",
    "ADMIN_PASSWORD=encrypted:BDb7t0aVQ1RtCrj0zBc9dGJy\nADMIN_USERNAME=admin",
    # the loyalty guide's placeholder is a weak-secret finding, not a default admin password
    "ADMIN_PASSWORD=your_admin_password",
    "BACKUP_NOTIFICATION_EMAIL=admin@facturino.mk\nMYSQL_ROOT_PASSWORD=" + STRONG,
]


@pytest.mark.parametrize("text", CLEAN_PRODUCTION)
def test_good_production_values_pass(text: str) -> None:
    assert findings(text) == []


DEVELOPMENT = [
    "TRUSTED_PROXIES=*\nALLOWED_HOSTS=*\nWTF_CSRF_ENABLED=False",
    "ADMIN_USERNAME=admin\nADMIN_PASSWORD=admin\nADMIN_EMAIL=admin@example.com",
]


@pytest.mark.parametrize("env", ["development", "test", "example"])
@pytest.mark.parametrize("text", DEVELOPMENT)
def test_development_test_and_example_files_pass(text: str, env: str) -> None:
    assert findings(text, env) == []


def test_jwt_none_is_flagged_everywhere() -> None:
    for env, severity in (("development", Severity.ERROR), ("example", Severity.WARNING)):
        assert [(f.code, f.severity) for f in findings("JWT_ALGORITHM=none\n", env)] == [("EG804", severity)]


def test_default_admin_email_is_a_warning_and_passwords_stay_out_of_messages() -> None:
    found = findings("ADMIN_EMAIL=admin@example.com\nADMIN_PASSWORD=admin123\n")
    assert [(f.line, f.severity) for f in found] == [(1, Severity.WARNING), (2, Severity.ERROR)]
    assert all("admin123" not in f"{f.message} {f.hint}" for f in found)


def test_facturino_trusted_proxies_line_from_the_guide() -> None:
    text = 'SANCTUM_STATEFUL_DOMAINS=your-production-domain.com\nTRUSTED_PROXIES="*"\n'
    [finding] = findings(text, "staging")
    assert (finding.code, finding.line, finding.key) == ("EG801", 2, "TRUSTED_PROXIES")
    assert finding.message == "TRUSTED_PROXIES trusts every address as a proxy in staging"
