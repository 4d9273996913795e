"""Provider credential formats, JWT claims and provider secrets of a fixed shape.

``identify`` names the provider format a value matches and says whether it grants access
(``secret``), only names an account (``identifier``) or is meant for browsers (``public``), and
whether it is a test-mode key. JWT payloads are decoded without verifying the signature, only to
read claims such as Supabase's ``role``, and only when their nesting stays within
``JSON_DEPTH``. ``provider_shape`` knows the secrets whose length the provider fixes (Pusher's
20 hex characters, a reCAPTCHA secret's 40): those are judged by that shape, never by a generic
length rule.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["secret", "identifier", "public"]


@dataclass(frozen=True, slots=True)
class Token:
    """A recognised credential format: ``label`` reads well after "is" or "holds"."""

    label: str
    kind: Kind
    test: bool = False
    #: a JWT whose claims grant admin rights (Supabase ``service_role``...)
    privileged: bool = False
    #: a JWT, judged by its claims rather than its format
    jwt: bool = False

    @property
    def secret(self) -> bool:
        """Whoever holds it can act as the account."""
        return self.kind == "secret"


def _f(pattern: str, label: str, kind: Kind = "secret", test: bool = False) -> tuple[re.Pattern[str], Token]:
    return re.compile(pattern), Token(label, kind, test)


#: full-value formats, most specific first (``sk-ant-`` before ``sk-``)
_FORMATS: tuple[tuple[re.Pattern[str], Token], ...] = (
    _f(r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}", "an AWS access key id", "identifier"),
    _f(r"sk_live_[0-9A-Za-z]{20,}", "a Stripe live secret key"),
    _f(r"rk_live_[0-9A-Za-z]{20,}", "a Stripe live restricted key"),
    _f(r"(?:sk|rk)_test_[0-9A-Za-z]{20,}", "a Stripe test-mode secret key", test=True),
    _f(r"pk_live_[0-9A-Za-z]{20,}", "a Stripe publishable key", "public"),
    _f(r"pk_test_[0-9A-Za-z]{20,}", "a Stripe test-mode publishable key", "public", test=True),
    _f(r"whsec_[0-9A-Za-z+/=]{24,}", "a Stripe webhook signing secret"),
    _f(r"gh[pousr]_[A-Za-z0-9]{36,}", "a GitHub token"),
    _f(r"github_pat_[A-Za-z0-9_]{40,}", "a GitHub fine-grained token"),
    _f(r"glpat-[A-Za-z0-9_-]{20,}", "a GitLab token"),
    _f(r"npm_[A-Za-z0-9]{36}", "an npm token"),
    _f(
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}",
        "a Slack webhook URL",
    ),
    _f(r"xox[abposr]-[A-Za-z0-9-]{10,}", "a Slack token"),
    _f(r"sk-ant-[A-Za-z0-9_-]{32,}", "an Anthropic API key"),
    _f(r"sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", "an OpenAI API key"),
    _f(r"SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}", "a SendGrid API key"),
    _f(r"AC[0-9a-f]{32}", "a Twilio account SID", "identifier"),
    _f(r"SK[0-9a-f]{32}", "a Twilio API key SID", "identifier"),
    _f(r"\d{6,12}:AA[A-Za-z0-9_-]{30,}", "a Telegram bot token"),
    _f(r"sb_secret_[A-Za-z0-9_-]{20,}", "a Supabase secret key"),
    _f(r"sb_publishable_[A-Za-z0-9_-]{20,}", "a Supabase publishable key", "public"),
)
#: every format in one alternation: the first alternative that matches the whole value wins, as
#: the list's order says; ``lastgroup`` names its index
_ANY_FORMAT = re.compile("|".join(f"(?P<f{i}>{p.pattern})" for i, (p, _) in enumerate(_FORMATS)))
#: no format, JWT or PEM header matches fewer characters (a Slack token: ``xoxb-`` and 10 more)
SHORTEST = 15
#: JSON nested deeper than this (a JWT payload, a JSON-typed value) is not decoded
JSON_DEPTH = 64
_PEM = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
# each part is base64url of a JSON object: ``{"`` encodes as ``eyJ``, ``{ `` as ``eyA``, a newline as ``ew``
_JWT = re.compile(r"e[wy][A-Za-z0-9_-]{8,}\.e[wy][A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
_PRIVILEGED_ROLES = frozenset({"service_role", "supabase_admin", "admin", "postgres", "superuser"})
_PUBLIC_ROLES = frozenset({"anon", "public"})


def jwt_claims(value: str) -> dict[str, Any] | None:
    """The payload of a JWT-shaped value, decoded without verifying it; None if it is not one."""
    value = value.strip()
    if not _JWT.fullmatch(value):
        return None
    payload = value.split(".")[1]
    try:
        text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    claims = loads_bounded(text)
    return claims if isinstance(claims, dict) else None


def loads_bounded(text: str, depth: int = JSON_DEPTH) -> Any:
    """``json.loads(text)``, or None when it is not JSON or nests deeper than ``depth``."""
    if nesting(text) > depth:
        return None
    import json  # here: only a JWT-shaped value is decoded, and most files hold none

    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def nesting(text: str) -> int:
    """How deep JSON brackets nest in ``text`` (brackets inside strings not counted)."""
    deepest = level = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def _jwt_token(claims: dict[str, Any]) -> Token:
    role = str(claims.get("role", "")).lower()
    if claims.get("iss") == "supabase-demo":
        # the demo keys ship with every Supabase CLI: public knowledge, and only valid locally
        return Token("the Supabase local-development demo key", "public", test=True, jwt=True)
    if role in _PRIVILEGED_ROLES or claims.get("admin") is True or claims.get("is_admin") is True:
        label = "a Supabase service-role key" if role == "service_role" else "a JWT with admin claims"
        return Token(label, "secret", privileged=True, jwt=True)
    if role in _PUBLIC_ROLES:
        return Token("a Supabase anon key" if role == "anon" else "a public JWT", "public", jwt=True)
    return Token("a JWT", "secret", jwt=True)


def identify(value: str) -> Token | None:
    """The credential format ``value`` matches, or None for an ordinary value."""
    value = value.strip()
    if not value:
        return None
    if "-----BEGIN " in value and _PEM.search(value):
        return Token("a private key", "secret")
    if len(value) < SHORTEST:
        return None
    claims = jwt_claims(value)
    if claims is not None:
        return _jwt_token(claims)
    match = _ANY_FORMAT.fullmatch(value)
    return None if match is None else _FORMATS[int(str(match.lastgroup)[1:])][1]


#: (name words, value shape, what the provider makes): secrets whose size the provider fixes
_SHAPES: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = (
    (
        ("PUSHER_APP_KEY", "PUSHER_APP_SECRET", "PUSHER_KEY", "PUSHER_SECRET"),
        re.compile(r"[0-9a-f]{20}"),
        "Pusher's 20 hex characters",
    ),
    (
        ("REVERB_APP_KEY", "REVERB_APP_SECRET"),
        re.compile(r"[a-z0-9]{20}"),
        "the 20 characters `php artisan reverb:install` generates",
    ),
    (
        ("FACEBOOK_APP_SECRET", "FACEBOOK_CLIENT_SECRET", "FB_APP_SECRET", "META_APP_SECRET"),
        re.compile(r"[0-9a-f]{32}"),
        "Facebook's 32 hex characters",
    ),
    (
        (
            "RECAPTCHA_SECRET",
            "RECAPTCHA_SECRET_KEY",
            "RECAPTCHA_PRIVATE_KEY",
            "NOCAPTCHA_SECRET",
            "GOOGLE_RECAPTCHA_SECRET",
        ),
        re.compile(r"6L[0-9A-Za-z_-]{38}"),
        "reCAPTCHA's 40 characters",
    ),
    (("SLACK_SIGNING_SECRET",), re.compile(r"[0-9a-f]{32}"), "Slack's 32 hex characters"),
    (
        (
            "ALGOLIA_API_KEY",
            "ALGOLIA_ADMIN_KEY",
            "ALGOLIA_SECRET",
            "ALGOLIA_SEARCH_KEY",
            "ALGOLIA_WRITE_KEY",
            "ALGOLIA_ADMIN_API_KEY",
            "ALGOLIA_SEARCH_API_KEY",
        ),
        re.compile(r"[0-9a-f]{32}"),
        "Algolia's 32 hex characters",
    ),
    (
        (
            "MAILGUN_SECRET",
            "MAILGUN_API_KEY",
            "MAILGUN_KEY",
            "MAILGUN_SIGNING_KEY",
            "MAILGUN_WEBHOOK_SIGNING_KEY",
            "MAILGUN_PRIVATE_API_KEY",
        ),
        re.compile(r"(?:key-)?[0-9a-f]{32}(?:-[0-9a-f]{8}-[0-9a-f]{8})?"),
        "Mailgun's key format",
    ),
    (("APP_SECRET",), re.compile(r"[0-9a-f]{32}"), "the 32 hex characters Symfony generates"),
    (("TWILIO_AUTH_TOKEN",), re.compile(r"[0-9a-f]{32}"), "Twilio's 32 hex characters"),
)

_SHAPE_NAMES = tuple(name for names, _, _ in _SHAPES for name in names)


def provider_shape(key: str, value: str) -> str | None:
    """What the provider makes, when ``key`` names a secret whose shape the provider fixes and
    ``value`` has that shape (``PUSHER_APP_SECRET`` of 20 hex characters); None otherwise."""
    upper = key.upper()
    if not upper.endswith(_SHAPE_NAMES):  # most names: one test instead of one per shape
        return None
    for names, shape, what in _SHAPES:
        if upper.endswith(names) and shape.fullmatch(value.strip()):
            return what
    return None
