"""The Render target against a loopback server that follows the REST v1 contract."""

from __future__ import annotations

import pytest
from servers.fixtures import Clock
from servers.render import API_KEY, RenderServer

from envguard.errors import EXIT_TARGET, CredentialsError, TargetError
from envguard.targets.base import Plan
from envguard.targets.reconcile import ADDED_REMOTELY, CHANGED_REMOTELY, REMOVED_REMOTELY
from envguard.targets.render import BULK_FROM, RenderTarget

VALUES = {
    "MULTI": "line one\nline two\n",
    "EQUALS": "a=b==c",
    "HASH": "value # not a comment",
    "QUOTES": 'it\'s "quoted" `x`',
    "UNICODE": "żółć ✓ 日本",
    "EMPTY": "",
}


def target(server: RenderServer, clock: Clock, key: str = API_KEY, service: str = "srv-web") -> RenderTarget:
    environ = {"ENVGUARD_RENDER_URL": server.url, "RENDER_API_KEY": key}
    return RenderTarget(service, environ, retry=clock.policy)


def test_round_trip_with_per_key_writes(render_server: RenderServer, clock: Clock) -> None:
    render = target(render_server, clock)
    result = render.apply(Plan(added=VALUES))
    assert render.read() == VALUES
    assert sorted(result.written) == sorted(VALUES) and not result.failed
    assert result.requests == 1 + len(VALUES) and not result.deployed
    assert render_server.replace_all_puts() == [] and render_server.deploys == []


def test_a_large_first_push_is_one_read_and_one_replace_all(
    render_server: RenderServer, clock: Clock
) -> None:
    many = {f"VAR_{i:03d}": f"value {i}" for i in range(500)}
    result = target(render_server, clock).apply(Plan(added=many))
    assert render_server.services["srv-web"] == many and sorted(result.written) == sorted(many)
    # one read, one PUT, the read-back (five full pages and an empty one)
    assert result.requests == 8 and len(render_server.replace_all_puts()) == 1


def test_bulk_write_keeps_unplanned_and_concurrent_keys(render_server: RenderServer, clock: Clock) -> None:
    remote = render_server.services["srv-web"]
    remote.update({f"OLD_{i:03d}": str(i) for i in range(150)})  # two pages: the view must be whole
    remote.update({"RACE": "before", "GONE": "g"})
    planned = {f"NEW_{i:02d}": str(i) for i in range(BULK_FROM)}
    plan = Plan(added=planned, changed={"RACE": "mine"}, removed=("GONE",), expected=dict(remote))
    remote.update({"THEIRS": "t", "RACE": "theirs"})  # someone else, between plan and apply
    result = target(render_server, clock).apply(plan)
    assert remote["THEIRS"] == "t" and remote["RACE"] == "theirs" and "GONE" not in remote
    assert all(remote[f"OLD_{i:03d}"] == str(i) for i in range(150))
    assert all(remote[k] == v for k, v in planned.items())
    assert result.failed == {"RACE": CHANGED_REMOTELY} and result.removed == ("GONE",)
    # two pages, one PUT, two pages read back
    assert result.requests == 5 and len(render_server.replace_all_puts()) == 1


def test_a_small_change_stays_per_key(render_server: RenderServer, clock: Clock) -> None:
    small = {f"K{i}": str(i) for i in range(BULK_FROM - 1)}
    target(render_server, clock).apply(Plan(added=small))
    assert render_server.replace_all_puts() == [] and render_server.services["srv-web"] == small


def test_pagination_follows_cursors_until_a_short_page(render_server: RenderServer, clock: Clock) -> None:
    many = {f"VAR_{i:03d}": str(i) for i in range(250)}
    render_server.services["srv-web"].update(many)
    assert target(render_server, clock).read() == many
    pages = render_server.requests("GET")
    assert len(pages) == 3 and all("limit=100" in r.path for r in pages)
    assert "cursor=" not in pages[0].path and "cursor=" in pages[2].path


def test_no_request_per_unchanged_key(render_server: RenderServer, clock: Clock) -> None:
    remote = render_server.services["srv-web"]
    remote.update({f"VAR_{i:03d}": str(i) for i in range(150)})
    unchanged = tuple(k for k in remote if k != "VAR_007")
    plan = Plan(changed={"VAR_007": "seven"}, unchanged=unchanged, expected=dict(remote))
    result = target(render_server, clock).apply(plan)
    assert result.requests == 3 and remote["VAR_007"] == "seven"  # two pages, one PUT
    assert [r.path for r in render_server.requests("PUT")] == ["/v1/services/srv-web/env-vars/VAR_007"]


def test_identical_values_send_no_write(render_server: RenderServer, clock: Clock) -> None:
    render_server.services["srv-web"].update(VALUES)
    render = target(render_server, clock)
    assert render.apply(Plan(unchanged=tuple(VALUES), expected=VALUES)).requests == 0
    assert render.apply(Plan(added=VALUES)).requests == 1  # stale plan: one read, no write
    assert render_server.requests("PUT") == []


def test_concurrent_changes_survive(render_server: RenderServer, clock: Clock) -> None:
    remote = render_server.services["srv-web"]
    remote.update({"KEEP": "1", "GONE": "g"})
    plan = Plan(added={"NEW": "n", "RACE": "mine"}, changed={"GONE": "new"}, expected=dict(remote))
    remote.update({"THEIRS": "t", "RACE": "theirs"})
    del remote["GONE"]
    result = target(render_server, clock).apply(plan)
    assert remote == {"KEEP": "1", "THEIRS": "t", "RACE": "theirs", "NEW": "n"}
    assert result.failed == {"RACE": ADDED_REMOTELY, "GONE": REMOVED_REMOTELY}
    assert render_server.replace_all_puts() == []


def test_prune_removes_exactly_the_listed_keys(render_server: RenderServer, clock: Clock) -> None:
    remote = render_server.services["srv-web"]
    remote.update({"A": "1", "B": "2", "C": "3"})
    result = target(render_server, clock).apply(Plan(removed=("A", "B"), expected=dict(remote)))
    assert remote == {"C": "3"} and result.removed == ("A", "B")
    assert [r.path.rsplit("/", 1)[1] for r in render_server.requests("DELETE")] == ["A", "B"]


def test_deploy_only_when_asked(render_server: RenderServer, clock: Clock) -> None:
    render = target(render_server, clock)
    render.apply(Plan(added={"A": "1"}))
    assert render_server.deploys == []
    result = render.apply(Plan(changed={"A": "2"}, expected={"A": "1"}), deploy=True)
    assert result.deployed and render_server.deploys == ["srv-web"]


def test_rate_limit_honours_ratelimit_reset(render_server: RenderServer, clock: Clock) -> None:
    render_server.inject(429, headers={"Ratelimit-Reset": "3"}, body={"message": "rate limited"})
    render_server.inject(503, times=2)
    assert target(render_server, clock).read() == {}
    assert clock.waits[0] == 3.0 and len(render_server.requests()) == 4
    assert len(clock.waits) == 3 and all(wait < 3.0 for wait in clock.waits[1:])  # 503s back off


def test_bad_key_is_a_target_error(render_server: RenderServer, clock: Clock) -> None:
    with pytest.raises(TargetError) as caught:
        target(render_server, clock, key="rnd_wrong").read()
    error = caught.value
    assert error.exit_code == EXIT_TARGET and "HTTP 401; unauthorized" in error.message
    assert "request id" in error.message and "rnd_wrong" not in error.message
    assert len(render_server.requests()) == 1


def test_unknown_service_and_missing_key(render_server: RenderServer, clock: Clock) -> None:
    with pytest.raises(TargetError, match=r"HTTP 404; not found: srv-nope"):
        target(render_server, clock, service="srv-nope").read()
    with pytest.raises(CredentialsError, match="RENDER_API_KEY"):
        RenderTarget("srv-web", {}).read()


def test_network_down_is_one_line(clock: Clock, unused_port: int) -> None:
    environ = {"ENVGUARD_RENDER_URL": f"http://127.0.0.1:{unused_port}/v1", "RENDER_API_KEY": API_KEY}
    with pytest.raises(TargetError) as caught:
        RenderTarget("srv-web", environ, retry=clock.policy).read()
    assert str(caught.value).startswith("Render (render://srv-web): cannot connect to")
    assert "\n" not in str(caught.value)


def test_a_full_page_without_cursor_fails_instead_of_a_partial_view(
    render_server: RenderServer, clock: Clock
) -> None:
    page = [{"envVar": {"key": k, "value": "v"}} for k in ("A", "B")]
    render_server.inject(200, body=page)
    environ = {"ENVGUARD_RENDER_URL": render_server.url, "RENDER_API_KEY": API_KEY}
    with pytest.raises(TargetError, match="no usable cursor"):
        RenderTarget("srv-web", environ, retry=clock.policy, page_size=2).read()
    assert "limit=2" in render_server.requests()[0].path


def test_cursors_that_go_round_in_a_cycle_fail_instead_of_looping(
    render_server: RenderServer, clock: Clock
) -> None:
    def page(key: str, cursor: str) -> list[dict[str, object]]:
        return [{"envVar": {"key": key, "value": "v"}, "cursor": cursor}]

    render_server.inject(200, body=page("A", "A"))
    render_server.inject(200, body=page("B", "B"))
    render_server.inject(200, body=page("C", "A"), times=50)  # back to A: the list never ends
    environ = {"ENVGUARD_RENDER_URL": render_server.url, "RENDER_API_KEY": API_KEY}
    with pytest.raises(TargetError, match="went round in a cycle"):
        RenderTarget("srv-web", environ, retry=clock.policy, page_size=1).read()
    assert len(render_server.requests()) == 3


def test_the_write_limit_is_waited_out_as_the_headers_say(render_server: RenderServer) -> None:
    waited: list[float] = []
    render_server.now = lambda: sum(waited)  # the server's window runs on the test's clock
    render_server.write_limit = 3
    from envguard.targets.http import RetryPolicy

    environ = {"ENVGUARD_RENDER_URL": render_server.url, "RENDER_API_KEY": API_KEY}
    render = RenderTarget("srv-web", environ, retry=RetryPolicy(sleep=waited.append))
    result = render.apply(Plan(added={f"K{i}": str(i) for i in range(5)}))
    assert len(result.written) == 5 and not result.failed
    assert waited and all(w >= 1 for w in waited)  # Retry-After, not a guess
