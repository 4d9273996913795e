"""``fix`` with EG100 selected removes the inline ignores that hide nothing, as ``ruff --fix`` removes
unused ``noqa``: the whole comment when nothing else is in it, else only the unused directive or code;
the rest of the line is kept byte for byte, the file written atomically with its mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_cli import Cli

TEXT = (
    "DEBUG=false  # envguard: ignore[EG401]\n"
    "SECRET_KEY=changeme-canary # envguard: ignore[EG201,EG999]\n"
    "# envguard: ignore\n"
    "APP_NAME=shop\n"
    "APP_DEBUG=true  # envguard: ignore[EG401]\n"
)
FIXED = (
    "DEBUG=false\n"
    "SECRET_KEY=changeme-canary # envguard: ignore[EG201]\n"
    "APP_NAME=shop\n"
    "APP_DEBUG=true  # envguard: ignore[EG401]\n"
)


def _project(tmp_path: Path, text: str = TEXT) -> Path:
    (tmp_path / ".env.production").write_text(text)
    return tmp_path


def _unused(cli: Cli, project: Path) -> list[tuple[int, int, str | None]]:
    """(line, column, key) of each EG100 finding ``check --select EG100`` reports."""
    result = cli("check", ".env.production", "--select", "EG100", "-f", "json", cwd=project)
    return [(f["line"], f["column"], f["key"]) for f in json.loads(result.out)["findings"]]


def test_fix_removes_unused_ignores_when_eg100_is_selected(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path)
    env = project / ".env.production"
    env.chmod(0o640)
    result = cli("fix", ".env.production", "--select", "EG100", "--show-fixes", cwd=project)
    assert result.code == 0, result.err
    assert env.read_text() == FIXED
    assert env.stat().st_mode & 0o777 == 0o640
    assert result.out.splitlines() == [
        "fixed  .env.production:1 DEBUG EG100 unused-ignore: removed the ignore comment",
        "fixed  .env.production:2 SECRET_KEY EG100 unused-ignore: removed EG999 from the ignore comment",
        "fixed  .env.production:3 EG100 unused-ignore: removed the ignore comment",
    ]
    assert "envguard: fixed 3 finding(s) in .env.production; 0 need(s) a human" in result.err_lines
    assert "canary" not in result.out + result.err
    assert _unused(cli, project) == []


def test_without_eg100_selected_fix_leaves_ignores_alone(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli("fix", ".env.production", cwd=project)
    lines = (project / ".env.production").read_text().splitlines()
    assert lines[0] == "DEBUG=false  # envguard: ignore[EG401]"
    assert lines[2] == "# envguard: ignore"
    assert lines[4].endswith("  # envguard: ignore[EG401]")


def test_the_configuration_can_select_eg100(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path, "APP_DEBUG=true  # envguard: ignore[EG201]\nSESSION_SECRET=changeme\n")
    (project / "envguard.toml").write_text('select = ["EG", "EG100"]\n')
    result = cli("fix", ".env.production", "--show-fixes", cwd=project)
    assert result.code == 0, result.out + result.err
    lines = (project / ".env.production").read_text().splitlines()
    # one run makes both changes to line 1: the switch and the stale ignore
    assert lines[0] == "APP_DEBUG=false"
    assert lines[1].startswith("SESSION_SECRET=") and lines[1] != "SESSION_SECRET=changeme"
    assert [line.split(":", 1)[1].split(": ")[0] for line in result.out.splitlines()] == [
        "1 APP_DEBUG EG401 debug-enabled",
        "1 APP_DEBUG EG100 unused-ignore",
        "2 SESSION_SECRET EG201 placeholder-secret",
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # only the directive goes; the comment's own words, and the spaces before `#`, stay
        ("APP_ENV=production  # set by ops; envguard: ignore[EG401]", "APP_ENV=production  # set by ops;"),
        ("APP_ENV=production\t# envguard: ignore[EG401] set by ops", "APP_ENV=production\t# set by ops"),
        ("#   envguard: ignore[EG401]   keep it quiet", "#   keep it quiet"),
        # every code unused: the whole comment, and the blanks before it
        ("DEBUG=false \t # envguard: ignore[EG401,EG999]", "DEBUG=false"),
        ("  #envguard:ignore[debug-enabled]", None),
        ("export DEBUG='false'  # envguard: ignore", "export DEBUG='false'"),
        ("EMPTY=  # envguard: ignore[EG401]", "EMPTY="),
        # some codes used: only the unused ones go, the rest in its own spelling and spacing
        (
            "SECRET_KEY=changeme # envguard: ignore[EG999, EG201]",
            "SECRET_KEY=changeme # envguard: ignore[EG201]",
        ),
        (
            "SECRET_KEY=changeme # envguard: ignore[ EG201 ,EG401 ]",
            "SECRET_KEY=changeme # envguard: ignore[ EG201 ]",
        ),
        (
            "SECRET_KEY=changeme # Envguard: Ignore[EG401,weak-secret]",
            "SECRET_KEY=changeme # Envguard: Ignore[weak-secret]",
        ),
    ],
)
def test_what_is_removed_and_what_is_kept(cli: Cli, tmp_path: Path, before: str, after: str | None) -> None:
    project = _project(tmp_path, f"APP_NAME=shop\n{before}\nAPP_URL=https://shop.example.com\n")
    result = cli("fix", ".env.production", "--select", "EG100", cwd=project)
    assert result.code == 0, result.out + result.err
    kept = [] if after is None else [after]
    assert (project / ".env.production").read_text().splitlines() == [
        "APP_NAME=shop",
        *kept,
        "APP_URL=https://shop.example.com",
    ]
    assert _unused(cli, project) == []


def test_line_endings_and_the_other_lines_are_kept_byte_for_byte(cli: Cli, tmp_path: Path) -> None:
    env = tmp_path / ".env.production"
    env.write_bytes(b"\xef\xbb\xbfAPP_NAME=shop\r\nDEBUG=false  # envguard: ignore[EG401]\r\n# note\r\n")
    assert cli("fix", ".env.production", "--select", "EG100", cwd=tmp_path).code == 0
    assert env.read_bytes() == b"\xef\xbb\xbfAPP_NAME=shop\r\nDEBUG=false\r\n# note\r\n"


def test_an_ignore_after_a_multi_line_value(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path, 'MOTD="hello\nworld"  # envguard: ignore[EG401]\nAPP_NAME=shop\n')
    assert _unused(cli, project) == [(2, 28, "MOTD")]  # where the code is written
    assert cli("fix", ".env.production", "--select", "EG100", cwd=project).code == 0
    assert (project / ".env.production").read_text() == 'MOTD="hello\nworld"\nAPP_NAME=shop\n'


def test_dry_run_and_diff_write_nothing(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path)
    dry = cli("fix", ".env.production", "--select", "EG100", "--dry-run", "--show-fixes", cwd=project)
    assert len([line for line in dry.out.splitlines() if line.startswith("would fix  ")]) == 3
    diff = cli("fix", ".env.production", "--select", "EG100", "--diff", cwd=project)
    assert diff.out.splitlines()[3:] == ["-DEBUG=…", "-SECRET_KEY=…", "-#…", "+DEBUG=…", "+SECRET_KEY=…"]
    assert "canary" not in dry.out + dry.err + diff.out + diff.err
    assert (project / ".env.production").read_text() == TEXT


def test_an_unknown_select_code_is_one_warning_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("fix", ".env.production", "--select", "EG100,EG998", cwd=_project(tmp_path))
    assert "envguard: warning: --select: 'EG998' names no rule (see `envguard rules`)" in result.err_lines
    assert result.code == 0
