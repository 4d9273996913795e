"""A unique secret value in a checked file never reaches stdout or stderr, in any format."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fixtures_cli import Cli

FORMATS = ("text", "json", "sarif", "github")


def canary_file(tmp_path: Path, canary: str) -> Path:
    """The secret in every place a rule might quote it: values, broken lines, duplicates, URLs."""
    text = (
        "\n".join(
            [
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
            ]
        )
        + "\n"
    )
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


def slices(planted: str, size: int = 8) -> set[str]:
    """Every run of ``size`` characters of a planted value (its lines apart)."""
    return {line[i : i + size] for line in planted.splitlines() for i in range(len(line) - size + 1)}


def leaked(planted: str, *streams: str) -> list[str]:
    """The slices of ``planted`` (8 characters or more) found in any stream."""
    return sorted(s for s in slices(planted) if any(s in stream for stream in streams))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [".env.production", ".env.example", ".env.development"])
def test_no_slice_of_a_planted_value_is_printed(cli: Cli, tmp_path: Path, fmt: str, name: str) -> None:
    canary = f"cnry{uuid.uuid4().hex}"
    canary_file(tmp_path, canary).rename(tmp_path / name)
    result = cli("check", name, "--format", fmt, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    assert leaked(canary, result.out, result.err) == []


def broken_pem(body: str) -> str:
    """A private key pasted into a file with its closing quote forgotten, among ordinary lines."""
    return (
        "\n".join(
            [
                "APP_NAME=shop",
                'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----',
                *body.splitlines(),
                "-----END PRIVATE KEY-----",
                "APP_DEBUG=false",
                "LOG_LEVEL=info",
            ]
        )
        + "\n"
    )


def pem_body() -> str:
    """Random key material in 64-character base64 lines; the last one ends in `=` padding."""
    import base64
    import os

    encoded = base64.b64encode(os.urandom(200)).decode()
    assert encoded.endswith("=")
    return "\n".join(encoded[i : i + 64] for i in range(0, len(encoded), 64))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [".env.production", ".env.example", ".env.development"])
def test_a_private_key_with_its_closing_quote_forgotten_leaks_nothing(
    cli: Cli, tmp_path: Path, fmt: str, name: str
) -> None:
    body = pem_body()
    (tmp_path / name).write_text(broken_pem(body))
    result = cli("check", name, "--format", fmt, cwd=tmp_path)
    assert result.code in (0, 1), result.err
    assert result.out, "the broken quote is a finding"
    assert leaked(body, result.out, result.err) == []


def test_a_pasted_secret_line_that_looks_like_a_key_leaks_nothing(cli: Cli, tmp_path: Path) -> None:
    import base64
    import os

    secret = base64.b64encode(os.urandom(30)).decode().rstrip("=")
    (tmp_path / ".env.production").write_text(f"A=1\n{secret}=\n{secret}==\n")
    for fmt in FORMATS:
        result = cli("check", ".env.production", "--format", fmt, cwd=tmp_path)
        assert result.code == 1 and leaked(secret, result.out, result.err) == []


def _planted_environ(canary: str, origin_keys: bool) -> dict[str, str]:
    keys = [
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "APP_DEBUG",
        "LOG_LEVEL",
        "SECRET_KEY",
        "APP_KEY",
        "MAIL_ENCRYPTION",
        "JWT_ALGORITHM",
        "TRUSTED_PROXIES",
        "SANCTUM_STATEFUL_DOMAINS",
        "VITE_SECRET",
        "PORT",
        "MAIL_PORT",
        "DB_PORT",
        "NODE_ENV",
        "ADMIN_EMAIL",
        "ADMIN_PASSWORD",
        "APP_ENV",
        "SECRET_KEY_\udcff",
        "GITHUB_TOKEN",
    ]
    if origin_keys:
        keys += ["CSRF_TRUSTED_ORIGINS", "CORS_ALLOWED_ORIGINS"]
    environ = {key: canary for key in keys}
    environ.update(
        DATABASE_URL=f"postgres://u:{canary}@db.example.com/x",
        APP_URL=f"http://{canary}.com",
        REDIS_URL=f"redis://:{canary}@cache.example.com:6379",
        UNDECODABLE=canary + "\udcff",
    )
    return environ


def _guard_message(environ: dict[str, str], schema: str | None) -> str:
    import envguard

    try:
        envguard.guard(schema=schema, environ=environ, env="production", fail_on="info")
    except envguard.ConfigError as exc:
        return str(exc)
    return ""


@pytest.mark.parametrize("schema", [None, "django", "laravel", "node", "fastapi"])
def test_guard_messages_hold_no_slice_of_a_value(schema: str | None) -> None:
    canary = f"cnry{uuid.uuid4().hex}"
    message = _guard_message(_planted_environ(canary, origin_keys=False), schema)
    assert message and leaked(canary, message) == []


@pytest.mark.parametrize("schema", [None, "django"])
def test_guard_messages_hold_no_slice_of_a_value_of_an_origin_list(schema: str | None) -> None:
    canary = f"cnry{uuid.uuid4().hex}"
    message = _guard_message(_planted_environ(canary, origin_keys=True), schema)
    assert message and leaked(canary, message) == []
