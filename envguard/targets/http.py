"""The HTTP client the Railway and Render targets share.

One place for timeouts, bounded retries (exponential backoff with jitter on 429, 5xx and connection
errors, honouring ``Retry-After`` and Render's ``Ratelimit-Reset``), request counting, and turning
every failure into a one-line ``TargetError`` that names the target and never a value.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from envguard import __version__
from envguard.errors import TargetError

#: response headers that carry a request id worth quoting to the platform's support
REQUEST_ID_HEADERS = ("render-request-id", "x-railway-request-id", "x-request-id")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_DETAIL = 160


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


def scrub(text: str, secrets: Iterable[str]) -> str:
    """One line of at most MAX_DETAIL characters, with every secret replaced by ``***``."""
    for secret in sorted((s for s in secrets if len(s) >= 3), key=len, reverse=True):
        text = text.replace(secret, "***")
    line = " ".join(text.split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def request_id(response: httpx.Response) -> str | None:
    """The platform's request id from ``response``, when it sent one."""
    for name in REQUEST_ID_HEADERS:
        if value := response.headers.get(name):
            return str(value)
    return None


class HttpClient:
    """A small retrying JSON client bound to one target; counts every request it sends."""

    def __init__(
        self,
        name: str,
        base_url: str,
        headers: Mapping[str, str],
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self.requests = 0
        self._client = httpx.Client(
            headers={"Accept": "application/json", "User-Agent": f"envguard/{__version__}", **headers},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str | int] | None = None,
        idempotent: bool = True,
        secrets: Iterable[str] = (),
    ) -> httpx.Response:
        """Send one request with retries; the final non-2xx response raises a TargetError.

        A non-idempotent request is retried only when the server certainly did not act on it
        (a refused connection or a 429). ``secrets`` are scrubbed from any error detail.
        """
        url = self.base_url + path
        for attempt in range(self.retry.attempts):
            last = attempt == self.retry.attempts - 1
            try:
                self.requests += 1
                response = self._client.request(method, url, json=json, params=params)
            except httpx.TransportError as exc:
                retriable = idempotent or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if last or not retriable:
                    raise self._transport_error(exc) from None
                self.retry.sleep(self.retry.backoff(attempt))
                continue
            if response.status_code < 300:
                return response
            retriable = response.status_code == 429 or (idempotent and response.status_code in RETRY_STATUSES)
            if last or not retriable:
                raise self.status_error(response, secrets)
            self._wait(response, attempt, secrets)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def json(self, response: httpx.Response) -> Any:
        """The decoded JSON body of a successful response; TargetError when it is not JSON."""
        try:
            return response.json()
        except ValueError:
            raise TargetError(f"{self.name}: the response is not JSON") from None

    def _wait(self, response: httpx.Response, attempt: int, secrets: Iterable[str]) -> None:
        asked = header_wait(response.status_code, response.headers)
        if asked is not None and asked > self.retry.max_wait:
            raise self.status_error(response, secrets, f"retry after {asked:.0f}s")
        self.retry.sleep(asked if asked is not None else self.retry.backoff(attempt))

    def status_error(
        self, response: httpx.Response, secrets: Iterable[str] = (), note: str = ""
    ) -> TargetError:
        """A TargetError for a failed HTTP response: status, server message, request id."""
        parts = [f"{self.name}: HTTP {response.status_code}"]
        if detail := scrub(error_detail(response), secrets):
            parts.append(detail)
        if note:
            parts.append(note)
        if rid := request_id(response):
            parts.append(f"request id {rid}")
        return TargetError("; ".join(parts), hint=status_hint(response.status_code))

    def _transport_error(self, exc: httpx.TransportError) -> TargetError:
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return TargetError(
                f"Could not connect to {self.name} at {self.base_url}",
                hint="check the network, or the endpoint override if you set one",
            )
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        return TargetError(f"{self.name}: request to {self.base_url} {kind} ({type(exc).__name__})")


def error_detail(response: httpx.Response) -> str:
    """The server's own error text: ``message``/``id``/``code`` of a JSON body, else a reason."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if isinstance(body, dict):
        words = [str(body[k]) for k in ("id", "code", "message") if isinstance(body.get(k), str)]
        errors = body.get("errors")
        if not words and isinstance(errors, list) and errors and isinstance(errors[0], dict):
            words = [str(errors[0].get("message", ""))]
        if words:
            return ": ".join(dict.fromkeys(words))
    return response.reason_phrase


def status_hint(status: int) -> str | None:
    """A short hint for the statuses a user can fix."""
    if status in (401, 403):
        return "check the API token in the environment and its access to this resource"
    if status == 404:
        return "check the ids in the target URI"
    if status == 429:
        return "the platform's rate limit was reached; try again later"
    return None
