"""What a variable looks like from its example value, for ``envguard schema init``.

``guess`` turns one example entry into the fields a schema would give it; the project's framework
comes from ``envguard.projects``.
"""

from __future__ import annotations

from dataclasses import dataclass

from envguard import generate
from envguard.judge.names import browser_prefix
from envguard.judge.roles import role_of
from envguard.judge.shapes import is_email, is_url
from envguard.schema import Schema

_BOOL = frozenset({"true", "false", "yes", "no", "on", "off"})


@dataclass(frozen=True)
class Guess:
    """What ``schema init`` writes for one variable."""

    name: str
    secret: bool
    public: bool
    type: str | None
    generate: str | None


def value_type(key: str, value: str) -> str | None:
    """The schema type an example value suggests, or None for a plain string (or no evidence)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return "port" if key.upper().endswith("PORT") else "int"
    if value.lower() in _BOOL:
        return "bool"
    if "://" in value and " " not in value and is_url(value):
        return "url"
    if "," in value and all("://" in part and is_url(part.strip()) for part in value.split(",")):
        return "url-list"
    if is_email(value):
        return "email"
    return None


def guess(framework: Schema, key: str, value: str) -> Guess:
    """A variable's role and type from its name and example value: browser-exposed names are
    public unless their name says secret (then the exposure rules will speak up)."""
    secret = role_of(None, key, value).secret
    public = browser_prefix(key) is not None and not secret
    kind = generate.kind_for(framework, key, value) if secret else None
    return Guess(key, secret, public, value_type(key, value), kind)
