"""The hvac edge of the Vault target: an authenticated client, mount lookup, error translation.

Everything comes from the ``environ`` given (hvac on its own would also read the process
environment and ``~/.vault-token``). Requests are retried a bounded number of times with backoff
on 412/429/5xx and connection errors, honouring ``Retry-After``; KV v2 writes carry check-and-set,
so a retried write can never apply twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import hvac
import requests
from hvac import exceptions as vault_errors
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from envguard.errors import TargetError, UsageError

_TIMEOUT = 15


@dataclass(frozen=True)
class Mount:
    """Where the secret lives: the engine's mount, the path inside it, and the KV version."""

    mount: str
    path: str
    version: int


def connect(environ: Mapping[str, str], uri: str) -> hvac.Client:
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
    session = _session(cacert)
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


def _session(cacert: str | None) -> requests.Session:
    """A session with bounded retries and backoff (honouring Retry-After) and the CA bundle."""
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
    return session


def locate(client: hvac.Client, full: str, uri: str) -> Mount:
    """Resolve ``full`` (``mount/path``) to its KV mount; a Vault without the endpoint is v1."""
    try:
        info = client.adapter.get(f"/v1/sys/internal/ui/mounts/{full}")["data"]
    except vault_errors.InvalidPath:
        mount, _, path = full.partition("/")
        return Mount(mount, path, 1)
    mount = str(info.get("path", "")).rstrip("/")
    if info.get("type") not in ("kv", "generic") or not full.startswith(mount + "/"):
        raise TargetError(f"{uri}: {mount or full!r} is not a KV secrets engine")
    version = 2 if str((info.get("options") or {}).get("version")) == "2" else 1
    return Mount(mount, full[len(mount) + 1 :].strip("/"), version)


@contextmanager
def translated(uri: str, addr: str | None) -> Iterator[None]:
    """Turn hvac and network failures into one TargetError line naming the target."""
    try:
        yield
    except vault_errors.VaultError as exc:
        message, hint = explain(exc)
        raise TargetError(f"{uri}: {message}", hint=hint) from None
    except requests.exceptions.SSLError:
        raise TargetError(
            f"{uri}: TLS verification failed", hint="point VAULT_CACERT at the CA bundle"
        ) from None
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
        raise TargetError(
            f"{uri}: cannot connect to {addr}", hint="check VAULT_ADDR and that Vault is reachable"
        ) from None


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
