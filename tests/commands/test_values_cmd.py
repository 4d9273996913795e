"""``envguard get`` and ``envguard set``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RunEnvguard

from envguard import envfile


def test_set_encrypts_and_get_decrypts(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    code, out, err = run_envguard("set", "API_TOKEN", "tok en=#1", "-f", ".env.production")
    assert (code, out) == (0, "")
    assert "set API_TOKEN (encrypted)" in err and "tok en" not in err
    stored = envfile.read(tmp_path / ".env.production").values()
    assert stored["API_TOKEN"].startswith("encrypted:")
    assert "DOTENV_PUBLIC_KEY_PRODUCTION" in stored
    assert run_envguard("get", "API_TOKEN", "-f", ".env.production") == (0, "tok en=#1\n", "")


@pytest.mark.parametrize(
    ("stdin", "expected"),
    [
        ("from stdin\n", "from stdin"),
        ("two\nlines\n", "two\nlines"),
        ("no newline", "no newline"),
        ("", ""),
        ("crlf\r\n", "crlf"),
    ],
)
def test_set_reads_the_value_from_stdin(run_envguard: RunEnvguard, stdin: str, expected: str) -> None:
    assert run_envguard("set", "SECRET", stdin=stdin)[0] == 0
    assert run_envguard("set", "OTHER", "-", stdin=stdin)[0] == 0
    assert run_envguard("get", "SECRET")[1] == expected + "\n"
    assert run_envguard("get", "OTHER")[1] == expected + "\n"


def test_set_without_value_on_a_terminal_is_a_usage_error(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    code, _out, err = run_envguard("set", "SECRET")
    assert code == 2 and "no VALUE given" in err
    assert not (tmp_path / ".env").exists()


def test_set_plain_and_plain_keys_stay_readable(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    assert run_envguard("set", "DEBUG", "false", "--plain")[0] == 0
    assert run_envguard("set", "HOST_PLAIN", "example.com")[0] == 0
    values = envfile.read(tmp_path / ".env").values()
    assert values == {"DEBUG": "false", "HOST_PLAIN": "example.com"}
    assert not (tmp_path / ".env.keys").exists()


def test_set_replaces_in_place(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = tmp_path / ".env"
    path.write_text("# top\nA=1\nB=2  # keep me\nC=3")
    assert run_envguard("set", "B", "new value", "--plain")[0] == 0
    assert run_envguard("set", "D", "4", "--plain")[0] == 0
    assert path.read_text() == "# top\nA=1\nB='new value'  # keep me\nC=3\nD=4"
    assert run_envguard("set", "A", "secret")[0] == 0
    assert [r.key for r in envfile.read(path).entries()] == ["DOTENV_PUBLIC_KEY", "A", "B", "C", "D"]
    assert run_envguard("get", "A") == (0, "secret\n", "")


def test_set_rejects_bad_names(run_envguard: RunEnvguard) -> None:
    code, _out, err = run_envguard("set", "BAD NAME", "x")
    assert code == 2 and "not a valid variable name" in err


def test_get_missing_key_and_missing_private_key(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    run_envguard("set", "TOKEN", "abc", "-f", ".env.staging")
    code, out, err = run_envguard("get", "NOPE", "-f", ".env.staging")
    assert (code, out) == (2, "") and "NOPE is not set in .env.staging" in err
    (tmp_path / ".env.keys").unlink()
    code, out, err = run_envguard("get", "TOKEN", "-f", ".env.staging")
    assert (code, out) == (2, "")
    assert "cannot decrypt TOKEN in .env.staging" in err and "DOTENV_PRIVATE_KEY_STAGING" in err


def test_get_with_the_key_in_the_environment(
    tmp_path: Path, run_envguard: RunEnvguard, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_envguard("set", "TOKEN", "abc", "-f", ".env.ci")
    keys_file = tmp_path / ".env.keys"
    private = envfile.read(keys_file).values()["DOTENV_PRIVATE_KEY_CI"]
    keys_file.unlink()
    monkeypatch.setenv("DOTENV_PRIVATE_KEY_CI", f"{'22' * 32},{private}")
    assert run_envguard("get", "TOKEN", "-f", ".env.ci") == (0, "abc\n", "")
