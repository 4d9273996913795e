"""``envguard hooks install`` and the plain ``hooks/pre-commit`` script, driven by real ``git commit``."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from gitrepos import commit, envguard, environ, git, init, write

from envguard.commands import hooks

STRONG = "Xk9#mQ2vL8pR4tW7zN3b"
GITIGNORE = ".env\n.env.*\n!.env.example\n.env.keys\n"


def test_script_is_the_repository_copy() -> None:
    assert hooks.script_path().read_text() == (Path(__file__).parents[1] / "hooks/pre-commit").read_text()
    assert hooks.MARKER in hooks.script().splitlines()[1]


def test_install_is_idempotent_and_executable(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    first = envguard(repo, "hooks", "install")
    assert first.returncode == 0 and "installed the envguard pre-commit hook" in first.stderr
    target = repo / ".git/hooks/pre-commit"
    assert target.read_text() == hooks.script() and target.stat().st_mode & stat.S_IXUSR
    again = envguard(repo, "hooks", "install")
    assert again.returncode == 0 and "already installed" in again.stderr


def test_an_older_envguard_hook_is_updated(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    write(repo, {".git/hooks/pre-commit": f"#!/bin/sh\n{hooks.MARKER}: an old version\n"})
    done = envguard(repo, "hooks", "install")
    assert done.returncode == 0 and "updated" in done.stderr
    assert (repo / ".git/hooks/pre-commit").read_text() == hooks.script()


def test_foreign_hook_needs_force(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    foreign = "#!/bin/sh\nexec husky\n"
    write(repo, {".git/hooks/pre-commit": foreign})
    refused = envguard(repo, "hooks", "install")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "not envguard's hook" in refused.stderr and "--force" in refused.stderr
    assert (repo / ".git/hooks/pre-commit").read_text() == foreign
    forced = envguard(repo, "hooks", "install", "--force")
    assert forced.returncode == 0
    assert (repo / ".git/hooks/pre-commit.backup").read_text() == foreign
    assert (repo / ".git/hooks/pre-commit").read_text() == hooks.script()


def test_core_hooks_path_is_respected(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    git(repo, "config", "core.hooksPath", "tools/githooks")
    (repo / "sub").mkdir()
    assert envguard(repo / "sub", "hooks", "install").returncode == 0
    assert (repo / "tools/githooks/pre-commit").read_text() == hooks.script()
    assert not (repo / ".git/hooks/pre-commit").exists()


def test_install_outside_git(tmp_path: Path) -> None:
    done = envguard(tmp_path, "hooks", "install", GIT_CEILING_DIRECTORIES=str(tmp_path.parent))
    assert done.returncode == 2
    assert done.stderr.startswith("envguard: error: not inside a git repository")


# --- the plain script, without the pre-commit framework ------------------------------------------


@pytest.fixture
def hooked(tmp_path: Path) -> Path:
    """A repository with the hook installed, .env.keys ignored, and a first commit."""
    repo = init(tmp_path / "app")
    assert envguard(repo, "hooks", "install").returncode == 0
    commit(repo, {".gitignore": GITIGNORE, "README": "app\n"}, "init")
    return repo


def _commit(repo: Path, *paths: str, force: bool = True) -> subprocess.CompletedProcess[str]:
    """Stage ``paths`` and run a real ``git commit`` (hooks on)."""
    git(repo, "add", *(["-f"] if force else []), "--", *paths)
    return subprocess.run(
        ["git", "commit", "-q", "-m", "try"], cwd=repo, env=environ(), capture_output=True, text=True
    )


@pytest.mark.slow
def test_script_blocks_debug_and_placeholder(hooked: Path) -> None:
    write(hooked, {".env.production": "APP_DEBUG=true\nAPP_KEY=base64:YOUR_APP_KEY_HERE\n"})
    done = _commit(hooked, ".env.production")
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert ".env.production:1:11: EG401" in out and "APP_DEBUG" in out
    assert ".env.production:2" in out and "APP_KEY" in out and "commit refused" in out
    assert git(hooked, "rev-list", "--count", "HEAD").stdout.strip() == "1"


@pytest.mark.slow
def test_script_blocks_plaintext_secret_and_passes_it_encrypted(hooked: Path) -> None:
    write(hooked, {"deploy/.env.production": f"APP_ENV=production\nDB_PASSWORD={STRONG}\n"})
    done = _commit(hooked, "deploy/.env.production")
    assert done.returncode != 0
    out = done.stdout + done.stderr  # git shows a hook's output on stderr
    assert "deploy/.env.production:2: DB_PASSWORD holds a plaintext secret" in out and STRONG not in out
    assert envguard(hooked / "deploy", "encrypt", ".env.production").returncode == 0
    encrypted = _commit(hooked, "deploy/.env.production")
    assert encrypted.returncode == 0, encrypted.stdout + encrypted.stderr


@pytest.mark.slow
def test_script_checks_the_staged_version(hooked: Path) -> None:
    write(hooked, {".env.staging": f"API_TOKEN={STRONG}\n"})
    git(hooked, "add", "-f", ".env.staging")
    write(hooked, {".env.staging": "API_TOKEN=\n"})  # fixed in the work tree only
    done = subprocess.run(
        ["git", "commit", "-q", "-m", "try"], cwd=hooked, env=environ(), capture_output=True, text=True
    )
    assert done.returncode != 0 and ".env.staging:1: API_TOKEN" in done.stdout + done.stderr


@pytest.mark.slow
def test_script_passes_placeholder_example_and_refuses_keys(hooked: Path) -> None:
    write(hooked, {"web/.env.example": "STRIPE_SECRET_KEY=your-key-here\nDB_PASSWORD=\nAPP_DEBUG=false\n"})
    done = _commit(hooked, "web/.env.example", force=False)
    assert done.returncode == 0, done.stdout + done.stderr
    write(hooked, {"web/.env.keys": "DOTENV_PRIVATE_KEY=0123abcd\n"})
    keys = _commit(hooked, "web/.env.keys")
    out = keys.stdout + keys.stderr
    assert keys.returncode != 0 and "web/.env.keys: .env.keys holds the private keys" in out
    assert "0123abcd" not in out


@pytest.mark.slow
def test_script_ignores_commits_without_env_files(hooked: Path) -> None:
    write(hooked, {"src/app.py": "print('hi')\n"})
    env = environ(PATH=os.defpath)  # no envguard on PATH: must not matter when nothing is checked
    git(hooked, "add", "src/app.py")
    done = subprocess.run(
        ["git", "commit", "-q", "-m", "code"], cwd=hooked, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_script_reads_the_schema_that_schema_init_wrote(hooked: Path) -> None:
    write(
        hooked,
        {"composer.json": '{"require": {"laravel/framework": "^11.0"}}', "artisan": "#!/usr/bin/env php\n"},
    )
    assert envguard(hooked, "schema", "init").returncode == 0
    git(hooked, "add", "composer.json", "artisan", "envguard.toml", "envguard-schema.toml")
    git(hooked, "commit", "-q", "--no-verify", "-m", "schema")
    write(
        hooked, {".env.production": (Path(__file__).parent / "fixtures" / "good" / "laravel.env").read_text()}
    )
    assert envguard(hooked, "encrypt", ".env.production").returncode == 0
    done = _commit(hooked, ".env.production")
    assert done.returncode == 0, done.stdout + done.stderr
    write(hooked, {".env.production": "APP_ENV=production\nAPP_DEBUG=true\n"})
    refused = _commit(hooked, ".env.production")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "EG401" in out and "schema file not found" not in out


@pytest.mark.slow
def test_script_imports_a_settings_class_schema_as_staged(hooked: Path) -> None:
    write(
        hooked,
        {
            "envguard.toml": 'schema = "app.settings:Settings"\n',
            "app/__init__.py": "",
            "app/settings.py": (
                "from pydantic_settings import BaseSettings\n\n\n"
                "class Settings(BaseSettings):\n    app_env: str\n    api_base_url: str\n"
            ),
        },
    )
    git(hooked, "add", "envguard.toml", "app/__init__.py", "app/settings.py")
    git(hooked, "commit", "-q", "--no-verify", "-m", "settings")
    write(hooked, {".env.production": "APP_ENV=production\nAPI_BASE_URL=https://api.malar.market\n"})
    done = _commit(hooked, ".env.production")
    assert done.returncode == 0, done.stdout + done.stderr
    write(hooked, {".env.production": "APP_ENV=production\n"})  # API_BASE_URL is required by the class
    refused = _commit(hooked, ".env.production")
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "API_BASE_URL" in out and "cannot import" not in out
