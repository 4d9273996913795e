"""The command line: bad input gives exit 2 and one line; discovery, environments, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_cli import Cli, Result

from envguard import lint, sources
from envguard.findings import Environment

REPO = Path(__file__).parent.parent


def assert_one_line_error(result: Result, fragment: str) -> None:
    assert result.code == 2, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err
    assert result.err.startswith("envguard: error:")
    assert fragment in result.err
    assert "Traceback" not in result.err and result.out == ""


def env_file(tmp_path: Path, name: str = ".env.production", text: str = "APP_NAME=Acme\n") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("check", "missing/.env.production"), "no such file or folder"),
        (("check", "empty-folder"), "no env files found"),
        (("check", "bin.env"), "binary file"),
        (("check", "latin1.env"), ":2: invalid UTF-8"),
        (("check", ".env.production", "--format", "yaml"), "unknown format 'yaml'"),
        (("check", ".env.production", "--schema", "no-such-schema"), "no-such-schema"),
        (("check", ".env.production", "--schema", "bad-schema.toml"), "bad-schema.toml"),
        (("check", ".env.production", "--frobnicate"), "--frobnicate"),
        (("check", ".env.production", "--env", "prodd"), "prodd"),
        (("check", ".env.production", "--fail-on", "fatal"), "fatal"),
        (("frobnicate",), "frobnicate"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], fragment: str
) -> None:
    env_file(tmp_path)
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "empty-folder" / "README.md").write_text("no env files here\n")
    (tmp_path / "bin.env").write_bytes(b"\x7fELF\x00\x01\x02\x03")
    (tmp_path / "latin1.env").write_bytes("A=1\nNAME=Jos\u00e9\n".encode("latin-1"))
    (tmp_path / "bad-schema.toml").write_text("[schema\nname = ")
    assert_one_line_error(cli(*args, cwd=tmp_path), fragment)


def test_no_env_files_in_the_current_folder(cli: Cli, tmp_path: Path) -> None:
    assert_one_line_error(cli("check", cwd=tmp_path), "no env files in the current folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file; the /proc case covers root")
def test_unreadable_file_chmod(cli: Cli, tmp_path: Path) -> None:
    path = env_file(tmp_path)
    path.chmod(0)
    assert_one_line_error(cli("check", path, cwd=tmp_path), "permission denied")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_unreadable_file_even_for_root(cli: Cli, tmp_path: Path) -> None:
    # reading /proc/self/mem from offset 0 fails with EIO for every user, root included
    (tmp_path / ".env.production").symlink_to("/proc/self/mem")
    assert_one_line_error(cli("check", ".env.production", cwd=tmp_path), "cannot read")


def test_dangling_symlink(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".env.production").symlink_to(tmp_path / "gone")
    assert_one_line_error(cli("check", ".env.production", cwd=tmp_path), "no such file")


def test_subprocess_bad_input_has_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "bin.env").write_bytes(b"\x00\x01")
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "check", "bin.env"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "binary file" in done.stderr


def test_subprocess_report_and_exit_code(tmp_path: Path) -> None:
    env_file(tmp_path, text="A=1\nA=2\n")
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "check", "-f", "json", "--select", "syntax"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert done.returncode == 1
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["EG105"]


def test_folder_search_skips_tool_folders(cli: Cli, tmp_path: Path) -> None:
    broken = "A=1\nA=2\n"
    for name in (
        ".env",
        ".env.production",
        "config/app.env",
        "deploy/prod/.env.staging",
        "node_modules/pkg/.env",
        ".git/.env",
        ".venv/lib/.env",
        "sub/.venv/.env.production",
    ):
        env_file(tmp_path, name, broken)
    for name in (".env.keys", ".envrc", "notes.txt"):
        env_file(tmp_path, name, broken)
    result = cli("check", ".", "-f", "json", "--select", "syntax", cwd=tmp_path)
    files = sorted({f["file"] for f in json.loads(result.out)["findings"]})
    assert files == [".env", ".env.production", "config/app.env", "deploy/prod/.env.staging"]
    assert json.loads(result.out)["summary"]["files"] == 4


def test_no_paths_means_the_env_files_here(cli: Cli, tmp_path: Path) -> None:
    env_file(tmp_path, ".env", "A=1\nA=2\n")
    env_file(tmp_path, "sub/.env", "A=1\nA=2\n")
    result = cli("check", "-f", "json", "--select", "syntax", cwd=tmp_path)
    assert [f["file"] for f in json.loads(result.out)["findings"]] == [".env"]


@pytest.mark.parametrize(
    ("name", "env"),
    [
        (".env.production", Environment.PRODUCTION),
        (".env.prod", Environment.PRODUCTION),
        ("production.env", Environment.PRODUCTION),
        (".env.staging", Environment.STAGING),
        (".env.development", Environment.DEVELOPMENT),
        (".env.local", Environment.DEVELOPMENT),
        (".env.dev", Environment.DEVELOPMENT),
        (".env.test", Environment.TEST),
        (".env.example", Environment.EXAMPLE),
        (".env.sample", Environment.EXAMPLE),
        (".env.template", Environment.EXAMPLE),
        (".env.production.example", Environment.EXAMPLE),
        (".env", Environment.PRODUCTION),
        (".env.whatever", Environment.PRODUCTION),
        ("app.env", Environment.PRODUCTION),
    ],
)
def test_environment_from_the_file_name(name: str, env: Environment) -> None:
    assert sources.infer_env(Path(name)) is env


def test_plain_env_takes_the_schema_default() -> None:
    assert sources.infer_env(Path(".env"), Environment.DEVELOPMENT) is Environment.DEVELOPMENT
    assert sources.infer_env(Path(".env.production"), Environment.DEVELOPMENT) is Environment.PRODUCTION


def test_env_flag_overrides_the_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = env_file(tmp_path, ".env.example")
    session = lint.Session(tmp_path, b"k")
    cfg = session.config_of(path)
    contexts, _ = lint._path_contexts(path, lint.Request(paths=(path,)), session, cfg)
    assert [c.env for c in contexts] == [Environment.EXAMPLE]
    request = lint.Request(paths=(path,), env=Environment.STAGING)
    contexts, _ = lint._path_contexts(path, request, session, cfg)
    assert [c.env for c in contexts] == [Environment.STAGING]


def test_env_flag_is_accepted_case_insensitively(cli: Cli, tmp_path: Path) -> None:
    env_file(tmp_path)
    assert cli("check", ".env.production", "--env", "Staging", "--select", "syntax", cwd=tmp_path).code == 0


@pytest.mark.parametrize(
    ("text", "args", "code"),
    [
        ("APP_NAME=Acme\n", (), 0),
        ("A=1\nA=2\n", (), 1),
        ("APP_NAME = Acme\n", (), 0),
        ("APP_NAME = Acme\n", ("--fail-on", "warning"), 1),
        ("APP_NAME=Acme\r\n", (), 0),
        ("APP_NAME=Acme\r\n", ("--fail-on", "warning"), 0),
        ("APP_NAME=Acme\r\n", ("--fail-on", "info"), 1),
        ("A=1\nA=2\n", ("--fail-on", "error"), 1),
        ("A=1\nA=2 # envguard: ignore[EG105]\n", (), 0),
    ],
)
def test_exit_codes_and_fail_on(
    cli: Cli, tmp_path: Path, text: str, args: tuple[str, ...], code: int
) -> None:
    env_file(tmp_path, text=text)
    assert cli("check", ".env.production", "--select", "syntax", *args, cwd=tmp_path).code == code


def test_version_and_help(cli: Cli) -> None:
    assert cli("--version").out.startswith("envguard ")
    result = cli("check", "--help")
    assert result.code == 0 and "--fail-on" in result.out
