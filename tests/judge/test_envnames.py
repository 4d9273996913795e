"""Environment names, as each framework reads them."""

from __future__ import annotations

import pytest

from envguard.judge.envnames import Stage, is_env_name_key, stage

STAGES = [
    ("NODE_ENV", "production", None, Stage.PRODUCTION),
    ("NODE_ENV", "prod", None, Stage.ALIAS),
    ("NODE_ENV", "Production", None, Stage.PRODUCTION),
    ("RAILS_ENV", "prod", None, Stage.ALIAS),
    ("APP_ENV", "prod", "laravel", Stage.ALIAS),
    ("APP_ENV", "prod", "symfony", Stage.PRODUCTION),
    ("APP_ENV", "prod", None, Stage.PRODUCTION),
    ("APP_ENV", "production", "symfony", Stage.ALIAS),
    ("MIX_ENV", "prod", None, Stage.PRODUCTION),
    ("MIX_ENV", "production", None, Stage.ALIAS),
    ("ENVIRONMENT", "live", None, Stage.PRODUCTION),
    ("APP_ENV", "local", "laravel", Stage.DEVELOPMENT),
    ("NODE_ENV", "development", None, Stage.DEVELOPMENT),
    ("DJANGO_ENV", "test", None, Stage.DEVELOPMENT),
    ("APP_ENV", "staging", None, Stage.STAGING),
    ("ENV", "preprod", None, Stage.STAGING),
    ("APP_ENV", "eu-west", None, Stage.UNKNOWN),
    ("ASPNETCORE_ENVIRONMENT", "Production", None, Stage.PRODUCTION),
]


@pytest.mark.parametrize(("key", "value", "framework", "expected"), STAGES)
def test_stage(key: str, value: str, framework: str | None, expected: Stage) -> None:
    assert stage(key, value, framework) is expected


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("APP_ENV", True),
        ("NODE_ENV", True),
        ("ENV", True),
        ("DEPLOY_STAGE", True),
        ("ENVIRONMENT", True),
        ("SENTRY_ENVIRONMENT", True),
        ("ENVELOPE_SIZE", False),
        ("ENV_FILE", False),
        ("DEVENV", False),
        ("STAGEHAND_URL", False),
        ("APP_ENVIRONMENTS_LIST", False),
        ("PREVENT", False),
    ],
)
def test_env_name_keys(key: str, named: bool) -> None:
    assert is_env_name_key(key) is named
