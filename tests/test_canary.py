"""A unique secret value in a checked file never reaches stdout or stderr, in any format."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fixtures_cli import Cli

FORMATS = ("text", "json", "sarif", "github")


def canary_file(tmp_path: Path, canary: str) -> Path:
    """The secret in every place a rule might quote it: values, broken lines, duplicates, URLs."""
    text = "\n".join([
        f"APP_KEY={canary}",
        f"APP_KEY={canary}-2",
        f"DB_PASSWORD = {canary}",
        f"app_secret={canary}",
        f'JWT_SECRET="{canary}" trailing',
        f"MAIL_PASSWORD='{canary}",
        f"{canary}",
        f"={canary}",
        f"DATABASE_URL=postgres://admin:{canary}@db.example.com:5432/app",
        f"VITE_STRIPE_SECRET=sk_live_{canary}",
        f"NEXT_PUBLIC_API_KEY={canary}",
        f"SESSION_SECRET={canary[:6]}",
        "APP_DEBUG=true",
        f"APP_KEY={canary}",
    ]) + "\n"
    path = tmp_path / ".env.production"
    path.write_text(text)
    return path


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [".env.production", ".env.example", ".env.development"])
def test_secret_never_printed(cli: Cli, tmp_path: Path, fmt: str, name: str) -> None:
    canary = f"cnry{uuid.uuid4().hex}"
    path = canary_file(tmp_path, canary)
    path.rename(tmp_path / name)
    result = cli("check", name, "--format", fmt, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    assert result.out, "the file has findings; an empty report would prove nothing"
    for stream in (result.out, result.err):
        assert canary not in stream
        assert canary[4:20] not in stream


def test_secret_never_in_the_baseline(cli: Cli, tmp_path: Path) -> None:
    canary = f"cnry{uuid.uuid4().hex}"
    canary_file(tmp_path, canary)
    result = cli("check", ".env.production", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert result.code == 0
    assert canary[4:20] not in (tmp_path / "baseline.json").read_text() + result.out + result.err
