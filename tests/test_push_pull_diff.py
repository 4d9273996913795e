"""push / pull / diff end to end against a real OpenBao dev server."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from dotenv import dotenv_values
from fixtures_vault import Bao

from envguard import cli, envfile
from envguard.commands.diff import diff
from envguard.commands.pull import pull
from envguard.commands.push import push
from envguard.errors import InputError, NotFoundError, UsageError

pytestmark = pytest.mark.slow

# every quoting case a .env file can hold; the file is written by hand, not by envguard
TRICKY = """\
# tricky values
PLAIN=simple
WITH_EQUALS=a=b=c
WITH_HASH='value # not a comment'
DOUBLE="say \\"hi\\" and 'bye'"
SINGLE='it has "double" quotes'
MULTI="line one
line two
  indented line three"
ESCAPED_NEWLINE="first\\nsecond"
UNICODE=żółć✓日本
EMPTY=
EMPTY_QUOTED=""
DOLLAR='$NOT_EXPANDED ${ALSO_NOT}'
BACKSLASH='C:\\path\\to'
SPACES='  padded  '
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder as the current directory (snapshots and config live there)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _file(folder: Path, text: str, name: str = ".env.development") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _uri(path: str, mount: str = "secret") -> str:
    return f"vault://{mount}/{path}"


@pytest.mark.parametrize("mount", ["secret", "kv1"])
def test_push_then_pull_round_trips_exactly(bao: Bao, project: Path, secret_path: str, mount: str) -> None:
    source = _file(project, TRICKY)
    expected = envfile.read(source).values()
    assert expected == dotenv_values(source, interpolate=False)  # as python-dotenv reads it
    assert push(source, _uri(secret_path, mount), yes=True, environ=bao.env()) == 0
    out = project / "pulled.env"
    assert pull(_uri(secret_path, mount), out, environ=bao.env()) == 0
    assert dotenv_values(out, interpolate=False) == expected
    assert envfile.read(out).values() == expected
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert diff(source, _uri(secret_path, mount), environ=bao.env()) == 0


def test_repush_is_a_no_op(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _file(project, TRICKY)
    push(source, _uri(secret_path), yes=True, environ=bao.env())
    capsys.readouterr()
    assert push(source, _uri(secret_path), yes=True, environ=bao.env()) == 0
    assert "No changes" in capsys.readouterr().out
    assert bao.versions(secret_path) == 1
    assert not (project / ".envguard" / "snapshots").exists()  # nothing destructive, so no snapshot


def test_key_added_remotely_during_push_survives(bao: Bao, project: Path, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "old"}})
    source = _file(project, "A=new\nB=added\n")

    def someone_else_writes(question: str) -> bool:
        bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "old", "X": "theirs"}})
        return True

    code = push(source, _uri(secret_path), environ=bao.env(), confirm=someone_else_writes)
    assert code == 0
    assert bao.stored(secret_path) == {"A": "new", "B": "added", "X": "theirs"}


def test_conflicting_remote_change_is_kept_and_exits_3(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "old"}})
    source = _file(project, "A=mine\n")

    def someone_else_changes_a(question: str) -> bool:
        bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "theirs"}})
        return True

    code = push(source, _uri(secret_path), environ=bao.env(), confirm=someone_else_changes_a)
    assert code == 3
    assert bao.stored(secret_path) == {"A": "theirs"}
    err = capsys.readouterr().err
    assert "A: changed remotely" in err and "theirs" not in err and "mine" not in err


def test_prune_removes_exactly_the_listed_keys(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = {"KEEP": "1", "GONE_1": "x", "GONE_2": "y", "CHANGED": "before"}
    bao.request("POST", f"secret/data/{secret_path}", {"data": remote})
    source = _file(project, "KEEP=1\nCHANGED=after\nNEW=n\n")
    assert push(source, _uri(secret_path), yes=True, environ=bao.env()) == 0
    assert set(bao.stored(secret_path)) == {"KEEP", "GONE_1", "GONE_2", "CHANGED", "NEW"}
    capsys.readouterr()
    assert push(source, _uri(secret_path), yes=True, prune=True, environ=bao.env()) == 0
    out = capsys.readouterr().out
    listed = {line.split()[-1] for line in out.splitlines() if line.startswith("  - ")}
    assert listed == {"GONE_1", "GONE_2"}
    assert bao.stored(secret_path) == {"KEEP": "1", "CHANGED": "after", "NEW": "n"}


def test_snapshot_is_encrypted_and_rolls_back(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {"API_KEY": "s3cr3t-before-value", "OTHER": "kept"}
    bao.request("POST", f"secret/data/{secret_path}", {"data": before})
    source = _file(project, "API_KEY=s3cr3t-after-value\nOTHER=kept\nADDED=1\n")
    assert push(source, _uri(secret_path), yes=True, environ=bao.env()) == 0
    out = capsys.readouterr().out
    [snapshot] = (project / ".envguard" / "snapshots").glob("*.env")
    assert f"Roll back with: envguard rollback {snapshot}" in out
    assert "s3cr3t" not in out and "s3cr3t" not in snapshot.read_text()
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o600
    assert (snapshot.parent / ".env.keys").is_file()
    code = push(snapshot, _uri(secret_path), yes=True, prune=True, environ=bao.env())
    assert code == 0
    assert bao.stored(secret_path) == before


def test_values_never_printed(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"TOKEN": "remote-only-secret"}})
    source = _file(project, "TOKEN=local-secret-value\nNEW=another-secret-value\n")
    push(source, _uri(secret_path), dry_run=True, environ=bao.env())
    diff(source, _uri(secret_path), environ=bao.env())
    push(source, _uri(secret_path), yes=True, prune=True, environ=bao.env())
    captured = capsys.readouterr()
    for value in ("remote-only-secret", "local-secret-value", "another-secret-value"):
        assert value not in captured.out + captured.err


def test_dry_run_decline_and_no_terminal_write_nothing(
    bao: Bao, project: Path, secret_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _file(project, "A=1\n")
    uri = _uri(secret_path)
    assert push(source, uri, dry_run=True, environ=bao.env()) == 0
    assert push(source, uri, environ=bao.env(), confirm=lambda q: False) == 1
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(UsageError, match="--yes"):
        push(source, uri, environ=bao.env())
    with pytest.raises(NotFoundError, match="no secret at"):
        pull(uri, project / "out.env", environ=bao.env())
    assert not (project / "out.env").exists()


def test_check_errors_refuse_the_push_unless_forced(bao: Bao, project: Path, secret_path: str) -> None:
    source = _file(project, "A=1\nBROKEN LINE\n")
    assert push(source, _uri(secret_path), yes=True, environ=bao.env()) == 1
    with pytest.raises(NotFoundError):
        pull(_uri(secret_path), project / "out.env", environ=bao.env())
    assert push(source, _uri(secret_path), yes=True, force=True, environ=bao.env()) == 0
    assert bao.stored(secret_path) == {"A": "1"}


def test_approle_push(bao: Bao, project: Path, secret_path: str) -> None:
    env = {"VAULT_ADDR": bao.addr, "VAULT_ROLE_ID": bao.role_id, "VAULT_SECRET_ID": bao.secret_id}
    assert push(_file(project, "A=1\n"), _uri(secret_path), yes=True, environ=env) == 0
    assert bao.stored(secret_path) == {"A": "1"}


def test_named_target_from_envguard_toml(bao: Bao, project: Path, secret_path: str) -> None:
    (project / "envguard.toml").write_text(f'[targets.production]\nuri = "{_uri(secret_path)}"\n')
    assert push(_file(project, "A=1\n"), "production", yes=True, environ=bao.env()) == 0
    assert bao.stored(secret_path) == {"A": "1"}


def test_diff_lists_keys_and_exits_1(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = {"SAME": "1", "DIFF": "remote", "THERE": "x"}
    bao.request("POST", f"secret/data/{secret_path}", {"data": remote})
    source = _file(project, "SAME=1\nDIFF=local\nHERE=y\n")
    assert diff(source, _uri(secret_path), environ=bao.env()) == 1
    out = capsys.readouterr().out
    assert "  + HERE" in out and "  - THERE" in out and "  ~ DIFF" in out
    assert "remote" not in out.replace(_uri(secret_path), "") and "local" not in out


def test_pull_to_stdout(bao: Bao, secret_path: str, capsys: pytest.CaptureFixture[str]) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"B": "two words", "A": "1"}})
    assert pull(_uri(secret_path), environ=bao.env()) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1:] == ["A=1", "B='two words'"]
    assert "Pulled 2 variable(s)" in captured.err
    with pytest.raises(InputError, match="cannot write"):
        pull(_uri(secret_path), Path("/nonexistent-dir/out.env"), environ=bao.env())


def test_bad_token_exits_3_through_the_cli(
    bao: Bao, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VAULT_ADDR", bao.addr)
    monkeypatch.setenv("VAULT_TOKEN", "wrong-token")
    source = _file(project, "A=1\n")
    for argv in (
        ["push", str(source), "--to", "vault://secret/x", "--yes"],
        ["pull", "vault://secret/x"],
        ["diff", str(source), "vault://secret/x"],
    ):
        with pytest.raises(SystemExit) as exited:
            cli.main(argv)
        assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.count("envguard: error: vault://secret/x: permission denied") == 3
    assert "Traceback" not in err and "wrong-token" not in err


def test_check_from_a_vault_target(
    bao: Bao, secret_path: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"APP_NAME": "shop"}})
    for name, value in bao.env().items():
        monkeypatch.setenv(name, value)
    argv = ["check", "--from", _uri(secret_path), "--format", "json"]
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    monkeypatch.setenv("VAULT_TOKEN", "wrong-token")
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 3  # the target was really read


def _cli(*argv: str) -> int:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    return int(exited.value.code or 0)


def _environ(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_a_typo_in_the_path_never_replaces_a_file(
    bao: Bao,
    project: Path,
    secret_path: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1"}})
    _environ(monkeypatch, bao.env())
    kept = _file(project, "A=1\nB=2\n", ".env")
    assert _cli("pull", _uri(secret_path + "x"), "-o", str(kept)) == 3
    assert kept.read_text() == "A=1\nB=2\n"
    err = capsys.readouterr().err
    assert f"no secret at secret/{secret_path}x on {bao.addr}" in err and err.count("\n") == 1
    assert _cli("check", "--from", _uri("nope/x")) == 3
    assert _cli("diff", str(kept), _uri("nope/x")) == 3


def test_pull_keeps_keys_the_target_lacks_unless_forced(
    bao: Bao,
    project: Path,
    secret_path: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "remote"}})
    _environ(monkeypatch, bao.env())
    local = _file(project, "A=1\nLOCAL_ONLY=2\nALSO_LOCAL=3\n", ".env")
    assert _cli("pull", _uri(secret_path), "-o", str(local)) == 2
    assert "2 key(s) that" in capsys.readouterr().err and "LOCAL_ONLY" in local.read_text()
    assert _cli("pull", _uri(secret_path), "-o", str(local), "--force") == 0
    assert envfile.read(local).values() == {"A": "remote"}


def test_an_empty_result_never_replaces_a_file_that_holds_variables(
    bao: Bao,
    project: Path,
    secret_path: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {}})  # exists, and is empty
    _environ(monkeypatch, bao.env())
    local = _file(project, "A=1\n", ".env")
    for extra in ((), ("--force",)):
        assert _cli("pull", _uri(secret_path), "-o", str(local), *extra) == 2
        assert local.read_text() == "A=1\n"
    assert "not replaced with an empty file" in capsys.readouterr().err


def test_a_web_server_is_not_vault(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from servers import raw

    server = raw.RawServer(raw.answer("404 Not Found", b"<h1>404</h1>", "text/html"))
    try:
        _environ(monkeypatch, {"VAULT_ADDR": server.origin, "VAULT_TOKEN": "t"})
        assert _cli("pull", "vault://secret/myapp/prod", "-o", str(project / "out.env")) == 3
        assert not (project / "out.env").exists()
        source = _file(project, "APP_NAME=shop\n")
        assert _cli("push", str(source), "--to", "vault://secret/myapp/prod", "--dry-run") == 3
        err = capsys.readouterr().err
        assert f"{server.origin} does not answer like Vault" in err
    finally:
        server.stop()


def test_push_to_a_new_path_says_new_secret(
    bao: Bao, project: Path, secret_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert push(_file(project, "A=1\n"), _uri(secret_path), dry_run=True, environ=bao.env()) == 0
    assert "new secret" in capsys.readouterr().out


@pytest.mark.parametrize("mount", ["secret", "kv1"])
def test_rollback_restores_the_snapshot_exactly(
    bao: Bao,
    project: Path,
    secret_path: str,
    mount: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    odd = {
        "my key": "spaced",
        "A=B": "equals",
        "HASH#KEY": "hash",
        "new\nline": "multi\nvalue",
        "ENVGUARD_KEY_X": "looks encoded",
        "PLAIN": "before",
    }
    data_path = f"{mount}/data/{secret_path}" if mount == "secret" else f"{mount}/{secret_path}"
    bao.request("POST", data_path, {"data": odd} if mount == "secret" else odd)
    _environ(monkeypatch, bao.env())
    source = _file(project, "PLAIN=after\nADDED=1\n", ".env.production")
    assert _cli("push", str(source), "--to", _uri(secret_path, mount), "--yes") == 0
    out = capsys.readouterr().out
    [snapshot] = (project / ".envguard" / "snapshots").glob("*.env")
    assert f"Roll back with: envguard rollback {snapshot}" in out
    assert _cli("rollback", str(snapshot), "--dry-run") == 0
    plan_text = capsys.readouterr().out
    assert "  ~ PLAIN" in plan_text and "  - ADDED" in plan_text and "after" not in plan_text
    assert _cli("rollback", str(snapshot), "--yes") == 0
    stored = bao.stored(secret_path, mount) if mount == "secret" else bao.request("GET", data_path)["data"]
    assert stored == odd
    err = capsys.readouterr().err
    assert "EG312" not in err and "refused" not in err


def test_the_printed_push_of_a_snapshot_works_too(
    bao: Bao, project: Path, secret_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "before"}})
    _environ(monkeypatch, bao.env())
    source = _file(project, "A=after\n", ".env.production")
    assert _cli("push", str(source), "--to", _uri(secret_path), "--yes") == 0
    [snapshot] = (project / ".envguard" / "snapshots").glob("*.env")
    assert _cli("push", str(snapshot), "--to", _uri(secret_path), "--yes", "--prune") == 0
    assert bao.stored(secret_path) == {"A": "before"}


def test_rollback_of_a_file_that_is_no_snapshot_is_exit_2(project: Path) -> None:
    assert _cli("rollback", str(_file(project, "A=1\n"))) == 2


def test_concurrent_pushes_share_one_snapshot_key(bao: Bao, project: Path, secret_path: str) -> None:
    import os
    import subprocess
    import sys

    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "0"}})
    env = {**os.environ, **bao.env()}
    for round_ in range(3):
        files = [_file(project, f"A={round_}{n}\n", f".env.r{round_}{n}") for n in range(2)]
        runs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "envguard",
                    "push",
                    str(f),
                    "--to",
                    _uri(secret_path),
                    "--yes",
                    "--force",
                ],
                env=env,
                cwd=project,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for f in files
        ]
        assert all(run.wait(60) in (0, 3) for run in runs)
    snapshots_ = sorted((project / ".envguard" / "snapshots").glob("*.env"))
    assert len(snapshots_) >= 3
    from envguard import snapshots

    for snapshot in snapshots_:
        assert set(snapshots.values(snapshot, {})) == {"A"}  # every one decrypts with the one key
