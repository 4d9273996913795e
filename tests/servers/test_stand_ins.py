"""The stand-ins answer as the platforms' contracts say: each deviation the old ones accepted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from servers.railway import ACCOUNT_TOKEN, RailwayServer
from servers.render import API_KEY, RenderServer

IDS = '"proj"'


def graphql(server: RailwayServer, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return httpx.post(
        server.url,
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {ACCOUNT_TOKEN}"},
    )


@pytest.mark.parametrize(
    ("query", "variables", "needle"),
    [
        (
            "query($p:String!){variables(projectId:$p,environmentId:$e)}",
            {"p": "proj"},
            "Variable '$e' is not defined",
        ),
        (
            "mutation($input:VariableCollectionUpsertInput!){variableCollectionUpsert(input:$input)}",
            {
                "input": {
                    "projectId": "proj",
                    "environmentId": "prod",
                    "serviceId": "web",
                    "variables": {"A": "1"},
                    "skipDeploy": True,
                }
            },
            "unknown field 'skipDeploy'",
        ),
        (
            'mutation{variableDelete(input:{projectId:"proj",environmentId:"prod",name:"A"}){id}}',
            None,
            "must not have a selection",
        ),
        ('query{variablez(projectId:"proj",environmentId:"prod")}', None, "Cannot query field 'variablez'"),
        ("query{variables(", None, "Syntax Error"),
    ],
)
def test_railway_rejects_invalid_documents(
    railway_server: RailwayServer, query: str, variables: dict[str, Any] | None, needle: str
) -> None:
    railway_server.variables["proj", "prod", "web"]["A"] = "1"
    reply = graphql(railway_server, query, variables)
    assert reply.status_code == 400 and needle in reply.json()["errors"][0]["message"]
    assert railway_server.executed == [] and railway_server.variables["proj", "prod", "web"] == {"A": "1"}


def test_railway_runs_inline_literals_and_aliases(railway_server: RailwayServer) -> None:
    upsert = (
        'mutation{done: variableCollectionUpsert(input:{projectId:"proj",environmentId:"prod",'
        'serviceId:"web",variables:{A:"x"},skipDeploys:true})}'
    )
    assert graphql(railway_server, upsert).json() == {"data": {"done": True}}
    read = 'query{mine: variables(projectId:"proj",environmentId:"prod",serviceId:"web",unrendered:true)}'
    assert graphql(railway_server, read).json() == {"data": {"mine": {"A": "x"}}}
    assert railway_server.deploys == []


def test_railway_resolver_errors_are_http_200(railway_server: RailwayServer) -> None:
    reply = graphql(railway_server, 'query{variables(projectId:"nope",environmentId:"prod")}')
    assert reply.status_code == 200 and reply.json()["errors"][0]["message"] == "Not Authorized"
    assert reply.json()["data"] is None


def render(server: RenderServer, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, server.url + path, json=body, headers={"Authorization": f"Bearer {API_KEY}"})


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/services/srv-web/env-vars", {"key": "A", "value": "1"}),  # an object, not an array
        ("PUT", "/services/srv-web/env-vars", [{"key": "A"}]),  # neither value nor generateValue
        ("PUT", "/services/srv-web/env-vars", [{"key": "A", "value": "1", "generateValue": True}]),
        ("PUT", "/services/srv-web/env-vars", [{"key": "A", "value": 1}]),
        ("PUT", "/services/srv-web/env-vars", None),
        ("PUT", "/services/srv-web/env-vars/A", {}),
        ("PUT", "/services/srv-web/env-vars/A", {"value": "1", "extra": True}),
        ("GET", "/services/srv-web/env-vars?cursor=%%%", None),
        ("GET", "/services/srv-web/env-vars?limit=0", None),
        ("GET", "/services/srv-web/env-vars?limit=101", None),
        ("GET", "/services/srv-web/env-vars?limit=ten", None),
        ("POST", "/services/srv-web/deploys", {"deployMod": "deploy_only"}),
    ],
)
def test_render_answers_400_to_what_the_contract_does_not_allow(
    render_server: RenderServer, method: str, path: str, body: Any
) -> None:
    render_server.services["srv-web"]["KEEP"] = "kept"
    reply = render(render_server, method, path, body)
    assert reply.status_code == 400 and isinstance(reply.json()["message"], str)
    assert render_server.services["srv-web"] == {"KEEP": "kept"} and render_server.deploys == []


def test_render_generates_values_and_pages_with_cursors(render_server: RenderServer) -> None:
    reply = render(
        render_server,
        "PUT",
        "/services/srv-web/env-vars",
        [{"key": "SECRET", "generateValue": True}, {"key": "A", "value": ""}],
    )
    assert reply.status_code == 200
    stored = render_server.services["srv-web"]
    assert len(stored["SECRET"]) >= 32 and stored["A"] == ""
    first = render(render_server, "GET", "/services/srv-web/env-vars?limit=1").json()
    after = render(render_server, "GET", f"/services/srv-web/env-vars?limit=1&cursor={first[0]['cursor']}")
    assert [i["envVar"]["key"] for i in first + after.json()] == ["A", "SECRET"]


def test_render_rate_limit_answers_429_with_its_headers(render_server: RenderServer) -> None:
    render_server.write_limit = 1
    assert render(render_server, "PUT", "/services/srv-web/env-vars/A", {"value": "1"}).status_code == 200
    limited = render(render_server, "PUT", "/services/srv-web/env-vars/B", {"value": "2"})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0 and limited.headers["Ratelimit-Remaining"] == "0"
    assert limited.headers["Ratelimit-Limit"] == "1" and int(limited.headers["Ratelimit-Reset"]) > 0
    assert "B" not in render_server.services["srv-web"]
