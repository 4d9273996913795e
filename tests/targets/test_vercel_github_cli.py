"""push / pull / diff / check --from through the CLI against the loopback Vercel and GitHub servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dotenv import dotenv_values
from fixtures_cli import Cli
from servers.github import TOKEN as GITHUB_TOKEN
from servers.github import GitHubServer
from servers.vercel import TEAM, TOKEN, VercelServer

from envguard import envfile

FILE = """\
API_BASE_URL=https://api.malar-market-ledger.com/api/v1
MULTI="line one
line two"
UNICODE=żółć✓日本
SIGNING_SECRET=Zq8vN3kP2xL7mR4tW9yB6cF1hJ5sD0gA
"""
NAMES = ("VERCEL_TOKEN", "VERCEL_TEAM_ID", "VERCEL_ORG_ID", "GITHUB_TOKEN", "GH_TOKEN")


@pytest.fixture
def vercel(vercel_server: VercelServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> VercelServer:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVGUARD_VERCEL_URL", vercel_server.url)
    monkeypatch.setenv("VERCEL_TOKEN", TOKEN)
    monkeypatch.setenv("VERCEL_ORG_ID", TEAM)  # as the seed's workflow names it
    return vercel_server


@pytest.fixture
def github(github_server: GitHubServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> GitHubServer:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVGUARD_GITHUB_URL", github_server.url)
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_TOKEN)
    return github_server


def _file(tmp_path: Path, text: str = FILE, name: str = ".env.production") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_vercel_push_pull_diff_and_an_idle_re_push(cli: Cli, vercel: VercelServer, tmp_path: Path) -> None:
    source = _file(tmp_path)
    pushed = cli("push", source, "--to", "vercel://web", "--yes")
    assert pushed.code == 0, pushed.err
    assert "new deployments only" in pushed.out
    assert cli("pull", "vercel://web/production", "-o", tmp_path / "pulled.env").code == 0
    assert dotenv_values(tmp_path / "pulled.env", interpolate=False) == envfile.read(source).values()
    assert cli("diff", source, "vercel://web").code == 0
    writes = len(vercel.writes())
    again = cli("push", source, "--to", "vercel://web", "--yes")
    assert again.code == 0 and "No changes" in again.out and len(vercel.writes()) == writes


def test_a_sensitive_vercel_variable_is_said_so_per_key(
    cli: Cli, vercel: VercelServer, tmp_path: Path
) -> None:
    vercel.put("web", "SIGNING_SECRET", "the-old-one-kept-sensitive", kind="sensitive")
    source = _file(tmp_path)
    pushed = cli("push", source, "--to", "vercel://web", "--yes")
    assert pushed.code == 0 and "! SIGNING_SECRET: sensitive on Vercel: value not readable" in pushed.out
    assert vercel.values("web")["SIGNING_SECRET"] == "the-old-one-kept-sensitive"
    pulled = cli("pull", "vercel://web")
    assert "SIGNING_SECRET: sensitive on Vercel: value not readable; not pulled" in pulled.err
    assert "SIGNING_SECRET" not in pulled.out
    diffed = cli("diff", source, "vercel://web")
    assert diffed.code == 0 and "? SIGNING_SECRET" in diffed.out
    forced = cli("push", source, "--to", "vercel://web", "--yes", "--force")
    assert forced.code == 0 and "~ SIGNING_SECRET  (current value not readable" in forced.out
    assert vercel.values("web")["SIGNING_SECRET"] == "Zq8vN3kP2xL7mR4tW9yB6cF1hJ5sD0gA"


def test_a_vercel_failure_per_item_exits_3(cli: Cli, vercel: VercelServer, tmp_path: Path) -> None:
    vercel.refuse["UNICODE"] = ("ENV_CONFLICT", "conflicting variable")
    result = cli("push", _file(tmp_path), "--to", "vercel://web", "--yes")
    assert result.code == 3
    assert "envguard: UNICODE: refused by Vercel: ENV_CONFLICT: conflicting variable" in result.err
    assert "żółć" not in result.out + result.err


def test_github_push_diff_and_an_idle_re_push(cli: Cli, github: GitHubServer, tmp_path: Path) -> None:
    source = _file(tmp_path)
    pushed = cli("push", source, "--to", "github://acme/shop", "--yes")
    assert pushed.code == 0, pushed.err
    assert "GitHub secrets cannot be read back: 4 written, not verifiable" in pushed.out
    assert github.store("acme", "shop").secrets == envfile.read(source).values()
    assert cli("diff", source, "github://acme/shop").code == 0
    writes = len(github.writes())
    again = cli("push", source, "--to", "github://acme/shop", "--yes")
    assert again.code == 0 and "No changes" in again.out and len(github.writes()) == writes
    github.touch("acme", "shop", "MULTI", "someone else")
    diffed = cli("diff", source, "github://acme/shop")
    assert diffed.code == 1 and "since envguard's last push (1):\n  ! MULTI" in diffed.out


def test_github_pull_is_refused_in_one_line(cli: Cli, github: GitHubServer) -> None:
    result = cli("pull", "github://acme/shop/environments/prod")
    assert result.code == 2 and len(result.err_lines) == 1
    assert "cannot be read back" in result.err and result.out == ""


def test_an_invalid_github_name_is_refused_before_anything_is_sent(
    cli: Cli, github: GitHubServer, tmp_path: Path
) -> None:
    source = _file(tmp_path, FILE + "GITHUB_SHA_PIN=abc\n")
    result = cli("push", source, "--to", "github://acme/shop", "--yes")
    assert result.code == 2 and "'GITHUB_SHA_PIN' cannot be a GitHub secret name" in result.err
    assert github.requests() == []


def test_check_from_github_judges_names_only(cli: Cli, github: GitHubServer, tmp_path: Path) -> None:
    (tmp_path / "ci.toml").write_text(
        '[schema]\nname = "ci"\n[vars.RENDER_API_KEY]\nrequired = true\nsecret = true\n'
        "[vars.VERCEL_TOKEN]\nrequired = true\nsecret = true\n"
    )
    github.touch("acme", "shop", "RENDER_API_KEY", "rnd_value_never_seen")
    result = cli("check", "--from", "github://acme/shop", "--schema", "ci.toml", "--format", "json")
    assert result.code == 1, result.err
    findings = json.loads(result.out)["findings"]
    assert [f["key"] for f in findings] == ["VERCEL_TOKEN"]  # present names are not "empty"
    assert "rnd_value_never_seen" not in result.out + result.err


def test_check_from_vercel_holds_sensitive_keys_as_present(cli: Cli, vercel: VercelServer) -> None:
    vercel.put("web", "APP_KEY", "never-read", kind="sensitive")
    vercel.put("web", "APP_DEBUG", "true", kind="plain")
    result = cli("check", "--from", "vercel://web", "--format", "json")
    assert result.code == 1 and "APP_DEBUG" in result.out and "never-read" not in result.out


@pytest.mark.parametrize("kind", ["vercel", "github"])
def test_each_kind_of_failure_has_its_exit_code(
    cli: Cli,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kind: str,
    unused_port: int,
) -> None:
    request.getfixturevalue(kind)
    uri, missing, token, url = {
        "vercel": ("vercel://web", "vercel://nope", "VERCEL_TOKEN", "ENVGUARD_VERCEL_URL"),
        "github": ("github://acme/shop", "github://acme/nope", "GITHUB_TOKEN", "ENVGUARD_GITHUB_URL"),
    }[kind]
    source = _file(tmp_path, "A=1\n", ".env.development")

    def diff(target: str = uri, **env: str | None) -> int:
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        result = cli("diff", source, target)
        assert len(result.err_lines) <= 1 and "internal error" not in result.err
        assert "wrong-token-value" not in result.err
        return result.code

    assert diff() == 1  # A is only in the file
    assert diff(missing) == 3
    assert diff(**{url: f"http://127.0.0.1:{unused_port}"}) == 3
    assert diff(**{url: "ftp://x"}) == 2
    monkeypatch.setenv(url, request.getfixturevalue(kind).url)
    assert diff(**{token: "wrong-token-value"}) == 3
    assert diff(**{token: None}) == 2


def test_a_vercel_push_that_changes_values_can_be_rolled_back(
    cli: Cli, vercel: VercelServer, tmp_path: Path
) -> None:
    vercel.put("web", "API_BASE_URL", "https://old.example.com")
    vercel.put("web", "SHARED", "both", targets=("production", "preview"))
    pushed = cli("push", _file(tmp_path), "--to", "vercel://web", "--yes")
    assert pushed.code == 0
    [snapshot] = (tmp_path / ".envguard" / "snapshots").glob("*.env")
    assert f"Roll back with: envguard rollback {snapshot}" in pushed.out
    assert cli("rollback", snapshot, "--yes").code == 0
    assert vercel.values("web") == {"API_BASE_URL": "https://old.example.com", "SHARED": "both"}
    assert vercel.values("web", "preview") == {"SHARED": "both"}


def test_a_github_change_is_replaced_unseen_and_said_so(
    cli: Cli, github: GitHubServer, tmp_path: Path
) -> None:
    github.touch("acme", "shop", "MULTI", "set elsewhere")
    pushed = cli("push", _file(tmp_path), "--to", "github://acme/shop", "--yes")
    assert pushed.code == 0 and "~ MULTI  (current value not readable: replaced unseen)" in pushed.out
    assert "Replaced unseen, so in no snapshot: 1 key(s) (MULTI)" in pushed.out
    assert not (tmp_path / ".envguard" / "snapshots").exists()
