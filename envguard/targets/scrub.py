"""Server text made safe to show: parsed, stripped of every value the request carried, one line.

Platforms quote requests back in their errors (graphql-js "Expected type String, found ...",
Render's 400s, a proxy's HTML page). Nothing a server says is printed raw: a body is parsed for the
fields that hold a message, and every value sent is removed in each encoding it could come back in
(raw, JSON- or GraphQL-escaped, URL-encoded, HTML-escaped, base64, and line by line).
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote, quote_plus

MAX_DETAIL = 160
#: shorter values are left alone: hiding every "1" or "on" would hide the message, not a secret
MIN_SECRET = 3
#: the lines of a multi-line value are hidden one by one from this length on
MIN_LINE = 4


def forms(secret: str) -> set[str]:
    """The ways ``secret`` can come back inside a server's text."""
    found = {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        html.escape(secret),
        html.escape(secret, quote=False),
        repr(secret)[1:-1],
        base64.b64encode(secret.encode()).decode().rstrip("="),
        base64.urlsafe_b64encode(secret.encode()).decode().rstrip("="),
    }
    lines = {line.strip() for line in secret.splitlines() if len(line.strip()) >= MIN_LINE}
    if len(lines) > 1 or secret.strip() not in lines:
        for line in lines:
            found |= forms(line)
    return {f for f in found if len(f) >= MIN_SECRET}


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` on one line of at most MAX_DETAIL characters, every form of every secret as ``***``."""
    hidden: set[str] = set()
    for secret in secrets:
        if len(secret) >= MIN_SECRET:
            hidden |= forms(secret)
    for form in sorted(hidden, key=len, reverse=True):
        text = text.replace(form, "***")
    line = " ".join(text.split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value (not the keys of mappings): what a body carries."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def message_of(body: Any) -> str:
    """The message fields of a parsed error body, in the shapes the platforms use; "" if none.

    Render ``{"id","code","message"}``; Vault ``{"errors": ["..."]}``; GraphQL ``{"errors":
    [{"message"}]}``; Vercel ``{"error": {"code","message"}}``; GitHub ``{"message"}``.
    """
    if not isinstance(body, dict):
        return ""
    nested = body.get("error", body.get("err"))  # some Vercel APIs say ``err`` (its CLI copes too)
    if isinstance(nested, dict):
        return message_of(nested)
    words = [str(body[k]) for k in ("id", "code", "message") if isinstance(body.get(k), str)]
    errors = body.get("errors")
    if isinstance(errors, list):
        for item in errors[:3]:
            if isinstance(item, str):
                words.append(item)
            elif isinstance(item, dict) and isinstance(item.get("message"), str):
                words.append(item["message"])
    return ": ".join(dict.fromkeys(w for w in words if w))


def parsed(content: bytes) -> Any:
    """``content`` as JSON, or None when it is not JSON (an HTML page, a truncated body)."""
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
