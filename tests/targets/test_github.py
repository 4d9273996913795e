"""The GitHub Actions secrets target against a loopback server that decrypts what it is sent."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from servers.fixtures import Clock
from servers.github import TOKEN, GitHubServer

from envguard.errors import EXIT_TARGET, AuthError, CredentialsError, NotFoundError, UsageError
from envguard.sync import plan
from envguard.targets.base import Plan
from envguard.targets.github import GitHubTarget
from envguard.targets.reconcile import CHANGED_REMOTELY

VALUES = {
    "RENDER_API_KEY": "rnd_0123456789abcdef",
    "VERCEL_TOKEN": "vcl_tok en\nline two",
    "UNICODE": "żółć ✓ 日本",
}


def target(
    server: GitHubServer, clock: Clock, tmp_path: Path, environment: str | None = None, **environ: str
) -> GitHubTarget:
    env = {"ENVGUARD_GITHUB_URL": server.url, "GITHUB_TOKEN": TOKEN, **environ}
    return GitHubTarget(
        "acme", "shop", environment, {k: v for k, v in env.items() if v}, retry=clock.policy, root=tmp_path
    )


def push(github: GitHubTarget, local: dict[str, str], prune: bool = False) -> Plan:
    remote = github.fetch()
    the_plan = plan(github.admit(local, remote), remote, prune)
    github.apply(the_plan)
    return the_plan


def test_values_arrive_sealed_to_the_right_key(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    github = target(github_server, clock, tmp_path)
    result = github.apply(Plan(added=VALUES))
    assert github_server.store("acme", "shop").secrets == VALUES  # decrypted by the stand-in
    assert sorted(result.unverified) == sorted(VALUES) and result.notes[0].startswith("GitHub secrets cannot")
    puts = github_server.requests("PUT")
    assert all(set(r.body) == {"encrypted_value", "key_id"} for r in puts)
    assert not any(v in str(r.body) for r in puts for v in VALUES.values())
    assert all(r.headers["x-github-api-version"] == "2022-11-28" for r in github_server.requests())


def test_environment_secrets_use_the_environment_key(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    github = target(github_server, clock, tmp_path, environment="prod")
    github.apply(Plan(added={"DEPLOY_KEY": "k"}))
    assert github_server.store("acme", "shop", "prod").secrets == {"DEPLOY_KEY": "k"}
    assert github_server.store("acme", "shop").secrets == {}
    assert all("/environments/prod/secrets" in r.path for r in github_server.requests())


def test_pull_is_refused_with_exit_2_and_names_are_listed(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    github_server.touch("acme", "shop", "A", "1")
    github = target(github_server, clock, tmp_path)
    with pytest.raises(UsageError, match="cannot be read back") as caught:
        github.read()
    assert caught.value.exit_code == 2
    assert github.fetch().unreadable == ("A",)


def test_an_identical_re_push_sends_no_write(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    push(target(github_server, clock, tmp_path), VALUES)
    writes = len(github_server.writes())
    again = push(target(github_server, clock, tmp_path), VALUES)
    assert again.empty and len(github_server.writes()) == writes
    stored = "".join(p.read_text() for p in (tmp_path / ".envguard" / "pushed").glob("*.json"))
    assert not any(v in stored for v in VALUES.values())  # digests, never values


def test_a_secret_changed_by_someone_else_is_replaced_and_reported_stale(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    push(target(github_server, clock, tmp_path), VALUES)
    github_server.touch("acme", "shop", "VERCEL_TOKEN", "set in the web UI")
    github = target(github_server, clock, tmp_path)
    remote = github.fetch()
    assert remote.stale == ("VERCEL_TOKEN",)
    again = plan(VALUES, remote, prune=False)
    assert list(again.changed) == ["VERCEL_TOKEN"] and again.blind == ("VERCEL_TOKEN",)


def test_a_write_between_plan_and_apply_is_left_alone(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    github_server.touch("acme", "shop", "A", "old")
    github = target(github_server, clock, tmp_path)
    the_plan = plan({"A": "mine", "B": "b"}, github.fetch(), prune=False)
    github_server.touch("acme", "shop", "A", "theirs")
    result = github.apply(the_plan)
    assert result.failed == {"A": CHANGED_REMOTELY} and result.written == ("B",)
    assert github_server.store("acme", "shop").secrets == {"A": "theirs", "B": "b"}


def test_prune_deletes_names_the_file_lacks(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    for name in ("OLD", "KEEP"):
        github_server.touch("acme", "shop", name, "x")
    push(target(github_server, clock, tmp_path), {"KEEP": "x"}, prune=True)
    assert github_server.store("acme", "shop").secrets == {"KEEP": "x"}


@pytest.mark.parametrize("name", ["GITHUB_SECRET", "1PASSWORD", "MY-KEY", "my key", "ÜBER"])
def test_an_invalid_name_is_refused_before_anything_is_sent(
    github_server: GitHubServer, clock: Clock, tmp_path: Path, name: str
) -> None:
    with pytest.raises(UsageError, match="cannot be a GitHub secret name") as caught:
        target(github_server, clock, tmp_path).admit({"OK": "1", name: "2"})
    assert caught.value.exit_code == 2 and github_server.requests() == []


def test_names_are_stored_upper_case_and_limits_hold(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    github = target(github_server, clock, tmp_path)
    assert github.admit({"api_key": "1"}) == {"API_KEY": "1"}
    with pytest.raises(UsageError, match="one secret API_KEY"):
        github.admit({"api_key": "1", "API_KEY": "2"})
    with pytest.raises(UsageError, match="48 KB"):
        github.admit({"BIG": "x" * (48 * 1024 + 1)})
    for i in range(95):
        github_server.touch("acme", "shop", f"S{i:02d}", "x")
    with pytest.raises(UsageError, match="limit of 100"):
        github.admit({f"N{i}": "x" for i in range(6)}, github.fetch())


def test_a_rotated_public_key_is_fetched_anew(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    target(github_server, clock, tmp_path).apply(Plan(added={"A": "1"}))
    github_server.rotate_key("acme", "shop")
    target(github_server, clock, tmp_path).apply(Plan(added={"B": "2"}))
    assert github_server.store("acme", "shop").secrets == {"A": "1", "B": "2"}


def test_rate_limits_wait_for_reset_and_retry_after(
    github_server: GitHubServer, clock: Clock, tmp_path: Path
) -> None:
    reset = int(time.time()) + 40
    github_server.inject(
        403,
        body={"message": "API rate limit exceeded for user ID 1."},
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
    )
    github_server.inject(
        429, body={"message": "You have exceeded a secondary rate limit."}, headers={"retry-after": "7"}
    )
    github_server.inject(403, body={"message": "You have exceeded a secondary rate limit."})
    assert target(github_server, clock, tmp_path).fetch().unreadable == ()
    assert 30 <= clock.waits[0] <= 41 and clock.waits[1:] == [7.0, 60.0]


def test_a_put_answered_5xx_is_sent_again(github_server: GitHubServer, clock: Clock, tmp_path: Path) -> None:
    github_server.inject(502, skip=2)  # list and public key pass; the PUT is refused once
    result = target(github_server, clock, tmp_path).apply(Plan(added={"A": "1"}))
    assert result.written == ("A",) and github_server.store("acme", "shop").secrets == {"A": "1"}


def test_wrong_token_and_unknown_repo(github_server: GitHubServer, clock: Clock, tmp_path: Path) -> None:
    with pytest.raises(AuthError) as caught:
        target(github_server, clock, tmp_path, GITHUB_TOKEN="ghp_wrong_token_value").fetch()
    assert caught.value.exit_code == EXIT_TARGET and "HTTP 401; Bad credentials" in caught.value.message
    assert "ghp_wrong" not in caught.value.message and "\n" not in caught.value.message
    environ = {"ENVGUARD_GITHUB_URL": github_server.url, "GH_TOKEN": TOKEN}
    unknown = GitHubTarget("acme", "nope", None, environ, retry=clock.policy, root=tmp_path)
    with pytest.raises(NotFoundError) as missing:
        unknown.fetch()
    assert "cannot see the repository" in (missing.value.hint or "")
    with pytest.raises(CredentialsError, match="GH_TOKEN nor GITHUB_TOKEN"):
        GitHubTarget("acme", "shop", None, {}).fetch()


@pytest.mark.parametrize("loss", ["late", "drop", "cut"])
def test_a_put_whose_reply_is_lost_is_sent_again_safely(
    github_server: GitHubServer, tmp_path: Path, loss: str
) -> None:
    from envguard.targets.http import RetryPolicy

    github_server.inject_loss(loss, skip=2, delay=1.0)  # list and key pass; the PUT's answer is lost
    env = {"ENVGUARD_GITHUB_URL": github_server.url, "GITHUB_TOKEN": TOKEN}
    github = GitHubTarget(
        "acme", "shop", None, env, retry=RetryPolicy(sleep=lambda s: None), timeout=0.5, root=tmp_path
    )
    result = github.apply(Plan(added={"A": "1"}))
    assert result.written == ("A",) and github_server.store("acme", "shop").secrets == {"A": "1"}
    # a PUT is an upsert, safe to send again (a 201 has no body, so "cut" loses nothing)
    assert len(github_server.requests("PUT")) == (1 if loss == "cut" else 2)
