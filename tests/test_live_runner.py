"""Live checks judge the app, not the runner: CI and shell variables are left out; --only-schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envguard.judge.runner import is_runner_variable

KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
GITHUB_DEBUG_RERUN = {
    "RUNNER_DEBUG": "1",
    "ACTIONS_STEP_DEBUG": "true",
    "ACTIONS_RUNNER_DEBUG": "true",
    "GITHUB_ACTIONS": "true",
    "GITHUB_REF": "refs/heads/main",
    "RUNNER_OS": "Linux",
    "CI": "true",
    "CI_DEBUG_TRACE": "true",
    "HOME": "/home/runner",
    "PWD": "/home/runner/work",
    "SHLVL": "1",
}


@pytest.mark.parametrize(
    ("name", "runner"),
    [
        ("RUNNER_DEBUG", True),
        ("ACTIONS_STEP_DEBUG", True),
        ("GITHUB_WORKSPACE", True),
        ("CI_DEBUG_TRACE", True),
        ("CI_JOB_TOKEN", True),
        ("GITLAB_CI", True),
        ("CI", True),
        ("HOME", True),
        ("PATH", True),
        ("PWD", True),
        ("SHLVL", True),
        ("LC_ALL", True),
        ("GITHUB_TOKEN", False),
        ("GITHUB_APP_PRIVATE_KEY", False),
        ("DEBUG", False),
        ("APP_DEBUG", False),
        ("SECRET_KEY", False),
        ("TZ", False),
        ("NODE_ENV", False),
        ("CIRCUIT_BREAKER", False),
        ("RUNNER", False),
        ("HOMEPAGE_URL", False),
    ],
)
def test_runner_variables(name: str, runner: bool) -> None:
    assert is_runner_variable(name) is runner


def _check(env: dict[str, str], *args: str, cwd: Path) -> tuple[int, list[dict[str, object]]]:
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "check", "--format", "json", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)["findings"] if done.stdout else []


def _base() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "ENVGUARD_FINGERPRINT_KEY": KEY,
        "ALLOWED_HOSTS": "shop.acme-retail.com",
    }


def test_debug_rerun_of_a_ci_job_is_not_an_error(tmp_path: Path) -> None:
    code, findings = _check({**_base(), **GITHUB_DEBUG_RERUN}, "--from-env", cwd=tmp_path)
    assert code == 0, findings
    assert not {f["key"] for f in findings} & set(GITHUB_DEBUG_RERUN)


def test_the_apps_own_debug_flag_is_still_judged(tmp_path: Path) -> None:
    code, findings = _check({**_base(), **GITHUB_DEBUG_RERUN, "DEBUG": "true"}, "--from-env", cwd=tmp_path)
    assert code == 1
    assert {f["key"] for f in findings if f["code"] == "EG401"} == {"DEBUG"}


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="--pid needs /proc")
def test_pid_leaves_out_the_runner_too(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], env={**_base(), **GITHUB_DEBUG_RERUN}
    )
    try:
        code, findings = _check(_base(), "--pid", str(proc.pid), cwd=tmp_path)
    finally:
        proc.kill()
        proc.wait()
    assert code == 0, findings


def test_only_schema_judges_only_the_schemas_variables(tmp_path: Path) -> None:
    env = {**_base(), "DEBUG": "true", "MAIL_PASS": "changeme", "SECRET_KEY": "changeme"}
    _, everything = _check(env, "--from-env", "--schema", "django", cwd=tmp_path)
    assert "MAIL_PASS" in {f["key"] for f in everything}
    _, only = _check(env, "--from-env", "--schema", "django", "--only-schema", cwd=tmp_path)
    keys = {f["key"] for f in only}
    assert "MAIL_PASS" not in keys and {"DEBUG", "SECRET_KEY"} <= keys


def test_only_schema_needs_a_schema_and_a_live_source(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "check", "--from-env", "--only-schema"],
        env=_base(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "needs a schema" in done.stderr
    (tmp_path / ".env").write_text("A=1\n")
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "check", ".env", "--only-schema"],
        env=_base(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "--from-env" in done.stderr
