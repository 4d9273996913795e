"""``check --pid``, ``--from-env`` and ``--from``: live configuration, judged by the same rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from servers.render import API_KEY, RenderServer

from envguard import cli
from envguard.sources import environ_env

CANARY = "canary-Zq8xW4pL2vN7"
pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="--pid needs /proc")


def crafted(**extra: str) -> dict[str, str]:
    """A minimal environment: what Python needs, a debug flag on and a secret canary."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DEBUG": "true",
        "SECRET_KEY": CANARY,
        "ALLOWED_HOSTS": "shop.acme-retail.com",
        **extra,
    }


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A real process with a crafted environment, waiting to be inspected."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], env=crafted(APP_ENV="production")
    )
    yield proc
    proc.kill()
    proc.wait()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def errors(out: str) -> dict[str, dict[str, Any]]:
    """The error findings of a JSON report, by key (the rule that reports a key may change)."""
    return {f["key"]: f for f in json.loads(out)["findings"] if f["severity"] == "error"}


def test_pid_checks_another_process(
    sleeper: subprocess.Popen[bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "check", "--pid", str(sleeper.pid), "--schema", "django", "-f", "json")
    found = errors(out)
    assert code == 1
    assert found["DEBUG"]["file"] == f"pid:{sleeper.pid}"
    assert found["SECRET_KEY"]["fingerprint"]  # judged and fingerprinted, never shown
    assert CANARY not in out + err


def test_pid_of_a_process_that_is_gone(capsys: pytest.CaptureFixture[str]) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    code, out, err = run_cli(capsys, "check", "--pid", str(proc.pid))
    assert code == 2 and out == ""
    assert err == f"envguard: error: pid {proc.pid}: no such process\n"


def test_pid_permission_denied_is_one_line(sleeper: subprocess.Popen[bytes]) -> None:
    argv = [sys.executable, "-m", "envguard", "check", "--pid"]
    try:
        Path("/proc/1/environ").read_bytes()
    except PermissionError:  # as in most containers: pid 1 belongs to someone we cannot read
        result = subprocess.run([*argv, "1"], capture_output=True, text=True, check=False)
    else:
        if os.geteuid() != 0:
            pytest.skip("needs a process this user may not read")
        # root can read anything: inspect the root-owned sleeper as an unprivileged user instead
        result = subprocess.run(
            [*argv, str(sleeper.pid)], capture_output=True, text=True, check=False, user=65534, cwd="/"
        )
    assert result.returncode == 2 and result.stdout == ""
    assert "permission denied reading its environment" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_from_env_in_a_crafted_environment(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "envguard", "check", "--from-env", "--schema", "django", "-f", "json"]
    prod = subprocess.run(
        command, env=crafted(APP_ENV="production"), cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert prod.returncode == 1, prod.stderr
    assert errors(prod.stdout)["DEBUG"]["file"] == "env:"
    assert CANARY not in prod.stdout + prod.stderr
    # a process saying APP_ENV=development is still judged strictly: that may be the mistake itself
    claims_dev = subprocess.run(
        command, env=crafted(APP_ENV="development"), cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert claims_dev.returncode == 1, claims_dev.stderr
    assert {"DEBUG", "APP_ENV"} <= set(errors(claims_dev.stdout))
    # leniency is asked for explicitly: --env, or ENVGUARD_ENV in the process's environment
    for extra, env in (
        (["--env", "development"], crafted(APP_ENV="development")),
        ([], crafted(APP_ENV="development", ENVGUARD_ENV="development")),
    ):
        dev = subprocess.run(
            [*command, *extra], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert dev.returncode == 0, dev.stderr
        assert errors(dev.stdout) == {}


#: what a login shell, a container runtime and CI put in every process's environment
SHELL_ENVIRONMENT = {
    "PWD": "/srv/app",
    "OLDPWD": "/home/deploy",
    "HOME": "/home/deploy",
    "USER": "deploy",
    "LOGNAME": "deploy",
    "SHELL": "/bin/bash",
    "SHLVL": "2",
    "TERM": "xterm-256color",
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "HOSTNAME": "3f9c2a7d1b4e",
    "_": "/usr/local/bin/envguard",
    "SSH_AUTH_SOCK": "/tmp/ssh-q8KzW3xRt1Lp/agent.4242",
    "XDG_RUNTIME_DIR": "/run/user/1000",
    "MAIL": "/var/mail/deploy",
    "LS_COLORS": "rs=0:di=01;34:ln=01;36",
    "TZ": "UTC",
    "PYTHONUNBUFFERED": "1",
    "PIP_NO_CACHE_DIR": "off",
    "GPG_KEY": "A035C8C19219BA821ECEA86B64E628F8D684696D",
    "PYTHON_SHA256": "fb1c9c9c2b0bd1e4e8a3bfb93d8b7c4fd2d9a2b3d1f6f1b0c6ac4a63e3d6c6b1",
    "CI": "true",
    "GITHUB_ACTIONS": "true",
    "RUNNER_OS": "Linux",
}


def test_from_env_is_quiet_on_what_the_shell_and_runtime_set(tmp_path: Path) -> None:
    """``PWD`` is the working directory, not a password; the official Python image's ``GPG_KEY`` is
    the fingerprint of the key that signed the release."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **SHELL_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-m", "envguard", "check", "--from-env", "-f", "json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []


def test_from_a_render_target(
    render_server: RenderServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    render_server.add(
        "srv-api", {"DEBUG": "true", "SECRET_KEY": CANARY, "ALLOWED_HOSTS": "api.acme-retail.com"}
    )
    monkeypatch.setenv("ENVGUARD_RENDER_URL", render_server.url)
    monkeypatch.setenv("RENDER_API_KEY", API_KEY)
    code, out, err = run_cli(
        capsys, "check", "--from", "render://srv-api", "--schema", "django", "-f", "json"
    )
    assert code == 1
    assert errors(out)["DEBUG"]["file"] == "render://srv-api"
    assert CANARY not in out + err


def test_one_live_source_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "check", "--from-env", "--pid", "1")
    assert code == 2 and "one kind at a time" in err


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"APP_ENV": "production"}, "production"),
        ({"ENVIRONMENT": "Staging"}, "staging"),
        ({"NODE_ENV": "development", "ENVGUARD_ENV": "prod"}, "production"),
        ({"RAILS_ENV": "test"}, "test"),
        ({"APP_ENV": "eu-west", "DJANGO_ENV": "local"}, "development"),
        ({"APP_ENV": "example"}, None),  # a live process is never an example file
        ({}, None),
    ],
)
def test_live_variables_name_their_environment(values: dict[str, str], expected: str | None) -> None:
    assert environ_env(values) == expected


UNDECODABLE = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "APP_ENV": "production",
    "DB_PASSWORD": b"p\xe4ss-w0rd-from-latin1".decode("utf-8", "surrogateescape"),
    b"K\xff".decode("utf-8", "surrogateescape"): "1",
}


def test_from_env_with_bytes_that_are_not_utf8_is_a_finding(capsys: pytest.CaptureFixture[str]) -> None:
    from envguard.commands import check as command

    opts = command.CheckOptions(from_env=True, format="json", environ=UNDECODABLE)
    assert command.run(opts) == 0  # a warning: below the default --fail-on
    found = json.loads(capsys.readouterr().out)["findings"]
    assert sorted((f["code"], f["key"]) for f in found if f["code"] == "EG110") == [
        ("EG110", "DB_PASSWORD"),
        ("EG110", "K\ufffd"),
    ]


def test_pid_with_bytes_that_are_not_utf8_is_a_finding(capsys: pytest.CaptureFixture[str]) -> None:
    env = {os.fsencode(k): os.fsencode(v) for k, v in UNDECODABLE.items()}
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env)
    try:
        code, out, err = run_cli(capsys, "check", "--pid", str(proc.pid), "-f", "json")
    finally:
        proc.kill()
        proc.wait()
    assert code == 0, err
    keys = {f["key"] for f in json.loads(out)["findings"] if f["code"] == "EG110"}
    assert keys == {"DB_PASSWORD", "K\ufffd"}
