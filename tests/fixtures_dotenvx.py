"""The real dotenvx, installed once per session with npm into ``.cache/dotenvx`` (git-ignored).

``dotenvx_bin`` is the executable; ``dotenvx_values(path)`` is what ``dotenvx get`` reads from a
file (every key, decrypted when a private key is given), for round-trip tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "dotenvx"
PACKAGE = "@dotenvx/dotenvx@^2"
DotenvxValues = Callable[..., dict[str, str]]


@pytest.fixture(scope="session")
def dotenvx_bin() -> Path:
    """The dotenvx executable, installed with npm on first use."""
    binary = CACHE / "node_modules" / ".bin" / "dotenvx"
    if not binary.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", PACKAGE],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return binary


def dotenvx_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment for dotenvx: offline, no colour, no private key from this process."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DOTENV_PRIVATE_KEY")}
    base.update(DOTENVX_NO_ARMOR="true", HOME=str(home), NO_COLOR="1", **(extra or {}))
    return base


@pytest.fixture(scope="session")
def dotenvx_values(dotenvx_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> DotenvxValues:
    """``dotenvx_values(path, env={...})``: every variable dotenvx reads from ``path``."""
    home = tmp_path_factory.mktemp("dotenvx-home")

    def read(path: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
        done = subprocess.run([str(dotenvx_bin), "get", "-f", str(path)], cwd=path.parent,
                              env=dotenvx_env(home, env), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        values: dict[str, str] = json.loads(done.stdout)
        return values

    return read
