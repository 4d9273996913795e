"""``envguard.guard`` and ``envguard.check_env``: an app refusing to start on unsafe configuration."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import envguard
from envguard.rules import RULES

CANARY = "canary-value-Vb3nR8tY"
HEAVY = ("yaml", "pydantic", "pydantic_settings", "httpx", "hvac", "cryptography")

APP = """\
import envguard
from pydantic import SecretStr
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    secret_key: SecretStr
    debug: bool = False
    database_url: str


envguard.guard(schema={schema})
print("started")
"""


def start(tmp_path: Path, schema: str, **environ: str) -> subprocess.CompletedProcess[str]:
    """Start an app that calls ``guard()`` first, with exactly ``environ``; never raises."""
    (tmp_path / "app.py").write_text(APP.format(schema=schema))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **environ}
    return subprocess.run(
        [sys.executable, "app.py"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )


def refused(result: subprocess.CompletedProcess[str]) -> bool:
    """The app stopped with ConfigError before it started, and printed no value."""
    assert CANARY not in result.stdout + result.stderr
    return (
        result.returncode != 0
        and "ConfigError: unsafe configuration" in result.stderr
        and "started" not in result.stdout
    )


def strong() -> str:
    """A secret no rule can fault."""
    return secrets.token_urlsafe(48)


def test_refuses_debug_in_production(tmp_path: Path) -> None:
    result = start(
        tmp_path,
        "'django'",
        APP_ENV="production",
        DEBUG="true",
        SECRET_KEY=CANARY,
        ALLOWED_HOSTS="shop.acme-retail.com",
    )
    assert refused(result)
    assert "DEBUG: EG" in result.stderr and "SECRET_KEY: EG" in result.stderr


def test_starts_with_good_production_config(tmp_path: Path) -> None:
    result = start(
        tmp_path,
        "'django'",
        APP_ENV="production",
        DEBUG="false",
        SECRET_KEY=strong(),
        ALLOWED_HOSTS="shop.acme-retail.com",
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "started\n", "")


def test_debug_is_fine_where_the_app_says_it_is_in_development(tmp_path: Path) -> None:
    result = start(tmp_path, "'django'", APP_ENV="development", DEBUG="true", SECRET_KEY=CANARY)
    assert result.returncode == 0 and CANARY not in result.stdout + result.stderr


def test_a_pydantic_settings_class_is_the_schema(tmp_path: Path) -> None:
    missing = start(tmp_path, "Settings", SECRET_KEY=CANARY)
    assert refused(missing) and "DATABASE_URL: EG901" in missing.stderr
    ok = start(tmp_path, "Settings", SECRET_KEY=strong(), DATABASE_URL="postgresql://db.internal/shop")
    assert (ok.returncode, ok.stdout) == (0, "started\n"), ok.stderr


@pytest.mark.skipif(not any(r.category == "debug" for r in RULES), reason="no debug rule registered yet")
def test_a_settings_class_app_refuses_debug_in_production(tmp_path: Path) -> None:
    result = start(
        tmp_path,
        "Settings",
        APP_ENV="production",
        DEBUG="true",
        SECRET_KEY=strong(),
        DATABASE_URL="postgresql://db.internal/shop",
    )
    assert refused(result) and "DEBUG:" in result.stderr


def test_check_env_returns_findings_and_guard_lists_them() -> None:
    mapping = {"DEBUG": "true", "SECRET_KEY": CANARY, "ALLOWED_HOSTS": "shop.acme-retail.com"}
    findings = envguard.check_env(mapping, schema="django", env="production")
    assert {"DEBUG", "SECRET_KEY"} <= {f.key for f in findings if f.severity == "error"}
    assert all(f.file == "env:" for f in findings)
    with pytest.raises(envguard.ConfigError) as raised:
        envguard.guard(schema="django", env="production", environ=mapping)
    assert raised.value.findings and CANARY not in str(raised.value)
    assert not any(CANARY in repr(f) for f in raised.value.findings)


def test_fail_on_sets_the_threshold() -> None:
    mapping = {"DEBUG": "true", "SECRET_KEY": strong(), "ALLOWED_HOSTS": "shop.acme-retail.com"}
    envguard.guard(schema="django", env="development", environ=mapping)  # below error there
    with pytest.raises(envguard.ConfigError) as raised:
        envguard.guard(schema="django", env="development", environ=mapping, fail_on="info")
    assert "DEBUG" in {f.key for f in raised.value.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "code",
    [
        "import envguard",
        "import envguard; envguard.check_env({'DEBUG': 'true'}, schema='django'); envguard.ConfigError",
    ],
)
def test_importing_and_checking_stays_light(code: str) -> None:
    probe = f"import sys\n{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert not {m for m in imported if m.split(".")[0] in HEAVY}


def test_check_env_keeps_no_values_afterwards() -> None:
    """An app keeps running after guard(): nothing it learned about the values outlives the call."""
    import gc

    secret = "kept-nowhere-" + "Zq8" * 10
    envguard.check_env({"APP_SECRET": secret, "APP_URL": "https://x.acme.io"}, env="production")
    gc.collect()
    holders = [o for o in gc.get_objects() if isinstance(o, dict) and secret in o]
    assert holders == []


def test_guard_sees_a_changed_schema(tmp_path: Path) -> None:
    """A long-lived process: the schema file is read again on every call, not kept from the first."""
    schema = tmp_path / "schema.toml"
    schema.write_text('[schema]\nname = "app"\n[vars.FEATURE_X]\nrequired = true\n')
    values = {"APP_URL": "https://x.acme.io"}
    assert [f.code for f in envguard.check_env(values, schema=str(schema), env="production")] == ["EG901"]
    schema.write_text('[schema]\nname = "app"\n[vars.FEATURE_X]\n')
    assert envguard.check_env(values, schema=str(schema), env="production") == []


@pytest.mark.parametrize(
    "environ",
    [
        {"SECRET_KEY": "ab\udcffcd" * 10},  # what os.environ holds for bytes that are not UTF-8
        {"A\udcff": "x"},
        {"APP_KEY": "\udcff"},
        {"DATABASE_URL": "postgres://u:p\udcff@db.example.com/d"},
        {"X": "\ud800 lone high surrogate"},
        {"NUL": "a\x00b", "EMPTY": "", "": "no key"},
    ],
)
def test_guard_and_check_env_take_any_string(environ: dict[str, str]) -> None:
    found = envguard.check_env(environ, env="production")
    assert all(isinstance(f.message, str) for f in found)
    if any("\ud800" <= c <= "\udfff" for pair in environ.items() for c in "".join(pair)):
        assert any(f.code == "EG110" for f in found)
    try:
        envguard.guard(environ=environ, env="production", fail_on="warning")
    except envguard.ConfigError as exc:
        str(exc).encode("utf-8")  # the message itself is always printable text
