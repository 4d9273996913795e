"""ruff/gitleaks conventions on ``check``: ``-`` with ``--stdin-filename``, ``--output-file``,
``--exit-zero``, ``--statistics``; both entry paths (the fast ``check`` launcher and the CLI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = "SECRET_KEY=changeme\nDEBUG=true\nAPI_TOKEN=changeme\n"


def _run(
    args: list[str], cwd: Path, stdin: str | None = None, via: str = "launch"
) -> subprocess.CompletedProcess[str]:
    # the launcher's fast path for a plain `check`, or the typer app for the same arguments
    code = (
        "import sys; from envguard.cli import main; main(sys.argv[1:])"
        if via == "cli"
        else "import sys; from envguard.launch import main; main(sys.argv[1:])"
    )
    env = {**os.environ, "ENVGUARD_FINGERPRINT_KEY": "0123456789abcdef0123456789abcdef"}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        check=False,
    )


VIAS = ["launch", "cli"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".env.production").write_text(ENV)
    return tmp_path


@pytest.mark.parametrize("via", VIAS)
def test_stdin_is_judged_as_the_named_file(project: Path, via: str) -> None:
    on_disk = _run(["check", ".env.production", "-f", "json"], project, via=via)
    piped = _run(["check", "-", "--stdin-filename", ".env.production", "-f", "json"], project, ENV, via)
    assert piped.returncode == on_disk.returncode == 1
    assert json.loads(piped.stdout) == json.loads(on_disk.stdout)
    example = _run(["check", "-", "--stdin-filename", "app/.env.example", "-f", "json"], project, ENV, via)
    found = json.loads(example.stdout)["findings"]
    assert all(f["file"] == "app/.env.example" for f in found)
    assert example.returncode == 0  # placeholders are right in an example file


def test_stdin_misuse_is_a_usage_error(project: Path) -> None:
    assert _run(["check", "-", ".env.production"], project, ENV).returncode == 2
    assert _run(["check", ".env.production", "--stdin-filename", "x"], project).returncode == 2
    done = _run(["check", "-", "--stdin-filename", "bin.env"], project, "A=\x00\n")
    assert done.returncode == 2 and "binary" in done.stderr


@pytest.mark.parametrize("via", VIAS)
def test_output_file_is_written_atomically_with_the_report(project: Path, via: str) -> None:
    stdout = _run(["check", ".env.production", "-f", "sarif"], project, via=via).stdout
    done = _run(
        ["check", ".env.production", "-f", "sarif", "--output-file", "report.sarif"], project, via=via
    )
    assert done.returncode == 1 and done.stdout == ""
    assert (project / "report.sarif").read_text() == stdout
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]
    missing = _run(["check", ".env.production", "-o", "nodir/r.txt"], project, via=via)
    assert missing.returncode == 2 and "folder does not exist" in missing.stderr


@pytest.mark.parametrize("via", VIAS)
def test_exit_zero(project: Path, via: str) -> None:
    assert _run(["check", ".env.production"], project, via=via).returncode == 1
    done = _run(["check", ".env.production", "--exit-zero"], project, via=via)
    assert done.returncode == 0 and "EG201" in done.stdout
    assert _run(["check", "missing.env", "--exit-zero"], project, via=via).returncode == 2


@pytest.mark.parametrize("via", VIAS)
def test_statistics_count_per_rule_code(project: Path, via: str) -> None:
    done = _run(["check", ".env.production", "--statistics"], project, via=via)
    assert done.returncode == 1
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert rows[0] == ["2", "EG201", "placeholder-secret"]
    assert ["1", "EG401", "debug-enabled"] in rows
    as_json = json.loads(
        _run(["check", ".env.production", "--statistics", "-f", "json"], project, via=via).stdout
    )
    assert {"code": "EG201", "name": "placeholder-secret", "count": 2} in as_json
    assert "changeme" not in done.stdout
