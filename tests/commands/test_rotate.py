"""``envguard rotate``: one plan for every place, snapshots, a report per place, and ``check --git``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import RunEnvguard
from fixtures_vault import Bao
from gitrepos import commit, envguard, git, init
from servers.github import TOKEN as GITHUB_TOKEN
from servers.github import GitHubServer
from servers.render import API_KEY, RenderServer
from servers.vercel import TEAM, TOKEN, VercelServer

from envguard import envfile, keys, snapshots

OLD = "Pq7xK2mN9vL4tR8wZ3bY6cJ1hF5sD0gA"


@pytest.fixture
def places(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    run_envguard: RunEnvguard,
    bao: Bao,
    secret_path: str,
    vercel_server: VercelServer,
    github_server: GitHubServer,
) -> dict[str, str]:
    """SECRET_KEY=OLD in a plain file (twice), an encrypted file, OpenBao, Vercel and GitHub."""
    (tmp_path / ".env.production").write_text(
        f"# production\nAPP_NAME=Malar\nSECRET_KEY={OLD}\nDEBUG=false\nSECRET_KEY={OLD}\n"
    )
    run_envguard("set", "SECRET_KEY", OLD, "-f", ".env.staging")
    run_envguard("set", "APP_NAME", "Malar staging", "--plain", "-f", ".env.staging")
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"SECRET_KEY": OLD, "OTHER": "kept"}})
    vercel_server.put("web", "SECRET_KEY", OLD)
    vercel_server.put("web", "VITE_API_URL", "https://api.example.com", targets=("production", "preview"))
    github_server.touch("acme", "shop", "SECRET_KEY", OLD)
    github_server.touch("acme", "shop", "RENDER_API_KEY", "rnd_kept")
    env = {
        **bao.env(HOME="/nonexistent"),
        "ENVGUARD_VERCEL_URL": vercel_server.url,
        "VERCEL_TOKEN": TOKEN,
        "VERCEL_ORG_ID": TEAM,
        "ENVGUARD_GITHUB_URL": github_server.url,
        "GITHUB_TOKEN": GITHUB_TOKEN,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {
        "vault": f"vault://secret/{secret_path}",
        "vercel": "vercel://web/production",
        "github": "github://acme/shop",
    }


ARGS = ("--in", ".env.production", "--in", ".env.staging")


def _targets(places: dict[str, str]) -> list[str]:
    return [a for uri in places.values() for a in ("--to", uri)]


def _staging(tmp_path: Path) -> tuple[str, str]:
    """The raw and the decrypted SECRET_KEY of .env.staging."""
    file = envfile.read(tmp_path / ".env.staging")
    raw = file.values()["SECRET_KEY"]
    return raw, keys.Opener.for_file(file).open("SECRET_KEY", raw)


@pytest.mark.slow
def test_rotate_everywhere_with_one_platform_failing(
    run_envguard: RunEnvguard,
    places: dict[str, str],
    tmp_path: Path,
    bao: Bao,
    secret_path: str,
    vercel_server: VercelServer,
    github_server: GitHubServer,
) -> None:
    # the survey, the re-list and the public key pass; the write is refused (no retry: the test is fast)
    github_server.inject(422, times=20, skip=3, body={"message": "Validation Failed"})
    code, out, err = run_envguard(
        "rotate", "SECRET_KEY", "--generate", "hex:32", *ARGS, *_targets(places), "--yes"
    )
    assert code == 3, err
    new = envfile.read(tmp_path / ".env.production").values()["SECRET_KEY"]
    assert re.fullmatch(r"[0-9a-f]{64}", new)
    lines = out.splitlines()
    w = len(places["vault"])
    assert lines[:7] == [
        "Rotate SECRET_KEY (new value: hex:32) in 5 place(s):",
        f"  ~ {'.env.production':<{w}}  plaintext",
        f"  ~ {'.env.staging':<{w}}  encrypted (stays encrypted)",
        f"  ~ {places['vault']}",
        "  ~ vercel://web/production",
        f"  ~ {'github://acme/shop':<{w}}  a GitHub Actions secret: its value can never be read back: "
        "written, cannot be verified",
        "Previous values and the new one saved (encrypted) in .envguard/snapshots/",
    ]
    report = lines[7:13]
    assert report[0] == "Rotated SECRET_KEY: 4 of 5 place(s) hold the new value."
    assert report[1:5] == [
        f"  new value  {p:<{w}}".rstrip()
        for p in (".env.production", ".env.staging", places["vault"], places["vercel"])
    ]
    assert report[5] == (
        f"  OLD value  {'github://acme/shop':<{w}}  (GitHub (github://acme/shop): "
        "HTTP 422; Validation Failed (key SECRET_KEY))"
    )
    assert lines[13].startswith("To finish: fix the cause, then envguard rotate SECRET_KEY --value-from ")
    assert lines[13].endswith(" --to github://acme/shop --yes")
    assert lines[14] == "To roll back:" and len(lines) == 19
    last = err.strip().splitlines()[-1]
    assert last == "envguard: error: 1 place(s) still hold the old value of SECRET_KEY"

    # the new value everywhere that succeeded, every copy of it in the file, nothing else touched
    text = (tmp_path / ".env.production").read_text()
    assert text == f"# production\nAPP_NAME=Malar\nSECRET_KEY={new}\nDEBUG=false\nSECRET_KEY={new}\n"
    raw, opened = _staging(tmp_path)
    assert raw.startswith("encrypted:") and opened == new
    assert envfile.read(tmp_path / ".env.staging").values()["APP_NAME"] == "Malar staging"
    assert bao.stored(secret_path) == {"SECRET_KEY": new, "OTHER": "kept"}
    assert vercel_server.values("web") == {"SECRET_KEY": new, "VITE_API_URL": "https://api.example.com"}
    assert github_server.store("acme", "shop").secrets == {"SECRET_KEY": OLD, "RENDER_API_KEY": "rnd_kept"}
    for value in (OLD, new, new[:16]):
        assert value not in out + err

    # the previous values are in snapshots, and the "to finish" line finishes the rotation
    folder = tmp_path / ".envguard" / "snapshots"
    saved = {snapshots.target_of(p): snapshots.values(p, {}) for p in folder.glob("*.env")}
    assert saved["rotate:SECRET_KEY"] == {"SECRET_KEY": new}
    assert saved[places["vault"]] == {"SECRET_KEY": OLD} and saved[places["vercel"]] == {"SECRET_KEY": OLD}
    github_server.faults.clear()  # the cause is fixed
    finish = lines[13].split("then envguard ", 1)[1].split()
    code, out, err = run_envguard(*finish)
    assert code == 0, err
    assert github_server.store("acme", "shop").secrets["SECRET_KEY"] == new
    assert "Rotated SECRET_KEY: 1 of 1 place(s) hold the new value." in out
    assert "  written    github://acme/shop  (written, cannot be verified)" in out


@pytest.mark.slow
def test_the_roll_back_lines_put_the_old_value_back(
    run_envguard: RunEnvguard,
    places: dict[str, str],
    tmp_path: Path,
    bao: Bao,
    secret_path: str,
    vercel_server: VercelServer,
) -> None:
    code, out, err = run_envguard(
        "rotate", "SECRET_KEY", *ARGS, "--to", places["vault"], "--to", places["vercel"], "--yes"
    )
    assert code == 0, err
    undo = [line.strip() for line in out.split("To roll back:\n", 1)[1].splitlines()]
    assert len(undo) == 4
    import subprocess

    from gitrepos import VENV_BIN

    for line in undo:
        shell = line.replace("envguard ", f"{VENV_BIN / 'envguard'} ")
        done = subprocess.run(["sh", "-c", shell], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert envfile.read(tmp_path / ".env.production").values()["SECRET_KEY"] == OLD
    assert _staging(tmp_path)[1] == OLD and _staging(tmp_path)[0].startswith("encrypted:")
    assert bao.stored(secret_path)["SECRET_KEY"] == OLD
    assert vercel_server.values("web")["SECRET_KEY"] == OLD


@pytest.mark.slow
def test_dry_run_prints_the_plan_only(
    run_envguard: RunEnvguard,
    places: dict[str, str],
    tmp_path: Path,
    vercel_server: VercelServer,
    github_server: GitHubServer,
) -> None:
    before = (tmp_path / ".env.production").read_text()
    code, out, _ = run_envguard("rotate", "SECRET_KEY", *ARGS, *_targets(places), "--dry-run")
    assert code == 0 and out.endswith("Dry run: nothing written.\n")
    assert (tmp_path / ".env.production").read_text() == before
    assert vercel_server.writes() == [] and github_server.writes() == []
    assert not (tmp_path / ".envguard").exists()


def test_places_without_the_key_are_left_alone_and_the_kind_comes_from_the_name(
    run_envguard: RunEnvguard, tmp_path: Path
) -> None:
    (tmp_path / ".env.production").write_text("JWT_SECRET=old-old-old-old-old\n")
    (tmp_path / ".env.test").write_text("APP_ENV=test\n")
    code, out, err = run_envguard(
        "rotate", "JWT_SECRET", "--in", ".env.production", "--in", ".env.test", "--yes"
    )
    assert code == 0, err
    assert "  = .env.test        does not hold JWT_SECRET; left alone" in out
    assert "(new value: jwt-secret)" in out
    assert (tmp_path / ".env.test").read_text() == "APP_ENV=test\n"
    assert len(envfile.read(tmp_path / ".env.production").values()["JWT_SECRET"]) >= 64


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("STRIPE_SECRET_KEY", "--in", ".env.production"),
            "no strong value can be made for STRIPE_SECRET_KEY",
        ),
        (("APP_KEY", "--in", ".env.production", "--generate", "hex:8"), "between 16 and 1024"),
        (("NOT_THERE", "--in", ".env.production"), "NOT_THERE is in none of the 1 place(s)"),
        (("APP_KEY",), "rotate needs places"),
    ],
)
def test_usage_errors_write_nothing(
    run_envguard: RunEnvguard, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    text = "APP_KEY=base64:old\nSTRIPE_SECRET_KEY=sk_live_old\n"
    (tmp_path / ".env.production").write_text(text)
    code, _out, err = run_envguard("rotate", *args, "--yes")
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / ".env.production").read_text() == text


def test_default_targets_come_from_the_configuration(
    run_envguard: RunEnvguard, tmp_path: Path, vercel_server: VercelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "ENVGUARD_VERCEL_URL": vercel_server.url,
        "VERCEL_TOKEN": TOKEN,
        "VERCEL_TEAM_ID": TEAM,
    }.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "envguard.toml").write_text('[targets.frontend]\nuri = "vercel://web"\n')
    vercel_server.put("web", "SESSION_SECRET", OLD)
    code, out, err = run_envguard("rotate", "SESSION_SECRET", "--yes")
    assert code == 0, err and "vercel://web/production" in out
    assert vercel_server.values("web")["SESSION_SECRET"] != OLD


def test_check_git_resolves_history_only_once_the_rotation_is_complete(
    tmp_path: Path, render_server: RenderServer
) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".env.production": f"SECRET_KEY={OLD}\n"}, "oops", force=True)
    git(repo, "rm", "-q", "--cached", ".env.production")
    commit(repo, {".gitignore": ".env\n.env.*\n.envguard/\n"}, "ignore")
    render_server.services["srv-web"]["SECRET_KEY"] = OLD
    env = {"ENVGUARD_RENDER_URL": render_server.url, "RENDER_API_KEY": API_KEY}

    def history() -> tuple[list[dict[str, object]], str]:
        done = envguard(repo, "check", "--git", "--format", "json", "--select", "EG334")
        return [f for f in json.loads(done.stdout)["findings"] if f["code"] == "EG334"], done.stderr

    assert len(history()[0]) == 1
    render_server.inject(400, skip=2, body={"message": "invalid"})  # survey, re-read, then the write
    failed = envguard(
        repo, "rotate", "SECRET_KEY", "--in", ".env.production", "--to", "render://srv-web", "--yes", **env
    )
    assert failed.returncode == 3, failed.stderr
    found, notes = history()
    assert len(found) == 1 and "render://srv-web still hold(s) the old value" in notes
    render_server.faults.clear()
    finish = failed.stdout.split("then envguard ", 1)[1].splitlines()[0].split()
    assert envguard(repo, *finish, **env).returncode == 0
    found, notes = history()
    assert found == [] and "SECRET_KEY in commit" in notes and "resolved, rotated on" in notes


def test_a_shared_vercel_entry_is_said_to_keep_the_old_value_elsewhere(
    run_envguard: RunEnvguard, vercel_server: VercelServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {
        "ENVGUARD_VERCEL_URL": vercel_server.url,
        "VERCEL_TOKEN": TOKEN,
        "VERCEL_TEAM_ID": TEAM,
    }.items():
        monkeypatch.setenv(name, value)
    vercel_server.put("web", "SESSION_SECRET", OLD, targets=("production", "preview"))
    code, out, err = run_envguard("rotate", "SESSION_SECRET", "--to", "vercel://web", "--yes")
    assert code == 0, err
    assert (
        "~ vercel://web/production  shared with preview, which keep(s) the old value unless named too" in out
    )
    assert vercel_server.values("web", "preview") == {"SESSION_SECRET": OLD}
    assert vercel_server.values("web")["SESSION_SECRET"] != OLD
