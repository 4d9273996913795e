"""Project configuration: ``envguard.toml`` / ``[tool.envguard]``, found by walking up; flags win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_cli import Cli

from envguard import config
from envguard.findings import Environment, Severity

# EG105 (error) on line 2 and EG106 (warning) on line 3; values no other family cares about
BOTH = "APP_NAME=a\nAPP_NAME=b\nAPP_TITLE = Acme\n"
WARNING_ONLY = "APP_TITLE = Acme\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def codes(cli: Cli, *args: str | Path, cwd: Path) -> list[str]:
    result = cli("check", *args, "--format", "json", cwd=cwd)
    assert result.code in (0, 1), result.err
    # only the syntax family: other families grow while these tests stay about configuration
    return [f["code"] for f in json.loads(result.out)["findings"] if f["code"].startswith("EG1")]


def test_found_by_walking_up_from_the_checked_file(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "proj" / "envguard.toml", 'select = ["EG106"]\n')
    env = write(tmp_path / "proj" / "deploy" / "prod" / ".env.production", BOTH)
    assert codes(cli, env, cwd=env.parent) == ["EG106"]
    assert codes(cli, env, cwd=tmp_path) == ["EG106"]
    assert config.find(env).source == tmp_path / "proj" / "envguard.toml"


def test_envguard_toml_wins_over_pyproject_in_one_folder(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.envguard]\nselect = ["EG105"]\n')
    write(tmp_path / "envguard.toml", 'select = ["EG106"]\n')
    env = write(tmp_path / ".env.production", BOTH)
    assert codes(cli, env, cwd=tmp_path) == ["EG106"]


def test_pyproject_section_is_read(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n\n[tool.envguard]\nignore = ["EG105"]\n')
    env = write(tmp_path / ".env.production", BOTH)
    assert codes(cli, env, cwd=tmp_path) == ["EG106"]


def test_pyproject_without_the_table_is_passed_over(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "envguard.toml", 'select = ["EG106"]\n')
    write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "app"\n\n[tool.ruff]\nline-length = 100\n')
    env = write(tmp_path / "app" / ".env.production", BOTH)
    assert config.find(env).source == tmp_path / "envguard.toml"
    assert codes(cli, env, cwd=env.parent) == ["EG106"]


def test_no_config_anywhere_means_defaults(tmp_path: Path) -> None:
    env = write(tmp_path / ".env.production", BOTH)
    found = config.find(env)
    assert found.source is None and found.select == () and found.fail_on is None


def test_env_per_file_pattern(tmp_path: Path) -> None:
    write(tmp_path / "envguard.toml", '[env]\n".env.live-*" = "staging"\n"deploy/*.env" = "development"\n')
    cfg = config.find(tmp_path)
    assert cfg.env_for(tmp_path / ".env.live-eu") is Environment.STAGING
    assert cfg.env_for(tmp_path / "deploy" / "web.env") is Environment.DEVELOPMENT
    assert cfg.env_for(tmp_path / "other" / "web.env") is None
    assert cfg.env_for(tmp_path / ".env.production") is None


def test_env_as_one_string_covers_every_file(tmp_path: Path) -> None:
    write(tmp_path / "envguard.toml", 'env = "test"\n')
    assert config.find(tmp_path).env_for(tmp_path / "x" / ".env.production") is Environment.TEST


def test_overrides_per_file(cli: Cli, tmp_path: Path) -> None:
    write(
        tmp_path / "envguard.toml",
        'schema = "laravel"\n\n[[overrides]]\nfiles = ["legacy/*"]\n'
        'ignore = ["EG106"]\nenv = "development"\nschema = "django"\n',
    )
    legacy = write(tmp_path / "legacy" / ".env.production", BOTH)
    modern = write(tmp_path / "app" / ".env.production", BOTH)
    cfg = config.find(tmp_path)
    assert cfg.env_for(legacy) is Environment.DEVELOPMENT and cfg.env_for(modern) is None
    assert cfg.schema_for(legacy) == "django" and cfg.schema_for(modern) == "laravel"


def test_overrides_select_and_ignore(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "envguard.toml", '[[overrides]]\nfiles = ["legacy/*"]\nignore = ["EG106"]\n')
    legacy = write(tmp_path / "legacy" / ".env.production", BOTH)
    modern = write(tmp_path / "app" / ".env.production", BOTH)
    assert codes(cli, legacy, cwd=tmp_path) == ["EG105"]
    assert codes(cli, modern, cwd=tmp_path) == ["EG105", "EG106"]
    # flags on the command line win over the overrides too
    assert codes(cli, legacy, "--select", "syntax", cwd=tmp_path) == ["EG105", "EG106"]


def test_dashes_and_underscores_are_the_same_key(tmp_path: Path) -> None:
    write(tmp_path / "a" / "envguard.toml", 'fail-on = "warning"\n')
    write(tmp_path / "b" / "envguard.toml", 'fail_on = "info"\n')
    assert config.find(tmp_path / "a").fail_on is Severity.WARNING
    assert config.find(tmp_path / "b").fail_on is Severity.INFO


def test_cli_flags_win_over_the_config(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "envguard.toml", 'select = ["EG106"]\nignore = ["EG105"]\nfail-on = "warning"\n')
    both = write(tmp_path / ".env.production", BOTH)
    warning = write(tmp_path / "w" / ".env.production", WARNING_ONLY)
    assert codes(cli, both, "--select", "EG105", cwd=tmp_path) == ["EG105"]
    assert codes(cli, both, "--select", "syntax", "--ignore", "EG106", cwd=tmp_path) == ["EG105"]
    assert cli("check", warning, cwd=tmp_path).code == 1
    assert cli("check", warning, "--fail-on", "error", cwd=tmp_path).code == 0


def test_fail_on_from_the_config_of_the_checked_file(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "proj" / "envguard.toml", 'fail-on = "warning"\n')
    warning = write(tmp_path / "proj" / ".env.production", WARNING_ONLY)
    assert cli("check", warning, cwd=tmp_path).code == 1
    assert cli("check", warning, "--fail-on", "error", cwd=tmp_path).code == 0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('select = ["EG106"\n', "invalid TOML"),
        ("colour = true\n", "unknown envguard setting(s): colour"),
        ('env = "prod"\n', "environment 'prod' is not one of"),
        ('fail-on = "fatal"\n', "`fail-on` must be error, warning or info"),
        ("select = 5\n", "`select` must be a list of strings"),
        ('[[overrides]]\nenv = "test"\n', "each [[overrides]] needs `files`"),
        # wrong types anywhere are one line too (these ended in exit 70)
        ("overrides = 1\n", "`overrides` must be a list of tables"),
        ("overrides = [1]\n", "`overrides` must be a list of tables"),
        ("env = 1\n", "`env` must be a table"),
        ('env = {"*.env" = 1}\n', "environment 1 is not one of"),
        ("targets = {prod = 1}\n", "`targets.prod` must be a table"),
        ("schema = []\n", "`schema` must be a string"),
        ('[[overrides]]\nfiles = "x"\nenv = []\n', "environment [] is not one of"),
        ("fail-on = []\n", "`fail-on` must be error, warning or info"),
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 64 deep"),
        ("n = " + "1" * 5000 + "\n", "invalid TOML (an integer longer than TOML allows)"),
    ],
)
def test_malformed_config_exits_2_with_one_line(cli: Cli, tmp_path: Path, text: str, fragment: str) -> None:
    write(tmp_path / "envguard.toml", text)
    env = write(tmp_path / ".env.production", "A=1\n")
    result = cli("check", env, cwd=tmp_path)
    assert result.code == 2
    assert len(result.err_lines) == 1, result.err
    assert result.err.startswith("envguard: error:") and "envguard.toml" in result.err
    assert fragment in result.err
    assert "Traceback" not in result.err and result.out == ""


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("tool = 1\n", "`tool` must be a table"),
        ("[tool]\nenvguard = 1\n", "`tool.envguard` must be a table"),
        ("[tool.envguard]\noverrides = 1\n", "`overrides` must be a list of tables"),
    ],
)
def test_malformed_pyproject_exits_2_with_one_line(
    cli: Cli, tmp_path: Path, text: str, fragment: str
) -> None:
    write(tmp_path / "pyproject.toml", text)
    env = write(tmp_path / ".env.production", "A=1\n")
    result = cli("check", env, cwd=tmp_path)
    assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert "pyproject.toml" in result.err and fragment in result.err
