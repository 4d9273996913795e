"""An hvac adapter that sends through envguard's shared HTTP client instead of ``requests``.

hvac builds the Vault paths and bodies; every request then gets what all targets get (total
deadline, size cap, idempotency-aware retries, scrubbed errors). hvac's own session would read
proxies, CA bundles and client certificates from the process environment; this adapter has none.

Reads are idempotent; a write is sent as idempotent only inside ``declared(True)`` (check-and-set
writes, which fail safely when repeated, and KV v1's whole-map writes); anything else (a login)
is sent once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hvac import adapters, utils

from envguard.targets.http import HttpClient
from envguard.targets.reply import Reply
from envguard.targets.scrub import scrub, strings_in

_READS = frozenset({"GET", "HEAD", "LIST"})


class EmptyResponse:
    """What hvac gets for a successful response without a JSON body (204): a status, no text."""

    def __init__(self, reply: Reply) -> None:
        self.status_code = reply.status
        self.ok = reply.status < 400
        self.headers = reply.headers

    def json(self) -> Any:
        """hvac asks only for 200 JSON bodies, which never arrive here."""
        raise ValueError("no JSON body")


class EnvguardAdapter(adapters.Adapter):  # type: ignore[misc]
    """hvac's adapter interface over an ``HttpClient`` (passed as ``http=``)."""

    def __init__(self, *, http: HttpClient, token: str, namespace: str | None, **_: Any) -> None:
        super().__init__(
            base_uri=http.base_url,
            token=token or None,
            namespace=namespace,
            cert=(),
            verify=True,
            allow_redirects=False,
        )
        self.http = http
        self._idempotent = False

    @contextmanager
    def declared(self, idempotent: bool) -> Iterator[None]:
        """Send the writes inside the block as idempotent (or not)."""
        before, self._idempotent = self._idempotent, idempotent
        try:
            yield
        finally:
            self._idempotent = before

    def get_login_token(self, response: Any) -> str:
        """The client token of a login answer (a JSON dict)."""
        return str(response["auth"]["client_token"])

    def request(
        self,
        method: str,
        url: str,
        headers: dict[str, str] | None = None,
        raise_exception: bool = True,
        **kwargs: Any,
    ) -> Any:
        """Send one request; a dict for a 200 JSON answer, else an ``EmptyResponse``."""
        method = method.upper()
        params = dict(kwargs.get("params") or {})
        if method == "LIST":
            method, params["list"] = "GET", "true"
        sent = {**(headers or {}), **self._headers()}
        body = kwargs.get("json")
        safe = method in _READS or self._idempotent
        path = "/" + url.lstrip("/").replace("//", "/")
        reply = self.http.send(
            method,
            path,
            json=body,
            params=params or None,
            headers=sent,
            idempotent=safe,
            check=False,
            secrets=_values(body),
        )
        if 300 <= reply.status < 400:
            raise self.http.status_error(reply)
        if reply.status >= 400 and raise_exception:
            self._raise(method, path, reply, body)
        if reply.status == 200 and isinstance(found := reply.parsed(), dict):
            return found
        return EmptyResponse(reply)

    def _headers(self) -> dict[str, str]:
        found = {"X-Vault-Request": "true"}
        if self.token:
            found["X-Vault-Token"] = self.token
        if self.namespace:
            found["X-Vault-Namespace"] = self.namespace
        return found

    def _raise(self, method: str, path: str, reply: Reply, body: Any) -> None:
        """hvac's exception for the status, carrying only scrubbed server messages."""
        parsed = reply.parsed()
        raw = parsed.get("errors") if isinstance(parsed, dict) else None
        hidden = [*_values(body), *([self.token] if self.token else [])]
        errors = [scrub(str(e), hidden) for e in raw] if isinstance(raw, list) else None
        message = ", ".join(errors) if errors else None
        utils.raise_for_error(method, path, reply.status, message, errors=errors, text=None, json=None)


def _values(body: Any) -> list[str]:
    """The strings a Vault request carries as values: the secret's data, or a login's secret id."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        return list(strings_in(body["data"]))
    return list(strings_in(body))
