"""Interoperability with the real dotenvx, both ways.

dotenvx is installed once per session with npm (``tests/fixtures_dotenvx.py``). Values are handed
to both tools through argv, never through a hand-quoted file, so each test compares exact strings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import RunEnvguard
from fixtures_dotenvx import dotenvx_env

from envguard import envfile

pytestmark = pytest.mark.slow

Dotenvx = Callable[..., str]
DUMP = "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]}))"
VALUES = {
    "SPACES": "hello big world",
    "PADDED": "  padded  ",
    "SINGLE": "it's",
    "DOUBLE": 'say "hi"',
    "BOTH": "it's \"both\" 'ways'",
    "EQUALS": "a=b==c=",
    "HASH": "value # not a comment",
    "HASH_START": "#starts-with-hash",
    "NEWLINES": "line one\nline two\n",
    "UNICODE": "héllo ☃ 日本語 🚀",
    "EMPTY": "",
    "BACKSLASH": "C:\\temp\\new",
}


@pytest.fixture
def dotenvx(dotenvx_bin: Path, tmp_path: Path) -> Dotenvx:
    """Run dotenvx in ``tmp_path`` offline, with no private key from this process's environment."""
    home = tmp_path / "home"
    home.mkdir()

    def run(*args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [str(dotenvx_bin), *args],
            cwd=tmp_path,
            env=dotenvx_env(home, env),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def _without_public_keys(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if not k.startswith("DOTENV_PUBLIC_KEY")}


def _envguard_run(run_envguard: RunEnvguard, name: str) -> dict[str, str]:
    code, out, err = run_envguard("run", "-f", name, "--", sys.executable, "-c", DUMP, *VALUES)
    assert code == 0, err
    result: dict[str, str] = json.loads(out)
    return result


def test_dotenvx_encrypts_envguard_reads(tmp_path: Path, dotenvx: Dotenvx, run_envguard: RunEnvguard) -> None:
    for key, value in VALUES.items():
        dotenvx("set", key, value, "-f", ".env.production")
    stored = envfile.read(tmp_path / ".env.production").values()
    assert all(stored[key].startswith("encrypted:") for key in VALUES)

    for key, value in VALUES.items():
        assert run_envguard("get", key, "-f", ".env.production") == (0, value + "\n", "")
    assert _envguard_run(run_envguard, ".env.production") == VALUES

    assert run_envguard("decrypt", ".env.production")[0] == 0
    assert _without_public_keys(envfile.read(tmp_path / ".env.production").values()) == VALUES


def test_envguard_encrypts_dotenvx_reads(tmp_path: Path, dotenvx: Dotenvx, run_envguard: RunEnvguard) -> None:
    for key, value in VALUES.items():
        assert run_envguard("set", key, value, "-f", ".env.production")[0] == 0
    assert _without_public_keys(json.loads(dotenvx("get", "-f", ".env.production"))) == VALUES
    for key in ("NEWLINES", "UNICODE", "EMPTY"):
        assert dotenvx("get", key, "-f", ".env.production") == VALUES[key] + "\n"
    dumped = dotenvx("run", "-f", ".env.production", "--", sys.executable, "-c", DUMP, *VALUES)
    assert json.loads(dumped.splitlines()[-1]) == VALUES


def test_envguard_encrypt_command_with_ci_style_key(
    tmp_path: Path,
    dotenvx: Dotenvx,
    run_envguard: RunEnvguard,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run_envguard("keypair", "-f", ".env.production")[0] == 0
    for key, value in VALUES.items():
        assert run_envguard("set", key, value, "--plain", "-f", ".env.production")[0] == 0
    assert run_envguard("encrypt", ".env.production")[0] == 0
    keys_file = tmp_path / ".env.keys"
    private = envfile.read(keys_file).values()["DOTENV_PRIVATE_KEY_PRODUCTION"]
    keys_file.unlink()  # as in CI: the private key only in the environment

    ci = {"DOTENV_PRIVATE_KEY_PRODUCTION": private}
    dumped = dotenvx("run", "-f", ".env.production", "--", sys.executable, "-c", DUMP, *VALUES, env=ci)
    assert json.loads(dumped.splitlines()[-1]) == VALUES
    monkeypatch.setenv("DOTENV_PRIVATE_KEY_PRODUCTION", private)
    assert _envguard_run(run_envguard, ".env.production") == VALUES


def test_dotenvx_encrypted_file_envguard_decrypts(
    tmp_path: Path,
    dotenvx: Dotenvx,
    run_envguard: RunEnvguard,
) -> None:
    (tmp_path / ".env").write_text("# settings\nHELLO=world\nTOKEN='a b=c # d'\nPORT_PLAIN=80\n")
    dotenvx("encrypt", "-f", ".env")
    assert envfile.read(tmp_path / ".env").values()["TOKEN"].startswith("encrypted:")
    assert run_envguard("encrypt", ".env")[2].count("encrypted 0 value(s)") == 1
    assert run_envguard("decrypt", ".env")[0] == 0
    values = _without_public_keys(envfile.read(tmp_path / ".env").values())
    assert values == {"HELLO": "world", "TOKEN": "a b=c # d", "PORT_PLAIN": "80"}
    assert "# settings" in (tmp_path / ".env").read_text()
