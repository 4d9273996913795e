"""The schema loader: TOML files, ``extends``, globs, validation errors, pydantic-settings classes."""

from __future__ import annotations

import enum
import sys
import textwrap
from pathlib import Path
from typing import Literal

import pytest
from pydantic import AliasChoices, BaseModel, Field, HttpUrl, PostgresDsn, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from envguard import catalog
from envguard.errors import SchemaError
from envguard.findings import Environment
from envguard.schema_pydantic import from_reference, from_settings_class


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_extends_merges_parent_fields_one_by_one(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.toml",
        """
        [schema]
        name = "base"
        [vars.SECRET_KEY]
        secret = true
        min_length = 32
        [vars.DEBUG]
        type = "bool"
        production = false
    """,
    )
    child = write(
        tmp_path,
        "child.toml",
        """
        [schema]
        name = "child"
        extends = "base.toml"
        [vars.SECRET_KEY]
        required = true
        [vars.API_URL]
        type = "url"
    """,
    )
    loaded = catalog.load(str(child))
    key = loaded.vars["SECRET_KEY"]
    assert (key.required, key.secret, key.min_length) == (True, True, 32)
    assert loaded.vars["DEBUG"].expected(Environment.PRODUCTION) == "false"
    assert loaded.vars["API_URL"].type == "url"
    assert loaded.extends == ("base.toml",)


def test_extends_a_builtin_by_name(tmp_path: Path) -> None:
    child = write(
        tmp_path,
        "app.toml",
        """
        [schema]
        extends = ["laravel"]
        [vars.APP_URL]
        description = "ours"
    """,
    )
    loaded = catalog.load(str(child))
    assert loaded.name == "app"
    assert loaded.vars["APP_URL"].required and loaded.vars["APP_URL"].description == "ours"
    assert loaded.vars["MAIL_DRIVER"].replaced_by == "MAIL_MAILER"


def test_globs_match_keys_and_exact_names_win(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "g.toml",
        """
        [vars."*_PASSWORD"]
        secret = true
        [vars."FEATURE_*"]
        type = "bool"
        [vars.FEATURE_NAME]
        type = "string"
    """,
    )
    loaded = catalog.load(str(path))
    assert loaded.spec("REDIS_PASSWORD").secret is True  # type: ignore[union-attr]
    assert loaded.spec("FEATURE_PSD2").type == "bool"  # type: ignore[union-attr]
    assert loaded.spec("FEATURE_NAME").type == "string"  # type: ignore[union-attr]
    assert loaded.spec("PASSWORD_HINT") is None


def test_per_environment_values_in_both_spellings(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "e.toml",
        """
        [vars.APP_ENV]
        values = {production = "production", staging = "staging"}
        [vars.APP_DEBUG]
        production = false
        staging = 0
    """,
    )
    loaded = catalog.load(str(path))
    assert loaded.vars["APP_ENV"].expected(Environment.STAGING) == "staging"
    assert loaded.vars["APP_DEBUG"].expected(Environment.PRODUCTION) == "false"
    assert loaded.vars["APP_DEBUG"].expected(Environment.STAGING) == "0"
    assert loaded.vars["APP_DEBUG"].expected(Environment.DEVELOPMENT) is None


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[vars.A]\nrequird = true\n", "unknown field 'requird'"),
        ("[vars.A]\nrequired = 'yes'\n", "vars.A.required has the wrong type"),
        ("[vars.A]\ntype = 'integer'\n", "vars.A.type 'integer' is not one of"),
        ("[vars.A]\npattern = '(['\n", "vars.A.pattern: invalid regular expression"),
        ("[vars.A]\nchoices = 'a'\n", "vars.A.choices has the wrong type"),
        ("[vars.A]\nmin_length = '8'\n", "vars.A.min_length has the wrong type"),
        ("[vars.A]\nproduction = [1]\n", "vars.A.production has the wrong type"),
        ("[schema]\nnmae = 'x'\n", "unknown field schema.nmae"),
        ("[schema]\ndefault_env = 'prod'\n", "schema.default_env must be one of"),
        ("[schema]\nextends = ['nope-not-here']\n", "extends unknown schema 'nope-not-here'"),
        ("[variables.A]\nrequired = true\n", "unknown top-level table(s): variables"),
        ("vars = 1\n", "[vars] must be a table"),
        ("[vars]\nA = 1\n", "vars.A must be a table"),
        ("[vars.A]\nrequired_when = [1]\n", "vars.A.required_when must list conditions"),
        ("[schema]\nextends = 5\n", "schema.extends must be a schema name or a list"),
        ("[schema]\n[schema.x]\n", "unknown field schema.x"),
        ("[vars\n", "invalid TOML"),
    ],
)
def test_every_mistake_is_a_one_line_schema_error(tmp_path: Path, body: str, fragment: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SchemaError) as caught:
        catalog.load(str(path))
    message = str(caught.value)
    assert fragment in message
    assert "\n" not in message


def test_circular_extends_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", "[schema]\nextends = ['b.toml']\n")
    write(tmp_path, "b.toml", "[schema]\nextends = ['a.toml']\n")
    with pytest.raises(SchemaError, match="circular extends"):
        catalog.load(str(tmp_path / "a.toml"))


def test_unknown_names_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="unknown schema 'larvel'") as caught:
        catalog.load("larvel")
    assert caught.value.hint and "laravel" in caught.value.hint
    with pytest.raises(SchemaError, match="schema file not found"):
        catalog.load(str(tmp_path / "missing.toml"))


# pydantic-settings classes -------------------------------------------------------------------


class Mode(enum.Enum):
    LIVE = "live"
    SANDBOX = "sandbox"


class Smtp(BaseModel):
    host: str
    port: int = 587


class LedgerSettings(BaseSettings):
    """Ledger API settings."""

    model_config = SettingsConfigDict(env_prefix="ledger_")

    secret_key: SecretStr = Field(min_length=32, description="signs tokens")
    database_url: PostgresDsn
    site_url: HttpUrl = Field(validation_alias="PUBLIC_SITE_URL")
    debug: bool = False
    workers: int = 4
    ratio: float = 0.5
    log_level: Literal["debug", "info", "warning"] = "info"
    mode: Mode = Mode.LIVE
    origins: list[str] = []
    smtp: Smtp | None = None
    region: str = Field("eu-central-1", pattern=r"^[a-z]{2}-[a-z]+-\d$", examples=["eu-west-1"])
    token: SecretStr = Field(validation_alias=AliasChoices("BOT_TOKEN", "TELEGRAM_TOKEN"))


def test_settings_class_becomes_a_schema() -> None:
    converted = from_settings_class(LedgerSettings, source="tests:LedgerSettings")
    specs = converted.vars
    assert converted.name == "LedgerSettings"
    assert converted.description == "Ledger API settings."
    key = specs["LEDGER_SECRET_KEY"]
    assert (key.required, key.secret, key.min_length) == (True, True, 32)
    assert key.description == "signs tokens"
    assert specs["LEDGER_DATABASE_URL"].type == "url" and specs["LEDGER_DATABASE_URL"].required
    assert specs["PUBLIC_SITE_URL"].type == "url"  # an alias ignores env_prefix
    assert "LEDGER_SITE_URL" not in specs
    kinds = {n: specs[f"LEDGER_{n}"].type for n in ("DEBUG", "WORKERS", "RATIO", "ORIGINS", "SMTP")}
    assert kinds == {"DEBUG": "bool", "WORKERS": "int", "RATIO": "float", "ORIGINS": "json", "SMTP": "json"}
    assert specs["LEDGER_LOG_LEVEL"].choices == ("debug", "info", "warning")
    assert specs["LEDGER_MODE"].choices == ("live", "sandbox")
    region = specs["LEDGER_REGION"]
    assert region.pattern == r"^[a-z]{2}-[a-z]+-\d$" and region.example == "eu-west-1"


def test_alias_choices_any_alias_satisfies_the_field() -> None:
    specs = from_settings_class(LedgerSettings).vars
    first, second = specs["BOT_TOKEN"], specs["TELEGRAM_TOKEN"]
    assert first.required_when == ("TELEGRAM_TOKEN=",) and first.secret
    assert not second.required and second.secret


def test_case_sensitive_settings_keep_their_names() -> None:
    class Exact(BaseSettings):
        model_config = SettingsConfigDict(case_sensitive=True, env_prefix="App_")
        Port: int

    assert list(from_settings_class(Exact).vars) == ["App_Port"]


def test_from_reference_imports_module_and_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        "envguard_demo_settings.py",
        """
        from pydantic import SecretStr
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            jwt_secret: SecretStr
            port: int = 8000
    """,
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "envguard_demo_settings", raising=False)
    loaded = catalog.load("envguard_demo_settings:Settings")
    assert loaded.vars["JWT_SECRET"].secret and loaded.vars["JWT_SECRET"].required
    assert loaded.vars["PORT"].type == "int" and not loaded.vars["PORT"].required
    assert loaded.source == "envguard_demo_settings:Settings"


@pytest.mark.parametrize(
    ("ref", "fragment"),
    [
        ("no_such_module_xyz:Settings", "cannot import module 'no_such_module_xyz'"),
        ("tests_missing:", "expected module:Class"),
        ("envguard.schema:NoSuchClass", "has no attribute 'NoSuchClass'"),
        ("envguard.schema:Schema", "not a pydantic-settings class"),
    ],
)
def test_bad_references_are_one_line_errors(ref: str, fragment: str) -> None:
    with pytest.raises(SchemaError) as caught:
        from_reference(ref)
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_a_module_that_fails_to_import_is_reported_without_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "envguard_broken_settings.py", "raise RuntimeError('password=hunter2')\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SchemaError) as caught:
        from_reference("envguard_broken_settings:Settings")
    assert "RuntimeError" in str(caught.value) and "hunter2" not in str(caught.value)
