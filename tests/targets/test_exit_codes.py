"""One exit code per kind of failure, the same for every target (README, "Exit codes")."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_cli import Cli
from fixtures_vault import Bao
from servers.railway import ACCOUNT_TOKEN, RailwayServer
from servers.render import API_KEY, RenderServer

from envguard.commands.push import push

pytestmark = pytest.mark.slow


def _env(kind: str, request: pytest.FixtureRequest) -> tuple[str, dict[str, str], str]:
    """A target URI, working credentials, and the name of its credential variable."""
    if kind == "vault":
        bao: Bao = request.getfixturevalue("bao")
        bao.request("POST", "secret/data/exit-codes", {"data": {"A": "1"}})
        return "vault://secret/exit-codes", bao.env(HOME="/nonexistent"), "VAULT_TOKEN"
    if kind == "railway":
        railway: RailwayServer = request.getfixturevalue("railway_server")
        railway.variables["proj", "prod", "web"]["A"] = "1"
        return (
            "railway://proj/prod/web",
            {"ENVGUARD_RAILWAY_URL": railway.url, "RAILWAY_API_TOKEN": ACCOUNT_TOKEN},
            "RAILWAY_API_TOKEN",
        )
    render: RenderServer = request.getfixturevalue("render_server")
    render.services["srv-web"]["A"] = "1"
    environ = {"ENVGUARD_RENDER_URL": render.url, "RENDER_API_KEY": API_KEY}
    return "render://srv-web", environ, "RENDER_API_KEY"


MISSING = {
    "vault": "vault://secret/nothing-here",
    "railway": "railway://proj/prod/nope",
    "render": "render://srv-nope",
}


@pytest.mark.parametrize("kind", ["vault", "railway", "render"])
def test_each_kind_of_failure_has_its_exit_code(
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    kind: str,
    unused_port: int,
) -> None:
    uri, env, credential = _env(kind, request)
    names = ("VAULT_ADDR", "VAULT_TOKEN", "RAILWAY_TOKEN", "RAILWAY_API_TOKEN", "RENDER_API_KEY")
    for name in names:
        monkeypatch.delenv(name, raising=False)

    def pull(target: str, **changes: str | None) -> int:
        for name, value in {**env, **changes}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        result = cli("pull", target)
        assert len(result.err_lines) <= 1 and "internal error" not in result.err
        return result.code

    assert pull(uri) == 0
    assert pull(uri, **{credential: None}) == 2  # missing credentials: the caller's environment
    assert pull(uri, **{credential: "wrong-token"}) == 3  # refused by the server
    assert pull(MISSING[kind]) == 3  # not found
    endpoint = {"vault": "VAULT_ADDR", "railway": "ENVGUARD_RAILWAY_URL", "render": "ENVGUARD_RENDER_URL"}
    assert pull(uri, **{endpoint[kind]: f"http://127.0.0.1:{unused_port}"}) == 3  # network


@pytest.mark.parametrize("kind", ["vault", "railway", "render"])
def test_a_conflict_is_exit_3(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    uri, env, _ = _env(kind, request)
    source = tmp_path / ".env.development"
    source.write_text("A=mine\n")

    def someone_else_changes_a(question: str) -> bool:
        if kind == "vault":
            bao: Bao = request.getfixturevalue("bao")
            bao.request("POST", "secret/data/exit-codes", {"data": {"A": "theirs"}})
        elif kind == "railway":
            request.getfixturevalue("railway_server").variables["proj", "prod", "web"]["A"] = "theirs"
        else:
            request.getfixturevalue("render_server").services["srv-web"]["A"] = "theirs"
        return True

    assert push(source, uri, environ=env, confirm=someone_else_changes_a) == 3
