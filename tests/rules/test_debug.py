"""The ``debug`` family (EG4xx): lines that must be flagged, and realistic lines that must not."""

from __future__ import annotations

import family
import pytest

from envguard.findings import Finding, Severity
from envguard.judge.values import is_off, is_on, switched
from envguard.rules import debug

RULES = debug.RULES


def findings(text: str, env: str = "production") -> list[Finding]:
    """Run the debug family over ``text`` as a file of environment ``env``."""
    return family.findings(RULES, text, env)


FLAGGED = [
    ("APP_DEBUG=true", "EG401"),
    ("APP_DEBUG=TRUE", "EG401"),
    ("DEBUG=True", "EG401"),
    ("DEBUG=1", "EG401"),
    ("FLASK_DEBUG=on", "EG401"),
    ('DJANGO_DEBUG="yes"', "EG401"),
    ("APP_DEBUG=(true)", "EG401"),
    ("VITE_DEBUG=true", "EG401"),
    ("DEBUG_MODE=1", "EG401"),
    ("APP_ENV=local", "EG402"),
    ("NODE_ENV=development", "EG402"),
    ("RAILS_ENV=test", "EG402"),
    ("FLASK_ENV=development", "EG402"),
    ("ENVIRONMENT=dev", "EG402"),
    ("ENV=debug", "EG402"),
    ("VITE_APP_ENVIRONMENT=development", "EG402"),
    ("APP_ENV=staging", "EG402"),
    ("LOG_LEVEL=debug", "EG403"),
    ("LOG_LEVEL = debug", "EG403"),
    ("APP_LOG_LEVEL=DEBUG", "EG403"),
    ("LOG_SLACK_LEVEL=debug", "EG403"),
    ("LOGGING_LEVEL=trace", "EG403"),
    ("RUST_LOG=api=debug,tower=info", "EG403"),
    ("SQLALCHEMY_ECHO=True", "EG403"),
    ("DEBUG=express:*", "EG403"),
    ("ENABLE_DOCS=true", "EG404"),
    ("SWAGGER_ENABLED=1", "EG404"),
    ("OPENAPI_ENABLED=yes", "EG404"),
    ("GRAPHQL_PLAYGROUND=true", "EG404"),
    ("DOCS_URL=/docs", "EG404"),
    ("OPENAPI_URL=/openapi.json", "EG404"),
    ("TELESCOPE_ENABLED=true", "EG405"),
    ("DEBUGBAR_ENABLED=true", "EG405"),
    ("DEBUG_TOOLBAR=True", "EG405"),
    ("DEBUG_TB_ENABLED=1", "EG405"),
    ("USE_MOCK_DATA=true", "EG406"),
    ("MOCK_PAYMENTS=1", "EG406"),
    ("FEATURE_PARTNER_MOCKED_DATA=true", "EG406"),
    ("PADDLE_SANDBOX=true", "EG406"),
    ("STRIPE_TEST_MODE=on", "EG406"),
    ("PAYPAL_MODE=sandbox", "EG406"),
]


@pytest.mark.parametrize(("line", "code"), FLAGGED)
def test_flagged_in_production(line: str, code: str) -> None:
    found = findings(f"APP_NAME=Facturino\n{line}\n")
    assert [(f.code, f.line) for f in found] == [(code, 2)]


# Good production values, from the seeds and beyond.
CLEAN_PRODUCTION = [
    'APP_ENV=production\nAPP_DEBUG=false\nAPP_NAME="Facturino"',
    "ENVIRONMENT=production\nDEBUG=false\nLOG_LEVEL=INFO",
    "VITE_APP_ENVIRONMENT=production\nVITE_ENABLE_OFFLINE=true\nVITE_ENABLE_ANALYTICS=true",
    "FEATURE_PARTNER_MOCKED_DATA=false  # Real data in production\nFEATURE_MCP_AI_TOOLS=false",
    "NODE_ENV=production\nLOG_LEVEL=warn\nDEBUG=",
    "DJANGO_DEBUG=False\nDEBUG=0\nFLASK_DEBUG=no\nAPP_DEBUG=off",
    "LOG_CHANNEL=stack\nLOG_STACK=single\nLOG_DEPRECATIONS_CHANNEL=null\nLOG_LEVEL=error",
    "DOCS_URL=\nOPENAPI_URL=null\nSWAGGER_ENABLED=false\nTELESCOPE_ENABLED=false",
    "XDEBUG_MODE=off\nFAKER_LOCALE=mk_MK\nPAYPAL_MODE=live\nDEBUGBAR_ENABLED=",
    "SWAGGER_URL=\nRAILS_ENV=production\nRACK_ENV=production\nAPP_ENV=prod",
    "PLAID_ENV=production\nVIRTUAL_ENV=/opt/venv\nSENTRY_ENVIRONMENT=production",
]


@pytest.mark.parametrize("text", CLEAN_PRODUCTION)
def test_good_production_values_pass(text: str) -> None:
    assert findings(text) == []


# Development and test files: right there, so nothing above info.
DEVELOPMENT = [
    "ENVIRONMENT=development\nDEBUG=true\nVITE_API_BASE_URL=http://localhost:8000/api/v1",
    "APP_ENV=local\nAPP_DEBUG=true\nLOG_LEVEL=debug\nTELESCOPE_ENABLED=true\nDEBUGBAR_ENABLED=true",
    "NODE_ENV=test\nUSE_MOCK_DATA=true\nSWAGGER_ENABLED=true\nDOCS_URL=/docs",
]


@pytest.mark.parametrize("env", ["development", "test"])
@pytest.mark.parametrize("text", DEVELOPMENT)
def test_development_files_get_info_at_most(text: str, env: str) -> None:
    assert all(f.severity is Severity.INFO for f in findings(text, env))


def test_debug_flag_in_development_is_info() -> None:
    found = findings("DEBUG=true\n", "development")
    assert [(f.code, f.severity) for f in found] == [("EG401", Severity.INFO)]


def test_example_files_are_not_judged() -> None:
    assert findings("APP_ENV=local\nAPP_DEBUG=true\nLOG_LEVEL=debug\n", "example") == []


def test_staging_file_naming_staging_passes_and_dev_names_fail() -> None:
    assert findings("ENVIRONMENT=staging\nDEBUG=false\n", "staging") == []
    found = findings("ENVIRONMENT=development\nDEBUG=true\n", "staging")
    assert [(f.code, f.line, f.severity) for f in found] == [
        ("EG402", 1, Severity.ERROR),
        ("EG401", 2, Severity.ERROR),
    ]


def test_staging_name_in_production_is_a_warning() -> None:
    [finding] = findings("APP_ENV=staging\n")
    assert finding.severity is Severity.WARNING


def test_messages_name_the_key_and_environment() -> None:
    [finding] = findings("# seeded from the guide\nAPP_DEBUG=true\n")
    assert finding.message == "APP_DEBUG is on in production"
    assert finding.hint == "set APP_DEBUG=false"
    assert finding.line == 2 and finding.key == "APP_DEBUG"


def test_last_definition_wins() -> None:
    assert findings("APP_DEBUG=true\nAPP_DEBUG=false\n") == []
    assert [f.line for f in findings("APP_DEBUG=false\nAPP_DEBUG=true\n")] == [2]


def test_fixable_rules_say_so() -> None:
    assert debug.DebugEnabled.fix and debug.DebugToolEnabled.fix
    assert debug.NonProductionEnvironment.fix is None


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "1", "yes", "on", "On", "(true)", " 'true' "])
def test_is_on(value: str) -> None:
    assert is_on(value) and not is_off(value)


@pytest.mark.parametrize("value", ["false", "False", "0", "no", "off", "(false)", ""])
def test_is_off(value: str) -> None:
    assert is_off(value) and not is_on(value)


@pytest.mark.parametrize(
    ("value", "on", "expected"),
    [
        ("true", False, "false"),
        ("True", False, "False"),
        ("TRUE", False, "FALSE"),
        ("1", False, "0"),
        ("yes", False, "no"),
        ("on", False, "off"),
        ("false", True, "true"),
        ("False", True, "True"),
        ("0", True, "1"),
        ("", True, "true"),
        ("(true)", False, "(false)"),
    ],
)
def test_switched_keeps_the_spelling(value: str, on: bool, expected: str) -> None:
    assert switched(value, on) == expected


def test_lower_case_keys_are_left_to_the_syntax_rules() -> None:
    assert findings("app_debug=true\nlog_level = debug\n") == []
