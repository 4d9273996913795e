"""``envguard check`` stays light: no heavy import on the plain path, bounded memory on a huge file.

Speed goals live in ``benchmarks/``; these tests assert what does not depend on the machine: which
modules a check imports, and the peak memory of checking a 100,000-line file.
"""

from __future__ import annotations

import random
import string
import subprocess
import sys
from pathlib import Path

#: top-level packages the plain text check must never import
HEAVY = (
    "httpx",
    "hvac",
    "cryptography",
    "pydantic",
    "pydantic_settings",
    "yaml",
    "rich",
    "typer",
    "click",
    "requests",
    "zxcvbn",
    "nacl",
)
PEAK_MB = 150

TYPICAL = """\
APP_ENV=production
APP_DEBUG=false
APP_URL=https://shop.acme-cloud.io
APP_KEY=base64:JSTodowIGghgrXlUIROXg16r1yxNIq/72PcKYYpSNvc=
DB_HOST=db.internal.acme-cloud.io
DB_PASSWORD=kMfc5hWvvaGALTAqCYwh5F0HeyG14wBu
REDIS_URL=rediss://:iGsmWCjduZZrqsm6zWEKSTUsmyAeN@redis.acme-cloud.io:6380/0
SESSION_SECURE_COOKIE=true
CORS_ALLOWED_ORIGINS=https://shop.acme-cloud.io
"""


def _modules(tmp_path: Path, *args: str) -> set[str]:
    """Every module ``python -X importtime -m envguard check ARGS`` imports, by full name."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "envguard", "check", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines}


def _imported(tmp_path: Path, *args: str) -> set[str]:
    """Top-level packages ``python -X importtime -m envguard check ARGS`` imports."""
    return {name.split(".")[0] for name in _modules(tmp_path, *args)}


def test_plain_check_imports_no_heavy_module(tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text(TYPICAL)
    imported = _imported(tmp_path, ".env.production")
    assert "envguard" in imported  # the measurement itself works
    assert not imported & set(HEAVY)


#: modules a plain check has no use for: git (`--git`, a .env.keys on disk), writers' temp files, salts,
#: OpenSSL's hashes (fingerprints are made for findings only; published defaults use BLAKE2 alone),
#: json (JSON and SARIF reports, baselines, JWT claims, package.json and composer files)
ON_DEMAND = (
    "envguard.gitcheck",
    "envguard.githistory",
    "subprocess",
    "tempfile",
    "secrets",
    "_hashlib",
    "hmac",
    "json",
)


def test_plain_check_loads_nothing_only_other_paths_use(tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text(TYPICAL)
    modules = _modules(tmp_path, ".env.production")
    assert "envguard.commands.check" in modules  # the measurement itself works
    assert not modules & set(ON_DEMAND)


def test_check_of_a_folder_in_json_imports_no_heavy_module(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".env.production").write_text(TYPICAL)
    (tmp_path / "app" / ".env.example").write_text("APP_KEY=change-me\nDB_PASSWORD=\n")
    assert not _imported(tmp_path, "-f", "json", ".") & set(HEAVY)


def _large_file(path: Path, lines: int) -> None:
    rng = random.Random(5)
    alphabet = string.ascii_letters + string.digits
    rows = []
    for i in range(lines):
        kind = i % 4
        if kind == 0:
            rows.append(f"SERVICE_{i}_PASSWORD={''.join(rng.choice(alphabet) for _ in range(32))}")
        elif kind == 1:
            rows.append(f"SERVICE_{i}_URL=https://svc{i}.internal.acme-cloud.io/api")
        elif kind == 2:
            rows.append(f"FEATURE_{i}_ENABLED=true")
        else:
            rows.append(f"# service {i}")
    path.write_text("\n".join(rows) + "\n")


def test_a_100000_line_file_is_checked_in_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / ".env.production"
    _large_file(big, 100_000)
    # a wrapper process, so that its RUSAGE_CHILDREN holds the check alone, not pytest's other children
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'envguard', 'check', '-q', sys.argv[1]],"
        " stdout=subprocess.DEVNULL)\n"
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, str(big)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    code, peak_kib = (int(word) for word in done.stdout.split())
    assert code in (0, 1), done.stderr[-2000:]
    assert peak_kib / 1024 < PEAK_MB


def test_pynacl_is_imported_only_to_seal_a_github_secret() -> None:
    probe = (
        "import sys, envguard.cli, envguard.targets.github, envguard.targets.vercel; "
        "from envguard.targets import open_target; open_target('github://a/b', {}); "
        "print('nacl' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
