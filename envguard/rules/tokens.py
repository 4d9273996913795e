"""Provider credential formats and JWT claims: what a value *is*, judged from its shape alone.

Pure functions over compiled patterns. ``identify`` names the provider format a value matches and
says whether it grants access (``secret``), only names an account (``identifier``) or is meant for
browsers (``public``), and whether it is a test-mode key. JWT payloads are decoded without
verifying the signature, only to read claims such as Supabase's ``role``.
"""

from __future__ import annotations

import base64
import binascii
import json
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
    _f(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,}",
       "a Slack webhook URL"),
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
_SHORTEST = 15
#: the same bound, for callers that rule short values out without asking ``identify`` (``roles``)
SHORTEST = _SHORTEST
_PEM = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
_PRIVILEGED_ROLES = frozenset({"service_role", "supabase_admin", "admin", "postgres", "superuser"})
_PUBLIC_ROLES = frozenset({"anon", "public"})

#: credentials printed in providers' own documentation: harmless, and never a real production value
DOC_EXAMPLES = frozenset({
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "pk_test_TYooMQauvdEDq54NiTphI7jx",
})


def jwt_claims(value: str) -> dict[str, Any] | None:
    """The payload of a JWT-shaped value, decoded without verifying it; None if it is not one."""
    value = value.strip()
    if not _JWT.fullmatch(value):
        return None
    payload = value.split(".")[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


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
    if not value or value in DOC_EXAMPLES:
        return None
    if "-----BEGIN " in value and _PEM.search(value):
        return Token("a private key", "secret")
    if len(value) < _SHORTEST:
        return None
    claims = jwt_claims(value)
    if claims is not None:
        return _jwt_token(claims)
    match = _ANY_FORMAT.fullmatch(value)
    return None if match is None else _FORMATS[int(str(match.lastgroup)[1:])][1]
