"""Help that reads well, errors that name their command, ``--env`` aliases, typed messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_cli import Cli

from envguard.cli import app
from envguard.sources import env_named

COMMANDS = [
    ["check"],
    ["fix"],
    ["run"],
    ["push"],
    ["pull"],
    ["diff"],
    ["rotate"],
    ["schema", "init"],
    ["set"],
    ["keypair"],
    ["protect"],
    ["rules"],
    [],
]


def _help(args: list[str], columns: int = 80) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "TERM": "dumb"}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "envguard", *args, "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "envguard")
def test_no_python_types_in_help(args: list[str]) -> None:
    out = _help(args)
    for python_type in ("<bool>", "<str>", "<int>", "<path>", "list[", "<Path>"):
        assert python_type not in out


def test_check_help_fits_80_columns_without_breaking_words() -> None:
    out = _help(["check"])
    assert max(len(line) for line in out.splitlines()) <= 80
    # every option's value name stays whole on one line, next to its option
    for option, value in (
        ("--env", "ENV"),
        ("--fail-on", "SEVERITY"),
        ("--select", "CODES"),
        ("--baseline", "FILE"),
        ("--from ", "URI"),
        ("--pid", "PID"),
    ):
        line = next(line for line in out.splitlines() if f"{option}" in line)
        assert value in line, line


def test_help_is_generated_from_the_typer_app() -> None:
    import typer

    command = typer.main.get_command(app)
    assert "check" in command.commands  # type: ignore[attr-defined]


def test_bare_envguard_prints_help_and_exits_2_without_an_error_line() -> None:
    done = subprocess.run([sys.executable, "-m", "envguard"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Usage: envguard" in done.stdout + done.stderr
    assert "error" not in done.stderr


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["check", "--nope"], "envguard check --help"),
        (["schema", "init", "--nope"], "envguard schema init --help"),
        (["pull"], "envguard pull --help"),
        (["nope"], "envguard --help"),
    ],
)
def test_errors_hint_at_their_command(cli: Cli, tmp_path: Path, args: list[str], hint: str) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.code == 2
    assert len(result.err_lines) == 1 and f"`{hint}`" in result.err


@pytest.mark.parametrize(
    ("name", "env"),
    [
        ("prod", "production"),
        ("PROD", "production"),
        ("stage", "staging"),
        ("dev", "development"),
        ("production", "production"),
        ("Test", "test"),
        ("example", "example"),
        ("live", "production"),
    ],
)
def test_env_aliases(cli: Cli, tmp_path: Path, name: str, env: str) -> None:
    assert str(env_named(name)) == env
    (tmp_path / ".env.production").write_text("DEBUG=true\n")
    direct = cli("check", ".env.production", "--env", env, "-q", "--format", "json", cwd=tmp_path)
    alias = cli("check", ".env.production", "--env", name, "-q", "--format", "json", cwd=tmp_path)
    assert alias.code == direct.code and alias.out == direct.out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--env", "bogus"],
        ["check", "--fail-on", "bad"],
        ["check", "--pid", "abc"],
        ["fix", ".env", "--env", "nope"],
    ],
)
def test_bad_values_are_typed_not_pydantic(cli: Cli, tmp_path: Path, args: list[str]) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.code == 2 and len(result.err_lines) == 1
    assert "Value error" not in result.err and "Input should be" not in result.err
