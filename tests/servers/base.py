"""A threaded loopback HTTP server that records requests and replays injected faults.

The Railway, Render and proxy servers subclass ``LoopbackServer`` and implement ``handle``; this
module owns the socket, the thread, the request log and the fault queue, so that tests can count
requests and assert on what was sent. A fault either answers instead of the server (``inject``:
a 429, a 5xx burst, a malformed body) or lets the server act and then loses the answer
(``inject_loss``: answered late, connection dropped, body cut short): the case where a client
cannot know whether its request was carried out.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

LOSSES = ("late", "drop", "cut")


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any


@dataclass(frozen=True)
class Reply:
    """A response to send: status, JSON body (None for no body), extra headers, or raw bytes."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    raw: bytes | None = None


@dataclass(frozen=True)
class Fault:
    """An injected answer (``reply``), or a loss after handling: ``late``, ``drop`` or ``cut``."""

    reply: Reply | None = None
    loss: str | None = None
    delay: float = 0.0


class LoopbackServer(ABC):
    """Serve ``handle(request) -> Reply`` on 127.0.0.1 at a random port, in a daemon thread."""

    def __init__(self) -> None:
        self.log: list[Recorded] = []
        self.faults: list[Fault | None] = []
        self.lock = threading.RLock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        """Start serving in the background."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._httpd.shutdown()
        self._httpd.server_close()

    def inject(
        self,
        status: int,
        *,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        skip: int = 0,
        raw: bytes | None = None,
    ) -> None:
        """Answer ``times`` requests with ``status`` (after ``skip`` normally handled ones)."""
        with self.lock:
            self.faults.extend([None] * skip)
            self.faults.extend([Fault(Reply(status, body, dict(headers or {}), raw))] * times)

    def inject_loss(self, loss: str, *, times: int = 1, skip: int = 0, delay: float = 0.0) -> None:
        """Handle ``times`` requests (after ``skip``), then lose the answer: ``late`` (sent after
        ``delay`` seconds), ``drop`` (connection closed, nothing sent) or ``cut`` (half a body)."""
        assert loss in LOSSES
        with self.lock:
            self.faults.extend([None] * skip)
            self.faults.extend([Fault(loss=loss, delay=delay)] * times)

    def requests(self, method: str | None = None) -> list[Recorded]:
        """The recorded requests, optionally only those with ``method``."""
        with self.lock:
            return [r for r in self.log if method is None or r.method == method]

    def dispatch(self, request: Recorded) -> tuple[Reply, Fault | None]:
        """Record ``request``, then answer with the next injected fault or ``handle``."""
        with self.lock:
            self.log.append(request)
            fault = self.faults.pop(0) if self.faults else None
            if fault is not None and fault.reply is not None:
                return fault.reply, None
            return self.handle(request), fault

    @abstractmethod
    def handle(self, request: Recorded) -> Reply:
        """Answer one request; subclasses implement the platform contract."""

    def common_headers(self) -> dict[str, str]:
        """Headers on every response (request id, rate-limit state)."""
        return {"x-request-id": uuid.uuid4().hex}


def _handler_for(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            headers = {k.lower(): v for k, v in self.headers.items()}
            reply, loss = server.dispatch(Recorded(self.command, self.path, headers, body))
            if loss is not None and loss.loss == "drop":
                self.close_connection = True
                return
            if loss is not None and loss.loss == "late":
                time.sleep(loss.delay)
            if reply.raw is not None:
                payload = reply.raw
            else:
                payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            for name, value in {**server.common_headers(), **reply.headers}.items():
                self.send_header(name, value)
            if payload and reply.raw is None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if loss is not None and loss.loss == "cut":
                self.wfile.write(payload[: len(payload) // 2])
                self.close_connection = True
                return
            with contextlib.suppress(OSError):  # the client gave up (a late answer)
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler
