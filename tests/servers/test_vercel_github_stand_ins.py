"""The Vercel and GitHub stand-ins refuse what the real APIs refuse, and change nothing then."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from nacl import public

from servers.github import TOKEN as GITHUB_TOKEN
from servers.github import GitHubServer
from servers.vercel import TEAM, TOKEN, VercelServer


def vercel(server: VercelServer, method: str, path: str, body: Any = None) -> httpx.Response:
    sep = "&" if "?" in path else "?"
    return httpx.request(
        method,
        f"{server.url}{path}{sep}teamId={TEAM}",
        json=body,
        headers={"Authorization": f"Bearer {TOKEN}"},
    )


ITEM = {"key": "A", "value": "1", "type": "encrypted", "target": ["production"]}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v10/projects/web/env", [{**ITEM, "extra": 1}]),
        ("POST", "/v10/projects/web/env", [{k: v for k, v in ITEM.items() if k != "type"}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "type": "secretish"}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "target": ["staging"]}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "target": []}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "type": "sensitive", "target": ["development"]}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "gitBranch": "main"}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "value": 1}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "key": "MY-KEY"}]),
        ("POST", "/v10/projects/web/env", [{**ITEM, "value": "x" * (64 * 1024 + 1)}]),
        ("POST", "/v10/projects/web/env?upsert=yes", [ITEM]),
        ("GET", "/v10/projects/web/env?decrypted=true", None),
        ("PATCH", "/v9/projects/web/env/env_1", {"type": "plain"}),
        ("PATCH", "/v9/projects/web/env/env_1", {"target": ["development"]}),
        ("PATCH", "/v9/projects/web/env/env_1", {"valeu": "x"}),
    ],
)
def test_vercel_answers_400_to_what_the_contract_does_not_allow(
    vercel_server: VercelServer, method: str, path: str, body: Any
) -> None:
    kept = vercel_server.put("web", "KEEP", "kept", kind="sensitive")
    before = [dict(e) for e in vercel_server.envs["web"]]
    reply = vercel(vercel_server, method, path.replace("env_1", kept["id"]), body)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "bad_request"
    assert vercel_server.envs["web"] == before


def test_vercel_refuses_an_existing_object_and_lists_array_conflicts_as_failed(
    vercel_server: VercelServer,
) -> None:
    vercel_server.put("web", "A", "old", targets=("production", "preview"))
    single = vercel(vercel_server, "POST", "/v10/projects/web/env", ITEM)
    assert single.status_code == 403 and single.json()["error"]["code"] == "ENV_ALREADY_EXISTS"
    batch = vercel(vercel_server, "POST", "/v10/projects/web/env", [ITEM, {**ITEM, "key": "B"}])
    assert batch.status_code == 201
    assert [f["error"]["key"] for f in batch.json()["failed"]] == ["A"]
    assert vercel_server.values("web") == {"A": "old", "B": "1"}


def test_vercel_lists_ciphertext_and_decrypts_one_by_id(vercel_server: VercelServer) -> None:
    entry = vercel_server.put("web", "A", "plaintext-value")
    listed = vercel(vercel_server, "GET", "/v10/projects/web/env?decrypt=true").json()["envs"]
    assert listed[0]["value"] != "plaintext-value" and listed[0]["decrypted"] is False
    one = vercel(vercel_server, "GET", f"/v1/projects/web/env/{entry['id']}").json()
    assert one["value"] == "plaintext-value" and one["decrypted"] is True


def test_vercel_wants_the_team_and_the_token(vercel_server: VercelServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    no_team = httpx.get(f"{vercel_server.url}/v10/projects/web/env", headers=auth)
    assert no_team.status_code == 404
    no_token = httpx.get(f"{vercel_server.url}/v10/projects/web/env?teamId={TEAM}")
    assert no_token.status_code == 403 and no_token.json()["error"]["code"] == "forbidden"


def github(
    server: GitHubServer, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    sent = {"Authorization": f"Bearer {GITHUB_TOKEN}", "User-Agent": "test", **(headers or {})}
    return httpx.request(method, server.url + path, json=body, headers=sent)


def sealed(server: GitHubServer, value: str, key: public.PublicKey | None = None) -> dict[str, str]:
    store = server.store("acme", "shop")
    box = public.SealedBox(key or store.private.public_key).encrypt(value.encode())
    return {"encrypted_value": base64.b64encode(box).decode(), "key_id": store.key_id}


SECRETS = "/repos/acme/shop/actions/secrets"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("GITHUB_THING", "ok"),
        ("1ABC", "ok"),
        ("MY-KEY", "ok"),
        ("A", {"encrypted_value": "not base64!", "key_id": "KEY"}),
        ("A", {"encrypted_value": "ok"}),
        ("A", "wrong-key"),
        ("A", "stale-key-id"),
        ("A", "big"),
    ],
)
def test_github_answers_422_to_what_it_refuses(github_server: GitHubServer, name: str, body: Any) -> None:
    store = github_server.store("acme", "shop")
    if body == "ok":
        body = sealed(github_server, "v")
    elif body == "wrong-key":
        body = sealed(github_server, "v", public.PrivateKey.generate().public_key)
    elif body == "stale-key-id":
        body = {**sealed(github_server, "v"), "key_id": "1"}
    elif body == "big":
        body = sealed(github_server, "x" * (48 * 1024 + 1))
    else:
        body = {k: v.replace("KEY", store.key_id) for k, v in body.items()}
    reply = github(github_server, "PUT", f"{SECRETS}/{name}", body)
    assert reply.status_code == 422 and "message" in reply.json()
    assert store.secrets == {}


def test_github_creates_updates_and_stores_upper_case(github_server: GitHubServer) -> None:
    assert github(github_server, "PUT", f"{SECRETS}/api_key", sealed(github_server, "one")).status_code == 201
    assert github(github_server, "PUT", f"{SECRETS}/API_KEY", sealed(github_server, "two")).status_code == 204
    assert github_server.store("acme", "shop").secrets == {"API_KEY": "two"}
    listed = github(github_server, "GET", SECRETS).json()
    assert listed["total_count"] == 1 and set(listed["secrets"][0]) == {"name", "created_at", "updated_at"}


def test_github_wants_a_user_agent_a_known_version_and_a_good_token(github_server: GitHubServer) -> None:
    no_agent = httpx.get(
        github_server.url + SECRETS, headers={"Authorization": f"Bearer {GITHUB_TOKEN}", "User-Agent": ""}
    )
    assert no_agent.status_code == 403
    old = github(github_server, "GET", SECRETS, headers={"X-GitHub-Api-Version": "2021-01-01"})
    assert old.status_code == 400
    bad = github(github_server, "GET", SECRETS, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
    assert github(github_server, "GET", "/repos/acme/other/actions/secrets").status_code == 404
    assert github(github_server, "GET", SECRETS).headers["x-ratelimit-resource"] == "core"
