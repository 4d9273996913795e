"""One answer everywhere: the same variable with the same value gets the same judgement from every
source: an env file, a compose file, render.yaml, railway.toml, this process (``--from-env``), a
target (``--from``), ``protect`` and ``check --git`` history.

One table of variables, realistic and tricky (secrets by name, by value, and words that only look
like secrets; references, "unset" literals, published defaults, switches, origins), goes through
each source. The value-judging families (EG2xx and EG4xx-EG9xx) must report the same (key, code)
pairs everywhere; deploy files add only their own leak findings (EG32x); and what ``protect``
refuses and ``--git`` finds in history is exactly what the rules call a secret.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from servers.render import API_KEY, RenderServer

from envguard import envfile, lint, sources
from envguard.findings import Environment
from envguard.judge.placeholders import is_placeholder
from envguard.judge.values import Kind, read
from envguard.model import Origin
from envguard.schema import GENERIC

#: (key, value): every row is one variable, judged alike wherever it is written
TABLE = [
    ("STRIPE_API_KEY_LIVE", "Xk29fj3LmQ8vN2pR7sT4wY6zA1bC3dE5"),
    ("DB_PASSWORD", "changeme"),
    ("SESSION_SECRET", "keyboard cat"),
    ("SMTP_PASS", "Summer2024"),
    ("JWT_SECRET", "Qm7vXk2pLr9sTn4wB6yHc8dJ3fK5gN1pW0zR4tV7yB3nC6fH1jL5sD0gAeU"),
    ("ADMIN_TOKEN", "${ADMIN_TOKEN:-admin}"),
    ("DATABASE_URL", "postgres://app:postgres@db.acme-retail.com:5432/app"),
    ("REDIS_PASSWORD", "null"),
    ("MAIL_PASSWORD", "${MAIL_PASSWORD}"),
    ("CORS_ALLOW_CREDENTIALS", "true"),
    ("ACCESS_TOKEN_EXPIRE_MINUTES", "60"),
    ("SAML_PRIVATE_CERT", "app.key"),
    ("PUSHER_APP_SECRET", "3f8a9c1e2b7d4f6a8c0e"),
    ("APP_DEBUG", "true"),
    ("NODE_ENV", "prod"),
    ("LOG_LEVEL", "debug"),
    ("ALLOWED_ORIGINS", "*"),
    ("APP_URL", "http://shop.acme-retail.com"),
    ("TRUSTED_PROXIES", "*"),
    ("VITE_STRIPE_SECRET", "sk_live_51Qm7vXk2pLr9sTn4wB6yHc8dJ3"),
    ("SENTRY_DSN", "https://3f2a9c41d7e84b0f@o450123.ingest.sentry.io/5512345"),
    ("TELEGRAM_CHAT_ID", "your_chat_id"),
    ("SUPPORT_EMAIL", "help@example.com"),
]
#: families whose findings judge values, the same in every source
VALUE_FAMILIES = ("EG2", "EG4", "EG5", "EG6", "EG7", "EG8", "EG9")


def judged(result: lint.Result) -> set[tuple[str, str]]:
    return {(f.key, f.code) for f in result.findings if f.key and f.code.startswith(VALUE_FAMILIES)}


def env_file(folder: Path) -> Path:
    path = folder / ".env.production"
    path.write_text("".join(f"{key}='{value}'\n" for key, value in TABLE))
    return path


def compose_file(folder: Path) -> Path:
    path = folder / "compose.yaml"
    lines = ["services:", "  web:", "    environment:"]
    lines += [f"      {key}: {json.dumps(value)}" for key, value in TABLE]
    path.write_text("\n".join(lines) + "\n")
    return path


def render_file(folder: Path) -> Path:
    path = folder / "render.yaml"
    lines = ["services:", "  - type: web", "    name: api", "    envVars:"]
    for key, value in TABLE:
        lines += [f"      - key: {key}", f"        value: {json.dumps(value)}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def railway_file(folder: Path) -> Path:
    path = folder / "railway.toml"
    lines = ["[build.nixpacksPlan.variables]", *(f"{key} = {json.dumps(value)}" for key, value in TABLE)]
    path.write_text("\n".join(lines) + "\n")
    return path


def lint_files(path: Path) -> lint.Result:
    return lint.lint(lint.Request(paths=(path,), env=Environment.PRODUCTION), path.parent)


@pytest.fixture
def from_file(tmp_path: Path) -> set[tuple[str, str]]:
    return judged(lint_files(env_file(tmp_path)))


def test_the_table_is_judged(from_file: set[tuple[str, str]]) -> None:
    codes = {code[:3] for _, code in from_file}
    assert {"EG2", "EG4", "EG5", "EG6", "EG7", "EG8", "EG9"} <= codes
    quiet = {
        "ACCESS_TOKEN_EXPIRE_MINUTES",
        "SAML_PRIVATE_CERT",
        "PUSHER_APP_SECRET",
        "REDIS_PASSWORD",
        "MAIL_PASSWORD",
        "SENTRY_DSN",
        "JWT_SECRET",
        "STRIPE_API_KEY_LIVE",
    }
    assert not {key for key, _ in from_file} & quiet


@pytest.mark.parametrize(
    "writer", [compose_file, render_file, railway_file], ids=["compose", "render", "railway"]
)
def test_deploy_files_judge_alike(writer: object, tmp_path: Path, from_file: set[tuple[str, str]]) -> None:
    assert callable(writer)
    result = lint_files(writer(tmp_path))
    assert judged(result) == from_file
    extra = {(f.key, f.code) for f in result.findings if not f.code.startswith(VALUE_FAMILIES)}
    assert all(code.startswith("EG32") for _, code in extra), extra
    # the leak rules call exactly the literal secrets leaks: the rules' own role judgement
    leaked = {key for key, _ in extra}
    assert leaked == literal_secrets(tmp_path)


def literal_secrets(tmp_path: Path) -> set[str]:
    """The keys the rules judge secret with a literal value (what deploy files must not hold)."""
    reference = tmp_path / "reference"
    reference.mkdir()
    ctx = sources.file_context(envfile.read(env_file(reference)), Environment.PRODUCTION, GENERIC, "x")
    return {
        var.key
        for var, literal in ctx.secrets
        if read(var.value).kind is Kind.LITERAL and not is_placeholder(literal)
    }


def test_this_process_judges_alike(from_file: set[tuple[str, str]]) -> None:
    result = lint.lint(lint.Request(live=lint.Live(dict(TABLE)), env=Environment.PRODUCTION))
    assert judged(result) == from_file


def test_a_target_judges_alike(from_file: set[tuple[str, str]]) -> None:
    server = RenderServer()
    server.add("srv-api", dict(TABLE))
    server.start()
    try:
        environ = {"ENVGUARD_RENDER_URL": server.url, "RENDER_API_KEY": API_KEY}
        from envguard.targets import read_target

        values = read_target("render://srv-api", environ)
    finally:
        server.stop()
    result = lint.lint(
        lint.Request(live=lint.Live(values, "render://srv-api", Origin.TARGET), env=Environment.PRODUCTION)
    )
    assert judged(result) == from_file


def _secret_keys(tmp_path: Path) -> set[str]:
    """The secrets a commit must not carry in plaintext: every secret the rules see, but the visible
    placeholders, which EG201 reports instead."""
    ctx = sources.file_context(envfile.read(env_file(tmp_path)), Environment.PRODUCTION, GENERIC, "x")
    return {var.key for var, literal in ctx.secrets if not is_placeholder(literal)}


def test_protect_refuses_exactly_the_secrets(tmp_path: Path) -> None:
    path = env_file(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "protect", str(path)], capture_output=True, text=True, cwd=tmp_path
    )
    refused = {line.split(": ", 1)[1].split(" ", 1)[0] for line in done.stdout.splitlines() if ": " in line}
    assert refused == _secret_keys(tmp_path)


def test_git_history_finds_exactly_the_secrets(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    path = env_file(repo)
    for args in (
        ["init", "-q"],
        ["add", path.name],
        ["commit", "-qm", "config"],
        ["rm", "-q", path.name],
        ["commit", "-qm", "gone"],
    ):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    (repo / ".gitignore").write_text(".env\n.env.*\n")
    result = lint.lint(lint.Request(git=True, select=("EG334",)), repo)
    assert {f.key for f in result.findings} == _secret_keys(tmp_path)
