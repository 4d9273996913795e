"""A loopback server following Render's REST API v1 contract for service environment variables.

What it models (see ../shared/reference/platform-apis.md, section 2): ``Authorization: Bearer``
API keys (401 ``{"id": "unauthorized", ...}`` otherwise); unknown service → 404
``{"message": "not found: <id>"}``; ``GET /v1/services/{id}/env-vars?limit=&cursor=`` with items
``{"envVar": {...}, "cursor": ...}``, ``limit`` 1..100 (default 20); the replace-all ``PUT`` on the
collection; per-key ``GET``/``PUT``/``DELETE``; ``POST /v1/services/{id}/deploys`` → 201;
``Render-Request-Id`` and ``Ratelimit-*`` headers on every response.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from servers.base import LoopbackServer, Recorded, Reply

API_KEY = "rnd_test_key"
UNAUTHORIZED = {"id": "unauthorized", "message": "Authorization information is missing or invalid."}


class RenderServer(LoopbackServer):
    """Render's API on loopback; ``services`` maps a service id to its variables."""

    def __init__(self) -> None:
        super().__init__()
        self.services: dict[str, dict[str, str]] = {}
        self.api_keys = {API_KEY}
        self.deploys: list[str] = []

    @property
    def url(self) -> str:
        """The API base, for ``ENVGUARD_RENDER_URL``."""
        return self.origin + "/v1"

    def add(self, service: str, variables: dict[str, str] | None = None) -> dict[str, str]:
        """Create a service; returns its live variable map."""
        with self.lock:
            return self.services.setdefault(service, dict(variables or {}))

    def common_headers(self) -> dict[str, str]:
        """Render's request id and rate-limit headers (Reset in seconds, as observed)."""
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
            return Reply(404, {"id": "not_found", "message": "Unable to find the requested resource."})
        service = parts[3]
        if service not in self.services:
            return Reply(404, {"message": f"not found: {service}"})
        rest, method = parts[4:], request.method
        if rest == ["deploys"] and method == "POST":
            self.deploys.append(service)
            return Reply(201, {"id": f"dep-{uuid.uuid4().hex[:20]}", "status": "created"})
        if rest == ["env-vars"]:
            return self._collection(service, method, parse_qs(url.query), request.body)
        if len(rest) == 2 and rest[0] == "env-vars":
            return self._one(service, rest[1], method, request.body)
        return Reply(404, {"id": "not_found", "message": "Unable to find the requested resource."})

    def _collection(self, service: str, method: str, query: dict[str, list[str]], body: Any) -> Reply:
        current = self.services[service]
        if method == "PUT":  # replace all: what Render does, and what envguard must never send
            items = body if isinstance(body, list) else []
            current.clear()
            current.update({i["key"]: i.get("value", "") for i in items})
            return Reply(200, _page(sorted(current.items())))
        if method != "GET":
            return Reply(405, {"message": "method not allowed"})
        try:
            limit = int(query.get("limit", ["20"])[0])
        except ValueError:
            limit = -1
        if not 1 <= limit <= 100:
            return Reply(400, {"message": "limit must be between 1 and 100"})
        ordered = sorted(current.items())
        after = _decode(query["cursor"][0]) if "cursor" in query else None
        if after is not None:
            ordered = [item for item in ordered if item[0] > after]
        return Reply(200, _page(ordered[:limit]))

    def _one(self, service: str, key: str, method: str, body: Any) -> Reply:
        current = self.services[service]
        if method == "PUT":
            value = body.get("value") if isinstance(body, dict) else None
            if not isinstance(value, str):
                return Reply(400, {"message": "value must be a string"})
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


def _page(items: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Render's list shape: the resource plus a sibling opaque cursor."""
    return [{"envVar": {"key": k, "value": v}, "cursor": _encode(k)} for k, v in items]


def _encode(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
