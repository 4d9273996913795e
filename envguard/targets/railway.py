"""Railway variables through the public GraphQL API v2: ``railway://PROJECT/ENVIRONMENT[/SERVICE]``.

Reads keep ``${{...}}`` references (``unrendered: true``); writes are one merging
``variableCollectionUpsert`` (never ``replace: true``, which would drop keys we cannot see, such as
sealed variables) with ``skipDeploys`` unless a deploy is asked for. Railway answers resolver errors
with HTTP 200 and an ``errors`` array, so every response is checked for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from envguard.errors import TargetError
from envguard.targets.base import ApplyResult, Plan
from envguard.targets.http import HttpClient, RetryPolicy, scrub
from envguard.targets.reconcile import Progress, reconcile

RAILWAY_URL = "https://backboard.railway.com/graphql/v2"
READ = (
    "query($p:String!,$e:String!,$s:String)"
    "{variables(projectId:$p,environmentId:$e,serviceId:$s,unrendered:true)}"
)
UPSERT = "mutation($input:VariableCollectionUpsertInput!){variableCollectionUpsert(input:$input)}"
DELETE = "mutation($input:VariableDeleteInput!){variableDelete(input:$input)}"
REDEPLOY = "mutation($e:String!,$s:String!){serviceInstanceRedeploy(environmentId:$e,serviceId:$s)}"


class RailwayTarget:
    """The variables of one Railway service, or the shared variables of an environment."""

    def __init__(
        self,
        project_id: str,
        environment_id: str,
        service_id: str | None,
        environ: Mapping[str, str],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.project_id = project_id
        self.environment_id = environment_id
        self.service_id = service_id
        suffix = f"/{service_id}" if service_id else ""
        self.uri = f"railway://{project_id}/{environment_id}{suffix}"
        self.name = f"Railway ({self.uri})"
        self._url = environ.get("ENVGUARD_RAILWAY_URL") or RAILWAY_URL
        self._headers = _auth_headers(environ)
        self._retry = retry
        self._timeout = timeout
        self._client: HttpClient | None = None

    def read(self) -> dict[str, str]:
        """The variables as stored, references such as ``${{Postgres.DATABASE_URL}}`` intact."""
        variables = {"p": self.project_id, "e": self.environment_id, "s": self.service_id}
        found = self._call(READ, variables, "variables")
        if not isinstance(found, dict):
            raise TargetError(f"{self.name}: unexpected response shape for variables")
        # sealed variables may come back as null: they cannot be read, so they are not listed
        return {str(k): str(v) for k, v in found.items() if v is not None}

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Re-read, then write what is still to do in one upsert and delete only ``plan.removed``.

        Keys someone else added, changed or removed since the plan are reported in ``failed``
        and left alone. With ``deploy`` the writes go last so the deploy sees the final state.
        """
        if plan.empty:
            return ApplyResult()
        http = self._http()
        start = http.requests
        todo = reconcile(plan, self.read())
        run = Progress()
        if deploy:
            self._delete_all(todo.deletes, run)
            self._upsert(todo.writes, run, deploy)
        else:
            self._upsert(todo.writes, run, deploy)
            self._delete_all(todo.deletes, run)
        if deploy and run.removed and not run.written and not run.failed and self.service_id:
            # variableDelete has no skipDeploys and no documented deploy behaviour: redeploy here
            self._call(REDEPLOY, {"e": self.environment_id, "s": self.service_id}, None)
            run.deployed = True
        return run.result(todo, http.requests - start)

    def _upsert(self, writes: Mapping[str, str], run: Progress, deploy: bool) -> None:
        if not writes:
            return
        payload = {**self._ids(), "variables": dict(writes), "skipDeploys": not deploy}
        try:
            self._call(UPSERT, {"input": payload}, "variableCollectionUpsert", writes.values())
        except TargetError as exc:
            run.fail(writes, exc)
            return
        run.written.extend(writes)
        run.deployed = deploy

    def _delete_all(self, keys: Iterable[str], run: Progress) -> None:
        for key in keys:
            try:
                self._call(DELETE, {"input": {**self._ids(), "name": key}}, "variableDelete")
            except TargetError as exc:
                run.fail([key], exc)
                continue
            run.removed.append(key)

    def _ids(self) -> dict[str, str]:
        ids = {"projectId": self.project_id, "environmentId": self.environment_id}
        return ids | ({"serviceId": self.service_id} if self.service_id else {})

    def _call(
        self,
        query: str,
        variables: Mapping[str, Any],
        field: str | None,
        secrets: Iterable[str] = (),
    ) -> Any:
        """POST one GraphQL operation; ``errors[]`` (sent with HTTP 200) raises a TargetError."""
        secrets = tuple(secrets)
        http = self._http()
        body = http.json(
            http.send("POST", "", json={"query": query, "variables": variables}, secrets=secrets)
        )
        errors = body.get("errors") if isinstance(body, dict) else None
        if errors:
            first = errors[0] if isinstance(errors[0], dict) else {}
            message = scrub(str(first.get("message", "unknown error")), secrets)
            raise TargetError(f"{self.name}: {message}", hint=_hint(message))
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict) or (field is not None and field not in data):
            raise TargetError(f"{self.name}: the response holds no data")
        return data.get(field) if field is not None else None

    def _http(self) -> HttpClient:
        if self._headers is None:
            raise TargetError(
                f"{self.name}: neither RAILWAY_API_TOKEN nor RAILWAY_TOKEN is set",
                hint="set RAILWAY_API_TOKEN (account or workspace) or RAILWAY_TOKEN (project)",
            )
        if self._client is None:
            self._client = HttpClient(
                self.name, self._url, self._headers, retry=self._retry, timeout=self._timeout
            )
        return self._client


def _auth_headers(environ: Mapping[str, str]) -> dict[str, str] | None:
    """Project token header or Bearer; as in Railway's CLI, ``RAILWAY_TOKEN`` wins over both."""
    if token := environ.get("RAILWAY_TOKEN"):
        return {"Project-Access-Token": token}
    if token := environ.get("RAILWAY_API_TOKEN"):
        return {"Authorization": f"Bearer {token}"}
    return None


def _hint(message: str) -> str | None:
    lowered = message.lower()
    if "project token not found" in lowered:
        return "RAILWAY_TOKEN is not a valid project token"
    if "not authorized" in lowered:
        return (
            "the token is invalid or expired, or cannot reach this project, environment or service;"
            " a project token belongs in RAILWAY_TOKEN, an account token in RAILWAY_API_TOKEN"
        )
    return None
