"""The HTTP client every target shares: Railway, Render, and Vault (hvac sends through it too).

What it guarantees, for any platform built on it:

- every request declares whether it is idempotent. Only an idempotent one is repeated after a
  lost reply (timeout, closed connection) or a 5xx; one that is not is repeated only when the
  server certainly did not act on it (a refused connection, a 429), and otherwise ``mutate`` asks
  a read (``confirm``) what happened instead of sending it again;
- a total deadline per request (connect, TLS, the whole response; see ``deadline.py``) and a cap on
  the response size; a read that used up its deadline fails there, and a write that is safe to
  repeat is tried once more at most (to learn whether it took effect);
- waits as the server asks (``Retry-After``, Render's ``Ratelimit-Reset`` on a 429), bounded;
- every failure a one-line error of the right kind (``AuthError``, ``NotFoundError``,
  ``ConflictError``, ``NetworkError``), with the server's message parsed from its body and every
  value the request carried removed from it (``scrub.py``).
"""

from __future__ import annotations

import random
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from envguard import __version__
from envguard.errors import AuthError, ConflictError, NetworkError, NotFoundError, TargetError
from envguard.targets import deadline as deadlines
from envguard.targets.reply import Reply, TooLarge, read_reply
from envguard.targets.scrub import message_of, scrub, strings_in

#: response headers that carry a request id worth quoting to the platform's support
REQUEST_ID_HEADERS = ("render-request-id", "x-railway-request-id", "x-request-id", "x-vault-request-id")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_READS = frozenset({"GET", "HEAD"})
TIMEOUT = 30.0
MAX_RESPONSE = 16 * 2**20


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry; ``sleep`` is the clock, injectable for tests."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    #: a server asking for a longer wait than this fails at once instead of stalling a deploy
    max_wait: float = 65.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter for retry number ``attempt`` (0-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2.0**attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class OutcomeUnknown(NetworkError):
    """A request that is not idempotent may or may not have been carried out (its reply was lost)."""


def header_wait(status: int, headers: Mapping[str, str]) -> float | None:
    """Seconds a 429/5xx response asks us to wait: ``Retry-After``, or on a 429 ``Ratelimit-Reset``.

    Render sends ``Ratelimit-Reset`` (seconds until the window resets, not an epoch) on every
    response, so it only means "wait" on a 429.
    """
    names = ("retry-after", "ratelimit-reset") if status == 429 else ("retry-after",)
    for name in names:
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw.strip()))
        except ValueError:  # an HTTP-date Retry-After: fall back to the next header or backoff
            continue
    return None


class HttpClient:
    """A JSON client bound to one target; counts every request it sends."""

    def __init__(
        self,
        name: str,
        base_url: str,
        headers: Mapping[str, str],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = TIMEOUT,
        verify: ssl.SSLContext | bool = True,
        max_bytes: int = MAX_RESPONSE,
        tls_hint: str | None = None,
        proxy: str | None = None,
        rate_limit: Callable[[Reply], float | None] | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.requests = 0
        self.extensions: dict[str, Any] = {}
        self._tls_hint = tls_hint
        # a platform's own rate-limit answers (GitHub's 403 with no requests left, Vercel's
        # ``limit.reset``): the seconds they ask to wait, None for any other reply
        self._rate_limit = rate_limit
        self._hidden = tuple(v for v in headers.values() if len(v) >= 8)  # tokens, never echoed
        self._deadline = deadlines.Deadline()
        # nothing from the process environment: proxies come from the target's environ (``proxy``)
        transport = httpx.HTTPTransport(verify=verify, trust_env=False, proxy=proxy)
        deadlines.install(transport, self._deadline)
        self._client = httpx.Client(
            headers={"Accept": "application/json", "User-Agent": f"envguard/{__version__}", **headers},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            transport=transport,
            trust_env=False,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        secrets: Iterable[str] | None = None,
        headers: Mapping[str, str] | None = None,
        gone_ok: bool = False,
        check: bool = True,
        read: bool | None = None,
    ) -> Reply:
        """Send one request with the retries its idempotency allows.

        ``gone_ok``: a 404 on a repeated attempt means an earlier attempt took effect (a DELETE).
        ``check=False`` returns a final error response instead of raising for it. ``secrets`` are
        the values the request carries, hidden from any error; None hides every string of the body.
        ``read``: the request only reads (default: GET and HEAD; a GraphQL query says so itself).
        """
        reads = method in _READS if read is None else read
        carried = strings_in(json) if secrets is None else secrets
        hidden = (*self._hidden, *carried, *(headers or {}).values())
        timed_out = False
        for attempt in range(self.retry.attempts):
            last = attempt == self.retry.attempts - 1
            try:
                reply = self._once(method, path, json, params, headers)
            except httpx.TransportError as exc:
                refused = isinstance(exc, httpx.ConnectError) and not _tls(exc)
                if not (idempotent or refused):
                    raise self._unknown(self._transport_error(exc)) from None
                late = _late(exc)
                # a read that used up its deadline fails there; a write safe to repeat gets one
                # more try, to learn its outcome
                if last or _tls(exc) or (late and (timed_out or reads)):
                    raise self._transport_error(exc) from None
                timed_out = timed_out or late
                self.retry.sleep(self.retry.backoff(attempt))
                continue
            except TooLarge:
                raise NetworkError(
                    f"{self.name}: the response is larger than {self.max_bytes // 2**20} MiB; stopped reading"
                ) from None
            if reply.status < 300 or (gone_ok and attempt > 0 and reply.status == 404):
                return reply
            error = self.status_error(reply, hidden)
            limited = self.limited(reply)
            if not idempotent and reply.status >= 500 and not limited:
                raise self._unknown(error)
            # a rate-limit answer means the server did not act: safe to send again, whatever it is
            if last or not (limited or (idempotent and reply.status in RETRY_STATUSES)):
                if check:
                    raise error
                return reply
            self._wait(reply, attempt, error)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def mutate(
        self, method: str, path: str, *, confirm: Callable[[], bool] | None, **options: Any
    ) -> Reply | None:
        """Send a request that is not idempotent; None when ``confirm`` found it done.

        After a lost reply, ``confirm()`` (a read) says whether the request took effect; if it
        did not, sending it again is no blind repeat. Without ``confirm`` the error says the outcome
        is unknown.
        """
        for _ in range(self.retry.attempts):
            try:
                return self.send(method, path, idempotent=False, **options)
            except OutcomeUnknown as exc:
                if confirm is None:
                    raise
                try:
                    done = confirm()
                except TargetError:
                    raise exc from None
                if done:
                    return None
                unknown = exc
        raise unknown

    def json(self, reply: Reply) -> Any:
        """The decoded JSON body of a successful response; NetworkError when it is not JSON."""
        try:
            return reply.json()
        except ValueError:
            kind = "an empty body" if not reply.content else "a body that is not JSON (cut short, or HTML)"
            raise NetworkError(f"{self.name}: HTTP {reply.status} with {kind}") from None

    def limited(self, reply: Reply) -> bool:
        """Whether ``reply`` is a rate-limit answer: a 429, or the platform's own kind of one."""
        return reply.status == 429 or (self._rate_limit is not None and self._rate_limit(reply) is not None)

    def status_error(self, reply: Reply, secrets: Iterable[str] = (), note: str = "") -> TargetError:
        """The error for a failed response: its kind by status, status, parsed message, request id."""
        parts = [f"{self.name}: HTTP {reply.status}"]
        body = reply.parsed()
        detail = message_of(body) if body is not None else ""
        if detail := scrub(detail, (*self._hidden, *secrets)):
            parts.append(detail)
        elif body is None and reply.content:
            parts.append("(the body is not JSON)")
        if 300 <= reply.status < 400:
            parts.append("redirected; envguard does not follow redirects")
        if note:
            parts.append(note)
        if rid := request_id(reply):
            parts.append(f"request id {rid}")
        if self.limited(reply):
            return NetworkError("; ".join(parts), hint=status_hint(429))
        return kind_of(reply.status)("; ".join(parts), hint=status_hint(reply.status))

    def _once(
        self,
        method: str,
        path: str,
        json: Any,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
    ) -> Reply:
        self.requests += 1
        self._deadline.start(self.timeout)
        try:
            request = self._client.build_request(
                method,
                self.base_url + path,
                json=json,
                params=params,
                headers=headers,
                extensions=self.extensions or None,
            )
            return read_reply(self._client.send(request, stream=True), self.max_bytes)
        finally:
            self._deadline.stop()

    def _wait(self, reply: Reply, attempt: int, error: TargetError) -> None:
        asked = header_wait(reply.status, reply.headers)
        if asked is None and self._rate_limit is not None:
            asked = self._rate_limit(reply)
        if asked is not None and asked > self.retry.max_wait:
            raise type(error)(f"{error.message}; asked to retry after {asked:.0f}s", error.hint)
        self.retry.sleep(asked if asked is not None else self.retry.backoff(attempt))

    def _unknown(self, error: TargetError) -> OutcomeUnknown:
        return OutcomeUnknown(
            f"{error.message}; the request may or may not have been carried out",
            hint="check the target before running the push again",
        )

    def _transport_error(self, exc: httpx.TransportError) -> NetworkError:
        if _tls(exc):
            return NetworkError(
                f"{self.name}: TLS verification failed for {self.base_url}",
                hint=self._tls_hint or "the server's certificate is not trusted",
            )
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            return NetworkError(
                f"{self.name}: no complete answer from {self.base_url} within {self.timeout:g}s",
                hint="check the network and the server",
            )
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return NetworkError(
                f"{self.name}: cannot connect to {self.base_url}",
                hint="check the network, or the endpoint override if you set one",
            )
        if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
            return NetworkError(f"{self.name}: the connection to {self.base_url} broke off mid-answer")
        return NetworkError(f"{self.name}: request to {self.base_url} failed ({type(exc).__name__})")


def _tls(exc: httpx.TransportError) -> bool:
    return "CERTIFICATE_VERIFY_FAILED" in str(exc) or "certificate verify failed" in str(exc)


def _late(exc: httpx.TransportError) -> bool:
    """Whether the server took the request and then used up the deadline (one more try at most)."""
    return isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout)


def request_id(reply: Reply) -> str | None:
    """The platform's request id, when it sent one."""
    for name in REQUEST_ID_HEADERS:
        if value := reply.headers.get(name):
            return scrub(str(value), ())[:64]
    return None


def kind_of(status: int) -> type[TargetError]:
    """The error kind of an HTTP status, the same for every target."""
    if status in (401, 403):
        return AuthError
    if status in (404, 410):
        return NotFoundError
    if status in (409, 412):
        return ConflictError
    if status == 429 or status >= 500 or 300 <= status < 400:
        return NetworkError
    return TargetError


def status_hint(status: int) -> str | None:
    """A short hint for the statuses a user can fix."""
    if status in (401, 403):
        return "check the API token in the environment and its access to this resource"
    if status == 404:
        return "check the ids in the target URI"
    if status == 429:
        return "the platform's rate limit was reached; try again later"
    if 300 <= status < 400:
        return "point the endpoint at the final address"
    return None
