"""GitHub Actions secrets: ``github://OWNER/REPO`` and ``github://OWNER/REPO/environments/ENV``.

Secrets are write-only: the API lists names and ``updated_at``, never values. A value is sent as a
libsodium sealed box under the repository's (or the environment's) own public key with its
``key_id`` (``sealed.py``); ``PUT`` and ``DELETE`` of one secret are safe to repeat. Because nothing
can be read back, a plan compares through the local push record (``envguard.pushlog``): a secret
whose ``updated_at`` is unchanged since envguard pushed it is known by the digest of that value.
Before writing, the names are listed again, and a secret someone else added or changed since the
plan is left alone. Rate limits: ``x-ratelimit-remaining: 0`` with ``x-ratelimit-reset`` (403 or
429), and secondary limits with ``retry-after`` (else a minute).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from envguard.errors import CredentialsError, NetworkError, NotFoundError, TargetError, UsageError
from envguard.pushlog import Pushed, PushLog
from envguard.targets import github_names, inputs
from envguard.targets.base import ApplyResult, Plan, Remote
from envguard.targets.http import HttpClient, RetryPolicy
from envguard.targets.reconcile import (
    ADDED_REMOTELY,
    CHANGED_REMOTELY,
    REMOVED_REMOTELY,
    Progress,
    Reconciled,
)
from envguard.targets.reply import Reply
from envguard.targets.sealed import seal

GITHUB_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
PAGE = 100
WRITE_ONLY = "a GitHub Actions secret: its value can never be read back"
UNVERIFIED = "GitHub secrets cannot be read back: {count} written, not verifiable"
NOT_FOUND_HINT = (
    "check OWNER/REPO and the environment name; GitHub also answers 404 when the token "
    "cannot see the repository"
)


class GitHubTarget:
    """The Actions secrets of one repository, or of one of its environments."""

    def __init__(
        self,
        owner: str,
        repo: str,
        environment: str | None,
        environ: Mapping[str, str],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        root: Path | None = None,
    ) -> None:
        where = f"/environments/{environment}" if environment else ""
        self.uri = f"github://{owner}/{repo}{where}"
        self.name = f"GitHub ({self.uri})"
        repo_path = f"/repos/{quote(owner, safe='')}/{quote(repo, safe='')}"
        self._secrets = (
            f"{repo_path}/environments/{quote(environment, safe='')}/secrets"
            if environment
            else f"{repo_path}/actions/secrets"
        )
        self._environ = environ
        self._retry = retry
        self._timeout = timeout
        self._client: HttpClient | None = None
        self._log = PushLog(self.uri, root)
        self._listed: dict[str, str] | None = None

    def admit(self, local: Mapping[str, str], remote: Remote | None = None) -> dict[str, str]:
        """``local`` under GitHub's stored (upper-case) names; UsageError for a name it refuses."""
        return github_names.admit(local, None if remote is None else remote.unreadable, self.name)

    def fetch(self) -> Remote:
        """Every secret's name; values known only by the digest of what envguard last pushed."""
        listed = self._listed = self._list()
        pushed = self._log.entries()
        known = {k: p.digest for k, p in pushed.items() if listed.get(k) == p.updated_at}
        stale = tuple(sorted(k for k, p in pushed.items() if k in listed and listed[k] != p.updated_at))
        return Remote(
            {},
            unreadable=tuple(sorted(listed)),
            why=WRITE_ONLY,
            write_only=True,
            known=known,
            digest=self._log.digest,
            stale=stale,
        )

    def read(self) -> dict[str, str]:
        """Never possible: UsageError (exit 2) saying what can be done instead."""
        raise UsageError(
            f"{self.name}: GitHub Actions secrets cannot be read back, so there are no "
            "values to pull or run with",
            hint="`envguard diff FILE URI` compares names; `check --from` checks names",
        )

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """List again, then PUT each sealed value and DELETE each removed name, one by one."""
        if plan.empty:
            return ApplyResult()
        http = self._http()
        start = http.requests
        before = self._listed
        now = self._list()
        todo = _reconcile(plan, before if before is not None else now, now)
        run = Progress()
        if todo.writes:
            key_id, key = self._public_key()
            run.put_each(
                http,
                todo.writes,
                self._path,
                lambda value: {"encrypted_value": seal(key, value, self.name), "key_id": key_id},
            )
        run.delete_each(http, todo.deletes, self._path)
        self._remember(todo, run)
        result = run.result(todo, http.requests - start)
        notes: tuple[str, ...] = (UNVERIFIED.format(count=len(run.written)),) if run.written else ()
        if deploy:
            notes += ("GitHub Actions reads secrets when a workflow run starts: nothing to deploy",)
        return ApplyResult(
            result.written,
            result.removed,
            result.failed,
            result.requests,
            notes=notes,
            unverified=tuple(run.written),
        )

    def _remember(self, todo: Reconciled, run: Progress) -> None:
        """Record the digest and the new ``updated_at`` of each secret written (one more listing)."""
        if not run.written and not run.removed:
            return
        try:
            listed = self._list()
        except TargetError:
            listed = {}  # unrecorded: the next plan replaces these once more, which is safe
        self._listed = listed
        pushed = {k: Pushed(self._log.digest(todo.writes[k]), listed[k]) for k in run.written if k in listed}
        self._log.record(pushed, dropped=[*run.removed, *(k for k in run.written if k not in listed)])

    def _public_key(self) -> tuple[str, str]:
        got = self._http().json(self._http().send("GET", f"{self._secrets}/public-key", idempotent=True))
        if not isinstance(got, dict) or not all(isinstance(got.get(k), str) for k in ("key_id", "key")):
            raise NetworkError(f"{self.name}: unexpected response shape for the public key")
        return got["key_id"], got["key"]

    def _list(self) -> dict[str, str]:
        """Every secret's name and ``updated_at``, page by page (100 a page, GitHub's maximum)."""
        http = self._http()
        found: dict[str, str] = {}
        for page in range(1, github_names.MAX_SECRETS * 10 // PAGE + 2):
            try:
                reply = http.send(
                    "GET", self._secrets, params={"per_page": PAGE, "page": page}, idempotent=True
                )
            except NotFoundError as exc:
                raise NotFoundError(exc.message, hint=NOT_FOUND_HINT) from None
            body = http.json(reply)
            items = body.get("secrets") if isinstance(body, dict) else None
            if not isinstance(items, list) or not isinstance(body.get("total_count"), int):
                raise NetworkError(f"{self.name}: unexpected response shape for secrets")
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                    raise NetworkError(f"{self.name}: unexpected response shape for a secret")
                found[item["name"]] = str(item.get("updated_at", ""))
            if len(items) < PAGE or len(found) >= body["total_count"]:
                return found
        raise NetworkError(f"{self.name}: the list of secrets did not end")

    def _path(self, name: str) -> str:
        return f"{self._secrets}/{quote(name, safe='')}"

    def _http(self) -> HttpClient:
        if self._client is None:
            names = ("GH_TOKEN", "GITHUB_TOKEN")  # as the gh CLI: GH_TOKEN first
            variable = next((n for n in names if self._environ.get(n)), None)
            if variable is None:
                raise CredentialsError(
                    f"{self.name}: neither GH_TOKEN nor GITHUB_TOKEN is set",
                    hint="export a token that may write Actions secrets "
                    "(fine-grained: Secrets read and write)",
                )
            url = inputs.base_url(
                self._environ.get("ENVGUARD_GITHUB_URL") or GITHUB_URL, "ENVGUARD_GITHUB_URL"
            )
            headers = {
                "Authorization": f"Bearer {inputs.token(self._environ[variable], variable)}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
            }
            self._client = HttpClient(
                self.name,
                url,
                headers,
                retry=self._retry,
                timeout=self._timeout,
                proxy=inputs.proxy(self._environ, url),
                rate_limit=limit_wait,
            )
        return self._client


def _reconcile(plan: Plan, seen: Mapping[str, str], now: Mapping[str, str]) -> Reconciled:
    """What is still to do: names someone else added, changed or removed since the plan are left."""
    writes: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    for name, value in {**plan.added, **plan.changed}.items():
        if name not in seen and name in now:
            conflicts[name] = ADDED_REMOTELY
        elif name in seen and name not in now:
            conflicts[name] = REMOVED_REMOTELY
        elif name in seen and seen[name] != now[name]:
            conflicts[name] = CHANGED_REMOTELY
        else:
            writes[name] = value
    deletes = [n for n in plan.removed if n in now and seen.get(n) == now[n]]
    conflicts.update({n: CHANGED_REMOTELY for n in plan.removed if n in now and seen.get(n) != now[n]})
    gone = tuple(n for n in plan.removed if n not in now)
    return Reconciled(writes, tuple(deletes), (), gone, conflicts)


def limit_wait(reply: Reply) -> float | None:
    """Seconds a GitHub rate-limit answer asks to wait (a 403 or 429), None for any other reply.

    No requests left: until ``x-ratelimit-reset`` (UTC epoch seconds). A secondary limit:
    ``retry-after``, else a minute, as GitHub's documentation says.
    """
    if reply.status not in (403, 429):
        return None
    headers = reply.headers
    reset = headers.get("x-ratelimit-reset", "")
    if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(0.0, int(reset) - time.time())
    if (after := headers.get("retry-after", "")).isdigit():
        return float(after)
    body = reply.parsed()
    message = str(body.get("message", "")) if isinstance(body, dict) else ""
    return 60.0 if "rate limit" in message.lower() else None
