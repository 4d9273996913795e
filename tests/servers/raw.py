"""Loopback TCP servers that misbehave on purpose, below HTTP: for transport-fault tests.

``RawServer(handler)`` accepts connections on 127.0.0.1 and hands each socket to ``handler`` in a
thread: a server that never answers, trickles a byte every few seconds, sends HTML, a truncated
body, a redirect to itself, or a 404 to everything. Every loop is bounded in time, and ``stop``
closes the listener and every connection.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable

Handler = Callable[[socket.socket], None]


class RawServer:
    """Accept connections and run ``handler(conn)`` for each, until stopped."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.accepted = 0
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._open: list[socket.socket] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            self._open.append(conn)
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            self.handler(conn)

    def stop(self) -> None:
        """Close the listener and every connection."""
        self._stopped.set()
        self._listener.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()


def read_request(conn: socket.socket) -> bytes:
    """The request head (and whatever body came with it), read until the blank line."""
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def answer(
    status: str,
    body: bytes,
    content_type: str = "application/json",
    extra: str = "",
    length: int | None = None,
) -> Handler:
    """Answer every request with ``status`` and ``body`` (``length`` may lie about its size)."""

    def handle(conn: socket.socket) -> None:
        while read_request(conn):
            size = len(body) if length is None else length
            conn.sendall(
                f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {size}\r\n"
                f"{extra}\r\n".encode()
                + body
            )
            if length is not None:
                conn.close()
                return

    return handle


def silent(conn: socket.socket) -> None:
    """Read the request, then say nothing for up to a minute."""
    read_request(conn)
    time.sleep(60)


def trickle(every: float) -> Handler:
    """Answer 200 and then one byte of the body every ``every`` seconds (for at most two minutes)."""

    def handle(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        for _ in range(int(120 / every)):
            conn.sendall(b" ")
            time.sleep(every)

    return handle
