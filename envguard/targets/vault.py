"""Vault (and OpenBao) KV secrets as a sync target, through hvac.

One URI names one secret: ``vault://MOUNT/PATH`` holds every variable as a key of that secret. The
mount and its KV version come from ``sys/internal/ui/mounts/<path>`` (what the Vault CLI does), so
nested mounts and KV v1 work. KV v2 writes use check-and-set with the version read at plan time; on
a mismatch the secret is re-read and the plan replayed key by key, so a concurrent writer's keys
survive. Removing a key rewrites the map without it; versions are never deleted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import hvac
from hvac import exceptions as vault_errors

from envguard.errors import TargetError
from envguard.targets.base import ApplyResult, Plan
from envguard.targets.reconcile import reconcile
from envguard.targets.vault_client import Mount, connect, locate, translated

_ATTEMPTS = 4


class VaultTarget:
    """The keys of one KV secret; credentials from ``environ`` (VAULT_ADDR, VAULT_TOKEN, ...)."""

    def __init__(self, mount: str, path: str, environ: Mapping[str, str]) -> None:
        self.uri = f"vault://{mount}/{path}"
        self._full = f"{mount}/{path}"
        self._environ = environ
        self._client: hvac.Client | None = None
        self._where: Mount | None = None
        self._seen: tuple[dict[str, Any], int] | None = None

    def read(self) -> dict[str, str]:
        """The secret's keys as strings; an absent secret reads as empty."""
        with translated(self.uri, self._environ.get("VAULT_ADDR")):
            raw, version = self._read()
        self._seen = (raw, version)
        return _texts(raw)

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Write the plan with check-and-set; ``deploy`` has no meaning for Vault."""
        with translated(self.uri, self._environ.get("VAULT_ADDR")):
            # KV v1 has no check-and-set, so it always re-reads right before writing
            fresh = self._seen is not None and _texts(self._seen[0]) == plan.expected
            seen = self._seen if fresh and self._locate().version == 2 else None
            self._seen, requests_made = None, 0
            for attempt in range(_ATTEMPTS):
                raw, version = seen or self._read(thorough=attempt > 0)
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

    def _read(self, thorough: bool = False) -> tuple[dict[str, Any], int]:
        """The raw map and its version (always 0 on KV v1).

        An unreadable latest version means a new secret (version 0) or a deleted latest version;
        only a ``thorough`` read asks the metadata which. Guessing 0 is safe: check-and-set 0 never
        overwrites an existing secret, and a refused write re-reads thoroughly.
        """
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
            return {}, self._current_version(where) if thorough else 0
        return dict(body["data"] or {}), int(body["metadata"]["version"])

    def _current_version(self, where: Mount) -> int:
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

    def _locate(self) -> Mount:
        """Ask Vault which mount holds the path and which KV version it runs."""
        if self._where is None:
            self._where = locate(self._connect(), self._full, self.uri)
        return self._where

    def _connect(self) -> hvac.Client:
        """An authenticated client (token, else AppRole), built once."""
        if self._client is None:
            self._client = connect(self._environ, self.uri)
        return self._client


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
