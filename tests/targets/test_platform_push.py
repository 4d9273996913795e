"""push / pull / diff end to end against the loopback Railway and Render servers, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from dotenv import dotenv_values
from servers.railway import ACCOUNT_TOKEN, RailwayServer
from servers.render import API_KEY, RenderServer

from envguard import cli, envfile

TRICKY = """\
PLAIN=simple
WITH_EQUALS=a=b=c
WITH_HASH='value # not a comment'
DOUBLE="say \\"hi\\" and 'bye'"
MULTI="line one
line two"
UNICODE=żółć✓日本
EMPTY=
DOLLAR='$NOT_EXPANDED ${{Postgres.DATABASE_URL}}'
"""


@pytest.fixture(params=["railway", "render"])
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A target URI on one of the loopback servers, its URL and credentials in the environment."""
    monkeypatch.chdir(tmp_path)
    if request.param == "railway":
        railway: RailwayServer = request.getfixturevalue("railway_server")
        monkeypatch.setenv("ENVGUARD_RAILWAY_URL", railway.url)
        monkeypatch.setenv("RAILWAY_API_TOKEN", ACCOUNT_TOKEN)
        return "railway://proj/prod/web"
    render: RenderServer = request.getfixturevalue("render_server")
    monkeypatch.setenv("ENVGUARD_RENDER_URL", render.url)
    monkeypatch.setenv("RENDER_API_KEY", API_KEY)
    return "render://srv-web"


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    return int(exited.value.code or 0)


def test_push_pull_round_trip_and_no_op_repush(
    platform: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / ".env.development"
    source.write_text(TRICKY, encoding="utf-8")
    assert run("push", str(source), "--to", platform, "--yes") == 0
    assert run("pull", platform, "-o", str(tmp_path / "pulled.env")) == 0
    expected = envfile.read(source).values()
    assert dotenv_values(tmp_path / "pulled.env", interpolate=False) == expected
    assert run("diff", str(source), platform) == 0
    capsys.readouterr()
    assert run("push", str(source), "--to", platform, "--yes") == 0
    assert "No changes" in capsys.readouterr().out


def test_bad_credentials_exit_3_on_one_line(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAILWAY_API_TOKEN", "wrong-token")
    monkeypatch.setenv("RENDER_API_KEY", "wrong-token")
    assert run("pull", platform) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"envguard: error: {platform.split(':')[0].title()} ({platform})")
    assert err.count("\n") == 1 and "wrong-token" not in err


def test_rollback_restores_railway_and_render(
    platform: str, tmp_path: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {"PLAIN": "before", "my key": "spaced", "A=B": "eq", "MULTI": "one\ntwo"}
    live = _live(request, platform)
    live.update(before)
    source = tmp_path / ".env.production"
    source.write_text("PLAIN=after\nADDED=x\n", encoding="utf-8")
    assert run("push", str(source), "--to", platform, "--yes") == 0
    [snapshot] = (tmp_path / ".envguard" / "snapshots").glob("*.env")
    assert f"Roll back with: envguard rollback {snapshot}" in capsys.readouterr().out
    assert run("rollback", str(snapshot), "--yes") == 0
    assert live == before
    assert "  - ADDED" in capsys.readouterr().out


def test_pull_never_replaces_a_file_with_an_empty_result(platform: str, tmp_path: Path) -> None:
    kept = tmp_path / ".env"
    kept.write_text("A=1\n")
    assert run("pull", platform, "-o", str(kept)) == 2
    assert kept.read_text() == "A=1\n"


def _live(request: pytest.FixtureRequest, platform: str) -> dict[str, str]:
    if platform.startswith("railway"):
        railway: RailwayServer = request.getfixturevalue("railway_server")
        return railway.variables["proj", "prod", "web"]
    render: RenderServer = request.getfixturevalue("render_server")
    return render.services["srv-web"]
