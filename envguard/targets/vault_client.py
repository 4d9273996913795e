"""The hvac edge of the Vault target: an authenticated client, mount lookup, error translation.

Everything comes from the ``environ`` given (``vault_env``): hvac on its own would read
``VAULT_ADDR``, ``VAULT_TOKEN``, ``~/.vault-token``, ``VAULT_CACERT``, ``VAULT_CAPATH`` and
``VAULT_CLIENT_CERT``/``KEY`` from the process environment, the last four at import time. Every
argument that would make it look is passed explicitly, and requests go through envguard's own
HTTP client (``vault_adapter``), so no ``requests`` session ever forms.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import hvac
from hvac import exceptions as vault_errors

from envguard.errors import AuthError, ConflictError, NetworkError, NotFoundError, TargetError
from envguard.targets import inputs, vault_env
from envguard.targets.http import HttpClient, RetryPolicy
from envguard.targets.vault_adapter import EnvguardAdapter

TLS_HINT = "point VAULT_CACERT (or VAULT_CAPATH) at the CA that signed the server's certificate"


@dataclass(frozen=True)
class Mount:
    """Where the secret lives: the engine's mount, the path inside it, and the KV version."""

    mount: str
    path: str
    version: int


def connect(environ: Mapping[str, str], uri: str, retry: RetryPolicy | None = None) -> hvac.Client:
    """An authenticated hvac client built from ``environ`` only (token, else AppRole)."""
    env = vault_env.read(environ, uri)
    http = HttpClient(
        f"Vault ({uri})",
        env.addr,
        {},
        timeout=env.timeout,
        retry=retry or RetryPolicy(attempts=env.retries + 1),
        verify=env.tls if env.tls is not None else True,
        tls_hint=TLS_HINT,
        proxy=inputs.proxy(environ, env.addr),
    )
    if env.server_name:
        http.extensions["sni_hostname"] = env.server_name
    client = hvac.Client(
        url=env.addr,
        token=env.token or "",
        cert=(),
        verify=True,
        namespace=env.namespace,
        adapter=EnvguardAdapter,
        http=http,
    )
    if env.role is not None and not env.token:
        role_id, secret_id = env.role
        with translated(uri):
            client.auth.approle.login(role_id=role_id, secret_id=secret_id, use_token=True)
    return client


def address(client: hvac.Client) -> str:
    """The server's address for messages (no user info, no path)."""
    return inputs.shown(client.adapter.http.base_url)


def locate(client: hvac.Client, full: str, uri: str) -> Mount:
    """Resolve ``full`` (``mount/path``) to its KV mount, as the Vault CLI's preflight does.

    A server without the preflight endpoint is an old Vault (KV v1, as the CLI assumes) only if it
    answers ``sys/seal-status`` like Vault; anything else is no Vault at all.
    """
    where = address(client)
    try:
        info = client.adapter.get(f"/v1/sys/internal/ui/mounts/{full}")
    except vault_errors.InvalidPath:
        if not _is_vault(client):
            raise NotFoundError(
                f"{uri}: {where} does not answer like Vault", hint="check VAULT_ADDR"
            ) from None
        mount, _, path = full.partition("/")
        return Mount(mount, path, 1)
    data = info.get("data") if isinstance(info, dict) else None
    if not isinstance(data, dict):
        raise NotFoundError(f"{uri}: {where} does not answer like Vault", hint="check VAULT_ADDR")
    mount = str(data.get("path", "")).rstrip("/")
    if data.get("type") not in ("kv", "generic") or not full.startswith(mount + "/"):
        kind = data.get("type") or "unknown"
        raise NotFoundError(
            f"{uri}: {mount or full}/ on {where} is a {kind} secrets engine, not KV",
            hint="check the mount in the URI",
        )
    version = 2 if str((data.get("options") or {}).get("version")) == "2" else 1
    return Mount(mount, full[len(mount) + 1 :].strip("/"), version)


def _is_vault(client: hvac.Client) -> bool:
    try:
        status = client.adapter.get("/v1/sys/seal-status")
    except (vault_errors.VaultError, TargetError):
        return False
    return isinstance(status, dict) and "sealed" in status


@contextmanager
def translated(uri: str) -> Iterator[None]:
    """Turn hvac failures into one error line of the right kind, naming the target."""
    try:
        yield
    except vault_errors.VaultError as exc:
        message, hint = explain(exc)
        raise _KINDS.get(type(exc), TargetError)(f"{uri}: {message}", hint=hint) from None
    except TargetError as exc:
        # the HTTP client names "Vault (uri)"; say the address the user set instead
        raise type(exc)(exc.message.replace(f"Vault ({uri})", uri), exc.hint) from None


_KINDS: dict[type[Any], type[TargetError]] = {
    vault_errors.Forbidden: AuthError,
    vault_errors.Unauthorized: AuthError,
    vault_errors.InvalidPath: NotFoundError,
    vault_errors.RateLimitExceeded: NetworkError,
    vault_errors.VaultDown: NetworkError,
    vault_errors.InternalServerError: NetworkError,
    vault_errors.BadGateway: NetworkError,
    vault_errors.PreconditionFailed: ConflictError,
}

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


def explain(exc: vault_errors.VaultError) -> tuple[str, str | None]:
    """A one-line reason for a Vault error; the server's (scrubbed) words where they help."""
    errors = " ".join(str(e) for e in getattr(exc, "errors", None) or ())
    lowered = errors.lower()
    if "preflight capability check" in errors:
        return "no such KV mount, or no access to it", "check the mount in the URI and the policy"
    if "invalid role or secret id" in lowered or "invalid secret id" in lowered:
        return "AppRole login failed", "check VAULT_ROLE_ID and VAULT_SECRET_ID"
    if "complexity" in lowered or "max_request_json" in lowered or "too large" in lowered:
        return f"the server refused the write as too large ({errors[:100]})", (
            "the listener's max_request_json_strings / max_request_json_memory (OpenBao) or "
            "max_request_size limit it; split the variables over several paths, or raise the limit"
        )
    for kind, explained in _EXPLAINED.items():
        if isinstance(exc, kind):
            return explained
    detail = f": {errors[:120]}" if errors else ""
    return f"Vault request failed ({type(exc).__name__}{detail})", None
