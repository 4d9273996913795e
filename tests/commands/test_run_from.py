"""``envguard run --from URI``, ``--redact`` and the shell's exit codes 127 and 126."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import RunEnvguard
from fixtures_cli import Cli, Result
from fixtures_vault import Bao
from servers.github import TOKEN as GITHUB_TOKEN
from servers.github import GitHubServer
from servers.vercel import TEAM, TOKEN, VercelServer

DUMP = "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]}))"
SECRET = "Zq8vN3kP2xL7mR4tW9yB6cF1hJ5sD0gA"


@pytest.fixture
def cli(run_envguard: RunEnvguard) -> Cli:
    """The CLI with stdout and stderr captured at the file descriptors, where the child writes."""

    def run(*args: str | os.PathLike[str]) -> Result:
        return Result(*run_envguard(*(os.fspath(a) for a in args)))

    return run


def _dump(cli: Cli, *args: str, keys: tuple[str, ...]) -> dict[str, str | None]:
    result = cli("run", *args, "--", sys.executable, "-c", DUMP, *keys)
    assert result.code == 0, result.err
    found: dict[str, str | None] = json.loads(result.out)
    return found


@pytest.fixture
def vault(bao: Bao, secret_path: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A Vault secret with A, B and API_SECRET; its URI, the server's address and token exported."""
    monkeypatch.chdir(tmp_path)
    for name, value in bao.env(HOME="/nonexistent").items():
        monkeypatch.setenv(name, value)
    bao.request(
        "POST", f"secret/data/{secret_path}", {"data": {"A": "vault", "B": "vault", "API_SECRET": SECRET}}
    )
    return f"vault://secret/{secret_path}"


@pytest.mark.slow
def test_values_come_from_vault_in_memory(cli: Cli, vault: str, tmp_path: Path) -> None:
    assert _dump(cli, "--from", vault, keys=("A", "API_SECRET")) == {"A": "vault", "API_SECRET": SECRET}
    assert not any(SECRET in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


@pytest.mark.slow
def test_files_win_over_targets_and_later_targets_over_earlier(
    cli: Cli, vault: str, bao: Bao, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = vault + "-overrides"
    bao.request("POST", f"secret/data/{other.removeprefix('vault://secret/')}", {"data": {"B": "later"}})
    (tmp_path / ".env.local").write_text("C=file\nA=file\n")
    got = _dump(cli, "--from", vault, "--from", other, "-f", ".env.local", keys=("A", "B", "C"))
    assert got == {"A": "file", "B": "later", "C": "file"}
    monkeypatch.setenv("B", "process")
    assert _dump(cli, "--from", vault, "--from", other, keys=("B",)) == {"B": "process"}
    assert _dump(cli, "--from", vault, "--from", other, "--overload", keys=("B",)) == {"B": "later"}


@pytest.mark.slow
def test_from_alone_does_not_load_dot_env(cli: Cli, vault: str, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("D=dotenv\n")
    assert _dump(cli, "--from", vault, keys=("D",)) == {"D": None}
    assert _dump(cli, keys=("D",)) == {"D": "dotenv"}


def test_vercel_sensitive_keys_are_said_not_injected(
    cli: Cli, vercel_server: VercelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "ENVGUARD_VERCEL_URL": vercel_server.url,
        "VERCEL_TOKEN": TOKEN,
        "VERCEL_TEAM_ID": TEAM,
    }.items():
        monkeypatch.setenv(name, value)
    vercel_server.put("web", "VITE_API_URL", "https://api.example.com")
    vercel_server.put("web", "HIDDEN", "never-read", kind="sensitive")
    result = cli("run", "--from", "vercel://web", "--", sys.executable, "-c", DUMP, "VITE_API_URL", "HIDDEN")
    assert json.loads(result.out) == {"VITE_API_URL": "https://api.example.com", "HIDDEN": None}
    assert "HIDDEN: sensitive on Vercel: value not readable; not injected" in result.err


def test_github_cannot_be_run_from_and_nothing_starts(
    cli: Cli, github_server: GitHubServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ENVGUARD_GITHUB_URL", github_server.url)
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    marker = tmp_path / "started"
    result = cli("run", "--from", "github://acme/shop", "--", "touch", marker)
    assert result.code == 2 and len(result.err_lines) == 1 and "cannot be read back" in result.err
    assert not marker.exists()


def test_missing_and_unexecutable_commands_exit_as_shells_do(cli: Cli, tmp_path: Path) -> None:
    missing = cli("run", "--", "no-such-command-envguard")
    assert missing.code == 127 and missing.err_lines == [
        "envguard: error: no-such-command-envguard: command not found"
    ]
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o644)
    for target in (script, tmp_path):
        result = cli("run", "--", target)
        assert result.code == 126 and len(result.err_lines) == 1, result.err
        assert "permission denied" in result.err
    assert subprocess.run(["sh", "-c", str(script)], capture_output=True).returncode == 126  # as a shell


SLOW = """\
import os, sys, time, pathlib
secret = os.environ["API_SECRET"]
sys.stdout.write("first line\\n"); sys.stdout.flush()
go, deadline = pathlib.Path(sys.argv[1]), time.time() + 20
while not go.exists() and time.time() < deadline:
    time.sleep(0.02)
sys.stdout.write("token=" + secret[:9]); sys.stdout.flush(); time.sleep(0.3)
sys.stdout.write(secret[9:] + " done\\n"); sys.stdout.flush()
sys.stderr.write("err " + secret + "\\n"); sys.stderr.flush()
print("plain " + os.environ["PORT"])
"""


def _envguard(tmp_path: Path, *args: str, **kwargs: object) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOTENV_PRIVATE_KEY")}
    return subprocess.Popen([sys.executable, "-m", "envguard", "run", *args], cwd=tmp_path, env=env, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_redact_streams_and_masks_a_value_split_across_writes(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"API_SECRET={SECRET}\nPORT=3000\n")
    go = tmp_path / "go"
    child = _envguard(
        tmp_path,
        "--redact",
        "--",
        sys.executable,
        "-c",
        SLOW,
        str(go),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    first: list[bytes] = []
    reader = threading.Thread(target=lambda: first.append(child.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(20)
    assert first == [b"first line\n"], "the first line must come through while the child still runs"
    assert child.poll() is None
    go.touch()
    out, err = child.communicate(timeout=20)
    assert child.returncode == 0
    assert out == b"token=*** done\nplain 3000\n" and err == b"err ***\n"
    for part in (SECRET, SECRET[:9], SECRET[9:]):
        assert part.encode() not in out + err


def test_redact_passes_stdin_and_the_exit_code(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"API_SECRET={SECRET}\n")
    echo = "import sys; data = sys.stdin.read(); print(data.strip()); sys.exit(4)"
    child = _envguard(
        tmp_path, "--redact", "--", sys.executable, "-c", echo, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    out, _ = child.communicate(f"hello {SECRET} and {SECRET}\n".encode(), timeout=20)
    assert child.returncode == 4 and out == b"hello *** and ***\n"


CHILD = """\
import signal, sys, time
from pathlib import Path
def on_term(signum, frame):
    print("got SIGTERM", flush=True)
    raise SystemExit(3)
signal.signal(signal.SIGTERM, on_term)
Path(sys.argv[1]).write_text("ready")
time.sleep(30)
"""


def test_redact_forwards_signals(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\n")
    ready = tmp_path / "ready"
    parent = _envguard(
        tmp_path, "--redact", "--", sys.executable, "-c", CHILD, str(ready), stdout=subprocess.PIPE
    )
    deadline = time.monotonic() + 20
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the child never started"
    parent.send_signal(signal.SIGTERM)
    out, _ = parent.communicate(timeout=20)
    assert parent.returncode == 3 and out == b"got SIGTERM\n"
