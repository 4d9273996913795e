"""A total deadline for one HTTP request: connect, TLS, the request and the whole response.

httpx only knows per-operation timeouts, so a server that trickles a byte every few seconds keeps a
request alive for as long as it likes. This network backend wraps httpcore's own and clamps the
timeout of every connect, read and write to what is left of the request's deadline; when nothing
is left, the operation fails with the matching httpcore timeout (httpx turns it into its own).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import httpcore

_SHORTEST = 0.001  # a socket timeout of 0 would mean "non-blocking", not "now"


class Deadline:
    """The deadline of the request in flight (one client sends one request at a time)."""

    def __init__(self) -> None:
        self.at: float | None = None

    def start(self, seconds: float) -> None:
        """Start counting ``seconds`` for the next request."""
        self.at = time.monotonic() + seconds

    def stop(self) -> None:
        """No request in flight: operations are not clamped (closing a pool, for example)."""
        self.at = None

    @property
    def expired(self) -> bool:
        """Whether the request in flight has used up its time."""
        return self.at is not None and time.monotonic() >= self.at

    def clamp(self, timeout: float | None, late: type[Exception]) -> float | None:
        """``timeout`` cut to what is left; ``late`` is raised when nothing is left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise late("the request's total deadline passed")
        return max(_SHORTEST, left if timeout is None else min(timeout, left))


class _Stream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        clamped = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, clamped), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend with every operation held to ``deadline``."""

    def __init__(self, deadline: Deadline) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        clamped = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, clamped, local_address, socket_options)
        return _Stream(stream, self._deadline)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        clamped = self._deadline.clamp(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, clamped, socket_options), self._deadline)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def install(transport: Any, deadline: Deadline) -> None:
    """Put the deadline backend under an ``httpx.HTTPTransport``'s connection pool.

    httpx has no public way to pass a network backend; its pool keeps it in ``_network_backend``
    (httpcore >= 0.17). Failing loudly here beats silently losing the deadline after an upgrade.
    """
    pool = transport._pool
    if not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpcore changed: cannot install the request deadline")
    pool._network_backend = DeadlineBackend(deadline)
