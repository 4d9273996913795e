"""Every command that writes fails cleanly: one line, exit 2, never ``internal error`` (exit 70)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_cli import Cli

ENV = "SECRET_KEY=changeme\nDEBUG=true\n"

#: commands that write a file, each given a path inside a folder that does not exist
WRITERS = [
    ("check", ".env.production", "--write-baseline", "nodir/x.json"),
    ("schema", "init", "--framework", "django", "-o", "nodir/s.toml"),
    ("keypair", "-f", "nodir/.env"),
    ("set", "A", "1", "-f", "nodir/.env"),
    ("set", "A", "1", "--plain", "-f", "nodir/.env"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".env.production").write_text(ENV)
    return tmp_path


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:2]))
def test_missing_folder_is_one_line_and_exit_2(cli: Cli, project: Path, args: tuple[str, ...]) -> None:
    result = cli(*args, cwd=project)
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1
    assert "folder does not exist" in result.err
    assert "internal error" not in result.err
    assert not (project / "nodir").exists()


def _run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ENVGUARD_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "envguard", *args],
        cwd=cwd,
        text=True,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
        **kwargs,
    )  # type: ignore[call-overload]


STDOUT_WRITERS = [
    ["check", ".env.production"],
    ["check", ".env.production", "--format", "json"],
    ["rules"],
    ["rule", "EG201"],
    ["schema", "list"],
    ["schema", "init", "--framework", "django", "-o", "-"],
    ["generate", "hex:32"],
    ["get", "SECRET_KEY", "-f", ".env.production"],
    ["--help"],
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", STDOUT_WRITERS, ids=" ".join)
def test_full_stdout_is_one_line_and_exit_2(project: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = _run(args, project, stdout=full)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        "envguard: error: stdout: cannot write (No space left on device) (hint: free some space)"
    ]


@pytest.mark.parametrize("args", STDOUT_WRITERS[:4], ids=" ".join)
def test_closed_stdout_is_one_line_and_exit_2(project: Path, args: list[str]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, runpy; os.close(1); sys.argv = ['envguard', *sys.argv[1:]];"
            " runpy.run_module('envguard', run_name='__main__')",
            *args,
        ],
        cwd=project,
        text=True,
        stderr=subprocess.PIPE,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == "envguard: error: stdout: cannot write (it is closed)"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["check", ".env.production", "--write-baseline", "/dev/full"],
        ["schema", "init", "--framework", "django", "--force", "-o", "/dev/full"],
    ],
)
def test_full_disk_output_file_is_one_line_and_exit_2(project: Path, args: list[str]) -> None:
    done = _run(args, project, stdout=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "No space left on device" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
@pytest.mark.parametrize("args", WRITERS[:5], ids=lambda a: " ".join(a[:2]))
def test_read_only_folder_is_one_line_and_exit_2(cli: Cli, project: Path, args: tuple[str, ...]) -> None:
    ro = project / "nodir"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        result = cli(*args, cwd=project)
    finally:
        ro.chmod(0o755)
    assert result.code == 2, result.err
    assert "Permission denied" in result.err and len(result.err_lines) == 1


def test_internal_error_says_how_to_report() -> None:
    from envguard.errors import EXIT_INTERNAL, REPORT_URL, guarded

    def bug() -> int:
        raise ZeroDivisionError

    assert guarded(bug) == EXIT_INTERNAL
    assert REPORT_URL.startswith("https://")
