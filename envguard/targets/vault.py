"""Vault (and OpenBao) KV secrets as a sync target, through hvac.

One URI names one secret: ``vault://MOUNT/PATH`` holds every variable as a key of that secret. The
mount and its KV version come from ``sys/internal/ui/mounts/<path>`` (what the Vault CLI does), so
nested mounts and KV v1 work. A path nobody wrote is absent, never an empty secret: ``read`` (pull,
diff, ``check --from``) fails with NotFoundError, and only ``fetch`` (push) plans against it.

KV v2 writes use check-and-set with the version read at plan time; on a mismatch the secret is
re-read and the plan replayed key by key, so a concurrent writer's keys survive. KV v1 has no
check-and-set: it re-reads right before writing and reads back after, and a write someone else
overwrote fails with ConflictError naming the keys. Removing a key rewrites the map without it;
versions are never deleted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import hvac
from hvac import exceptions as vault_errors

from envguard.errors import ConflictError, NotFoundError
from envguard.targets.base import ApplyResult, Plan, Remote
from envguard.targets.http import RetryPolicy
from envguard.targets.reconcile import reconcile
from envguard.targets.vault_client import Mount, address, connect, locate, translated

_ATTEMPTS = 4


class VaultTarget:
    """The keys of one KV secret; credentials from ``environ`` (VAULT_ADDR, VAULT_TOKEN, ...)."""

    def __init__(
        self, mount: str, path: str, environ: Mapping[str, str], *, retry: RetryPolicy | None = None
    ) -> None:
        self.uri = f"vault://{mount}/{path}"
        self._full = f"{mount}/{path}"
        self._environ = environ
        self._retry = retry
        self._client: hvac.Client | None = None
        self._where: Mount | None = None
        self._seen: tuple[dict[str, Any], int] | None = None

    def admit(self, local: Mapping[str, str], remote: Remote | None = None) -> dict[str, str]:
        """Every name and value as given: Vault documents no name rules or limits to check."""
        return dict(local)

    def fetch(self) -> Remote:
        """The secret's keys as strings; ``exists=False`` for a path nobody wrote (or deleted)."""
        with self._translated():
            raw, version, exists = self._read()
        self._seen = (raw, version)
        return Remote(_texts(raw), exists=exists)

    def read(self) -> dict[str, str]:
        """The secret's keys as strings; NotFoundError when there is no secret at the path."""
        remote = self.fetch()
        if not remote.exists:
            raise NotFoundError(
                f"{self.uri}: no secret at {self._full} on {address(self._connect())}",
                hint="check the path, or create it with `envguard push`",
            )
        return remote.values

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Write the plan with check-and-set; ``deploy`` has no meaning for Vault."""
        with self._translated():
            # KV v1 has no check-and-set, so it always re-reads right before writing
            fresh = self._seen is not None and _texts(self._seen[0]) == plan.expected
            seen = self._seen if fresh and self._locate().version == 2 else None
            self._seen, requests_made = None, 0
            for attempt in range(_ATTEMPTS):
                raw, version = seen or self._read(thorough=attempt > 0)[:2]
                requests_made += 0 if seen else 1
                seen = None
                merged, result = _replay(plan, raw)
                if merged == raw:
                    return _with(result, requests_made)
                if self._write(merged, version):
                    return _with(result, requests_made + 1 + self._check_v1(merged, plan))
                requests_made += 1
        raise ConflictError(
            f"{self.uri}: the secret kept changing while envguard wrote it (check-and-set); "
            f"not written: {', '.join(sorted({*plan.added, *plan.changed, *plan.removed}))}",
            hint="run the push again; nothing was overwritten",
        )

    def _read(self, thorough: bool = False) -> tuple[dict[str, Any], int, bool]:
        """The raw map, its version (always 0 on KV v1), and whether the secret exists.

        An unreadable latest version means a new secret (version 0) or a deleted latest version;
        only a ``thorough`` read asks the metadata which. Guessing 0 is safe: check-and-set 0 never
        overwrites an existing secret, and a refused write re-reads thoroughly.
        """
        where, kv = self._locate(), self._connect().secrets.kv
        if where.version == 1:
            try:
                return dict(kv.v1.read_secret(where.path, mount_point=where.mount)["data"]), 0, True
            except vault_errors.InvalidPath:
                return {}, 0, False
        try:
            body = kv.v2.read_secret_version(
                where.path, mount_point=where.mount, raise_on_deleted_version=True
            )["data"]
        except vault_errors.InvalidPath:
            return {}, self._current_version(where) if thorough else 0, False
        return dict(body["data"] or {}), int(body["metadata"]["version"]), True

    def _current_version(self, where: Mount) -> int:
        """The version to check-and-set against when the latest one is deleted or absent."""
        try:
            meta = self._connect().secrets.kv.v2.read_secret_metadata(where.path, mount_point=where.mount)
        except (vault_errors.InvalidPath, vault_errors.Forbidden):
            return 0
        return int(meta["data"]["current_version"])

    def _write(self, data: dict[str, Any], version: int) -> bool:
        """Write ``data``; False when KV v2 check-and-set found a newer version.

        Both writes are safe to repeat after a lost reply: a check-and-set write fails the second
        time (and the replay finds the work done), a KV v1 write puts the same whole map again.
        """
        where, client = self._locate(), self._connect()
        kv = client.secrets.kv
        with client.adapter.declared(idempotent=True):
            if where.version == 1:
                kv.v1.create_or_update_secret(where.path, data, method="POST", mount_point=where.mount)
                return True
            try:
                kv.v2.create_or_update_secret(where.path, data, cas=version, mount_point=where.mount)
            except vault_errors.InvalidRequest as exc:
                if "check-and-set" in " ".join(str(e) for e in exc.errors or ()):
                    return False
                raise
        return True

    def _check_v1(self, written: dict[str, Any], plan: Plan) -> int:
        """KV v1: read back and fail on any planned key not as written; the requests it took."""
        if self._locate().version != 1:
            return 0
        now = _texts(self._read()[0])
        wanted = _texts(written)
        wrong = sorted(
            k for k in (*plan.added, *plan.changed) if now.get(k) != wanted.get(k) and k in wanted
        ) + sorted(k for k in plan.removed if k in now and k not in wanted)
        if wrong:
            raise ConflictError(
                f"{self.uri}: someone else wrote the secret during the push (KV v1 has no "
                f"check-and-set); not as written: {', '.join(wrong)}",
                hint="run the push again, or move the secret to a KV v2 mount",
            )
        return 1

    def _translated(self) -> Any:
        return translated(self.uri)

    def _locate(self) -> Mount:
        """Ask Vault which mount holds the path and which KV version it runs."""
        if self._where is None:
            self._where = locate(self._connect(), self._full, self.uri)
        return self._where

    def _connect(self) -> hvac.Client:
        """An authenticated client (token, else AppRole, else ~/.vault-token), built once."""
        if self._client is None:
            self._client = connect(self._environ, self.uri, self._retry)
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
