"""The entry point's fast ``check`` path behaves exactly like the typer CLI, on the same arguments."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from envguard import cli, launch

PRODUCTION = """\
APP_ENV=production
APP_DEBUG=true
APP_URL=http://shop.acme-cloud.io
SECRET_KEY=changeme
DB_PASSWORD=kMfc5hWvvaGALTAqCYwh5F0HeyG14wBu
CORS_ALLOWED_ORIGINS=*
"""
EXAMPLE = "APP_ENV=production\nSECRET_KEY=your-secret-here\nMISSING_IN_PRODUCTION=\n"

#: argument lists the fast path takes, and must answer as the CLI does
PLAIN = [
    ["check", ".env.production"],
    ["check"],
    ["check", "sub"],
    ["check", "--", ".env.production"],
    ["check", ".env.production", "-f", "json"],
    ["check", "--format=sarif", ".env.production"],
    ["check", "--format", "github", "--quiet", ".env.production"],
    ["check", "-s", "laravel", "--env", "STAGING", ".env.production"],
    ["check", "--schema=django", "-e", "development", ".env.production"],
    ["check", "--fail-on", "WARNING", "-q", ".env.production"],
    ["check", "--fail-on=info", ".env.production", "sub/.env"],
    ["check", "--select", "EG4,EG2", "--select", "EG901", "--ignore", "EG401", ".env.production"],
    ["check", "--ignore=debug", ".env.production"],
    ["check", "--color", ".env.production"],
    ["check", "--no-color", ".env.production"],
    ["check", "--example", ".env.example", ".env.production"],
    ["check", "--baseline", "baseline.json", ".env.production"],
    ["check", "--write-baseline", "written.json", ".env.production"],
    ["check", "--from-env", "--env", "production", "-f", "json"],
    ["check", "--from-env", ".env.production"],
    ["check", "--pid", "PID", "-f", "json"],
    ["check", "missing.env"],
    ["check", "-f", "yaml", ".env.production"],
    ["check", "--schema", "no-such-schema", ".env.production"],
    ["check", "--select", "EG999", ".env.production"],
    ["check", "--git", ".env.production"],
]

#: argument lists the fast path leaves to the CLI (help, errors, unusual spellings, other commands)
TYPER_ONLY = [
    [],
    ["--version"],
    ["rules"],
    ["check", "--help"],
    ["check", "-h"],
    ["check", "-qf", "json"],
    ["check", "-sdjango"],
    ["check", "-s=django"],
    ["check", "--env", "prodd"],
    ["check", "--fail-on", "fatal"],
    ["check", "--pid", "x"],
    ["check", "--pid", "+12"],
    ["check", "-q", "-q"],
    ["check", "--color", "--no-color"],
    ["check", "--schema"],
    ["check", "--schema", "--quiet"],
    ["check", "--unknown"],
    ["check", "--from-env=yes"],
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a production file, an example, a nested folder and a baseline."""
    (tmp_path / ".env.production").write_text(PRODUCTION)
    (tmp_path / ".env.example").write_text(EXAMPLE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".env").write_text("DEBUG=1\nAPI_TOKEN=short\n")
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "ENVGUARD_FINGERPRINT_KEY", "ENVGUARD_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    assert _run(cli.main, ["check", "--write-baseline", "baseline.json", ".env.production"])[0] == 0
    return tmp_path


def _run(entry: object, argv: list[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one in-process run of ``entry(argv)``."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            entry(argv)  # type: ignore[operator]
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        else:
            code = 0
    return code, out.getvalue(), err.getvalue()


def _argv(args: list[str]) -> list[str]:
    return [str(os.getpid()) if a == "PID" else a for a in args]


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_fast_path_answers_as_the_cli(project: Path, args: list[str]) -> None:
    argv = _argv(args)
    assert launch.plain_check(argv) is not None
    fast = _run(launch.main, argv)
    (project / "written.json").unlink(missing_ok=True)
    slow = _run(cli.main, argv)
    assert fast == slow


@pytest.mark.parametrize("args", TYPER_ONLY, ids=lambda a: " ".join(a) or "(none)")
def test_other_arguments_go_to_the_cli(project: Path, args: list[str]) -> None:
    assert launch.plain_check(args) is None
    assert _run(launch.main, args) == _run(cli.main, args)


def test_fast_path_converts_values_as_the_cli_does() -> None:
    opts = launch.plain_check(
        [
            "check",
            "a.env",
            "-e",
            "Staging",
            "--fail-on=WARNING",
            "--pid",
            "007",
            "--select",
            "EG2, EG4",
            "--select=EG901",
            "--no-color",
            "--",
            "-b.env",
        ]
    )
    assert opts is not None
    assert [str(p) for p in opts.paths] == ["a.env", "-b.env"]
    assert (opts.env, opts.fail_on, opts.pid, opts.color) == ("staging", "warning", 7, False)
    assert opts.select == ("EG2", "EG4", "EG901")
