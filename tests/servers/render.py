"""A loopback server following Render's REST API v1 contract for service environment variables.

Requests are checked against the operations in ``render-env-vars-contract.ts`` (Render's generated
types, render-oss/sdk; the copy beside this file): ``GET /services/{id}/env-vars`` with ``limit``
1-100 (default 20) and an opaque ``cursor``; the replace-all ``PUT`` whose body is an
``envVarInputArray`` (each item ``{key, value}`` or ``{key, generateValue}``, nothing else);
per-key ``GET``/``PUT`` (``{value}`` or ``{generateValue}``)/``DELETE`` (204);
``POST /services/{id}/deploys`` (optional fields only; 201 with the deploy, or 202 without a body)
and ``GET .../deploys``. Anything else is a 400 ``{"message": ...}``, as the contract's
``400BadRequest``. Unknown service: 404 ``{"message": "not found: <id>"}``; bad key: 401.

Rate limits (contract header): writes ``write_limit`` per 60 s window (30 at Render), answered 429
with ``Retry-After`` and ``Ratelimit-Limit/-Remaining/-Reset`` (seconds until the window resets).
The window runs on ``now``, which a test may replace with its own clock.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from servers.base import LoopbackServer, Recorded, Reply

API_KEY = "rnd_test_key"
UNAUTHORIZED = {"id": "unauthorized", "message": "Authorization information is missing or invalid."}
NOT_FOUND = {"id": "not_found", "message": "Unable to find the requested resource."}
DEPLOY_FIELDS = {"artifactId", "clearCache", "commitId", "imageUrl", "deployMode"}
WINDOW = 60.0


class RenderServer(LoopbackServer):
    """Render's API on loopback; ``services`` maps a service id to its variables."""

    def __init__(self) -> None:
        super().__init__()
        self.services: dict[str, dict[str, str]] = {}
        self.api_keys = {API_KEY}
        self.deploys: list[str] = []
        self.deploy_answer = 201
        self.write_limit: int | None = None
        self.now: Callable[[], float] = time.monotonic
        self._writes: list[float] = []

    @property
    def url(self) -> str:
        """The API base, for ``ENVGUARD_RENDER_URL``."""
        return self.origin + "/v1"

    def add(self, service: str, variables: dict[str, str] | None = None) -> dict[str, str]:
        """Create a service; returns its live variable map."""
        with self.lock:
            return self.services.setdefault(service, dict(variables or {}))

    def common_headers(self) -> dict[str, str]:
        """Render's request id and rate-limit headers (Reset in seconds, as the contract says)."""
        return {
            "Render-Request-Id": uuid.uuid4().hex,
            "Ratelimit-Limit": "400",
            "Ratelimit-Remaining": "399",
            "Ratelimit-Reset": "30",
        }

    def replace_all_puts(self) -> list[Recorded]:
        """Every replace-all ``PUT /services/{id}/env-vars`` received."""
        return [r for r in self.requests("PUT") if urlsplit(r.path).path.endswith("/env-vars")]

    def handle(self, request: Recorded) -> Reply:
        """Answer one REST request."""
        auth = request.headers.get("authorization", "")
        if not (auth.startswith("Bearer ") and auth[7:] in self.api_keys):
            return Reply(401, UNAUTHORIZED)
        url = urlsplit(request.path)
        parts = [unquote(p) for p in url.path.split("/")]
        if len(parts) < 4 or parts[:3] != ["", "v1", "services"]:
            return Reply(404, NOT_FOUND)
        service, rest, method = parts[3], parts[4:], request.method
        if service not in self.services:
            return Reply(404, {"message": f"not found: {service}"})
        if method != "GET" and (limited := self._limited()) is not None:
            return limited
        query = parse_qs(url.query, keep_blank_values=True)
        if rest == ["deploys"]:
            return self._deploys(service, method, query, request.body)
        if rest == ["env-vars"]:
            return self._collection(service, method, query, request.body)
        if len(rest) == 2 and rest[0] == "env-vars":
            return self._one(service, rest[1], method, request.body)
        return Reply(404, NOT_FOUND)

    def _limited(self) -> Reply | None:
        """A 429 when the write window is used up, with the contract's headers."""
        if self.write_limit is None:
            return None
        now = self.now()
        self._writes = [t for t in self._writes if now - t < WINDOW]
        if len(self._writes) < self.write_limit:
            self._writes.append(now)
            return None
        reset = max(1, round(WINDOW - (now - self._writes[0])))
        headers = {
            "Retry-After": str(reset),
            "Ratelimit-Limit": str(self.write_limit),
            "Ratelimit-Remaining": "0",
            "Ratelimit-Reset": str(reset),
        }
        return Reply(429, {"message": "rate limit exceeded"}, headers)

    def _collection(self, service: str, method: str, query: dict[str, list[str]], body: Any) -> Reply:
        current = self.services[service]
        if method == "PUT":  # replace all: every key not in the body is deleted
            items = _inputs(body)
            if isinstance(items, Reply):
                return items
            current.clear()
            current.update(items)
            return Reply(200, _page(list(current.items())))
        if method != "GET":
            return Reply(405, {"message": "method not allowed"})
        window = _window(query, sorted(current.items()))
        return window if isinstance(window, Reply) else Reply(200, _page(window))

    def _one(self, service: str, key: str, method: str, body: Any) -> Reply:
        current = self.services[service]
        if method == "PUT":
            value = _value(body)
            if isinstance(value, Reply):
                return value
            current[key] = value
            return Reply(200, {"key": key, "value": value})
        if key not in current:
            return Reply(404, {"message": f"not found: {key}"})
        if method == "GET":
            return Reply(200, {"key": key, "value": current[key]})
        if method == "DELETE":
            del current[key]
            return Reply(204)
        return Reply(405, {"message": "method not allowed"})

    def _deploys(self, service: str, method: str, query: dict[str, list[str]], body: Any) -> Reply:
        if method == "GET":
            mine = [f"dep-{service}-{i}" for i in range(self.deploys.count(service), 0, -1)]
            items = [(d, d) for d in mine]
            window = _window(query, items)
            if isinstance(window, Reply):
                return window
            return Reply(
                200, [{"deploy": {"id": d, "status": "created"}, "cursor": _encode(d)} for d, _ in window]
            )
        if method != "POST":
            return Reply(405, {"message": "method not allowed"})
        if body is not None and (not isinstance(body, dict) or set(body) - DEPLOY_FIELDS):
            return Reply(400, {"message": "invalid deploy request"})
        self.deploys.append(service)
        deploy = {"id": f"dep-{service}-{self.deploys.count(service)}", "status": "created"}
        return Reply(201, deploy) if self.deploy_answer == 201 else Reply(202)


def _window(query: dict[str, list[str]], ordered: list[tuple[str, str]]) -> list[tuple[str, str]] | Reply:
    """The page ``limit`` and ``cursor`` ask for, or the 400 the contract gives for bad ones."""
    if unknown := sorted(set(query) - {"limit", "cursor"}):
        return Reply(400, {"message": f"unknown query parameter {unknown[0]}"})
    raw = query.get("limit", ["20"])[-1]
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        return Reply(400, {"message": "limit must be an integer between 1 and 100"})
    if "cursor" in query:
        after = _decode(query["cursor"][-1])
        if after is None:
            return Reply(400, {"message": "invalid cursor"})
        ordered = [item for item in ordered if item[0] > after]
    return ordered[: int(raw)]


def _inputs(body: Any) -> dict[str, str] | Reply:
    """An ``envVarInputArray``: a list of ``{key, value}`` / ``{key, generateValue}``; else a 400."""
    if not isinstance(body, list):
        return Reply(400, {"message": "request body must be an array of environment variables"})
    found: dict[str, str] = {}
    for item in body:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"]:
            return Reply(400, {"message": f"invalid environment variable {item!r}"})
        value = _value({k: v for k, v in item.items() if k != "key"})
        if isinstance(value, Reply):
            return Reply(400, {"message": f"invalid environment variable {item!r}"})
        found[item["key"]] = value
    return found


def _value(body: Any) -> str | Reply:
    """The value of ``{value}`` or ``{generateValue: true}`` (generated here); else a 400."""
    if isinstance(body, dict) and set(body) == {"value"} and isinstance(body["value"], str):
        return str(body["value"])
    if isinstance(body, dict) and set(body) == {"generateValue"} and body["generateValue"] is True:
        return secrets.token_urlsafe(32)
    return Reply(400, {"message": "provide exactly one of value (a string) or generateValue"})


def _page(items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Render's list shape: the resource plus a sibling opaque cursor."""
    return [{"envVar": {"key": k, "value": v}, "cursor": _encode(k)} for k, v in items]


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str | None:
    try:
        return base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
