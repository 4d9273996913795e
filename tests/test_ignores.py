"""Inline ignores: unknown codes are a warning naming the code; EG100 reports ignores that hide nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_cli import Cli

TEXT = (
    "DEBUG=false  # envguard: ignore[EG401]\n"
    "SECRET_KEY=changeme # envguard: ignore[EG201,EG999]\n"
    "# envguard: ignore\n"
    "APP_NAME=shop\n"
    "APP_DEBUG=true  # envguard: ignore[EG401]\n"
)


def _file(tmp_path: Path) -> Path:
    (tmp_path / ".env.production").write_text(TEXT)
    return tmp_path


def test_unknown_code_in_an_inline_ignore_is_one_warning_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", ".env.production", cwd=_file(tmp_path))
    assert result.code == 0
    warnings = [line for line in result.err_lines if "warning:" in line]
    assert warnings == ["envguard: warning: .env.production:2: `envguard: ignore[EG999]` names no rule"]


def test_unknown_select_and_ignore_codes_are_warnings(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "check", ".env.production", "--select", "EG4,EG998", "--ignore", "EG997", cwd=_file(tmp_path)
    )
    assert result.code == 0
    assert "envguard: warning: --select: 'EG998' names no rule (see `envguard rules`)" in result.err_lines
    assert "envguard: warning: --ignore: 'EG997' names no rule (see `envguard rules`)" in result.err_lines


def test_eg100_is_opt_in(cli: Cli, tmp_path: Path) -> None:
    project = _file(tmp_path)
    assert "EG100" not in cli("check", ".env.production", cwd=project).out
    assert "EG100" not in cli("check", ".env.production", "--select", "EG1", cwd=project).out


def test_eg100_reports_each_ignore_that_hides_nothing(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", ".env.production", "--select", "EG100", "-f", "json", cwd=_file(tmp_path))
    found = [(f["line"], f["message"]) for f in json.loads(result.out)["findings"]]
    assert found == [
        (1, "`ignore[EG401]` suppresses nothing here"),
        (2, "`ignore[EG999]` suppresses nothing here"),
        (3, "`envguard: ignore` suppresses nothing here"),
    ]  # line 5's ignore hides a real EG401, and EG201 on line 2 hides the placeholder
    assert "changeme" not in result.out
    assert cli("check", ".env.production", "--select", "unused-ignore", cwd=tmp_path).code == 0


def _eg100(cli: Cli, project: Path) -> list[tuple[int, int, str | None]]:
    result = cli("check", ".env.production", "--select", "EG100", "-f", "json", cwd=project)
    return [(f["line"], f["column"], f["key"]) for f in json.loads(result.out)["findings"]]


def test_eg100_points_at_the_unused_code(cli: Cli, tmp_path: Path) -> None:
    # the column of the unused code (of `envguard:` for a bare ignore), the key of the line it is on
    assert _eg100(cli, _file(tmp_path)) == [(1, 33, "DEBUG"), (2, 46, "SECRET_KEY"), (3, 3, None)]


def test_after_a_multi_line_value_eg100_is_where_the_code_is_written(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text('MOTD="hello\nworld"  # envguard: ignore[EG401]\n')
    assert _eg100(cli, tmp_path) == [(2, 28, "MOTD")]


@pytest.mark.parametrize(
    ("comment", "reported"),
    [
        ("# envguard: ignore", True),  # a bare ignore that hides nothing no longer hides its own EG100
        ("# envguard: ignore[EG1]", True),  # nor does a prefix: an opt-in rule is named exactly
        ("# envguard: ignore[EG100]", False),
        ("# envguard: ignore[unused-ignore]", False),
    ],
)
def test_only_an_ignore_naming_eg100_hides_it(cli: Cli, tmp_path: Path, comment: str, reported: bool) -> None:
    (tmp_path / ".env.production").write_text(f"APP_NAME=shop  {comment}\n")
    assert bool(_eg100(cli, tmp_path)) is reported


@pytest.mark.parametrize("command", ["check", "fix"])
def test_a_control_character_in_an_unknown_code_is_shown_escaped(
    cli: Cli, tmp_path: Path, command: str
) -> None:
    # the selector is the file's text: an ESC sequence in it must not reach the terminal raw
    (tmp_path / ".env.production").write_text(
        "APP_ENV=production  # envguard: ignore[EG9\x1b[2J\x1b[31mX\u202e]\n"
    )
    result = cli(command, ".env.production", cwd=tmp_path)
    assert result.code == 0, result.err
    assert "\x1b" not in result.err and "\u202e" not in result.err
    shown = "EG9\\x1b[2J\\x1b[31mX\\u202e"
    warning = f"envguard: warning: .env.production:1: `envguard: ignore[{shown}]` names no rule"
    assert warning in result.err_lines
