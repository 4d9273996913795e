"""Lost replies, slow servers and 5xx bursts: no double writes, no hang, an exact report.

The loopback servers count what they carried out; a fault either answers instead of the server (so
nothing happened) or loses the answer after the server acted (``late``, ``drop``, ``cut``).
"""

from __future__ import annotations

import time

import pytest
from servers.fixtures import Clock
from servers.railway import ACCOUNT_TOKEN, RailwayServer
from servers.render import API_KEY, RenderServer

from envguard.targets.base import Plan
from envguard.targets.railway import RailwayTarget
from envguard.targets.render import BULK_FROM, RenderTarget

LOSSES = ["late", "drop", "cut"]


def railway(server: RailwayServer, clock: Clock, timeout: float = 0.5) -> RailwayTarget:
    environ = {"ENVGUARD_RAILWAY_URL": server.url, "RAILWAY_API_TOKEN": ACCOUNT_TOKEN}
    return RailwayTarget("proj", "prod", "web", environ, retry=clock.policy, timeout=timeout)


def render(server: RenderServer, clock: Clock, timeout: float = 0.5) -> RenderTarget:
    environ = {"ENVGUARD_RENDER_URL": server.url, "RENDER_API_KEY": API_KEY}
    return RenderTarget("srv-web", environ, retry=clock.policy, timeout=timeout)


@pytest.mark.parametrize("loss", LOSSES)
def test_a_lost_railway_upsert_is_confirmed_not_repeated(
    railway_server: RailwayServer, clock: Clock, loss: str
) -> None:
    railway_server.inject_loss(loss, skip=1, delay=1.0)  # the re-read passes, the upsert's answer is lost
    result = railway(railway_server, clock).apply(Plan(added={"A": "1", "B": "2"}), deploy=True)
    assert sorted(result.written) == ["A", "B"] and not result.failed and result.deployed
    assert len(railway_server.mutations("variableCollectionUpsert")) == 1
    assert len(railway_server.deploys) == 1  # one upsert without skipDeploys: one deploy


def test_a_railway_upsert_refused_with_503_is_sent_again_after_a_read(
    railway_server: RailwayServer, clock: Clock
) -> None:
    railway_server.inject(503, skip=1)  # answered instead of the server: nothing was done
    result = railway(railway_server, clock).apply(Plan(added={"A": "1"}))
    assert result.written == ("A",) and railway_server.variables["proj", "prod", "web"] == {"A": "1"}
    assert len(railway_server.mutations("variableCollectionUpsert")) == 1
    upserts = [r for r in railway_server.requests() if "variableCollectionUpsert" in r.body["query"]]
    assert len(upserts) == 2  # the second went out only after a read showed the first had not landed


@pytest.mark.parametrize("loss", LOSSES)
def test_a_slow_railway_delete_counts_once_and_is_done(
    railway_server: RailwayServer, clock: Clock, loss: str
) -> None:
    railway_server.variables["proj", "prod", "web"].update({"OLD": "x", "KEEP": "k"})
    railway_server.inject_loss(loss, skip=1, delay=1.0)
    result = railway(railway_server, clock).apply(Plan(removed=("OLD",), expected={"OLD": "x", "KEEP": "k"}))
    assert result.removed == ("OLD",) and not result.failed
    assert railway_server.variables["proj", "prod", "web"] == {"KEEP": "k"}
    assert len(railway_server.mutations("variableDelete")) == 1


def test_a_slow_railway_redeploy_deploys_once(railway_server: RailwayServer, clock: Clock) -> None:
    railway_server.variables["proj", "prod", "web"]["OLD"] = "x"
    # re-read, newest deployment, delete, newest deployment again, then the redeploy answers late
    railway_server.inject_loss("late", skip=4, delay=1.0)
    result = railway(railway_server, clock).apply(Plan(removed=("OLD",), expected={"OLD": "x"}), deploy=True)
    assert result.deployed and railway_server.deploys == [("proj", "prod", "web")]
    assert len(railway_server.mutations("serviceInstanceRedeploy")) == 1


@pytest.mark.parametrize("loss", LOSSES)
def test_a_render_delete_whose_reply_is_lost_is_done(
    render_server: RenderServer, clock: Clock, loss: str
) -> None:
    render_server.services["srv-web"].update({"OLD": "x", "KEEP": "k"})
    render_server.inject_loss(loss, skip=1, delay=1.0)
    result = render(render_server, clock).apply(Plan(removed=("OLD",), expected={"OLD": "x", "KEEP": "k"}))
    assert result.removed == ("OLD",) and not result.failed  # the retry's 404 means done
    assert render_server.services["srv-web"] == {"KEEP": "k"}


@pytest.mark.parametrize("answer", [201, 202])
@pytest.mark.parametrize("loss", LOSSES)
def test_a_slow_render_deploy_is_not_sent_twice(
    render_server: RenderServer, clock: Clock, loss: str, answer: int
) -> None:
    render_server.deploy_answer = answer
    # re-read, PUT of the key, newest deploy, then the deploy's answer is lost
    render_server.inject_loss(loss, skip=3, delay=1.0)
    result = render(render_server, clock).apply(Plan(added={"A": "1"}), deploy=True)
    assert result.deployed and render_server.deploys == ["srv-web"]


@pytest.mark.parametrize("loss", LOSSES)
def test_a_lost_replace_all_is_confirmed_by_a_read(
    render_server: RenderServer, clock: Clock, loss: str
) -> None:
    many = {f"K{i:02d}": str(i) for i in range(BULK_FROM)}
    render_server.inject_loss(loss, skip=1, delay=1.0)
    result = render(render_server, clock).apply(Plan(added=many))
    assert sorted(result.written) == sorted(many) and not result.failed
    assert render_server.services["srv-web"] == many and len(render_server.replace_all_puts()) == 1


def test_server_errors_then_success_write_each_key_once(render_server: RenderServer, clock: Clock) -> None:
    render_server.inject(500, skip=1)
    render_server.inject(503, skip=0)
    result = render(render_server, clock).apply(Plan(added={"A": "1"}))
    assert result.written == ("A",) and render_server.services["srv-web"] == {"A": "1"}
    assert len(render_server.requests("PUT")) == 3  # a single-key PUT is safe to repeat


def test_a_partial_failure_reports_exactly_which_keys_are_done(
    render_server: RenderServer, clock: Clock
) -> None:
    render_server.inject(400, body={"message": "invalid"}, skip=2)  # re-read, A ok, then B refused
    result = render(render_server, clock).apply(Plan(added={"A": "1", "B": "2", "C": "3"}))
    assert result.written == ("A", "C") and set(result.failed) == {"B"}
    assert render_server.services["srv-web"] == {"A": "1", "C": "3"}


def test_no_wait_past_the_timeout_for_a_late_answer(railway_server: RailwayServer, clock: Clock) -> None:
    railway_server.inject_loss("late", delay=5.0, times=2)
    started = time.monotonic()
    with pytest.raises(Exception, match="no complete answer"):
        railway(railway_server, clock, timeout=0.5).read()
    assert time.monotonic() - started < 2  # a read that timed out is not tried again
