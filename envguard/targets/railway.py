"""Railway variables through the public GraphQL API v2: ``railway://PROJECT/ENVIRONMENT[/SERVICE]``.

Reads keep ``${{...}}`` references (``unrendered: true``); writes are one merging
``variableCollectionUpsert`` (never ``replace: true``, which would drop keys we cannot see, such as
sealed variables) with ``skipDeploys`` unless a deploy is asked for. Railway answers resolver errors
with HTTP 200 and an ``errors`` array, so every response is checked for it.

None of the three mutations is safe to repeat (a second upsert or redeploy is a second deploy), so
after a lost reply a read finds out what happened: the variables for an upsert or a delete, the
newest deployment for a redeploy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from envguard.errors import AuthError, CredentialsError, NetworkError, NotFoundError, TargetError
from envguard.targets import inputs
from envguard.targets.base import ApplyResult, Plan, Remote
from envguard.targets.http import HttpClient, RetryPolicy
from envguard.targets.reconcile import Progress, reconcile
from envguard.targets.reply import Reply
from envguard.targets.scrub import scrub, strings_in

RAILWAY_URL = "https://backboard.railway.com/graphql/v2"
READ = (
    "query($p:String!,$e:String!,$s:String)"
    "{variables(projectId:$p,environmentId:$e,serviceId:$s,unrendered:true)}"
)
UPSERT = "mutation($input:VariableCollectionUpsertInput!){variableCollectionUpsert(input:$input)}"
DELETE = "mutation($input:VariableDeleteInput!){variableDelete(input:$input)}"
REDEPLOY = "mutation($e:String!,$s:String!){serviceInstanceRedeploy(environmentId:$e,serviceId:$s)}"
NEWEST = "query($input:DeploymentListInput!){deployments(first:1,input:$input){edges{node{id}}}}"


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
        self._environ = environ
        self._retry = retry
        self._timeout = timeout
        self._client: HttpClient | None = None

    def admit(self, local: Mapping[str, str], remote: Remote | None = None) -> dict[str, str]:
        """Every name and value as given: Railway documents no name rules or limits to check."""
        return dict(local)

    def fetch(self) -> Remote:
        """The variables as stored, references such as ``${{Postgres.DATABASE_URL}}`` intact.

        Sealed variables cannot be read; should Railway list them with a null value, they are left
        out here and named in ``Remote.unreadable`` (so a prune never removes them).
        """
        variables = {"p": self.project_id, "e": self.environment_id, "s": self.service_id}
        found = self._call(READ, variables, "variables")
        if not isinstance(found, dict) or not all(isinstance(v, str | None) for v in found.values()):
            raise NetworkError(f"{self.name}: unexpected response shape for variables")
        values = {str(k): v for k, v in found.items() if isinstance(v, str)}
        return Remote(
            values,
            unreadable=tuple(sorted(k for k, v in found.items() if v is None)),
            why="sealed on Railway: value not readable",
        )

    def read(self) -> dict[str, str]:
        """The readable variables (see ``fetch``)."""
        return self.fetch().values

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
        newest = self._newest() if deploy and self.service_id and todo.deletes else None
        if deploy:
            self._delete_all(todo.deletes, run)
            self._upsert(todo.writes, run, deploy)
        else:
            self._upsert(todo.writes, run, deploy)
            self._delete_all(todo.deletes, run)
        if deploy and run.removed and not run.written and not run.failed and self.service_id:
            self._redeploy(newest, run)
        return run.result(todo, http.requests - start)

    def _upsert(self, writes: Mapping[str, str], run: Progress, deploy: bool) -> None:
        if not writes:
            return
        payload = {**self._ids(), "variables": dict(writes), "skipDeploys": not deploy}

        def landed() -> bool:
            current = self.read()
            return all(current.get(k) == v for k, v in writes.items())

        try:
            self._call(UPSERT, {"input": payload}, "variableCollectionUpsert", confirm=landed)
        except TargetError as exc:
            run.fail(writes, exc)
            return
        run.written.extend(writes)
        run.deployed = deploy

    def _delete_all(self, keys: Iterable[str], run: Progress) -> None:
        for key in keys:
            try:
                self._call(
                    DELETE,
                    {"input": {**self._ids(), "name": key}},
                    "variableDelete",
                    confirm=lambda key=key: key not in self.read(),
                )
            except NotFoundError:
                pass  # gone already (someone else, or an earlier try whose reply was lost)
            except TargetError as exc:
                run.fail([key], exc)
                continue
            run.removed.append(key)

    def _redeploy(self, before: str | None, run: Progress) -> None:
        """Deploy once after deletes, unless Railway already did (whether it does is undocumented)."""
        if self._newest() != before:
            run.deployed = True
            return
        ids = {"e": self.environment_id, "s": self.service_id}
        self._call(REDEPLOY, ids, "serviceInstanceRedeploy", confirm=lambda: self._newest() != before)
        run.deployed = True

    def _newest(self) -> str | None:
        """The id of the service's newest deployment (None before the first)."""
        found = self._call(NEWEST, {"input": {**self._ids()}}, "deployments")
        edges = found.get("edges") if isinstance(found, dict) else None
        if not isinstance(edges, list):
            raise NetworkError(f"{self.name}: unexpected response shape for deployments")
        node = edges[0].get("node") if edges and isinstance(edges[0], dict) else None
        return str(node.get("id")) if isinstance(node, dict) else None

    def _ids(self) -> dict[str, str]:
        ids = {"projectId": self.project_id, "environmentId": self.environment_id}
        return ids | ({"serviceId": self.service_id} if self.service_id else {})

    def _call(self, query: str, variables: Mapping[str, Any], field: str, *, confirm: Any = False) -> Any:
        """POST one GraphQL document; reads are idempotent, mutations go with ``confirm``.

        ``errors`` (sent with HTTP 200 for resolver failures) raises the error of its kind.
        """
        http = self._http()
        body = {"query": query, "variables": variables}
        values = list(strings_in(variables.get("input", {}).get("variables", {})))
        if confirm is False:
            reply: Reply | None = http.send("POST", "", json=body, idempotent=True, secrets=values, read=True)
        else:
            reply = http.mutate("POST", "", json=body, confirm=confirm, secrets=values)
        if reply is None:  # after a lost reply, the read found the mutation done
            return True
        return self._data(http.json(reply), field, variables)

    def _data(self, answer: Any, field: str, variables: Mapping[str, Any]) -> Any:
        if not isinstance(answer, dict):
            raise NetworkError(f"{self.name}: the response is not a GraphQL result")
        errors = answer.get("errors")
        if errors is not None:
            if not isinstance(errors, list) or not errors:
                raise NetworkError(f"{self.name}: the response holds a malformed `errors`")
            first = errors[0] if isinstance(errors[0], dict) else {}
            values = strings_in(variables.get("input", {}).get("variables", {}))
            message = scrub(str(first.get("message", "unknown error")), values)
            raise _kind(message)(f"{self.name}: {message}", hint=_hint(message))
        data = answer.get("data")
        if not isinstance(data, dict) or field not in data:
            raise NetworkError(f"{self.name}: the response holds no data")
        return data[field]

    def _http(self) -> HttpClient:
        if self._client is None:
            url = inputs.base_url(
                self._environ.get("ENVGUARD_RAILWAY_URL") or RAILWAY_URL, "ENVGUARD_RAILWAY_URL"
            )
            self._client = HttpClient(
                self.name,
                url,
                _auth_headers(self._environ, self.name),
                retry=self._retry,
                timeout=self._timeout,
                proxy=inputs.proxy(self._environ, url),
            )
        return self._client


def _auth_headers(environ: Mapping[str, str], name: str) -> dict[str, str]:
    """Project token header or Bearer; as in Railway's CLI, ``RAILWAY_TOKEN`` wins over both."""
    if token := environ.get("RAILWAY_TOKEN"):
        return {"Project-Access-Token": inputs.token(token, "RAILWAY_TOKEN")}
    if token := environ.get("RAILWAY_API_TOKEN"):
        return {"Authorization": f"Bearer {inputs.token(token, 'RAILWAY_API_TOKEN')}"}
    raise CredentialsError(
        f"{name}: neither RAILWAY_API_TOKEN nor RAILWAY_TOKEN is set",
        hint="set RAILWAY_API_TOKEN (account or workspace) or RAILWAY_TOKEN (project)",
    )


def _kind(message: str) -> type[TargetError]:
    """The error kind of a Railway error message (the CLI's own classification, plus not found)."""
    lowered = message.lower()
    if "project token not found" in lowered or "not authorized" in lowered or "two factor" in lowered:
        return AuthError
    if "not found" in lowered:
        return NotFoundError
    return TargetError


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
