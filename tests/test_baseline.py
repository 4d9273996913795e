"""Baselines: accept today's findings once, fail on new ones; no line numbers, no values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_cli import Cli

SECRET = "baseline-canary-7f3a9c1e5b"
TEXT = f"APP_NAME=a\nAPP_NAME={SECRET}\nAPP_TITLE = Acme\nbroken line\n"


def setup(tmp_path: Path, cli: Cli) -> tuple[Path, Path]:
    env = tmp_path / ".env.production"
    env.write_text(TEXT)
    base = tmp_path / "envguard-baseline.json"
    result = cli("check", env, "--write-baseline", base, cwd=tmp_path)
    assert result.code == 0 and "wrote" in result.err
    return env, base


def test_write_then_check_has_no_findings(cli: Cli, tmp_path: Path) -> None:
    env, base = setup(tmp_path, cli)
    assert cli("check", env, cwd=tmp_path).code == 1
    result = cli("check", env, "--baseline", base, "--format", "json", cwd=tmp_path)
    assert result.code == 0
    report = json.loads(result.out)
    assert report["findings"] == [] and report["summary"]["suppressed"] >= 3
    assert "baselined" in result.err


def test_a_new_finding_still_fails(cli: Cli, tmp_path: Path) -> None:
    env, base = setup(tmp_path, cli)
    env.write_text(TEXT + "CACHE_STORE=file\nCACHE_STORE=redis\n")
    result = cli("check", env, "--baseline", base, "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert [(f["code"], f["key"]) for f in json.loads(result.out)["findings"]] == [("EG105", "CACHE_STORE")]


def test_a_changed_value_is_a_new_finding(cli: Cli, tmp_path: Path) -> None:
    env, base = setup(tmp_path, cli)
    env.write_text(TEXT.replace(SECRET, "another-value"))
    result = cli("check", env, "--baseline", base, "--format", "json", "--select", "EG105", cwd=tmp_path)
    assert result.code == 1
    assert [f["key"] for f in json.loads(result.out)["findings"]] == ["APP_NAME"]


def test_the_file_holds_no_line_numbers_and_no_values(cli: Cli, tmp_path: Path) -> None:
    _, base = setup(tmp_path, cli)
    text = base.read_text()
    assert SECRET not in text
    document = json.loads(text)
    assert document["findings"]
    for entry in document["findings"]:
        assert set(entry) == {"file", "key", "code", "fingerprint"}
        assert entry["file"] == ".env.production"
    assert "line" not in text


def test_moving_lines_keeps_it_valid(cli: Cli, tmp_path: Path) -> None:
    env, base = setup(tmp_path, cli)
    lines = TEXT.splitlines()
    env.write_text("# moved down\n\nOTHER=1\n" + "\n\n".join([lines[2], lines[0], lines[3], lines[1]]) + "\n")
    result = cli("check", env, "--baseline", base, "--format", "json", cwd=tmp_path)
    assert json.loads(result.out)["findings"] == [] and result.code == 0


def test_rewriting_keeps_the_salt(cli: Cli, tmp_path: Path) -> None:
    env, base = setup(tmp_path, cli)
    salt = json.loads(base.read_text())["salt"]
    assert cli("check", env, "--write-baseline", base, cwd=tmp_path).code == 0
    assert json.loads(base.read_text())["salt"] == salt


def test_a_missing_or_broken_baseline_exits_2(cli: Cli, tmp_path: Path) -> None:
    env = tmp_path / ".env.production"
    env.write_text(TEXT)
    (tmp_path / "bad.json").write_text("{not json")
    for name in ("missing.json", "bad.json"):
        result = cli("check", env, "--baseline", tmp_path / name, cwd=tmp_path)
        assert result.code == 2 and len(result.err_lines) == 1, result.err


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[" * 1000 + "]" * 1000, "nested more than 64 deep"),
        ("[" * 100_000, "nested more than 64 deep"),
        ('{"salt": "00", "findings": [' + "1" * 5000 + "]}", "findings[0] must be an object"),
        ('{"salt": 1, "findings": []}', "`salt` must be a hex string"),
        ('{"salt": "00", "findings": {}}', "`findings` must be a list"),
        ('{"salt": "00", "findings": [{"file": 1, "code": "EG101"}]}', "needs `file` and `code` strings"),
        ('{"salt": "00", "findings": [{"file": "a", "code": "x", "key": []}]}', "must be strings or null"),
        ("[]", "expected a JSON object"),
        ("{", "not valid JSON"),
    ],
)
def test_a_hostile_baseline_is_one_line_exit_2(cli: Cli, tmp_path: Path, text: str, fragment: str) -> None:
    env = tmp_path / ".env.production"
    env.write_text("A=1\n")
    base = tmp_path / "baseline.json"
    base.write_text(text)
    result = cli("check", env, "--baseline", base, cwd=tmp_path)
    assert result.code == 2 and len(result.err_lines) == 1, result.err
    assert fragment in result.err and "baseline.json" in result.err


def test_a_baseline_that_is_a_fifo_or_a_device_is_refused(cli: Cli, tmp_path: Path) -> None:
    env = tmp_path / ".env.production"
    env.write_text("A=1\n")
    (tmp_path / "baseline.json").symlink_to("/dev/zero")
    result = cli("check", env, "--baseline", "baseline.json", cwd=tmp_path)
    assert result.code == 2 and "not a regular file" in result.err
