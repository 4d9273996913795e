"""A response read whole (within the size cap) and closed: what the targets look at."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from envguard.targets.scrub import parsed


class TooLarge(Exception):
    """The response went past the size cap; reading stopped there."""


@dataclass(frozen=True)
class Reply:
    """Status, headers and the whole (decoded) body of one response."""

    status: int
    headers: httpx.Headers
    content: bytes

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not JSON."""
        return json.loads(self.content)

    def parsed(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        return parsed(self.content)


def read_reply(response: httpx.Response, max_bytes: int) -> Reply:
    """Read ``response`` (sent with ``stream=True``) to its end, or raise TooLarge; always close it."""
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise TooLarge
        return Reply(response.status_code, response.headers, bytes(body))
    finally:
        response.close()
