"""``envguard run``: decrypted variables reach the child, its exit code and signals pass through."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import RunEnvguard

DUMP = "import json, os, sys; print(json.dumps({k: os.environ.get(k) for k in sys.argv[1:]}))"


def _dump(run_envguard: RunEnvguard, *args: str, keys: tuple[str, ...]) -> dict[str, str | None]:
    code, out, err = run_envguard("run", *args, "--", sys.executable, "-c", DUMP, *keys)
    assert code == 0, err
    result: dict[str, str | None] = json.loads(out)
    return result


def test_child_gets_decrypted_values(run_envguard: RunEnvguard) -> None:
    run_envguard("set", "TOKEN", "s3 cret\nline", "-f", ".env.production")
    run_envguard("set", "MODE", "fast", "--plain", "-f", ".env.production")
    got = _dump(run_envguard, "-f", ".env.production", keys=("TOKEN", "MODE"))
    assert got == {"TOKEN": "s3 cret\nline", "MODE": "fast"}


def test_default_file_is_dot_env(run_envguard: RunEnvguard) -> None:
    run_envguard("set", "TOKEN", "abc")
    assert _dump(run_envguard, keys=("TOKEN",)) == {"TOKEN": "abc"}


def test_precedence_follows_dotenvx(
    tmp_path: Path, run_envguard: RunEnvguard, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env.local").write_text("A=local\nB=local\n")
    (tmp_path / ".env").write_text("A=base\nB=base\nC=base\n")
    monkeypatch.setenv("B", "process")
    first = _dump(run_envguard, "-f", ".env.local", "-f", ".env", keys=("A", "B", "C"))
    assert first == {"A": "local", "B": "process", "C": "base"}
    over = _dump(run_envguard, "-f", ".env.local", "-f", ".env", "--overload", keys=("A", "B"))
    assert over == {"A": "base", "B": "base"}


def test_exit_code_is_the_childs(run_envguard: RunEnvguard) -> None:
    (Path.cwd() / ".env").write_text("A=1\n")
    assert run_envguard("run", "--", sys.executable, "-c", "raise SystemExit(7)")[0] == 7
    killed = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    assert run_envguard("run", "--", sys.executable, "-c", killed)[0] == 128 + signal.SIGKILL


def test_missing_command_and_missing_file(run_envguard: RunEnvguard) -> None:
    code, _out, err = run_envguard("run", "--", "no-such-command-envguard")
    assert code == 127 and "no-such-command-envguard: command not found" in err
    code, _out, err = run_envguard("run", "-f", "absent.env", "--", "true")
    assert code == 2 and "absent.env: no such file" in err


def test_decryption_failure_does_not_start_the_child(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    run_envguard("set", "TOKEN", "abc")
    (tmp_path / ".env.keys").unlink()
    marker = tmp_path / "started"
    code, _out, err = run_envguard("run", "--", "touch", str(marker))
    assert code == 2 and "cannot decrypt TOKEN" in err
    assert not marker.exists()


CHILD = """\
import signal, sys, time
from pathlib import Path
def on_term(signum, frame):
    Path(sys.argv[1]).write_text("got SIGTERM")
    raise SystemExit(3)
signal.signal(signal.SIGTERM, on_term)
Path(sys.argv[2]).write_text("ready")
time.sleep(30)
"""


def test_signals_are_forwarded(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\n")
    got, ready = tmp_path / "got", tmp_path / "ready"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOTENV_PRIVATE_KEY")}
    parent = subprocess.Popen(
        [sys.executable, "-m", "envguard", "run", "--", sys.executable, "-c", CHILD, str(got), str(ready)],
        cwd=tmp_path,
        env=env,
    )
    deadline = time.monotonic() + 20
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the child never started"
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=20) == 3
    assert got.read_text() == "got SIGTERM"


COUNTER = """\
import os, signal, sys, time
from pathlib import Path
if sys.argv[3] == "own-group":
    os.setpgid(0, 0)  # as servers that daemonise do: the terminal's signals no longer reach it
got = []
signal.signal(signal.SIGINT, lambda signum, frame: got.append(signum))
Path(sys.argv[2]).write_text("ready")
deadline = time.monotonic() + 20
while not got and time.monotonic() < deadline:
    time.sleep(0.05)
time.sleep(1.5)  # a second delivery, if any, arrives now
Path(sys.argv[1]).write_text(str(len(got)))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal as on Linux")
@pytest.mark.parametrize("group", ["same-group", "own-group"])
def test_one_ctrl_c_reaches_the_child_once(tmp_path: Path, group: str) -> None:
    import fcntl
    import pty
    import termios

    (tmp_path / ".env").write_text("A=1\n")
    count, ready = tmp_path / "count", tmp_path / "ready"
    primary, secondary = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOTENV_PRIVATE_KEY")}

    def controlling_terminal() -> None:  # the new session's terminal: Ctrl-C goes to its group
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    parent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "envguard",
            "run",
            "--",
            sys.executable,
            "-c",
            COUNTER,
            str(count),
            str(ready),
            group,
        ],
        cwd=tmp_path,
        env=env,
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        start_new_session=True,
        preexec_fn=controlling_terminal,
    )
    os.close(secondary)
    try:
        deadline = time.monotonic() + 20
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the child never started"
        os.write(primary, b"\x03")  # Ctrl-C, as typed at the terminal
        assert parent.wait(timeout=30) == 0
    finally:
        parent.kill()
        os.close(primary)
    assert count.read_text() == "1"
