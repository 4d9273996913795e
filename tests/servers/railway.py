"""A loopback server following Railway's public GraphQL API v2 contract for variables.

Every document is parsed, validated and executed by graphql-core against Railway's published
schema (``railway-schema.graphql``, railwayapp/cli ``src/gql/schema.json`` as SDL), so what Railway
rejects is rejected here the same way: undefined variables, unknown input fields (``skipDeploy``),
a selection on a Boolean, a misspelled root field; and whatever Railway accepts works, inline
literals and aliases included. Resolvers cover what envguard uses: ``variables``, ``deployments``,
``variableCollectionUpsert`` (merge or ``replace``; deploys unless ``skipDeploys``),
``variableDelete`` and ``serviceInstanceRedeploy``.

Auth as documented (platform-apis.md 1.1, 1.4): ``Authorization: Bearer`` account tokens and
``Project-Access-Token`` project tokens scoped to one environment; resolver failures are HTTP 200
with ``errors[]``. Where Railway's behaviour is undocumented [U] the server takes either answer:

- ``delete_deploys``: whether ``variableDelete`` deploys the service (it has no ``skipDeploys``);
- ``sealed_as``: how ``variables`` shows sealed variables: ``"omitted"`` or ``"null"``;
- ``delete_missing``: deleting an absent name is an ``"error"`` ("not found") or ``"ok"``;
- ``validation_status``: the HTTP status of a document that fails validation (200 or 400).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema, execute, parse, validate

from servers.base import LoopbackServer, Recorded, Reply

ACCOUNT_TOKEN = "railway-account-token"
PROJECT_TOKEN = "railway-project-token"
SCHEMA_FILE = Path(__file__).with_name("railway-schema.graphql")
_REFERENCE = re.compile(r"\$\{\{[^}]*\}\}")

Scope = tuple[str, str, str | None]


@functools.cache
def schema() -> GraphQLSchema:
    """Railway's schema, built once (its own validation fails on a deprecation, hence assume_valid)."""
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"), assume_valid=True)


class RailwayServer(LoopbackServer):
    """Railway backboard on loopback; ``variables`` maps (project, environment, service) to vars."""

    def __init__(self) -> None:
        super().__init__()
        schema()  # built before serving, so no request pays for it (timeouts in tests are short)
        self.variables: dict[Scope, dict[str, str]] = {}
        self.sealed: dict[Scope, dict[str, str]] = {}
        self.account_tokens = {ACCOUNT_TOKEN}
        self.project_tokens: dict[str, tuple[str, str]] = {}
        self.deploys: list[Scope] = []
        #: every mutation carried out, by root field name, with its arguments
        self.executed: list[tuple[str, dict[str, Any]]] = []
        self.delete_deploys = False
        self.sealed_as = "omitted"
        self.delete_missing = "error"
        self.validation_status = 400

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
        """The arguments of every ``name`` mutation carried out, as GraphQL variables would hold them."""
        with self.lock:
            return [args for field, args in self.executed if field == name]

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
        try:
            document = parse(body["query"])
        except GraphQLError as exc:
            return Reply(self.validation_status, {"errors": [exc.formatted]})
        if problems := validate(schema(), document):
            return Reply(self.validation_status, {"errors": [e.formatted for e in problems]})
        resolvers = _Resolvers(self, self._allowed(request.headers))
        result = execute(
            schema(), document, root_value=resolvers, variable_values=body.get("variables") or {}
        )
        errors = [e.formatted for e in result.errors or ()]
        if errors and result.data is None and not any(e.path for e in result.errors or ()):
            # variables that do not fit their types: a request error, like a validation failure
            return Reply(self.validation_status, {"errors": errors})
        answer: dict[str, Any] = {"data": result.data}
        if errors:
            answer["errors"] = errors
        return Reply(200, answer)

    def _allowed(self, headers: Any) -> tuple[str, str] | str | None:
        """None for an account token, (project, env) for a project token, else an error text."""
        if token := headers.get("project-access-token"):
            return self.project_tokens.get(token) or "Project Token not found"
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer ") and auth[7:] in self.account_tokens:
            return None
        return "Not Authorized"

    def deploy(self, scope: Scope) -> None:
        """Record a deployment of ``scope``."""
        self.deploys.append(scope)

    def newest(self, environment: str, service: str | None) -> str | None:
        """The newest deployment id of a service, like Railway's ``deployments`` (newest first)."""
        count = sum(1 for s in self.deploys if s[1:] == (environment, service))
        return f"{environment}/{service}#{count}" if count else None


class _Resolvers:
    """Root resolvers for one request (graphql-core calls ``root.<field>(info, **args)``)."""

    def __init__(self, server: RailwayServer, allowed: tuple[str, str] | str | None) -> None:
        self.server = server
        self.allowed = allowed

    def _scope(self, project: str, environment: str, service: str | None) -> Scope:
        if isinstance(self.allowed, str):
            raise GraphQLError(self.allowed)
        scope = (project, environment, service)
        if (self.allowed is not None and scope[:2] != self.allowed) or scope not in self.server.variables:
            raise GraphQLError("Not Authorized")
        return scope

    def variables(
        self,
        info: Any,
        projectId: str,
        environmentId: str,
        serviceId: str | None = None,
        unrendered: bool | None = None,
    ) -> dict[str, Any]:
        scope = self._scope(projectId, environmentId, serviceId)
        with self.server.lock:
            current: dict[str, Any] = dict(self.server.variables[scope])
            if self.server.sealed_as == "null":
                current.update(dict.fromkeys(self.server.sealed.get(scope, {})))
        if not unrendered:
            current = {k: v if v is None else _REFERENCE.sub("rendered", v) for k, v in current.items()}
        return current

    def deployments(
        self, info: Any, input: dict[str, Any], first: int | None = None, **_: Any
    ) -> dict[str, Any]:
        self._scope(str(input.get("projectId")), str(input.get("environmentId")), input.get("serviceId"))
        newest = self.server.newest(str(input.get("environmentId")), input.get("serviceId"))
        edges = [{"cursor": "c1", "node": {"id": newest}}] if newest and first != 0 else []
        return {"edges": edges, "pageInfo": {"hasNextPage": False, "hasPreviousPage": False}}

    def variableCollectionUpsert(self, info: Any, input: dict[str, Any]) -> bool:
        scope = self._scope(input["projectId"], input["environmentId"], input.get("serviceId"))
        values = input["variables"]
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise GraphQLError("Variables must be a map of strings")
        with self.server.lock:
            current = self.server.variables[scope]
            if input.get("replace"):
                current.clear()
                self.server.sealed.pop(scope, None)
            current.update(values)
            self.server.executed.append(("variableCollectionUpsert", {"input": input}))
            if not input.get("skipDeploys"):
                self.server.deploy(scope)
        return True

    def variableDelete(self, info: Any, input: dict[str, Any]) -> bool:
        scope = self._scope(input["projectId"], input["environmentId"], input.get("serviceId"))
        with self.server.lock:
            current = self.server.variables[scope]
            if input["name"] not in current and self.server.delete_missing == "error":
                raise GraphQLError(f"Variable {input['name']} not found")
            current.pop(input["name"], None)
            self.server.executed.append(("variableDelete", {"input": input}))
            if self.server.delete_deploys:
                self.server.deploy(scope)
        return True

    def serviceInstanceRedeploy(self, info: Any, environmentId: str, serviceId: str) -> bool:
        with self.server.lock:
            for scope in self.server.variables:
                if scope[1:] == (environmentId, serviceId):
                    self._scope(*scope)
                    self.server.executed.append(
                        ("serviceInstanceRedeploy", {"e": environmentId, "s": serviceId})
                    )
                    self.server.deploy(scope)
                    return True
        raise GraphQLError("Not Authorized")
