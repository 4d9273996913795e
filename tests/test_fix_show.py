"""``fix --show-fixes``: the default output is what is left and a count (ruff's ``--fix``); the flag
lists each fix by file:line, key, rule and what was done, never a value."""

from __future__ import annotations

from pathlib import Path

from fixtures_cli import Cli

TEXT = (
    "SECRET_KEY=changeme-canary-7f3a\nDEBUG=true\nSTRIPE_SECRET_KEY=your-stripe-key-canary\nAPP_NAME=shop\n"
)
FIXES = [
    ".env.production:1 SECRET_KEY EG201 placeholder-secret: generated a strong hex:32 value",
    ".env.production:2 DEBUG EG401 debug-enabled: set it off",
]
LEFT = (
    "needs a human  .env.production:3 STRIPE_SECRET_KEY EG201 placeholder-secret: STRIPE_SECRET_KEY is a "
    "placeholder (a credential issued elsewhere: paste the real one from the provider)"
)


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".env.production").write_text(TEXT)
    return tmp_path


def test_default_output_is_what_is_left_and_a_count(cli: Cli, tmp_path: Path) -> None:
    result = cli("fix", ".env.production", cwd=_project(tmp_path))
    assert result.code == 1
    assert result.out.splitlines() == [LEFT]
    assert result.err_lines == ["envguard: fixed 2 finding(s) in .env.production; 1 need(s) a human"]


def test_show_fixes_lists_each_fix_made(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = cli("fix", ".env.production", "--show-fixes", cwd=project)
    assert result.code == 1
    assert result.out.splitlines() == [*(f"fixed  {line}" for line in FIXES), LEFT]
    assert result.err_lines == ["envguard: fixed 2 finding(s) in .env.production; 1 need(s) a human"]
    written = (project / ".env.production").read_text()
    assert "canary" in written and "changeme" not in written  # STRIPE_SECRET_KEY is left for a human
    new_secret = written.splitlines()[0].partition("=")[2]
    assert new_secret not in result.out + result.err and "canary" not in result.out + result.err


def test_dry_run_shows_fixes_only_when_asked_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path)
    quiet = cli("fix", ".env.production", "--dry-run", cwd=project)
    assert quiet.out.splitlines() == [LEFT]
    assert quiet.err_lines == ["envguard: would fix 2 finding(s) in .env.production; 1 need(s) a human"]
    shown = cli("fix", ".env.production", "--dry-run", "--show-fixes", cwd=project)
    assert shown.out.splitlines() == [*(f"would fix  {line}" for line in FIXES), LEFT]
    assert shown.code == quiet.code == 1
    assert (project / ".env.production").read_text() == TEXT
    assert "canary" not in quiet.out + quiet.err + shown.out + shown.err


def test_with_diff_the_fixes_go_to_stderr_and_stdout_stays_a_diff(cli: Cli, tmp_path: Path) -> None:
    project = _project(tmp_path)
    plain = cli("fix", ".env.production", "--diff", cwd=project)
    assert [line for line in plain.err_lines if "would fix  " in line] == []
    result = cli("fix", ".env.production", "--diff", "--show-fixes", cwd=project)
    assert result.out == plain.out and result.out.startswith("--- .env.production\n")
    assert [line for line in result.err_lines if line.startswith("would fix  ")] == [
        f"would fix  {line}" for line in FIXES
    ]
    assert (project / ".env.production").read_text() == TEXT


def test_nothing_to_fix_shows_no_fixes(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text("APP_NAME=shop\n")
    result = cli("fix", ".env.production", "--show-fixes", cwd=tmp_path)
    assert result.code == 0 and result.out == ""
    assert result.err_lines == ["envguard: fixed 0 finding(s) in .env.production; 0 need(s) a human"]
