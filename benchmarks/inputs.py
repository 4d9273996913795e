"""Inputs of the benchmarks beyond ``corpus``: secret-named lines, and a tree committed in git.

Deterministic: seeded random values, fixed commit dates and identity, so two runs time the same
bytes and the same commits.
"""

from __future__ import annotations

import os
import random
import string
import subprocess
from pathlib import Path

_ALPHABET = string.ascii_letters + string.digits
#: a fixed identity and date, and no user or system configuration (hooks, signing)
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@envguard.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@envguard.invalid",
    "GIT_AUTHOR_DATE": "1700000000 +0000",
    "GIT_COMMITTER_DATE": "1700000000 +0000",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def write_tokens(path: Path, lines: int = 100_000, seed: int = 4) -> Path:
    """``KEY_i_TOKEN=<24-48 random characters>``, ``lines`` times: every line a secret to judge."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            value = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(24, 48)))
            out.write(f"KEY_{i}_TOKEN={value}\n")
    return path


def commit_all(root: Path) -> Path:
    """Make ``root`` a git repository whose one commit holds every file in it."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GIT_")}, **_GIT_ENV}
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A", "-f"],
        ["commit", "-q", "--no-verify", "-m", "tree"],
    ):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root
