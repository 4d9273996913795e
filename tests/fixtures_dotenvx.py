"""The real dotenvx, installed once with npm into ``.cache/dotenvx`` (git-ignored), under a lock
so that parallel test workers share one install.

``dotenvx_bin`` is the executable; ``dotenvx_values(path)`` is what ``dotenvx get`` reads from a
file (every key, decrypted with the ``.env.keys`` beside it or the private keys given), for
round-trip tests. It asks one long-lived node process that calls dotenvx's own ``getSync`` (the
resolver ``dotenvx get`` uses): a dotenvx process per read costs a second of start-up. dotenvx runs
``$(command)`` found in values; that process has an empty PATH, so a fuzzed value runs nothing.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping
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
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    CACHE.mkdir(parents=True, exist_ok=True)
    # one install for all the test workers (pytest-xdist): the others wait for it
    with (CACHE.parent / "dotenvx.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not binary.exists():
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


_READER = """
const path = require('node:path')
const readline = require('node:readline')
const dotenvx = require(process.argv[process.argv.length - 1])
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { file, env } = JSON.parse(line)
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('DOTENV_PRIVATE_KEY')) delete process.env[name]
  }
  Object.assign(process.env, env || {})
  let reply
  try {
    process.chdir(path.dirname(file))
    reply = { values: dotenvx.getSync(undefined, { path: file, processEnv: {}, strict: true }) }
  } catch (error) {
    reply = { error: String((error && error.message) || error) }
  }
  process.stdout.write(JSON.stringify(reply) + '\\n')
})
"""


@pytest.fixture(scope="session")
def dotenvx_values(dotenvx_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DotenvxValues]:
    """``dotenvx_values(path, env={...})``: every variable dotenvx reads from ``path``."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    home = tmp_path_factory.mktemp("dotenvx-home")
    (home / "bin").mkdir()
    environ = dotenvx_env(home, {"PATH": str(home / "bin")})
    package = CACHE / "node_modules" / "@dotenvx" / "dotenvx"
    reader = subprocess.Popen(
        [node, "-e", _READER, str(package)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environ,
        text=True,
        encoding="utf-8",
    )
    assert reader.stdin is not None and reader.stdout is not None
    lock = threading.Lock()

    def read(path: Path, env: Mapping[str, str] | None = None) -> dict[str, str]:
        request = json.dumps({"file": str(Path(path).resolve()), "env": dict(env or {})})
        with lock:
            reader.stdin.write(request + "\n")  # type: ignore[union-attr]
            reader.stdin.flush()  # type: ignore[union-attr]
            reply = json.loads(reader.stdout.readline())  # type: ignore[union-attr]
        assert "error" not in reply, reply["error"]
        values: dict[str, str] = reply["values"]
        return values

    yield read
    reader.stdin.close()
    reader.wait(timeout=30)
