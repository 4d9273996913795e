"""Vault (and OpenBao) KV secrets as a sync target, through hvac.

One URI names one secret: ``vault://MOUNT/PATH`` holds every variable as a key of that secret. The
mount and its KV version come from ``sys/internal/ui/mounts/<path>`` (what the Vault CLI does), so
nested mounts and KV v1 work. KV v2 writes use check-and-set with the version read at plan time; on
a mismatch the secret is re-read and the plan replayed key by key, so a concurrent writer's keys
survive. Removing a key rewrites the map without it; versions are never deleted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hvac
import requests
from hvac import exceptions as vault_errors
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from envguard.errors import TargetError, UsageError
from envguard.targets.base import ApplyResult, Plan
from envguard.targets.reconcile import reconcile

_ATTEMPTS = 4
_TIMEOUT = 15


@dataclass(frozen=True)
class _Mount:
    """Where the secret lives: the engine's mount, the path inside it, and the KV version."""

    mount: str
    path: str
    version: int


class VaultTarget:
    """The keys of one KV secret; credentials from ``environ`` (VAULT_ADDR, VAULT_TOKEN, ...)."""

    def __init__(self, mount: str, path: str, environ: Mapping[str, str]) -> None:
        self.uri = f"vault://{mount}/{path}"
        self._full = f"{mount}/{path}"
        self._environ = environ
        self._client: hvac.Client | None = None
        self._where: _Mount | None = None
        self._seen: tuple[dict[str, Any], int] | None = None

    def read(self) -> dict[str, str]:
        """The secret's keys as strings; an absent secret reads as empty."""
        with self._errors():
            raw, version = self._read()
        self._seen = (raw, version)
        return _texts(raw)

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Write the plan with check-and-set; ``deploy`` has no meaning for Vault."""
        with self._errors():
            seen = self._seen if self._seen and _texts(self._seen[0]) == plan.expected else None
            requests_made = 0
            for _ in range(_ATTEMPTS):
                raw, version = seen or self._read()
                requests_made += 0 if seen else 1
                seen = None
                merged, result = _replay(plan, raw)
                if merged == raw:
                    return _with(result, requests_made)
                if self._write(merged, version):
                    return _with(result, requests_made + 1)
                requests_made += 1
        raise TargetError(
            f"{self.uri}: the secret kept changing while envguard wrote it (check-and-set)",
            hint="run the push again; nothing was overwritten",
        )

    def _read(self) -> tuple[dict[str, Any], int]:
        """The raw map and its version (0 when the secret does not exist; always 0 on KV v1)."""
        where, kv = self._locate(), self._connect().secrets.kv
        if where.version == 1:
            try:
                return dict(kv.v1.read_secret(where.path, mount_point=where.mount)["data"]), 0
            except vault_errors.InvalidPath:
                return {}, 0
        try:
            body = kv.v2.read_secret_version(
                where.path, mount_point=where.mount, raise_on_deleted_version=True
            )["data"]
        except vault_errors.InvalidPath:
            return {}, self._current_version(where)
        return dict(body["data"] or {}), int(body["metadata"]["version"])

    def _current_version(self, where: _Mount) -> int:
        """The version to check-and-set against when the latest one is deleted or absent."""
        try:
            meta = self._connect().secrets.kv.v2.read_secret_metadata(where.path, mount_point=where.mount)
        except (vault_errors.InvalidPath, vault_errors.Forbidden):
            return 0
        return int(meta["data"]["current_version"])

    def _write(self, data: dict[str, Any], version: int) -> bool:
        """Write ``data``; False when KV v2 check-and-set found a newer version."""
        where, kv = self._locate(), self._connect().secrets.kv
        if where.version == 1:
            kv.v1.create_or_update_secret(where.path, data, mount_point=where.mount)
            return True
        try:
            kv.v2.create_or_update_secret(where.path, data, cas=version, mount_point=where.mount)
        except vault_errors.InvalidRequest as exc:
            if "check-and-set" in " ".join(str(e) for e in exc.errors or ()):
                return False
            raise
        return True

    def _locate(self) -> _Mount:
        """Ask Vault which mount holds the path and which KV version it runs."""
        if self._where is None:
            self._where = _locate(self._connect(), self._full, self.uri)
        return self._where

    def _connect(self) -> hvac.Client:
        """An authenticated client (token, else AppRole), built once."""
        if self._client is None:
            self._client = _client(self._environ, self.uri)
        return self._client

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn hvac and network failures into one TargetError line naming the target."""
        try:
            yield
        except vault_errors.VaultError as exc:
            message, hint = _explain(exc)
            raise TargetError(f"{self.uri}: {message}", hint=hint) from None
        except requests.exceptions.SSLError:
            raise TargetError(
                f"{self.uri}: TLS verification failed", hint="point VAULT_CACERT at the CA bundle"
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
            raise TargetError(
                f"{self.uri}: cannot connect to {self._environ.get('VAULT_ADDR')}",
                hint="check VAULT_ADDR and that Vault is reachable",
            ) from None


def _client(environ: Mapping[str, str], uri: str) -> hvac.Client:
    """Build an hvac client from ``environ`` only (hvac would also read the process env)."""
    addr = environ.get("VAULT_ADDR")
    if not addr:
        raise UsageError(f"{uri}: VAULT_ADDR is not set", hint="export VAULT_ADDR=https://...")
    token, role, secret = (environ.get(k) for k in ("VAULT_TOKEN", "VAULT_ROLE_ID", "VAULT_SECRET_ID"))
    if not token and not (role and secret):
        raise UsageError(
            f"{uri}: no Vault credentials",
            hint="set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole",
        )
    cacert = environ.get("VAULT_CACERT")
    if cacert and not Path(cacert).is_file():
        raise UsageError(f"{uri}: VAULT_CACERT {cacert} is not a file", hint="point it at a PEM bundle")
    session = requests.Session()
    # hvac takes TLS settings from a given session, so VAULT_CACERT goes there.
    session.verify = cacert or True
    retry = Retry(
        total=3,
        backoff_factor=0.3,
        status_forcelist=(412, 429, 502, 503, 504),
        allowed_methods=None,
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    client = hvac.Client(
        url=addr,
        token=token or "",
        timeout=_TIMEOUT,
        namespace=environ.get("VAULT_NAMESPACE") or None,
        session=session,
    )
    if not token:
        client.auth.approle.login(role_id=role, secret_id=secret, use_token=True)
    return client


def _locate(client: hvac.Client, full: str, uri: str) -> _Mount:
    """Resolve ``full`` (``mount/path``) to its KV mount; a Vault without the endpoint is v1."""
    try:
        info = client.adapter.get(f"/v1/sys/internal/ui/mounts/{full}")["data"]
    except vault_errors.InvalidPath:
        mount, _, path = full.partition("/")
        return _Mount(mount, path, 1)
    mount = str(info.get("path", "")).rstrip("/")
    if info.get("type") not in ("kv", "generic") or not full.startswith(mount + "/"):
        raise TargetError(f"{uri}: {mount or full!r} is not a KV secrets engine")
    version = 2 if str((info.get("options") or {}).get("version")) == "2" else 1
    return _Mount(mount, full[len(mount) + 1 :].strip("/"), version)


def _replay(plan: Plan, raw: dict[str, Any]) -> tuple[dict[str, Any], ApplyResult]:
    """The map to write (raw values of untouched keys kept as stored) and what it will do."""
    todo = reconcile(plan, _texts(raw))
    merged = {k: v for k, v in raw.items() if k not in todo.deletes}
    merged.update(todo.writes)
    done = {*todo.writes, *todo.settled}
    written = tuple(k for k in (*plan.added, *plan.changed) if k in done)
    removed = tuple(k for k in plan.removed if k in todo.deletes or k in todo.gone)
    return merged, ApplyResult(written=written, removed=removed, failed=dict(todo.conflicts))


def _with(result: ApplyResult, requests_made: int) -> ApplyResult:
    """``result`` with the request count filled in."""
    return ApplyResult(result.written, result.removed, result.failed, requests_made)


def _texts(raw: Mapping[str, Any]) -> dict[str, str]:
    """Stored values as env strings: JSON for anything that is not already a string."""
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in raw.items()}


_EXPLAINED: dict[type[vault_errors.VaultError], tuple[str, str | None]] = {
    vault_errors.Forbidden: (
        "permission denied",
        "check VAULT_TOKEN (or the AppRole) and that its policy allows this path",
    ),
    vault_errors.Unauthorized: ("authentication failed", "check the Vault credentials"),
    vault_errors.InvalidPath: ("not found", "check the mount and path in the URI"),
    vault_errors.RateLimitExceeded: ("rate limited by Vault", "try again later"),
    vault_errors.VaultDown: ("Vault is sealed or unavailable", None),
}


def _explain(exc: vault_errors.VaultError) -> tuple[str, str | None]:
    """A one-line reason for a Vault error; server text only where it cannot hold a value."""
    errors = " ".join(str(e) for e in getattr(exc, "errors", None) or ())
    if "preflight capability check" in errors:
        return "no such KV mount, or no access to it", "check the mount in the URI and the policy"
    if "invalid role or secret ID" in errors or "invalid secret id" in errors.lower():
        return "AppRole login failed", "check VAULT_ROLE_ID and VAULT_SECRET_ID"
    for kind, explained in _EXPLAINED.items():
        if isinstance(exc, kind):
            return explained
    return f"Vault request failed ({type(exc).__name__})", None
