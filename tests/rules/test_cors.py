"""The ``cors`` family (EG5xx): lines that must be flagged, and realistic lines that must not."""

from __future__ import annotations

import family
import pytest
from family import where

from envguard.findings import Finding, Severity
from envguard.rules import cors
from envguard.rules.cors import origins

RULES = cors.RULES


def findings(text: str, env: str = "production") -> list[Finding]:
    """Run the cors family over ``text`` as a file of environment ``env``."""
    return family.findings(RULES, text, env)


FLAGGED = [
    ("CORS_ALLOWED_ORIGINS=*", [("EG501", 2)]),
    ("ALLOWED_ORIGINS=https://malar-market-ledger.com,*", [("EG501", 2)]),
    ("CORS_ORIGINS=null", [("EG501", 2)]),
    ('BACKEND_CORS_ORIGINS=["*"]', [("EG501", 2)]),
    ("CORS_ALLOW_ALL_ORIGINS=True", [("EG501", 2)]),
    ("CORS_ORIGIN_ALLOW_ALL=true", [("EG501", 2)]),
    ("CORS_ALLOWED_ORIGINS=*\nCORS_ALLOW_CREDENTIALS=true", [("EG501", 2), ("EG502", 3)]),
    ("CORS_ALLOW_ALL_ORIGINS=True\nCORS_ALLOW_CREDENTIALS=True", [("EG501", 2), ("EG502", 3)]),
    ("CORS_SUPPORTS_CREDENTIALS=true\nCORS_ALLOWED_ORIGINS=*", [("EG502", 2), ("EG501", 3)]),
    ("ALLOWED_ORIGINS=http://malar-market-ledger.com", [("EG503", 2)]),
    ("CORS_ALLOWED_ORIGINS=https://facturino.mk,http://localhost:5173", [("EG503", 2)]),
    ("CORS_ORIGINS=https://facturino.mk http://127.0.0.1:3000", [("EG503", 2)]),
    ("CORS_ALLOWED_ORIGINS=https://facturino.mk/", [("EG504", 2)]),
    ("CORS_ALLOWED_ORIGINS=https://facturino.mk/app", [("EG504", 2)]),
    ("ALLOWED_ORIGINS=malar-market-ledger.com", [("EG504", 2)]),
    ('BACKEND_CORS_ORIGINS=["https://facturino.mk",]', [("EG504", 2)]),
    ("BACKEND_CORS_ORIGINS=['https://facturino.mk']", [("EG504", 2)]),
    ("CSRF_TRUSTED_ORIGINS=https://facturino.mk/", [("EG504", 2)]),
    ("CSRF_TRUSTED_ORIGINS=facturino.mk", [("EG505", 2)]),
    ("CSRF_TRUSTED_ORIGINS=https://facturino.mk,.facturino.mk", [("EG505", 2)]),
    ("SANCTUM_STATEFUL_DOMAINS=https://app.facturino.mk", [("EG506", 2)]),
    ("SANCTUM_STATEFUL_DOMAINS=app.facturino.mk,app.facturino.mk/login", [("EG506", 2)]),
]


@pytest.mark.parametrize(("lines", "expected"), FLAGGED)
def test_flagged_in_production(lines: str, expected: list[tuple[str, int]]) -> None:
    assert where(findings(f"APP_NAME=Facturino\n{lines}\n")) == expected


CLEAN_PRODUCTION = [
    # the Malar Market guide's CORS block
    "FRONTEND_URL=https://malar-market-ledger.com\n"
    "ALLOWED_ORIGINS=https://malar-market-ledger.com,https://www.malar-market-ledger.com",
    'BACKEND_CORS_ORIGINS=["https://malar-market-ledger.com", "https://www.malar-market-ledger.com"]',
    "CORS_ALLOWED_ORIGINS=https://facturino.mk https://app.facturino.mk:8443",
    "CORS_ALLOWED_ORIGINS=https://facturino.mk\nCORS_ALLOW_CREDENTIALS=true",
    "CORS_ALLOW_ALL_ORIGINS=False\nCORS_ALLOW_CREDENTIALS=True\nCORS_ALLOWED_ORIGINS=https://facturino.mk",
    "CORS_ALLOWED_ORIGIN_REGEXES=^https://\\w+\\.facturino\\.mk$",
    "CORS_ALLOWED_ORIGINS=https://*.facturino.mk",
    "CSRF_TRUSTED_ORIGINS=https://facturino.mk,https://*.facturino.mk",
    # the Facturino guide's Sanctum line
    "SANCTUM_STATEFUL_DOMAINS=your-production-domain.com",
    "SANCTUM_STATEFUL_DOMAINS=app.facturino.mk,facturino.mk:8443,localhost:5173",
    "CORS_ALLOWED_ORIGINS=",
]


@pytest.mark.parametrize("text", CLEAN_PRODUCTION)
def test_good_production_values_pass(text: str) -> None:
    assert findings(text) == []


DEVELOPMENT = [
    "CORS_ALLOWED_ORIGINS=*\nCORS_ALLOW_CREDENTIALS=true",
    "ALLOWED_ORIGINS=http://localhost:5173,http://127.0.0.1:5173",
    "CORS_ALLOW_ALL_ORIGINS=True",
    "CORS_ALLOWED_ORIGINS=http://localhost:5173/",
]


@pytest.mark.parametrize("env", ["development", "test"])
@pytest.mark.parametrize("text", DEVELOPMENT)
def test_development_files_get_info_at_most(text: str, env: str) -> None:
    assert all(f.severity is Severity.INFO for f in findings(text, env))


def test_broken_framework_settings_still_warn_in_development() -> None:
    found = findings(
        "CSRF_TRUSTED_ORIGINS=localhost:8000\nSANCTUM_STATEFUL_DOMAINS=http://localhost:5173\n", "development"
    )
    assert [(f.code, f.severity) for f in found] == [("EG505", Severity.WARNING), ("EG506", Severity.WARNING)]


def test_example_files_are_not_judged() -> None:
    assert findings("CORS_ALLOWED_ORIGINS=*\nCSRF_TRUSTED_ORIGINS=example.com\n", "example") == []


def test_localhost_origin_is_a_warning_http_an_error() -> None:
    found = findings("ALLOWED_ORIGINS=http://localhost:5173,http://malar-market-ledger.com\n")
    assert [f.severity for f in found] == [Severity.WARNING, Severity.ERROR]


def test_messages_quote_origins_but_not_credentials() -> None:
    [slash] = findings("CORS_ALLOWED_ORIGINS=https://facturino.mk/\n")
    assert "`https://facturino.mk/`" in slash.message
    [creds] = findings("CORS_ALLOWED_ORIGINS=https://user:s3cr3t@facturino.mk/\n")
    assert "s3cr3t" not in creds.message and "origin 1" in creds.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://a.mk,https://b.mk", ["https://a.mk", "https://b.mk"]),
        ("https://a.mk, https://b.mk", ["https://a.mk", "https://b.mk"]),
        ("https://a.mk https://b.mk", ["https://a.mk", "https://b.mk"]),
        ('["https://a.mk","https://b.mk"]', ["https://a.mk", "https://b.mk"]),
        ("[https://a.mk]", None),
        ("", []),
    ],
)
def test_origin_list_forms(value: str, expected: list[str] | None) -> None:
    assert origins(value) == expected
