"""A loopback server following GitHub's REST API for Actions secrets (repository and environment).

The routes of platform-apis.md (GitHub section, octokit's route table): the public key, the list
(names and timestamps only, ``per_page`` at most 100, ``page``), one secret's metadata, ``PUT``
(``{encrypted_value, key_id}`` and nothing else; 201 created, 204 updated) and ``DELETE`` (204).
Each repository and environment has its own Curve25519 key pair; a ``PUT`` is decrypted with the
private key (PyNaCl's sealed box), so ``secrets`` holds what was really sent, and a value sealed
to another key, under a stale ``key_id``, or not Base64 is a 422. Names break the rules (not
``[A-Za-z0-9_]``, a leading digit, ``GITHUB_``) → 422; stored upper case; 48 KB and 100 secrets
at most. A missing ``User-Agent`` is a 403, an unknown ``X-GitHub-Api-Version`` a 400, a bad
token a 401 ``Bad credentials``, a repository the token cannot see a 404. Every response carries
the ``x-ratelimit-*`` headers; when ``remaining`` reaches 0 the answer is GitHub's 403.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from nacl import exceptions, public

from servers.base import LoopbackServer, Recorded, Reply

TOKEN = "ghp_test_token_0123456789abcdef"
VERSIONS = {"2022-11-28", "2026-03-10"}
DOCS = "https://docs.github.com/rest/actions/secrets"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def message(status: int, text: str, **extra: Any) -> Reply:
    """GitHub's error shape."""
    return Reply(status, {"message": text, "documentation_url": DOCS, **extra})


@dataclass
class Store:
    """The secrets of one repository or environment, with its key pair."""

    key_id: str
    private: public.PrivateKey = field(default_factory=public.PrivateKey.generate)
    secrets: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def public_key(self) -> str:
        """The Base64 public key GitHub hands out."""
        return base64.b64encode(bytes(self.private.public_key)).decode()


class GitHubServer(LoopbackServer):
    """GitHub on loopback; ``store(owner, repo, env)`` holds the decrypted secrets."""

    def __init__(self) -> None:
        super().__init__()
        self.stores: dict[tuple[str, str, str | None], Store] = {}
        self.tokens = {TOKEN}
        self.remaining = 5000
        self.reset_at = int(time.time()) + 3600
        self._ids = itertools.count(568250167242549743)
        self._clock = itertools.count(int(time.time()))

    @property
    def url(self) -> str:
        """The API base, for ``ENVGUARD_GITHUB_URL``."""
        return self.origin

    def add(self, owner: str, repo: str, environment: str | None = None) -> dict[str, str]:
        """Create a repository (or one of its environments); its live secrets."""
        with self.lock:
            if (owner, repo, None) not in self.stores:
                self.stores[owner, repo, None] = Store(str(next(self._ids)))
            store = self.stores.setdefault((owner, repo, environment), Store(str(next(self._ids))))
            return store.secrets

    def store(self, owner: str, repo: str, environment: str | None = None) -> Store:
        """One repository's or environment's store."""
        return self.stores[owner, repo, environment]

    def touch(self, owner: str, repo: str, name: str, value: str, environment: str | None = None) -> None:
        """Someone else writes a secret (as the web UI would)."""
        with self.lock:
            self._write(self.stores[owner, repo, environment], name, value)

    def rotate_key(self, owner: str, repo: str, environment: str | None = None) -> None:
        """GitHub replaces the public key (old ``key_id``s stop working)."""
        with self.lock:
            old = self.stores[owner, repo, environment]
            self.stores[owner, repo, environment] = Store(
                str(next(self._ids)), secrets=old.secrets, stamps=old.stamps
            )

    def writes(self) -> list[Recorded]:
        """Every PUT and DELETE received."""
        return [r for r in self.requests() if r.method in ("PUT", "DELETE")]

    def common_headers(self) -> dict[str, str]:
        """GitHub's request id and primary rate-limit headers."""
        return {
            "x-github-request-id": "0000:1111:2222",
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": str(max(0, self.remaining)),
            "x-ratelimit-used": "1",
            "x-ratelimit-reset": str(self.reset_at),
            "x-ratelimit-resource": "core",
        }

    def handle(self, request: Recorded) -> Reply:
        """Answer one REST request."""
        headers = request.headers
        if not headers.get("user-agent"):
            return message(
                403,
                "Request forbidden by administrative rules. Please make sure your "
                "request has a User-Agent header",
            )
        version = headers.get("x-github-api-version")
        if version is not None and version not in VERSIONS:
            return message(400, f"Unsupported 'X-GitHub-Api-Version' header: {version}")
        auth = headers.get("authorization", "")
        if not (auth.startswith(("Bearer ", "token ")) and auth.split(" ", 1)[1] in self.tokens):
            return message(401, "Bad credentials")
        if self.remaining <= 0:
            return message(403, "API rate limit exceeded for user ID 1.")
        self.remaining -= 1
        url = urlsplit(request.path)
        parts = [unquote(p) for p in url.path.split("/")][1:]
        if len(parts) < 4 or parts[0] != "repos":
            return message(404, "Not Found")
        owner, repo, rest = parts[1], parts[2], parts[3:]
        if rest[:2] == ["actions", "secrets"]:
            environment, rest = None, rest[2:]
        elif rest[:1] == ["environments"] and len(rest) >= 3 and rest[2] == "secrets":
            environment, rest = rest[1], rest[3:]
        else:
            return message(404, "Not Found")
        store = self.stores.get((owner, repo, environment))
        if store is None:
            return message(404, "Not Found")
        return self._route(store, rest, request.method, parse_qs(url.query), request.body)

    def _route(
        self, store: Store, rest: list[str], method: str, query: dict[str, list[str]], body: Any
    ) -> Reply:
        if rest == [] and method == "GET":
            return self._list(store, query)
        if rest == ["public-key"] and method == "GET":
            return Reply(200, {"key_id": store.key_id, "key": store.public_key})
        if len(rest) != 1:
            return message(404, "Not Found")
        name = rest[0].upper()
        if method == "GET":
            return Reply(200, self._meta(store, name)) if name in store.secrets else message(404, "Not Found")
        if method == "DELETE":
            if name not in store.secrets:
                return message(404, "Not Found")
            del store.secrets[name]
            del store.stamps[name]
            return Reply(204)
        if method == "PUT":
            return self._put(store, rest[0], body)
        return message(404, "Not Found")

    def _list(self, store: Store, query: dict[str, list[str]]) -> Reply:
        per_page = min(100, int(query.get("per_page", ["30"])[-1]))
        page = int(query.get("page", ["1"])[-1])
        names = sorted(store.secrets)
        shown = names[(page - 1) * per_page : page * per_page]
        return Reply(200, {"total_count": len(names), "secrets": [self._meta(store, n) for n in shown]})

    def _meta(self, store: Store, name: str) -> dict[str, str]:
        created, updated = store.stamps[name]
        return {"name": name, "created_at": created, "updated_at": updated}

    def _put(self, store: Store, raw_name: str, body: Any) -> Reply:
        if not isinstance(body, dict):
            return message(400, "Problems parsing JSON")
        if set(body) != {"encrypted_value", "key_id"} or not all(isinstance(v, str) for v in body.values()):
            return message(
                422, "Invalid request.", errors=["encrypted_value and key_id are required strings"]
            )
        if not _NAME.fullmatch(raw_name) or raw_name.upper().startswith("GITHUB_"):
            return message(
                422,
                "Secret names can only contain alphanumeric characters ([a-z], [A-Z], "
                "[0-9]) or underscores (_), must not start with a number or GITHUB_.",
            )
        if body["key_id"] != store.key_id:
            return message(422, "Bad request - the key_id does not match the current public key")
        try:
            value = (
                public.SealedBox(store.private)
                .decrypt(base64.b64decode(body["encrypted_value"], validate=True))
                .decode()
            )
        except (binascii.Error, ValueError, exceptions.CryptoError):
            return message(422, "Bad request - the encrypted_value could not be decrypted")
        if len(value.encode()) > 48 * 1024:
            return message(422, "Secret value is larger than 48 KB")
        name = raw_name.upper()
        if name not in store.secrets and len(store.secrets) >= 100:
            return message(422, "You have reached the limit of 100 secrets")
        created = name not in store.secrets
        self._write(store, name, value)
        return Reply(201 if created else 204)

    def _write(self, store: Store, name: str, value: str) -> None:
        # every write a later second, so that updated_at always moves (as real writes do)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(next(self._clock)))
        created = store.stamps.get(name, (stamp, stamp))[0]
        store.secrets[name.upper()] = value
        store.stamps[name.upper()] = (created, stamp)
