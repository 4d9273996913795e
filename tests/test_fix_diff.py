"""``fix --diff``: a key-only preview of the fixes; nothing written, no value printed."""

from __future__ import annotations

from pathlib import Path

from fixtures_cli import Cli

TEXT = "SECRET_KEY=changeme\nDEBUG=true\n# token: hunter2\nAPP_NAME=shop\n"


def test_diff_shows_keys_only_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    env = tmp_path / ".env.production"
    env.write_text(TEXT)
    result = cli("fix", ".env.production", "--diff", cwd=tmp_path)
    assert env.read_text() == TEXT
    assert result.out.startswith("--- .env.production\n+++ .env.production (fixed)\n")
    assert "-SECRET_KEY=…\n" in result.out and "+SECRET_KEY=…\n" in result.out
    assert "-DEBUG=…\n" in result.out
    for value in ("changeme", "true", "hunter2", "shop"):
        assert value not in result.out
    fixed = cli("fix", ".env.production", cwd=tmp_path)
    assert fixed.code == 0
    new_secret = env.read_text().splitlines()[0].partition("=")[2]
    assert new_secret not in result.out + result.err


def test_diff_is_empty_when_nothing_to_fix(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text("APP_NAME=shop\n")
    assert cli("fix", ".env.production", "--diff", cwd=tmp_path).out == ""
