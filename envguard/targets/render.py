"""Render service environment variables through the REST API v1: ``render://SERVICE_ID``.

Render's ``PUT /services/{id}/env-vars`` replaces the whole set, so a stale or partial view would
delete other people's keys. This target re-reads every page right before applying and compares with
the plan; a small change is then written one key at a time (``PUT``/``DELETE`` of one key, both
safe to repeat), touching only the keys the plan names. From ``BULK_FROM`` changes on, one
replace-all ``PUT`` carries the set just read (all pages, never a partial view) with the plan
applied, and the set is read back: a key that was there and is gone (a teammate's write raced
ours) is put back from the values read. Writes do not redeploy on Render: a deploy is requested
after the writes, only when asked for, and never repeated blindly (the newest deploy tells).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from envguard.errors import CredentialsError, NetworkError, TargetError
from envguard.targets import inputs
from envguard.targets.base import ApplyResult, Plan, Remote
from envguard.targets.http import HttpClient, RetryPolicy
from envguard.targets.reconcile import Progress, Reconciled, reconcile

RENDER_URL = "https://api.render.com/v1"
PAGE_SIZE = 100  # Render's maximum
#: from this many writes and deletes on, one replace-all PUT of the fresh full view replaces per-key calls
BULK_FROM = 10
CHANGED_AFTER = "changed by someone else right after the write; left as is"
RESTORE_FAILED = "deleted by a concurrent replace-all and could not be put back"


class RenderTarget:
    """The environment variables set directly on one Render service (not its env groups)."""

    def __init__(
        self,
        service_id: str,
        environ: Mapping[str, str],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self.service_id = service_id
        self.uri = f"render://{service_id}"
        self.name = f"Render ({self.uri})"
        self._environ = environ
        self._retry = retry
        self._timeout = timeout
        self._page_size = max(1, min(page_size, PAGE_SIZE))
        self._client: HttpClient | None = None

    @property
    def _service(self) -> str:
        return f"/services/{quote(self.service_id, safe='')}"

    def admit(self, local: Mapping[str, str], remote: Remote | None = None) -> dict[str, str]:
        """Every name and value as given: Render documents no name rules or limits to check."""
        return dict(local)

    def fetch(self) -> Remote:
        """Every variable of the service (a missing service is a NotFoundError)."""
        return Remote(self.read())

    def read(self) -> dict[str, str]:
        """Every variable of the service, following cursors until a short page."""
        return dict(self._pages())

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Re-read all pages, then write what still needs it (per key, or in bulk); deploy if asked.

        Keys someone else added, changed or removed since the plan are reported in ``failed``
        and left alone; keys the plan does not name are never changed.
        """
        if plan.empty:
            return ApplyResult()
        http = self._http()
        start = http.requests
        current = self.read()
        todo = reconcile(plan, current)
        run = Progress()
        if len(todo.writes) + len(todo.deletes) >= BULK_FROM:
            self._replace_all(http, current, todo, run)
        else:
            self._per_key(http, todo, run)
        if deploy and run.changed:
            self._deploy(http, run)
        return run.result(todo, http.requests - start)

    def _replace_all(
        self, http: HttpClient, current: Mapping[str, str], todo: Reconciled, run: Progress
    ) -> None:
        """One PUT of the set read just now with the plan applied, then a read-back.

        Keys the plan does not name, and keys that changed remotely since the plan (conflicts),
        are sent back exactly as they were read, so they survive.
        """
        merged = {k: v for k, v in current.items() if k not in todo.deletes}
        merged.update(todo.writes)
        body = [{"key": k, "value": v} for k, v in merged.items()]
        try:
            reply = http.mutate(
                "PUT",
                f"{self._service}/env-vars",
                json=body,
                secrets=merged.values(),
                confirm=lambda: self._holds(merged),
            )
        except TargetError as exc:
            run.fail([*todo.writes, *todo.deletes], exc)
            return
        if reply is not None and not isinstance(http.json(reply), list):
            raise NetworkError(f"{self.name}: unexpected response shape for env-vars")
        run.written.extend(todo.writes)
        run.removed.extend(todo.deletes)
        self._verify(http, merged, todo, run)

    def _verify(self, http: HttpClient, sent: Mapping[str, str], todo: Reconciled, run: Progress) -> None:
        """Read the set back; put back keys the replace-all lost, report what could not be."""
        now = self.read()
        lost = {k: v for k, v in sent.items() if k not in now}
        for key, value in lost.items():
            try:
                http.send("PUT", self._path(key), json={"value": value}, idempotent=True, secrets=[value])
            except TargetError:
                run.failed[key] = RESTORE_FAILED
                if key in run.written:
                    run.written.remove(key)
                continue
            run.restored.append(key)
        for key, value in todo.writes.items():
            if key in now and now[key] != value:
                run.written.remove(key)
                run.failed[key] = CHANGED_AFTER

    def _holds(self, wanted: Mapping[str, str]) -> bool:
        """Whether the service now holds exactly ``wanted`` (did a replace-all take effect?)."""
        return self.read() == dict(wanted)

    def _per_key(self, http: HttpClient, todo: Reconciled, run: Progress) -> None:
        """PUT or DELETE each key that still needs it, reporting failures per key."""
        run.put_each(http, todo.writes, self._path, lambda value: {"value": value})
        run.delete_each(http, todo.deletes, self._path)

    def _deploy(self, http: HttpClient, run: Progress) -> None:
        before = self._newest_deploy(http)
        try:
            http.mutate(
                "POST",
                f"{self._service}/deploys",
                json={},
                secrets=(),
                confirm=lambda: self._newest_deploy(http) != before,
            )
        except TargetError as exc:
            done = len(run.written) + len(run.removed)
            message = f"{exc.message}; {done} variable change(s) applied, but no deploy confirmed"
            raise type(exc)(message, exc.hint) from None
        run.deployed = True

    def _newest_deploy(self, http: HttpClient) -> str | None:
        page = http.json(http.send("GET", f"{self._service}/deploys", params={"limit": 1}, idempotent=True))
        if not isinstance(page, list):
            raise NetworkError(f"{self.name}: unexpected response shape for deploys")
        deploy = page[0].get("deploy") if page and isinstance(page[0], dict) else None
        return str(deploy.get("id")) if isinstance(deploy, dict) else None

    def _path(self, key: str) -> str:
        return f"{self._service}/env-vars/{quote(key, safe='')}"

    def _pages(self) -> Iterator[tuple[str, str]]:
        http = self._http()
        cursor: str | None = None
        seen: set[str] = set()
        while True:
            params: dict[str, str | int] = {"limit": self._page_size}
            if cursor:
                params["cursor"] = cursor
            page = http.json(http.send("GET", f"{self._service}/env-vars", params=params, idempotent=True))
            if not isinstance(page, list):
                raise NetworkError(f"{self.name}: unexpected response shape for env-vars")
            for item in page:
                yield self._entry(item)
            if len(page) < self._page_size:
                return
            after = page[-1].get("cursor") if isinstance(page[-1], dict) else None
            if not isinstance(after, str) or not after:
                # a partial view would make a plan overwrite keys it did not see: fail instead
                raise NetworkError(f"{self.name}: env-vars pagination returned no usable cursor")
            if after in seen:
                raise NetworkError(f"{self.name}: env-vars pagination went round in a cycle")
            seen.add(after)
            cursor = after

    def _entry(self, item: Any) -> tuple[str, str]:
        var = item.get("envVar") if isinstance(item, dict) else None
        if (
            not isinstance(var, dict)
            or not isinstance(var.get("key"), str)
            or not isinstance(var.get("value"), str)
        ):
            raise NetworkError(f"{self.name}: unexpected response shape for env-vars")
        return var["key"], var["value"]

    def _http(self) -> HttpClient:
        if self._client is None:
            key = self._environ.get("RENDER_API_KEY")
            if not key:
                raise CredentialsError(
                    f"{self.name}: RENDER_API_KEY is not set",
                    hint="create an API key in Render's Account Settings and export RENDER_API_KEY",
                )
            url = inputs.base_url(
                self._environ.get("ENVGUARD_RENDER_URL") or RENDER_URL, "ENVGUARD_RENDER_URL"
            )
            headers = {"Authorization": f"Bearer {inputs.token(key, 'RENDER_API_KEY')}"}
            self._client = HttpClient(
                self.name,
                url,
                headers,
                retry=self._retry,
                timeout=self._timeout,
                proxy=inputs.proxy(self._environ, url),
            )
        return self._client
