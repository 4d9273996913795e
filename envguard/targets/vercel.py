"""Vercel project environment variables through the REST API: ``vercel://PROJECT[/TARGET]``.

Reads list ``GET /v10/projects/{id}/env`` and take each encrypted value from
``GET /v1/projects/{id}/env/{envId}`` (the list's ``decrypt`` is unreliable); ``sensitive`` values
cannot be read at all and are never replaced without ``--force``. Writes re-list right before
writing and compare (Vercel has no check-and-set): new keys go in one ``POST
/v10/projects/{id}/env`` (an array; a 201 can still carry per-item ``failed`` entries, which are
failures), existing ones are edited or deleted by id (``PATCH``/``DELETE /v9/...``, safe to
repeat). An entry shared by several targets is split rather than changed: our target is taken
off it and gets an entry of its own, so the other targets keep theirs. ``?teamId=`` goes on every
call. Changes reach new deployments only; ``--deploy`` redeploys the newest one
(``vercel_deploy.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from envguard.errors import CredentialsError, NetworkError, TargetError
from envguard.targets import inputs
from envguard.targets import vercel_env as env
from envguard.targets.base import ApplyResult, Plan, Remote
from envguard.targets.http import HttpClient, RetryPolicy
from envguard.targets.reconcile import ADDED_REMOTELY, Progress, Reconciled, reconcile
from envguard.targets.reply import Reply
from envguard.targets.vercel_deploy import redeploy, reset_wait

VERCEL_URL = "https://api.vercel.com"
MAX_PAGES = 100
NEW_DEPLOYMENTS = (
    "Vercel applies changed variables to new deployments only: "
    "redeploy (or push with --deploy) for them to take effect"
)
DEVELOPMENT = (
    "development variables reach `vercel dev` and `vercel env pull`; there is no deployment to redeploy"
)
SPLIT_LOST = "taken off {target} while splitting a shared entry, and could not be put back"


class VercelTarget:
    """The variables one target (production, preview or development) of a project sees."""

    def __init__(
        self,
        project: str,
        target: str,
        environ: Mapping[str, str],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.project = project
        self.target = target
        self.uri = f"vercel://{project}/{target}"
        self.name = f"Vercel ({self.uri})"
        self._environ = environ
        self._retry = retry
        self._timeout = timeout
        self._client: HttpClient | None = None
        self._team: dict[str, str | int] = {}

    @property
    def _env(self) -> str:
        return f"/projects/{quote(self.project, safe='')}/env"

    def admit(self, local: Mapping[str, str], remote: Remote | None = None) -> dict[str, str]:
        """``local`` when every value fits Vercel's 64 KB limit."""
        return env.admit(local, self.name)

    def fetch(self) -> Remote:
        """The target's readable values; sensitive keys named in ``unreadable``."""
        mine = env.ours(self._list(), self.target, self.name)
        values = {k: self._value(e) for k, e in mine.items() if e.readable}
        hidden = tuple(sorted(k for k, e in mine.items() if not e.readable))
        return Remote(values, unreadable=hidden, why=env.SENSITIVE)

    def read(self) -> dict[str, str]:
        """The readable values (see ``fetch``)."""
        return self.fetch().values

    def sharing(self, key: str) -> tuple[str, ...]:
        """The other targets whose entry of ``key`` is this target's too (they keep their value)."""
        entry = env.ours(self._list(), self.target, self.name).get(key)
        return tuple(t for t in entry.targets if t != self.target) if entry is not None else ()

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Re-list and compare the planned keys, then create, edit, split or delete each."""
        if plan.empty:
            return ApplyResult()
        http = self._http()
        start = http.requests
        listed = self._list()
        mine = env.ours(listed, self.target, self.name)
        planned = [*plan.added, *plan.changed, *plan.removed]
        current = {k: self._value(mine[k]) for k in planned if k in mine and mine[k].readable}
        todo = reconcile(plan, current)
        conflicts = {
            k: f"{ADDED_REMOTELY} (sensitive)"
            for k in todo.writes
            if k in mine and not mine[k].readable and k not in plan.blind
        }
        todo = Reconciled(
            {k: v for k, v in todo.writes.items() if k not in conflicts},
            todo.deletes,
            todo.settled,
            todo.gone,
            {**todo.conflicts, **conflicts},
        )
        run = Progress()
        fresh = {k: v for k, v in todo.writes.items() if k not in mine}
        beside = env.elsewhere(listed, self.target)
        self._create({k: v for k, v in fresh.items() if k not in beside}, True, run)
        self._create({k: v for k, v in fresh.items() if k in beside}, False, run)
        for key, value in todo.writes.items():
            if key in mine:
                self._edit(mine[key], value, run)
        for key in todo.deletes:
            self._remove(mine[key], run)
        notes = (NEW_DEPLOYMENTS,) if run.changed and not deploy else ()
        if deploy and run.changed and self.target == "development":
            notes = (DEVELOPMENT,)
        elif deploy and run.changed:
            run.deployed = redeploy(http, self.project, self.target, self._team, self.name)
        result = run.result(todo, http.requests - start)
        return ApplyResult(
            result.written, result.removed, result.failed, result.requests, result.deployed, notes=notes
        )

    def _create(self, writes: Mapping[str, str], upsert: bool, run: Progress) -> None:
        """Create ``writes`` for our target in one request; failures per key."""
        if not writes:
            return
        try:
            failed = self._post(writes, upsert)
        except TargetError as exc:
            run.fail(writes, exc)
            return
        run.written.extend(k for k in writes if k not in failed)
        run.failed.update(failed)

    def _post(self, writes: Mapping[str, str], upsert: bool, kind: str = "encrypted") -> dict[str, str]:
        """One POST of ``writes``; the reasons of the items a 201 lists as ``failed``, by key.

        ``upsert`` only for keys no entry holds (how Vercel matches an upsert is undocumented); an
        item refused as existing that now holds our value was written (by an earlier try).
        """
        body = [{"key": k, "value": v, "type": kind, "target": [self.target]} for k, v in writes.items()]
        params = {**self._team, **({"upsert": "true"} if upsert else {})}

        def landed() -> bool:
            now = env.ours(self._list(), self.target, self.name)
            return all(k in now for k in writes)

        reply = self._http().mutate(
            "POST", f"/v10{self._env}", json=body, params=params, secrets=writes.values(), confirm=landed
        )
        failed = env.failures(self._json(reply), writes, self.name) if reply is not None else {}
        if any(code == "ENV_ALREADY_EXISTS" for code, _ in failed.values()):
            now = env.ours(self._list(), self.target, self.name)
            for key in [k for k, (code, _) in failed.items() if code == "ENV_ALREADY_EXISTS"]:
                if key in now and now[key].readable and self._value(now[key]) == writes[key]:
                    del failed[key]
        return {k: f"refused by Vercel: {code}: {message}" for k, (code, message) in failed.items()}

    def _edit(self, entry: env.Entry, value: str, run: Progress) -> None:
        """PATCH the value of an entry that is ours alone; split a shared one."""
        if entry.shared:
            self._split(entry, value, run)
            return
        try:
            self._patch(entry, {"value": value}, [value])
        except TargetError as exc:
            run.fail([entry.key], exc)
            return
        run.written.append(entry.key)

    def _split(self, entry: env.Entry, value: str, run: Progress) -> None:
        """Take our target off a shared entry, then give it its own; put it back if that fails."""
        others = [t for t in entry.targets if t != self.target]
        try:
            self._patch(entry, {"target": others}, [])
        except TargetError as exc:
            run.fail([entry.key], exc)
            return
        try:
            failed = self._post({entry.key: value}, False, kind=entry.type)
        except TargetError as exc:
            failed = {entry.key: exc.message}
        if not failed:
            run.written.append(entry.key)
            return
        try:
            self._patch(entry, {"target": list(entry.targets)}, [])
        except TargetError:
            run.failed[entry.key] = SPLIT_LOST.format(target=self.target)
            return
        run.failed[entry.key] = failed[entry.key]

    def _remove(self, entry: env.Entry, run: Progress) -> None:
        """DELETE an entry that is ours alone; take our target off a shared one."""
        try:
            if entry.shared:
                self._patch(entry, {"target": [t for t in entry.targets if t != self.target]}, [])
            else:
                self._http().send(
                    "DELETE",
                    f"/v9{self._env}/{quote(entry.id, safe='')}",
                    params=self._team,
                    idempotent=True,
                    gone_ok=True,
                )
        except TargetError as exc:
            run.fail([entry.key], exc)
            return
        run.removed.append(entry.key)

    def _patch(self, entry: env.Entry, body: dict[str, Any], secrets: list[str]) -> None:
        # the same PATCH twice leaves the same entry: safe to repeat after a lost reply
        self._http().send(
            "PATCH",
            f"/v9{self._env}/{quote(entry.id, safe='')}",
            json=body,
            params=self._team,
            idempotent=True,
            secrets=secrets,
        )

    def _list(self) -> list[env.Entry]:
        """Every entry of the project, following ``pagination.next`` where the answer has one."""
        http = self._http()
        found: list[env.Entry] = []
        after: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            params = {**self._team, **({"until": after} if after else {})}
            page, after = env.entries(
                self._json(http.send("GET", f"/v10{self._env}", params=params, idempotent=True)), self.name
            )
            found.extend(page)
            if after is None:
                return found
            if after in seen:
                raise NetworkError(f"{self.name}: env pagination went round in a cycle")
            seen.add(after)
        raise NetworkError(f"{self.name}: env pagination did not end after {MAX_PAGES} pages")

    def _value(self, entry: env.Entry) -> str:
        """The plaintext of a readable entry: from the listing, or from the decrypted GET."""
        if entry.listed is not None:
            return entry.listed
        got = self._json(
            self._http().send(
                "GET", f"/v1{self._env}/{quote(entry.id, safe='')}", params=self._team, idempotent=True
            )
        )
        value = got.get("value") if isinstance(got, dict) else None
        if not isinstance(value, str):
            raise NetworkError(f"{self.name}: no readable value for {entry.key}")
        return value

    def _json(self, reply: Reply) -> Any:
        return self._http().json(reply)

    def _http(self) -> HttpClient:
        if self._client is None:
            token = self._environ.get("VERCEL_TOKEN")
            if not token:
                raise CredentialsError(
                    f"{self.name}: VERCEL_TOKEN is not set",
                    hint="create a token in Vercel's Account Settings > Tokens and export VERCEL_TOKEN",
                )
            self._team = _team(self._environ)
            url = inputs.base_url(
                self._environ.get("ENVGUARD_VERCEL_URL") or VERCEL_URL, "ENVGUARD_VERCEL_URL"
            )
            headers = {"Authorization": f"Bearer {inputs.token(token, 'VERCEL_TOKEN')}"}
            self._client = HttpClient(
                self.name,
                url,
                headers,
                retry=self._retry,
                timeout=self._timeout,
                proxy=inputs.proxy(self._environ, url),
                rate_limit=reset_wait,
            )
        return self._client


def _team(environ: Mapping[str, str]) -> dict[str, str | int]:
    """``teamId`` for every call: VERCEL_TEAM_ID, or VERCEL_ORG_ID when it names a team.

    Vercel's CLI and the seed workflows call the owner VERCEL_ORG_ID; for a personal account it is
    the user's id, which is no team (only ``team_...`` ids are).
    """
    if team := environ.get("VERCEL_TEAM_ID"):
        return {"teamId": inputs.token(team, "VERCEL_TEAM_ID")}
    org = environ.get("VERCEL_ORG_ID", "")
    if org.startswith("team_"):
        return {"teamId": inputs.token(org, "VERCEL_ORG_ID")}
    return {}
