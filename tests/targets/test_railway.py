"""The Railway target against a loopback server that follows the GraphQL v2 contract."""

from __future__ import annotations

import pytest
from servers.fixtures import Clock
from servers.railway import ACCOUNT_TOKEN, PROJECT_TOKEN, RailwayServer

from envguard.errors import EXIT_TARGET, CredentialsError, TargetError
from envguard.targets.base import Plan
from envguard.targets.railway import RailwayTarget
from envguard.targets.reconcile import ADDED_REMOTELY, CHANGED_REMOTELY

VALUES = {
    "MULTI": "line one\nline two\n",
    "EQUALS": "a=b==c",
    "HASH": "value # not a comment",
    "QUOTES": 'it\'s "quoted" `x`',
    "UNICODE": "żółć ✓ 日本",
    "EMPTY": "",
    "DATABASE_URL": "${{Postgres.DATABASE_URL}}",
}


def target(
    server: RailwayServer, clock: Clock, token: str = ACCOUNT_TOKEN, service: str | None = "web", **env: str
) -> RailwayTarget:
    environ = {"ENVGUARD_RAILWAY_URL": server.url, "RAILWAY_API_TOKEN": token, **env}
    return RailwayTarget("proj", "prod", service, environ, retry=clock.policy)


def test_round_trip_in_one_upsert_without_deploy(railway_server: RailwayServer, clock: Clock) -> None:
    railway = target(railway_server, clock)
    result = railway.apply(Plan(added=VALUES))
    assert railway.read() == VALUES
    assert sorted(result.written) == sorted(VALUES) and not result.failed
    assert result.requests == 2 and not result.deployed
    (sent,) = [r.body for r in railway_server.requests() if "variableCollectionUpsert" in r.body["query"]]
    assert sent["variables"]["input"]["skipDeploys"] is True and "replace" not in sent["variables"]["input"]
    assert railway_server.deploys == []


def test_read_keeps_references_unrendered(railway_server: RailwayServer, clock: Clock) -> None:
    railway_server.variables["proj", "prod", "web"]["DB"] = "${{Postgres.DATABASE_URL}}"
    assert target(railway_server, clock).read() == {"DB": "${{Postgres.DATABASE_URL}}"}


def test_identical_values_send_no_write(railway_server: RailwayServer, clock: Clock) -> None:
    railway_server.variables["proj", "prod", "web"].update(VALUES)
    railway = target(railway_server, clock)
    assert railway.apply(Plan(unchanged=tuple(VALUES), expected=VALUES)).requests == 0
    stale = railway.apply(Plan(added=VALUES))  # planned before someone else wrote the same values
    assert stale.requests == 1 and railway_server.mutations("variableCollectionUpsert") == []


def test_concurrent_changes_survive(railway_server: RailwayServer, clock: Clock) -> None:
    remote = railway_server.variables["proj", "prod", "web"]
    remote.update({"KEEP": "1", "OLD": "old"})
    railway = target(railway_server, clock)
    plan = Plan(added={"NEW": "n", "RACE": "mine"}, changed={"OLD": "new"}, expected=dict(remote))
    remote.update({"THEIRS": "t", "RACE": "theirs", "OLD": "changed elsewhere"})
    result = railway.apply(plan)
    assert remote == {"KEEP": "1", "OLD": "changed elsewhere", "THEIRS": "t", "RACE": "theirs", "NEW": "n"}
    assert result.written == ("NEW",)
    assert result.failed == {"RACE": ADDED_REMOTELY, "OLD": CHANGED_REMOTELY}


def test_prune_removes_exactly_the_listed_keys(railway_server: RailwayServer, clock: Clock) -> None:
    remote = railway_server.variables["proj", "prod", "web"]
    remote.update({"A": "1", "B": "2", "C": "3"})
    result = target(railway_server, clock).apply(Plan(removed=("A", "B"), expected=dict(remote)))
    assert remote == {"C": "3"} and sorted(result.removed) == ["A", "B"]
    assert [m["input"]["name"] for m in railway_server.mutations("variableDelete")] == ["A", "B"]


def test_five_hundred_variables_take_at_most_three_requests(
    railway_server: RailwayServer, clock: Clock
) -> None:
    many = {f"VAR_{i:03d}": f"value-{i}" for i in range(500)}
    result = target(railway_server, clock).apply(Plan(added=many), deploy=True)
    assert result.requests <= 3 and result.deployed
    assert railway_server.variables["proj", "prod", "web"] == many
    assert railway_server.deploys == [("proj", "prod", "web")]


def test_deploy_after_deletes_only_redeploys_the_service(railway_server: RailwayServer, clock: Clock) -> None:
    railway_server.variables["proj", "prod", "web"]["OLD"] = "x"
    result = target(railway_server, clock).apply(Plan(removed=("OLD",), expected={"OLD": "x"}), deploy=True)
    assert result.deployed and result.removed == ("OLD",)
    assert len(railway_server.mutations("serviceInstanceRedeploy")) == 1


def test_project_token_header_wins(railway_server: RailwayServer, clock: Clock) -> None:
    railway = target(railway_server, clock, token="wrong", RAILWAY_TOKEN=PROJECT_TOKEN)
    assert railway.read() == {}
    headers = railway_server.requests()[-1].headers
    assert headers["project-access-token"] == PROJECT_TOKEN and "authorization" not in headers


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"RAILWAY_API_TOKEN": "bad-token"}, "Not Authorized"),
        ({"RAILWAY_TOKEN": "bad-token"}, "Project Token not found"),
    ],
)
def test_bad_token_is_a_target_error(
    railway_server: RailwayServer, clock: Clock, env: dict[str, str], needle: str
) -> None:
    environ = {"ENVGUARD_RAILWAY_URL": railway_server.url, **env}
    with pytest.raises(TargetError) as caught:
        RailwayTarget("proj", "prod", "web", environ, retry=clock.policy).read()
    assert caught.value.exit_code == EXIT_TARGET and needle in caught.value.message
    assert "bad-token" not in caught.value.message and caught.value.hint
    assert len(railway_server.requests()) == 1  # an HTTP-200 error is not retried


def test_unknown_service_and_missing_token(railway_server: RailwayServer, clock: Clock) -> None:
    with pytest.raises(TargetError, match=r"Railway \(railway://proj/prod/nope\): Not Authorized"):
        target(railway_server, clock, service="nope").read()
    with pytest.raises(CredentialsError, match="neither RAILWAY_API_TOKEN nor RAILWAY_TOKEN is set"):
        RailwayTarget("proj", "prod", None, {}).read()


def test_rate_limit_honours_retry_after(railway_server: RailwayServer, clock: Clock) -> None:
    railway_server.inject(429, headers={"Retry-After": "2"})
    assert target(railway_server, clock).read() == {}
    assert clock.waits == [2.0] and len(railway_server.requests()) == 2


def test_error_in_write_names_no_value(railway_server: RailwayServer, clock: Clock) -> None:
    secret = "s3cr3t-value-123"
    body = {"data": None, "errors": [{"message": f"Invalid value {secret} for API_KEY"}]}
    railway_server.inject(200, body=body, skip=1)
    with pytest.raises(TargetError) as caught:
        target(railway_server, clock).apply(Plan(added={"API_KEY": secret}))
    assert secret not in str(caught.value) and "Invalid value *** for API_KEY" in str(caught.value)
    assert railway_server.variables["proj", "prod", "web"] == {}


def test_network_down_is_one_line(clock: Clock, unused_port: int) -> None:
    environ = {
        "ENVGUARD_RAILWAY_URL": f"http://127.0.0.1:{unused_port}/graphql/v2",
        "RAILWAY_API_TOKEN": ACCOUNT_TOKEN,
    }
    with pytest.raises(TargetError) as caught:
        RailwayTarget("proj", "prod", None, environ, retry=clock.policy).read()
    assert str(caught.value).startswith("Railway (railway://proj/prod): cannot connect to")
    assert "\n" not in str(caught.value) and len(clock.waits) == 4
