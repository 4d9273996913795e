"""Canary: no command prints a decrypted value, except ``get``, ``pull`` and the child of ``run``.

A distinctive value goes through every encryption command and ``check`` in every format, with and
without a key, on success and on failure; its text must never appear in what envguard itself
prints. The private key is held to the same standard (``keypair --show-private`` aside).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import RunEnvguard
from servers.github import TOKEN as GITHUB_TOKEN
from servers.github import GitHubServer
from servers.vercel import TEAM, VercelServer
from servers.vercel import TOKEN as VERCEL_TOKEN

from envguard import envfile

CANARY = "cAnArY-7d41f09b2e  s3cr3t"
NEWLINE_CANARY = "cAnArY-line-one\ncAnArY-line-two"
PRINT = "import os; print(os.environ['SECRET_KEY'])"


def _private_key(tmp_path: Path) -> str:
    return envfile.read(tmp_path / ".env.keys").values()["DOTENV_PRIVATE_KEY_PRODUCTION"]


def _silent(result: tuple[int, str, str], *secrets: str) -> None:
    _code, out, err = result
    for secret in (CANARY, "cAnArY", *secrets):
        assert secret not in out and secret not in err


def test_no_command_but_get_and_run_prints_the_value(
    tmp_path: Path, run_envguard: RunEnvguard, monkeypatch: pytest.MonkeyPatch
) -> None:
    prod = ("-f", ".env.production")
    _silent(run_envguard("keypair", *prod))
    key = _private_key(tmp_path)
    _silent(run_envguard("set", "SECRET_KEY", *prod, stdin=CANARY + "\n"), key)
    _silent(run_envguard("set", "NOTES", NEWLINE_CANARY, *prod), key)
    _silent(run_envguard("set", "SECRET_KEY", CANARY, "--plain", "-f", ".env.staging"), key)
    _silent(run_envguard("set", "DUPLICATE", CANARY, *prod), key)
    with (tmp_path / ".env.production").open("a") as handle:
        handle.write(f"DUPLICATE='{CANARY}'\n")

    for fmt in ("text", "json", "sarif", "github"):
        _silent(run_envguard("check", "--format", fmt), key)
        _silent(run_envguard("check", ".env.production", "--format", fmt), key)
    _silent(run_envguard("rules"), key)

    assert run_envguard("get", "SECRET_KEY", *prod) == (0, CANARY + "\n", "")
    code, out, err = run_envguard("run", *prod, "--", sys.executable, "-c", PRINT)
    assert (code, out) == (0, CANARY + "\n")
    _silent((code, "", err), key)

    _silent(run_envguard("encrypt", ".env.staging"), key)
    _silent(run_envguard("decrypt", ".env.staging"), key)
    _silent(run_envguard("encrypt", ".env.staging"), key)

    keys_file = tmp_path / ".env.keys"
    keys_file.write_text("DOTENV_PRIVATE_KEY_PRODUCTION=" + "11" * 32 + "\n")
    for args in (
        ("get", "SECRET_KEY", *prod),
        ("decrypt", ".env.production"),
        ("check",),
        ("run", *prod, "--", sys.executable, "-c", PRINT),
    ):
        _silent(run_envguard(*args), key)
    keys_file.unlink()
    monkeypatch.setenv("DOTENV_PRIVATE_KEY_PRODUCTION", "not-a-key")
    _silent(run_envguard("get", "SECRET_KEY", *prod), key)
    monkeypatch.delenv("DOTENV_PRIVATE_KEY_PRODUCTION")
    _silent(run_envguard("check", "--format", "json"), key)


def test_keypair_prints_the_private_key_only_when_asked(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    quiet = run_envguard("keypair", "-f", ".env.production")
    _silent(quiet, _private_key(tmp_path))
    code, out, _err = run_envguard("keypair", "-f", ".env.staging", "--show-private")
    staging = envfile.read(tmp_path / ".env.keys").values()["DOTENV_PRIVATE_KEY_STAGING"]
    assert code == 0 and out == f"DOTENV_PRIVATE_KEY_STAGING={staging}\n"


def test_a_broken_private_key_block_leaks_through_no_command(
    tmp_path: Path, run_envguard: RunEnvguard
) -> None:
    # its closing quote forgotten: every line of the key used to be a record, a line ending in `=`
    # a "key" that findings printed
    body = "\n".join(
        [
            "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7cAnArYkey01",
            "cAnArYgOeFUvNZfugG4Ra+hY5Q0PIcAnArYhY5Q0PIgOeFUvNZfugG4Ra=",
        ]
    )
    text = f'APP_NAME=shop\nJWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n'
    (tmp_path / ".env.production").write_text(text + "APP_DEBUG=false\n")
    pieces = {line[i : i + 8] for line in body.splitlines() for i in range(len(line) - 7)}
    for args in (
        ("check", ".env.production"),
        ("check", ".env.production", "--format", "json"),
        ("encrypt", ".env.production"),
        ("decrypt", ".env.production"),
        ("fix", ".env.production", "--dry-run", "--show-fixes"),
        ("fix", ".env.production", "--show-fixes"),
        ("get", "APP_NAME", "-f", ".env.production"),
    ):
        _code, out, err = run_envguard(*args)
        out = out if args[0] != "get" else ""
        assert not [p for p in pieces if p in out or p in err], args


def test_the_platform_commands_never_print_the_value(
    tmp_path: Path,
    run_envguard: RunEnvguard,
    monkeypatch: pytest.MonkeyPatch,
    vercel_server: VercelServer,
    github_server: GitHubServer,
) -> None:
    """push, diff, check --from, rotate and run --redact to Vercel and GitHub, on success and failure."""
    for name, value in {
        "ENVGUARD_VERCEL_URL": vercel_server.url,
        "VERCEL_TOKEN": VERCEL_TOKEN,
        "VERCEL_TEAM_ID": TEAM,
        "ENVGUARD_GITHUB_URL": github_server.url,
        "GITHUB_TOKEN": GITHUB_TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / ".env.development").write_text(f'SECRET_KEY="{CANARY}"\nNOTES="{NEWLINE_CANARY}"\n')
    for uri in ("vercel://web/development", "github://acme/shop"):
        _silent(run_envguard("push", ".env.development", "--to", uri, "--yes"))
        _silent(run_envguard("diff", ".env.development", uri))
        _silent(run_envguard("check", "--from", uri, "--format", "json"))
        _silent(
            run_envguard(
                "rotate",
                "SECRET_KEY",
                "--generate",
                "hex:32",
                "--in",
                ".env.development",
                "--to",
                uri,
                "--dry-run",
            )
        )
    vercel_server.refuse["NEW_SECRET"] = ("ENV_CONFLICT", "conflict")  # the failed item quotes the value
    (tmp_path / ".env.development").write_text(f'NEW_SECRET="{CANARY}-2"\n')
    code, out, err = run_envguard("push", ".env.development", "--to", "vercel://web/development", "--yes")
    assert code == 3
    _silent((code, out, err))
    github_server.inject(422, body={"message": f"could not decrypt {CANARY}-2"}, skip=3)  # the PUT
    _silent(run_envguard("push", ".env.development", "--to", "github://acme/shop", "--yes"))
    (tmp_path / ".env.development").write_text(f'SECRET_KEY="{CANARY}"\n')
    code, out, err = run_envguard(
        "rotate",
        "SECRET_KEY",
        "--generate",
        "hex:32",
        "--in",
        ".env.development",
        "--to",
        "vercel://web/development",
        "--yes",
    )
    new = envfile.read(tmp_path / ".env.development").values()["SECRET_KEY"]
    _silent((code, out, err), new)
    code, out, err = run_envguard(
        "run", "--redact", "-f", ".env.development", "--", sys.executable, "-c", PRINT
    )
    assert (code, out) == (0, "***\n")
    _silent((code, out, err), new)
