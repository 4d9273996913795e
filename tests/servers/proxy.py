"""A forwarding proxy on loopback in front of a real server (OpenBao), for fault and proxy tests.

Requests go to ``upstream`` unchanged and the answers come back, so the real server decides
everything; the proxy only adds what ``LoopbackServer`` offers (answers injected instead of the
server's, answers lost after the server acted) and ``after``: a hook run once a matching request
has been carried out upstream, for "someone else writes right then" races.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from servers.base import LoopbackServer, Recorded, Reply

Hook = Callable[[Recorded], None]
_PASSED = ("content-type", "retry-after")


class ProxyServer(LoopbackServer):
    """Forward every request to ``upstream``; ``after[(METHOD, path substring)]`` runs hooks."""

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.upstream = upstream.rstrip("/")
        self.after: dict[tuple[str, str], Hook] = {}

    def handle(self, request: Recorded) -> Reply:
        """Send ``request`` upstream and answer with what came back."""
        headers = {k: v for k, v in request.headers.items() if k.startswith("x-vault-")}
        content: Any = None if request.body is None else request.body
        path = request.path
        if path.startswith("http://"):  # absolute form: the client uses this server as its proxy
            path = "/" + path.split("/", 3)[3]
        reply = httpx.request(request.method, self.upstream + path, json=content, headers=headers, timeout=30)
        for (method, fragment), hook in list(self.after.items()):
            if request.method == method and fragment in request.path:
                del self.after[(method, fragment)]
                hook(request)
        kept = {k: v for k, v in reply.headers.items() if k.lower() in _PASSED}
        return Reply(reply.status_code, raw=reply.content, headers=kept)
