"""The Vercel target against a loopback server that follows the REST API's contract."""

from __future__ import annotations

import time

import pytest
from servers.fixtures import Clock
from servers.vercel import TEAM, TOKEN, VercelServer

from envguard.errors import EXIT_TARGET, AuthError, CredentialsError, TargetError, UsageError
from envguard.sync import plan
from envguard.targets.base import Plan
from envguard.targets.reconcile import CHANGED_REMOTELY
from envguard.targets.vercel import NEW_DEPLOYMENTS, VercelTarget
from envguard.targets.vercel_env import SENSITIVE

VALUES = {
    "MULTI": "line one\nline two\n",
    "EQUALS": "a=b==c",
    "QUOTES": 'it\'s "quoted" `x`',
    "UNICODE": "żółć ✓ 日本",
    "EMPTY": "",
}


def target(
    server: VercelServer, clock: Clock, target: str = "production", project: str = "web", **environ: str
) -> VercelTarget:
    env = {"ENVGUARD_VERCEL_URL": server.url, "VERCEL_TOKEN": TOKEN, "VERCEL_TEAM_ID": TEAM, **environ}
    return VercelTarget(project, target, {k: v for k, v in env.items() if v}, retry=clock.policy)


def test_round_trip_one_list_one_post(vercel_server: VercelServer, clock: Clock) -> None:
    vercel = target(vercel_server, clock)
    result = vercel.apply(Plan(added=VALUES))
    assert sorted(result.written) == sorted(VALUES) and not result.failed
    assert result.requests == 2 and result.notes == (NEW_DEPLOYMENTS,)
    [post] = vercel_server.requests("POST")
    assert "upsert=true" in post.path and all(i["type"] == "encrypted" for i in post.body)
    assert vercel.read() == VALUES  # the list hides encrypted values: each is read decrypted
    assert all(f"teamId={TEAM}" in r.path for r in vercel_server.requests())


def test_an_identical_push_sends_no_write(vercel_server: VercelServer, clock: Clock) -> None:
    vercel = target(vercel_server, clock)
    vercel.apply(Plan(added=VALUES))
    before = len(vercel_server.writes())
    the_plan = plan(VALUES, vercel.fetch(), prune=False)
    assert the_plan.empty and vercel.apply(the_plan).requests == 0
    stale = vercel.apply(Plan(added=VALUES))  # a stale plan: re-read and compared, nothing sent
    assert sorted(stale.written) == sorted(VALUES) and len(vercel_server.writes()) == before


def test_the_org_id_of_a_team_is_its_team_id_and_a_personal_id_is_none(
    vercel_server: VercelServer, clock: Clock
) -> None:
    vercel_server.add("mine", team=None)
    vercel_server.put("mine", "A", "1", kind="plain")
    assert target(vercel_server, clock, project="mine", VERCEL_TEAM_ID="", VERCEL_ORG_ID="u_me").read() == {
        "A": "1"
    }
    assert "teamId" not in vercel_server.requests()[-1].path
    vercel_server.put("web", "B", "2", kind="plain")
    assert target(vercel_server, clock, VERCEL_TEAM_ID="", VERCEL_ORG_ID=TEAM).read() == {"B": "2"}


def test_a_team_project_without_team_id_is_not_found(vercel_server: VercelServer, clock: Clock) -> None:
    with pytest.raises(TargetError, match="HTTP 404; not_found: Project not found") as caught:
        target(vercel_server, clock, VERCEL_TEAM_ID="").read()
    assert caught.value.exit_code == EXIT_TARGET


def test_sensitive_values_are_never_read_nor_replaced_without_force(
    vercel_server: VercelServer, clock: Clock
) -> None:
    vercel_server.put("web", "STRIPE_SECRET_KEY", "sk_old", kind="sensitive")
    vercel = target(vercel_server, clock)
    remote = vercel.fetch()
    assert remote.values == {} and remote.unreadable == ("STRIPE_SECRET_KEY",) and remote.why == SENSITIVE
    kept = plan({"STRIPE_SECRET_KEY": "sk_new"}, remote, prune=True)
    assert kept.empty
    assert kept.skipped == {"STRIPE_SECRET_KEY": f"{SENSITIVE}; left as is (--force replaces it)"}
    forced = plan({"STRIPE_SECRET_KEY": "sk_new"}, remote, prune=False, force=True)
    assert forced.blind == ("STRIPE_SECRET_KEY",)
    assert vercel.apply(forced).written == ("STRIPE_SECRET_KEY",)
    [entry] = vercel_server.envs["web"]
    assert entry["value"] == "sk_new" and entry["type"] == "sensitive"
    assert all("/env/" not in r.path for r in vercel_server.requests("GET"))  # never asked to decrypt


@pytest.mark.parametrize("identity", ["key+target", "key"])
def test_a_shared_entry_changes_for_the_named_target_only(
    vercel_server: VercelServer, clock: Clock, identity: str
) -> None:
    vercel_server.upsert_identity = identity
    vercel_server.put("web", "API_URL", "https://old", targets=("production", "preview"))
    vercel_server.put("web", "ONLY_PROD", "p", targets=("production",))
    preview = target(vercel_server, clock, "preview")
    wanted = {"API_URL": "https://preview", "ONLY_PROD": "now preview too"}
    preview.apply(plan(wanted, preview.fetch(), False))
    assert vercel_server.values("web", "production") == {"API_URL": "https://old", "ONLY_PROD": "p"}
    assert vercel_server.values("web", "preview") == wanted
    assert vercel_server.targets_of("web", "API_URL") == [["preview"], ["production"]]
    prod = target(vercel_server, clock)
    prod.apply(plan({}, prod.fetch(), prune=True))
    assert vercel_server.values("web", "production") == {}
    assert vercel_server.values("web", "preview") == wanted


def test_a_shared_entry_is_put_back_when_its_split_fails(vercel_server: VercelServer, clock: Clock) -> None:
    entry = vercel_server.put("web", "API_URL", "https://old", targets=("production", "preview"))
    vercel_server.refuse["API_URL"] = ("env_var_limit", "Too many environment variables")
    result = target(vercel_server, clock).apply(
        Plan(changed={"API_URL": "https://new"}, expected={"API_URL": "https://old"})
    )
    assert result.failed == {"API_URL": "refused by Vercel: env_var_limit: Too many environment variables"}
    assert entry["target"] == ["production", "preview"] and entry["value"] == "https://old"


def test_per_item_failures_in_a_201_are_failures(vercel_server: VercelServer, clock: Clock) -> None:
    vercel_server.refuse["BAD"] = ("ENV_CONFLICT", "A conflicting environment variable exists")
    result = target(vercel_server, clock).apply(Plan(added={"GOOD": "g", "BAD": "s3cr3t-value"}))
    assert result.written == ("GOOD",)
    reason = "refused by Vercel: ENV_CONFLICT: A conflicting environment variable exists"
    assert result.failed == {"BAD": reason}
    assert vercel_server.values("web") == {"GOOD": "g"}


def test_a_key_created_meanwhile_is_a_conflict_not_an_overwrite(
    vercel_server: VercelServer, clock: Clock
) -> None:
    vercel = target(vercel_server, clock)
    vercel_server.put("web", "A", "1")
    the_plan = plan({"A": "mine", "B": "b"}, vercel.fetch(), prune=False)
    vercel_server.envs["web"][0]["value"] = "theirs"
    result = vercel.apply(the_plan)
    assert result.failed == {"A": CHANGED_REMOTELY}
    assert vercel_server.values("web") == {"A": "theirs", "B": "b"}


def test_429_waits_until_limit_reset_without_retry_after(vercel_server: VercelServer, clock: Clock) -> None:
    reset = int(time.time()) + 30
    body = {
        "error": {
            "code": "rate_limited",
            "message": "Rate limit exceeded",
            "limit": {"remaining": 0, "reset": reset, "resetMs": reset * 1000, "total": 100},
        }
    }
    vercel_server.inject(429, body=body, skip=1)  # the re-list passes, the POST is limited once
    result = target(vercel_server, clock).apply(Plan(added={"A": "1"}))
    assert result.written == ("A",) and len(vercel_server.envs["web"]) == 1
    assert len(clock.waits) == 1 and 20 <= clock.waits[0] <= 31


def test_5xx_on_a_read_is_retried_and_on_a_create_confirmed_first(
    vercel_server: VercelServer, clock: Clock
) -> None:
    vercel_server.inject(503, times=2)
    assert target(vercel_server, clock).read() == {}
    vercel_server.inject(502, skip=1)  # the re-list passes, the POST is answered 502
    result = target(vercel_server, clock).apply(Plan(added={"A": "1"}))
    assert result.written == ("A",) and len(vercel_server.envs["web"]) == 1
    assert len(vercel_server.requests("POST")) == 2  # sent again only after a list showed it missing


@pytest.mark.parametrize("loss", ["late", "drop", "cut"])
def test_a_lost_create_reply_is_confirmed_not_repeated(vercel_server: VercelServer, loss: str) -> None:
    from envguard.targets.http import RetryPolicy

    vercel_server.inject_loss(loss, skip=1, delay=1.0)
    env = {"ENVGUARD_VERCEL_URL": vercel_server.url, "VERCEL_TOKEN": TOKEN, "VERCEL_TEAM_ID": TEAM}
    vercel = VercelTarget("web", "production", env, retry=RetryPolicy(sleep=lambda s: None), timeout=0.5)
    result = vercel.apply(Plan(added={"A": "1", "B": "2"}))
    assert sorted(result.written) == ["A", "B"] and not result.failed
    assert len(vercel_server.requests("POST")) == 1 and len(vercel_server.envs["web"]) == 2


def test_wrong_token_is_one_line_exit_3(vercel_server: VercelServer, clock: Clock) -> None:
    with pytest.raises(AuthError) as caught:
        target(vercel_server, clock, VERCEL_TOKEN="wrong-token-value").read()
    assert caught.value.exit_code == 3 and "\n" not in caught.value.message
    assert "HTTP 403; forbidden: Not authorized" in caught.value.message
    assert "wrong-token-value" not in caught.value.message
    with pytest.raises(CredentialsError, match="VERCEL_TOKEN"):
        VercelTarget("web", "production", {}).read()


def test_deploy_only_when_asked(vercel_server: VercelServer, clock: Clock) -> None:
    vercel = target(vercel_server, clock)
    vercel.apply(Plan(added={"A": "1"}))
    assert len(vercel_server.deployments) == 1 and vercel_server.requests("POST")[-1].path.startswith("/v10/")
    result = vercel.apply(Plan(changed={"A": "2"}, expected={"A": "1"}), deploy=True)
    assert result.deployed and result.notes == () and len(vercel_server.deployments) == 2
    [redeploy] = [r for r in vercel_server.requests("POST") if r.path.startswith("/v13/deployments")]
    assert redeploy.body["deploymentId"] == "dpl_web_0" and redeploy.body["target"] == "production"


def test_the_listing_is_followed_page_by_page(vercel_server: VercelServer, clock: Clock) -> None:
    vercel_server.page_size = 2
    for i in range(5):
        vercel_server.put("web", f"K{i}", str(i), kind="plain")
    assert target(vercel_server, clock).read() == {f"K{i}": str(i) for i in range(5)}
    assert len(vercel_server.requests("GET")) == 3


def test_branch_entries_are_not_ours(vercel_server: VercelServer, clock: Clock) -> None:
    vercel_server.put("web", "A", "branch", targets=("preview",), branch="feature-x", kind="plain")
    vercel = target(vercel_server, clock, "preview")
    assert vercel.read() == {}
    vercel.apply(plan({"A": "all previews"}, vercel.fetch(), False))
    assert sorted(e["value"] for e in vercel_server.envs["web"]) == ["all previews", "branch"]


def test_a_value_over_64_kb_is_refused_before_anything_is_sent(
    vercel_server: VercelServer, clock: Clock
) -> None:
    with pytest.raises(UsageError, match="64 KB"):
        target(vercel_server, clock).admit({"BIG": "x" * (64 * 1024 + 1)})
    assert vercel_server.requests() == []
