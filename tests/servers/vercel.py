"""A loopback server following Vercel's REST API for project environment variables.

The operations of platform-apis.md (Vercel section, from vercel/sdk's generated client): list
``GET /v10/projects/{p}/env`` (encrypted values come back as ciphertext whatever ``decrypt``
says, sensitive ones empty); ``GET /v1/projects/{p}/env/{id}`` (decrypted, never for sensitive);
``POST /v10/projects/{p}/env[?upsert=true]`` (an object or an array; a 201 with ``created`` and
per-item ``failed``, which quote the value as the real API does; an object that exists is a 403
``ENV_ALREADY_EXISTS``); ``PATCH``/``DELETE /v9/projects/{p}/env/{id}``; and the deployments a
redeploy needs (``GET /v6/deployments``, ``POST /v13/deployments``). Bodies and query parameters
outside the contract are a 400 ``bad_request``; a sensitive variable cannot target development;
``gitBranch`` goes with preview only; a value is at most 64 KB. A team's project needs its
``teamId`` (404 otherwise); a wrong token is a 403 ``forbidden``.

How ``upsert`` matches an existing variable is undocumented: ``upsert_identity`` is
``"key+target"`` (the entry with the same key and targets) or ``"key"`` (any entry of the key,
whose targets it then replaces), and envguard must be right under both.
"""

from __future__ import annotations

import base64
import itertools
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from servers.base import LoopbackServer, Recorded, Reply

TOKEN = "vercel_test_token_0123456789"
TEAM = "team_malar"
TARGETS = ("production", "preview", "development")
TYPES = ("system", "encrypted", "plain", "sensitive")
FIELDS = {"key", "value", "type", "target", "gitBranch", "comment", "customEnvironmentIds"}
LIST_PARAMS = {
    "teamId",
    "slug",
    "gitBranch",
    "decrypt",
    "source",
    "customEnvironmentId",
    "customEnvironmentSlug",
    "target",
    "until",
    "limit",
}
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
WINDOW = 60.0


def error(status: int, code: str, message: str, **extra: Any) -> Reply:
    """Vercel's error shape."""
    return Reply(status, {"error": {"code": code, "message": message, **extra}})


class VercelServer(LoopbackServer):
    """Vercel on loopback; ``envs[project]`` is the project's list of env objects (plaintext values)."""

    def __init__(self) -> None:
        super().__init__()
        self.envs: dict[str, list[dict[str, Any]]] = {}
        self.teams: dict[str, str | None] = {}
        self.tokens = {TOKEN}
        self.deployments: list[dict[str, Any]] = []
        self.upsert_identity = "key+target"
        #: key -> (code, message): items a POST lists as ``failed`` (quota, a policy of the team)
        self.refuse: dict[str, tuple[str, str]] = {}
        self.page_size: int | None = None
        self.write_limit: int | None = None
        self.retry_after = True
        self.now: Callable[[], float] = time.time
        self._writes: list[float] = []
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        """The API base, for ``ENVGUARD_VERCEL_URL``."""
        return self.origin

    def add(self, project: str, team: str | None = TEAM) -> list[dict[str, Any]]:
        """Create a project (owned by ``team``, or personal with None); its live env list."""
        with self.lock:
            self.teams[project] = team
            self.deployments.append(
                {
                    "uid": f"dpl_{project}_0",
                    "name": project,
                    "projectId": project,
                    "target": "production",
                    "state": "READY",
                }
            )
            return self.envs.setdefault(project, [])

    def put(
        self,
        project: str,
        key: str,
        value: str,
        targets: tuple[str, ...] = ("production",),
        kind: str = "encrypted",
        branch: str | None = None,
    ) -> dict[str, Any]:
        """Add an env entry directly (as the dashboard would)."""
        with self.lock:
            entry = {
                "id": f"env_{next(self._ids)}",
                "key": key,
                "value": value,
                "type": kind,
                "target": list(targets),
                "createdAt": 1,
                "updatedAt": 1,
            }
            if branch:
                entry["gitBranch"] = branch
            self.envs[project].append(entry)
            return entry

    def values(self, project: str, target: str = "production") -> dict[str, str]:
        """What ``target`` sees: key -> plaintext of the entries without a branch."""
        return {
            e["key"]: e["value"]
            for e in self.envs[project]
            if target in e["target"] and not e.get("gitBranch")
        }

    def targets_of(self, project: str, key: str) -> list[list[str]]:
        """The target lists of every entry of ``key``."""
        return sorted(sorted(e["target"]) for e in self.envs[project] if e["key"] == key)

    def writes(self) -> list[Recorded]:
        """Every request that could change something."""
        return [r for r in self.requests() if r.method in ("POST", "PATCH", "DELETE")]

    def handle(self, request: Recorded) -> Reply:
        """Answer one REST request."""
        auth = request.headers.get("authorization", "")
        if not (auth.startswith("Bearer ") and auth[7:] in self.tokens):
            return error(403, "forbidden", "Not authorized", invalidToken=True)
        url = urlsplit(request.path)
        query = parse_qs(url.query, keep_blank_values=True)
        parts = [unquote(p) for p in url.path.split("/")][1:]
        if request.method != "GET" and (limited := self._limited()) is not None:
            return limited
        if parts[1:] == ["deployments"]:
            return self._deployments(parts[0], request.method, query, request.body)
        if len(parts) < 4 or parts[1] != "projects" or parts[3] != "env":
            return error(404, "not_found", "The requested endpoint was not found.")
        project = parts[2]
        if project not in self.envs or query.get("teamId", [None])[-1] != self.teams[project]:
            return error(404, "not_found", "Project not found")
        version, rest, method = parts[0], parts[4:], request.method
        if version == "v10" and not rest and method == "GET":
            return self._list(project, query)
        if version == "v10" and not rest and method == "POST":
            return self._create(project, query, request.body)
        if len(rest) == 1 and (version, method) in (("v1", "GET"), ("v9", "PATCH"), ("v9", "DELETE")):
            return self._one(project, rest[0], method, query, request.body)
        return error(404, "not_found", "The requested endpoint was not found.")

    def _limited(self) -> Reply | None:
        """A 429 with ``limit`` in the body (and Retry-After unless switched off)."""
        if self.write_limit is None:
            return None
        now = self.now()
        self._writes = [t for t in self._writes if now - t < WINDOW]
        if len(self._writes) < self.write_limit:
            self._writes.append(now)
            return None
        reset = self._writes[0] + WINDOW
        headers = {"Retry-After": str(max(1, round(reset - now)))} if self.retry_after else {}
        limit = {"remaining": 0, "reset": int(reset), "resetMs": int(reset * 1000), "total": self.write_limit}
        reply = error(429, "rate_limited", "Rate limit exceeded", limit=limit)
        return Reply(429, reply.body, headers)

    def _list(self, project: str, query: dict[str, list[str]]) -> Reply:
        if unknown := sorted(set(query) - LIST_PARAMS):
            return error(400, "bad_request", f"Invalid query parameter `{unknown[0]}`")
        listed = [self._shown(e) for e in self.envs[project]]
        if self.page_size is None:
            return Reply(200, {"envs": listed})
        start = int(query.get("until", ["0"])[-1])
        page = listed[start : start + self.page_size]
        after = start + self.page_size if start + self.page_size < len(listed) else None
        return Reply(200, {"envs": page, "pagination": {"count": len(page), "next": after, "prev": None}})

    def _shown(self, entry: dict[str, Any]) -> dict[str, Any]:
        """An entry as the list shows it: ciphertext for encrypted, nothing for sensitive."""
        shown = {**entry, "decrypted": False, "configurationId": None}
        if entry["type"] in ("encrypted", "secret"):
            shown["value"] = "v2:" + base64.b64encode(entry["value"].encode()[::-1]).decode()
        elif entry["type"] == "sensitive":
            shown["value"] = ""
        return shown

    def _create(self, project: str, query: dict[str, list[str]], body: Any) -> Reply:
        if unknown := sorted(set(query) - {"teamId", "slug", "upsert"}):
            return error(400, "bad_request", f"Invalid query parameter `{unknown[0]}`")
        upsert = query.get("upsert", ["false"])[-1]
        if upsert not in ("true", "false"):
            return error(400, "bad_request", '`upsert` must be "true" or "false"')
        items = body if isinstance(body, list) else [body]
        for item in items:
            if (problem := _invalid(item, create=True)) is not None:
                return error(400, "bad_request", problem)
        created: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for item in items:
            outcome = self._create_one(project, item, upsert == "true")
            if isinstance(outcome, dict) and "error" in outcome:
                if not isinstance(body, list):
                    return Reply(403, outcome)
                failed.append(outcome)
            else:
                created.append(outcome)
        return Reply(
            201, {"created": created if isinstance(body, list) else (created or [None])[0], "failed": failed}
        )

    def _create_one(self, project: str, item: dict[str, Any], upsert: bool) -> dict[str, Any]:
        key, targets = item["key"], list(item["target"])
        if key in self.refuse:
            code, message = self.refuse[key]
            return {
                "error": {
                    "code": code,
                    "message": message,
                    "key": key,
                    "value": item["value"],
                    "target": targets,
                    "action": "create",
                }
            }
        same = [e for e in self.envs[project] if e["key"] == key and not e.get("gitBranch")]
        overlapping = [e for e in same if set(e["target"]) & set(targets)]
        if upsert:
            match = (
                [e for e in same if sorted(e["target"]) == sorted(targets)]
                if self.upsert_identity == "key+target"
                else same
            )
            if match:
                match[0].update(
                    value=item["value"],
                    type=item.get("type", match[0]["type"]),
                    target=targets,
                    updatedAt=match[0]["updatedAt"] + 1,
                )
                return dict(match[0])
        if overlapping:
            return {
                "error": {
                    "code": "ENV_ALREADY_EXISTS",
                    "key": key,
                    "target": targets,
                    "value": item["value"],
                    "message": f"A variable with the name `{key}` "
                    "already exists for the target. Use `upsert` to update it.",
                }
            }
        entry = self.put(project, key, item["value"], tuple(targets), item.get("type", "encrypted"))
        return dict(entry)

    def _one(self, project: str, env_id: str, method: str, query: dict[str, list[str]], body: Any) -> Reply:
        if unknown := sorted(set(query) - {"teamId", "slug", "customEnvironmentId"}):
            return error(400, "bad_request", f"Invalid query parameter `{unknown[0]}`")
        found = [e for e in self.envs[project] if e["id"] == env_id]
        if not found:
            return error(404, "not_found", f"Could not find the environment variable: {env_id}")
        entry = found[0]
        if method == "GET":
            if entry["type"] == "sensitive":
                return Reply(200, {**entry, "value": "", "decrypted": False})
            return Reply(200, {**entry, "decrypted": True})
        if method == "DELETE":
            self.envs[project].remove(entry)
            return Reply(200, dict(entry))
        if (problem := _invalid(body, create=False, kind=entry["type"])) is not None:
            return error(400, "bad_request", problem)
        targets = body.get("target", entry["target"])
        clash = [
            e
            for e in self.envs[project]
            if e is not entry
            and e["key"] == body.get("key", entry["key"])
            and not e.get("gitBranch")
            and set(e["target"]) & set(targets)
        ]
        if clash:
            return error(409, "existing_key_and_target", "A variable with this name and target exists")
        entry.update(body, updatedAt=entry["updatedAt"] + 1)
        return Reply(200, dict(entry))

    def _deployments(self, version: str, method: str, query: dict[str, list[str]], body: Any) -> Reply:
        if (version, method) == ("v6", "GET"):
            if unknown := sorted(set(query) - {"teamId", "projectId", "target", "limit", "state", "until"}):
                return error(400, "bad_request", f"Invalid query parameter `{unknown[0]}`")
            project, target = query.get("projectId", [""])[-1], query.get("target", [None])[-1]
            state = query.get("state", [None])[-1]
            found = [
                d
                for d in reversed(self.deployments)
                if d["projectId"] == project
                and (target is None or d["target"] == target)
                and (state is None or d["state"] == state)
            ]
            return Reply(
                200,
                {
                    "deployments": found[: int(query.get("limit", ["20"])[-1])],
                    "pagination": {"count": len(found), "next": None, "prev": None},
                },
            )
        if (version, method) == ("v13", "POST"):
            allowed = {"name", "deploymentId", "project", "target"}
            if not isinstance(body, dict) or set(body) - allowed or not isinstance(body.get("name"), str):
                return error(400, "bad_request", "Invalid request body")
            base = [d for d in self.deployments if d["uid"] == body.get("deploymentId")]
            if not base:
                return error(404, "not_found", "Deployment not found")
            new = {
                **base[0],
                "uid": f"dpl_{next(self._ids)}",
                "state": "READY",
                "target": body.get("target", "preview" if base[0]["target"] != "production" else None),
            }
            self.deployments.append(new)
            return Reply(200, {"id": new["uid"], **new})
        return error(404, "not_found", "The requested endpoint was not found.")


def _invalid(item: Any, *, create: bool, kind: str | None = None) -> str | None:
    """Why the contract refuses one body item (a create or an edit), or None."""
    if not isinstance(item, dict):
        return "Invalid request body: expected an object"
    if unknown := sorted(set(item) - FIELDS):
        return f"Invalid request: should NOT have additional property `{unknown[0]}`"
    if create and not {"key", "value", "type"} <= set(item):
        return "Invalid request: missing required property `key`, `value` or `type`"
    if "key" in item and not (isinstance(item["key"], str) and _KEY.fullmatch(item["key"])):
        return "Invalid request: `key` must be a valid environment variable name"
    if "value" in item and not isinstance(item["value"], str):
        return "Invalid request: `value` should be string"
    if isinstance(item.get("value"), str) and len(item["value"].encode()) > 64 * 1024:
        return "Invalid request: the value is larger than 64 KB"
    new_kind = item.get("type", kind)
    if new_kind not in TYPES:
        return "Invalid request: `type` should be one of system, encrypted, plain, sensitive"
    if kind == "sensitive" and new_kind != "sensitive":
        return "A sensitive environment variable cannot change its type"
    targets = item.get("target")
    if create and targets is None and "customEnvironmentIds" not in item:
        return "Invalid request: missing required property `target`"
    listed = isinstance(targets, list) and targets and len(set(targets)) == len(targets)
    if targets is not None and not (listed and all(t in TARGETS for t in targets)):
        return "Invalid request: `target` must be a non-empty list of production, preview, development"
    if new_kind == "sensitive" and targets is not None and "development" in targets:
        return "Sensitive environment variables cannot target development"
    if item.get("gitBranch") and targets != ["preview"]:
        return "`gitBranch` is only allowed with the preview target"
    return None
