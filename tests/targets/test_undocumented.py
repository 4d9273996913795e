"""Where the platforms do not document an answer, envguard is right under each possible one.

README "Railway" lists them in platform-apis.md's terms ([U]); the stand-in takes either answer.
"""

from __future__ import annotations

import pytest
from servers.fixtures import Clock
from servers.railway import ACCOUNT_TOKEN, RailwayServer
from servers.render import API_KEY, RenderServer

from envguard.errors import TargetError
from envguard.sync import plan
from envguard.targets.base import Plan
from envguard.targets.railway import RailwayTarget
from envguard.targets.render import BULK_FROM, RESTORE_FAILED, RenderTarget


def railway(server: RailwayServer, clock: Clock) -> RailwayTarget:
    environ = {"ENVGUARD_RAILWAY_URL": server.url, "RAILWAY_API_TOKEN": ACCOUNT_TOKEN}
    return RailwayTarget("proj", "prod", "web", environ, retry=clock.policy)


@pytest.mark.parametrize("delete_deploys", [False, True])
@pytest.mark.parametrize("deploy", [False, True])
def test_deletes_deploy_once_when_asked_whatever_variable_delete_does(
    railway_server: RailwayServer, clock: Clock, delete_deploys: bool, deploy: bool
) -> None:
    railway_server.delete_deploys = delete_deploys
    railway_server.variables["proj", "prod", "web"].update({"A": "1", "B": "2"})
    result = railway(railway_server, clock).apply(
        Plan(removed=("A", "B"), expected={"A": "1", "B": "2"}), deploy=deploy
    )
    assert result.removed == ("A", "B") and railway_server.variables["proj", "prod", "web"] == {}
    redeploys = railway_server.mutations("serviceInstanceRedeploy")
    if deploy:
        assert result.deployed and len(railway_server.deploys) >= 1
        assert len(redeploys) == (0 if delete_deploys else 1)  # never a redeploy on top of Railway's own
    else:
        assert redeploys == [] and len(railway_server.deploys) == (2 if delete_deploys else 0)


@pytest.mark.parametrize("sealed_as", ["omitted", "null"])
def test_sealed_variables_are_never_shown_or_pruned(
    railway_server: RailwayServer, clock: Clock, sealed_as: str
) -> None:
    railway_server.sealed_as = sealed_as
    railway_server.variables["proj", "prod", "web"]["OPEN"] = "1"
    railway_server.sealed["proj", "prod", "web"] = {"SEALED": "hidden"}
    target = railway(railway_server, clock)
    remote = target.fetch()
    assert remote.values == {"OPEN": "1"}
    the_plan = plan({}, remote, prune=True)
    assert the_plan.removed == ("OPEN",)
    target.apply(the_plan)
    assert railway_server.sealed["proj", "prod", "web"] == {"SEALED": "hidden"}
    assert [m["input"]["name"] for m in railway_server.mutations("variableDelete")] == ["OPEN"]


@pytest.mark.parametrize("delete_missing", ["error", "ok"])
def test_a_name_already_deleted_counts_as_removed(
    railway_server: RailwayServer, clock: Clock, delete_missing: str
) -> None:
    railway_server.delete_missing = delete_missing
    railway_server.variables["proj", "prod", "web"]["A"] = "1"
    target = railway(railway_server, clock)
    the_plan = plan({}, target.fetch(), prune=True)
    del railway_server.variables["proj", "prod", "web"]["A"]  # someone else, between plan and apply
    result = target.apply(the_plan)
    assert result.removed == ("A",) and not result.failed


@pytest.mark.parametrize("status", [200, 400])
def test_a_rejected_document_is_a_one_line_error_under_either_status(
    railway_server: RailwayServer, clock: Clock, status: int
) -> None:
    railway_server.validation_status = status
    railway_server.inject(status, body={"errors": [{"message": "Cannot query field 'x' on type 'Query'."}]})
    with pytest.raises(TargetError, match="Cannot query field") as caught:
        railway(railway_server, clock).read()
    assert caught.value.exit_code == 3 and "\n" not in caught.value.message


def render(server: RenderServer, clock: Clock) -> RenderTarget:
    environ = {"ENVGUARD_RENDER_URL": server.url, "RENDER_API_KEY": API_KEY}
    return RenderTarget("srv-web", environ, retry=clock.policy)


class _Teammate:
    """After envguard's replace-all lands, a teammate's stale replace-all drops ``lost``."""

    def __init__(self, server: RenderServer, lost: str, fail_restore: bool = False) -> None:
        self.server, self.lost, self.fail_restore = server, lost, fail_restore
        original = server._collection

        def collection(service: str, method: str, query: dict[str, list[str]], body: object):  # type: ignore[no-untyped-def]
            reply = original(service, method, query, body)
            if method == "PUT":
                server.services[service].pop(self.lost, None)
                if self.fail_restore:
                    server.inject(500, times=10, skip=1)  # the read-back passes, the restore fails
            return reply

        server._collection = collection  # type: ignore[method-assign]


def test_a_key_a_concurrent_replace_all_drops_is_put_back(render_server: RenderServer, clock: Clock) -> None:
    remote = render_server.services["srv-web"]
    remote["THEIRS"] = "t"
    _Teammate(render_server, "THEIRS")
    many = {f"K{i:02d}": str(i) for i in range(BULK_FROM)}
    result = render(render_server, clock).apply(Plan(added=many, expected={"THEIRS": "t"}))
    assert result.restored == ("THEIRS",) and not result.failed
    assert remote == {"THEIRS": "t", **many}


def test_a_key_that_cannot_be_put_back_fails_the_push(render_server: RenderServer, clock: Clock) -> None:
    render_server.services["srv-web"]["THEIRS"] = "t"
    _Teammate(render_server, "THEIRS", fail_restore=True)
    many = {f"K{i:02d}": str(i) for i in range(BULK_FROM)}
    result = render(render_server, clock).apply(Plan(added=many, expected={"THEIRS": "t"}))
    assert result.failed == {"THEIRS": RESTORE_FAILED} and not result.restored


def test_a_key_of_ours_a_concurrent_replace_all_drops_is_written_again(
    render_server: RenderServer, clock: Clock
) -> None:
    _Teammate(render_server, "K03")
    many = {f"K{i:02d}": str(i) for i in range(BULK_FROM)}
    result = render(render_server, clock).apply(Plan(added=many))
    assert result.restored == ("K03",) and not result.failed and render_server.services["srv-web"] == many
