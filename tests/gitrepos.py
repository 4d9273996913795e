"""Throwaway git repositories for the hook and ``--git`` tests: real git, real files, no mocks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
#: git identity and isolation from the user's global configuration and hooks
GIT_ENV = {
    "GIT_AUTHOR_NAME": "envguard tests",
    "GIT_AUTHOR_EMAIL": "tests@envguard.invalid",
    "GIT_COMMITTER_NAME": "envguard tests",
    "GIT_COMMITTER_EMAIL": "tests@envguard.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def environ(**extra: str) -> dict[str, str]:
    """This process's environment with the venv first on PATH and git isolated."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DOTENV_PRIVATE_KEY"))}
    env.update(GIT_ENV)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in ``repo``; output captured as text."""
    return subprocess.run(
        ["git", *args], cwd=repo, env=environ(), capture_output=True, text=True, check=check
    )


def init(repo: Path) -> Path:
    """A fresh repository on branch main."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def write(repo: Path, files: dict[str, str]) -> None:
    """Write text files (folders created)."""
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(repo: Path, files: dict[str, str], message: str = "change", force: bool = False) -> str:
    """Write, stage (``-f`` adds ignored files) and commit ``files``; returns the commit id."""
    write(repo, files)
    git(repo, "add", *(["-f"] if force else []), "--", *files)
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def envguard(repo: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``envguard`` in ``repo``."""
    return subprocess.run(
        [str(VENV_BIN / "envguard"), *args], cwd=repo, env=environ(**extra), capture_output=True, text=True
    )
