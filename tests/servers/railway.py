"""A loopback server following Railway's public GraphQL API v2 contract for variables.

What it models (see ../shared/reference/platform-apis.md, section 1): ``POST /graphql/v2`` only;
``Authorization: Bearer`` account tokens and ``Project-Access-Token`` project tokens scoped to one
project environment; resolver errors as HTTP 200 with ``errors[]`` ("Not Authorized", "Project
Token not found"); ``variables(..., unrendered)`` (references resolved unless unrendered);
``variableCollectionUpsert`` (merge, or replace with ``replace: true``; deploys unless
``skipDeploys``), ``variableDelete``, ``serviceInstanceRedeploy``; ``X-RateLimit-*`` headers.
"""

from __future__ import annotations

import re
from typing import Any

from servers.base import LoopbackServer, Recorded, Reply

ACCOUNT_TOKEN = "railway-account-token"
PROJECT_TOKEN = "railway-project-token"
_ARGUMENT = re.compile(r"(\w+)\s*:\s*\$(\w+)")
_REFERENCE = re.compile(r"\$\{\{[^}]*\}\}")

Scope = tuple[str, str, str | None]


class RailwayServer(LoopbackServer):
    """Railway backboard on loopback; ``variables`` maps (project, environment, service) to vars."""

    def __init__(self) -> None:
        super().__init__()
        self.variables: dict[Scope, dict[str, str]] = {}
        self.account_tokens = {ACCOUNT_TOKEN}
        self.project_tokens: dict[str, tuple[str, str]] = {}
        self.deploys: list[Scope] = []

    @property
    def url(self) -> str:
        """The GraphQL endpoint, for ``ENVGUARD_RAILWAY_URL``."""
        return self.origin + "/graphql/v2"

    def add(
        self,
        project: str,
        environment: str,
        service: str | None = None,
        variables: dict[str, str] | None = None,
    ) -> dict[str, str]:
        """Create a scope (and a project token for its environment); returns its live map."""
        with self.lock:
            self.project_tokens[PROJECT_TOKEN] = (project, environment)
            return self.variables.setdefault((project, environment, service), dict(variables or {}))

    def mutations(self, name: str) -> list[dict[str, Any]]:
        """The GraphQL ``variables`` of every recorded request whose query names ``name``."""
        return [
            r.body.get("variables") or {}
            for r in self.requests("POST")
            if isinstance(r.body, dict) and name in str(r.body.get("query", ""))
        ]

    def common_headers(self) -> dict[str, str]:
        """Rate-limit headers as Railway sends them on every response."""
        return {
            **super().common_headers(),
            "X-RateLimit-Limit": "1000",
            "X-RateLimit-Remaining": "999",
            "X-RateLimit-Reset": "3600",
        }

    def handle(self, request: Recorded) -> Reply:
        """Answer one GraphQL request."""
        if request.path.split("?")[0] != "/graphql/v2":
            return Reply(404, {"message": "Not Found"})
        if request.method != "POST":
            return Reply(405, {"errors": [{"message": "Method Not Allowed"}]})
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return Reply(400, {"errors": [{"message": "Must provide query string."}]})
        allowed = self._allowed(request.headers)
        if isinstance(allowed, str):
            return _error(allowed)
        args = _arguments(body["query"], body.get("variables") or {})
        return self._operation(body["query"], args, allowed)

    def _allowed(self, headers: dict[str, str] | Any) -> tuple[str, str] | str | None:
        """None for an account token, (project, env) for a project token, else an error text."""
        if token := headers.get("project-access-token"):
            return self.project_tokens.get(token) or "Project Token not found"
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer ") and auth[7:] in self.account_tokens:
            return None
        return "Not Authorized"

    def _operation(self, query: str, args: dict[str, Any], allowed: tuple[str, str] | None) -> Reply:
        if "serviceInstanceRedeploy" in query:
            return self._redeploy(args, allowed)
        data = args.get("input") if isinstance(args.get("input"), dict) else args
        scope = (data.get("projectId"), data.get("environmentId"), data.get("serviceId"))
        if (allowed is not None and scope[:2] != allowed) or scope not in self.variables:
            return _error("Not Authorized")
        current = self.variables[scope]
        if "variableCollectionUpsert" in query:
            return self._upsert(scope, current, data)
        if "variableDelete" in query:
            if current.pop(str(data.get("name")), None) is None:
                return _error(f"Variable {data.get('name')} not found")
            return Reply(200, {"data": {"variableDelete": True}})
        if "variables(" in query.replace(" ", ""):
            unrendered = re.search(r"unrendered\s*:\s*true", query) or args.get("unrendered")
            shown = current if unrendered else {k: _REFERENCE.sub("rendered", v) for k, v in current.items()}
            return Reply(200, {"data": {"variables": dict(shown)}})
        return Reply(400, {"errors": [{"message": "Cannot query field on type Query"}]})

    def _redeploy(self, args: dict[str, Any], allowed: tuple[str, str] | None) -> Reply:
        for scope in self.variables:
            same = scope[1:] == (args.get("environmentId"), args.get("serviceId"))
            if same and (allowed is None or scope[:2] == allowed):
                self.deploys.append(scope)
                return Reply(200, {"data": {"serviceInstanceRedeploy": True}})
        return _error("Not Authorized")

    def _upsert(self, scope: Scope, current: dict[str, str], data: dict[str, Any]) -> Reply:
        values = data.get("variables")
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            return _error("Variables must be a map of strings")
        if data.get("replace"):
            current.clear()
        current.update(values)
        if not data.get("skipDeploys"):
            self.deploys.append(scope)
        return Reply(200, {"data": {"variableCollectionUpsert": True}})


def _arguments(query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """GraphQL argument names bound to the request's variables (``projectId: $p`` → value)."""
    return {name: variables.get(var) for name, var in _ARGUMENT.findall(query)}


def _error(message: str) -> Reply:
    """A resolver failure the Railway way: HTTP 200 with ``errors[]`` and null data."""
    return Reply(200, {"data": None, "errors": [{"message": message}]})
