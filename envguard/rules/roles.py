"""What role a variable plays: secret or not, browser-exposed, placeholder, credentials in a URL.

Shared by every family that judges values. All functions are pure; patterns compile at import and
nothing heavy is imported. Which variables are secrets comes from the schema first (``secret``,
``public``), then from the name (``*PASSWORD*``, ``*SECRET*``, ``*TOKEN*``, ``*_KEY``...), then from
the value (provider credential formats, URLs carrying a password).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import cast
from urllib.parse import unquote, urlsplit

from envguard.rules.base import Context, Keys, Variable, keyed
from envguard.rules.tokens import DOC_EXAMPLES, SHORTEST, Token, identify, jwt_claims

__all__ = [
    "BROWSER_PREFIXES", "Credentials", "Token", "browser_prefix", "default_label", "identify",
    "is_connection_url", "is_placeholder", "is_reference", "is_secret", "jwt_claims",
    "random_bytes", "secret_name", "secret_value", "secret_vars", "shannon_bits", "url_credentials",
]

#: prefixes that bundlers (Vite, Next.js, CRA, Nuxt, SvelteKit/Astro, Expo, Gatsby) inline into the browser
BROWSER_PREFIXES = ("NEXT_PUBLIC_", "NUXT_PUBLIC_", "EXPO_PUBLIC_", "REACT_APP_", "VITE_", "PUBLIC_",
                    "GATSBY_")
#: a gate admitting every key that starts with a browser prefix (and some that only contain one)
BROWSER_GATE = Keys(*BROWSER_PREFIXES)

_SECRET_NAME = re.compile(
    r"PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|PRIVATE|CREDENTIAL|APIKEY|(?:^|_)KEYS?$|(?:^|_)PWD$"
    r"|(?:^|_)KEY_BASE$"
)
#: a substring of every name the two patterns around it can match (and ``schema_checks``' secret
#: names): one search rules most names out
_SECRET_WORDS = ("PASS", "SECRET", "TOKEN", "PRIVATE", "CREDENTIAL", "KEY", "PWD", "DSN", "DATABASE_URL",
                 "DB_URL")
SECRET_HINT = re.compile("|".join(_SECRET_WORDS))
#: the same words as a gate, for the rules that walk every variable looking for secret names
SECRET_NAME_GATE = Keys(*_SECRET_WORDS)
#: names whose URL value carries credentials by design
_URL_SECRET_NAME = re.compile(r"(?:^|_)(?:DSN|DATABASE_URL|DB_URL)$")
_SETTING_NAME = re.compile(
    r"_KEY_ID$|(?:^|_)PUBLIC_KEY|PUBLISHABLE|_TTL$|EXPIRE|EXPIRY|LIFETIME|TIMEOUT|_ALGORITHM$|_ALG$"
    r"|_(?:PATH|FILE|DIR|LENGTH|PREFIX|HEADER|NAME|TYPE|ID|URL|URI|ENDPOINT|AUDIENCE|ISSUER|SCOPES?"
    r"|ENABLED|ROUNDS|COUNT|SIZE|LIMIT|VERSION|MINUTES|HOURS|DAYS|SECONDS|FIELD|COOKIE)$"
)
_REFERENCE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}")
_PLACEHOLDER = re.compile(
    r"(?<![a-z0-9])your|[-_ .]here$|(?<![a-z0-9])(?:change|replace|fill)[-_ ]?(?:me|this|it|with)(?![a-z0-9])"
    r"|(?<![a-z0-9])(?:placeholder|dummy|fake|sample|example|redacted|todo|tbd|fixme|insert|notreal"
    r"|not[-_ ]set)(?![a-z0-9])"
    # runs of x: at a word edge, or long; a short run inside random text is chance, not a placeholder
    r"|(?-i:(?<![A-Za-z0-9])(?:x{4,}|X{4,})|(?:x{4,}|X{4,})(?![A-Za-z0-9])|x{8,}|X{8,})"
    r"|\*{3,}|\.{3}|\u2026|<[a-z][\w .-]*>|\{\{[^{}]+\}\}|\[[a-z][\w -]{2,}\]",
    re.IGNORECASE,
)
#: a substring every match of ``_PLACEHOLDER`` contains, lower-cased, one per alternative: on ASCII
#: text, where IGNORECASE folds letters exactly as ``str.lower`` does, no hit here means no placeholder
#: (a literal alternation searched with IGNORECASE is as slow as ``_PLACEHOLDER`` itself)
_PLACEHOLDER_WORDS = re.compile(
    r"your|here|change|replace|fill|placeholder|dummy|fake|sample|example|redacted|todo|tbd|fixme"
    r"|insert|not|xxxx|\*\*\*|\.\.\.|<|\{\{|\["
)
_ALL_CAPS_ROLE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_(?:KEY|PASSWORD|SECRET|TOKEN|DSN)")

#: values shipped as defaults by frameworks, libraries and docs, lower-cased
_DEFAULTS = {
    "keyboard cat": "express-session's documented example", "keyboardcat": "express-session's example",
    "secret": "", "password": "", "passw0rd": "", "changeit": "Java keytool's default",
    "admin": "", "root": "", "postgres": "PostgreSQL's default",
    "mysql": "MySQL's default", "guest": "RabbitMQ's default", "minioadmin": "MinIO's default",
    "shhhhh": "jsonwebtoken's documented example", "your-256-bit-secret": "jwt.io's example",
    "somerandomstring": "Laravel's old default", "thistokenisnotsosecretchangeit": "Symfony's default",
    "notasecret": "", "supersecret": "", "mysecret": "",
    "secretkey": "", "secret_key": "", "secret-key": "",
    "super-secret-jwt-token-with-at-least-32-characters-long": "Supabase's local default",
}
_DB_SCHEMES = frozenset({"postgres", "postgresql", "mysql", "mariadb", "mongodb", "mongodb+srv", "redis",
                         "rediss", "amqp", "amqps", "mssql", "sqlserver", "cockroachdb", "clickhouse",
                         "oracle", "memcached", "nats", "kafka"})
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s,;\"'<>]+")
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
_B64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


def browser_prefix(key: str) -> str | None:
    """The bundler prefix that ships ``key`` to the browser, if any."""
    upper = key.upper()
    if not upper.startswith(BROWSER_PREFIXES):
        return None
    return next(p for p in BROWSER_PREFIXES if upper.startswith(p))


@lru_cache(maxsize=1 << 16)  # keys repeat across the files of a tree
def secret_name(key: str) -> bool:
    """A name that holds a secret by convention (``*_DSN`` and ``DATABASE_URL`` included, since their
    URLs carry credentials); settings about a secret (``*_TOKEN_TTL``, ``*_KEY_ID``) do not."""
    upper = key.upper()
    if SECRET_HINT.search(upper) is None:
        return False
    if _URL_SECRET_NAME.search(upper):
        return True
    return bool(_SECRET_NAME.search(upper)) and not _SETTING_NAME.search(upper)


def secret_value(value: str) -> bool:
    """A value that is a credential by its shape: a provider secret, a JWT, a URL with a password."""
    token = identify(value)
    if token is not None:
        return token.secret
    return any(c.password for c in url_credentials(value))


def is_secret(ctx: Context, key: str, value: str | None = None) -> bool:
    """Whether ``key`` holds a secret: the schema's word first, then the name, then the value."""
    spec = ctx.spec(key)
    if spec is not None and spec.secret is not None:
        return spec.secret
    if spec is not None and spec.public:
        return False
    if secret_name(key):
        return True
    return value is not None and _secret_value_in(ctx, value)


def _secret_value_in(ctx: Context, value: str) -> bool:
    """``secret_value(value)``, sharing its parts with the other rules that ask about ``value``."""
    # a URL without an @ has no credentials (``url_credentials``): no need to keep that answer
    if len(value) < SHORTEST:  # most values: too short for any credential format, only a URL is left
        return "://" in value and "@" in value and any(c.password for c in ctx.once(url_credentials, value))
    token = ctx.once(identify, value)
    if token is not None:
        return token.secret
    return "://" in value and "@" in value and any(c.password for c in ctx.once(url_credentials, value))


def is_reference(value: str) -> bool:
    """A value that only refers to other variables (``${DB_PASSWORD}``), which envguard cannot judge."""
    if "${" not in value:  # nothing to substitute: the same answer without the regular expression
        return bool(value) and not value.strip(" :/@")
    return bool(value) and not _REFERENCE.sub("", value).strip(" :/@")


def is_placeholder(value: str) -> bool:
    """A visible stand-in: ``YOUR_..._HERE``, ``your-...-key``, ``changeme``, ``xxxx``, ``<...>``."""
    value = value.strip().removeprefix("base64:")
    if value in DOC_EXAMPLES:
        return True
    return bool(_placeholder_text(value) or _ALL_CAPS_ROLE.fullmatch(value))


def _placeholder_text(value: str) -> bool:
    """``_PLACEHOLDER.search(value)``, ruling most values out first with ``_PLACEHOLDER_WORDS``."""
    # non-ASCII text folds case in ways str.lower does not (long s, Kelvin sign, dotless i): only
    # the full pattern is exact there
    if value.isascii() and _PLACEHOLDER_WORDS.search(value.lower()) is None:
        return False
    return _PLACEHOLDER.search(value) is not None


def default_label(value: str) -> str | None:
    """Whose well-known default ``value`` is (``"express-session's documented example"``), ``""``
    for a generic one (``secret``, ``password``), None when it is no known default."""
    lowered = value.strip().lower()
    if lowered.startswith("django-insecure-"):
        return "Django's generated development key"
    return _DEFAULTS.get(lowered)


def secret_vars(ctx: Context) -> Iterator[tuple[Variable, str]]:
    """Effective variables holding a secret with a plaintext value worth judging."""
    # several rules walk these: judge each variable once per context, not once per rule
    found = ctx.memo.get("secret_vars")
    if found is None:
        found = ctx.memo["secret_vars"] = _secret_vars(ctx)
    secrets, values = cast("tuple[list[Variable], list[str]]", found)
    return zip(secrets, values, strict=True)


def _secret_vars(ctx: Context) -> tuple[list[Variable], list[str]]:
    named = None if ctx.specced else secret_names(ctx)
    # two flat lists, not a pair per secret: on a huge file, thousands of kept pairs cost more in
    # garbage-collector passes than in building them
    secrets: list[Variable] = []
    values: list[str] = []
    for var in ctx.last.values():
        value = (var.value or "").strip()
        if not value:
            continue
        if named is None:
            secret = is_secret(ctx, var.key, value)
        else:
            secret = var.key in named or _secret_value_in(ctx, value)
        # few values are secrets: asking whether one is a reference afterwards saves that question
        if secret and not is_reference(value):
            secrets.append(var)
            values.append(value)
    return secrets, values


def secret_names(ctx: Context) -> frozenset[str]:
    """The keys of ``ctx`` named like secrets (``secret_name``), found through their gate."""
    found = ctx.memo.get("secret_names")
    if found is None:
        found = ctx.memo["secret_names"] = frozenset(
            v.key for v in keyed(ctx, SECRET_NAME_GATE) if secret_name(v.key))
    return cast("frozenset[str]", found)


def shannon_bits(value: str) -> float:
    """Total Shannon entropy of the characters of ``value``, in bits (a lower bound for short values)."""
    if not value:
        return 0.0
    size = len(value)
    counts = Counter(value).values()
    if size > _TERMS_MAX:
        per_char = -sum(n / size * math.log2(n / size) for n in counts)
    else:
        # the same terms, looked up: the same floats summed in the same order, so the same result
        terms = _TERMS.get(size) or _terms(size)
        per_char = -sum(map(terms.__getitem__, counts))
    return per_char * size


#: per value length, ``n / size * math.log2(n / size)`` for each count n (the terms ``shannon_bits``
#: sums), computed once: secrets have a few common lengths, and a log2 per character was most of
#: the cost of judging one
_TERMS: dict[int, list[float]] = {}
_TERMS_MAX = 256


def _terms(size: int) -> list[float]:
    terms = _TERMS[size] = [0.0, *(n / size * math.log2(n / size) for n in range(1, size + 1))]
    return terms


def random_bytes(value: str) -> int:
    """How many random bytes ``value`` can hold at most, from its length and alphabet.

    Hex counts 4 bits a character, base64 6, other text by the character classes it uses; a value
    whose characters repeat (low Shannon entropy per character) counts its Shannon entropy instead.
    """
    body = value.strip().removeprefix("base64:")
    if not body:
        return 0
    if len(body) >= 16:
        bits = shannon_bits(body)
        if bits / len(body) < 2.5:
            return int(bits / 8)
    if _HEX.fullmatch(body):
        return len(body) // 2
    classes = [any(c.islower() for c in body), any(c.isupper() for c in body),
               any(c.isdigit() for c in body)]
    # mixed case in the base64 alphabet: 6 bits a character (a random token may lack digits by chance)
    if _B64.fullmatch(body) and classes[0] and classes[1]:
        return len(body.rstrip("=")) * 6 // 8
    size = 26 * classes[0] + 26 * classes[1] + 10 * classes[2] + 33 * any(not c.isalnum() for c in body)
    return int(len(body) * math.log2(max(size, 2)) / 8)


@dataclass(frozen=True, slots=True)
class Credentials:
    """The credentials in one URL of a value; ``password`` is empty when there is none."""

    scheme: str
    username: str
    password: str
    host: str


def url_credentials(value: str) -> list[Credentials]:
    """The user name and password of every URL in ``value`` that carries one (percent-decoded)."""
    found: list[Credentials] = []
    if "://" not in value or "@" not in value:  # credentials come before an @: most URLs have none
        return found
    for match in _URL.finditer(value):
        if "@" not in match.group():  # urlsplit finds no user name or password without one
            continue
        try:
            parts = urlsplit(match.group())
            host = parts.hostname or ""
        except ValueError:
            continue
        if parts.username is not None or parts.password is not None:
            found.append(Credentials(parts.scheme.lower(), unquote(parts.username or ""),
                                     unquote(parts.password or ""), host))
    return found


def is_connection_url(value: str) -> bool:
    """A database, cache or queue URL (``postgres://``, ``redis://``, ``mongodb+srv://``...)."""
    match = _URL.match(value.strip())
    if match is None:
        return False
    scheme = match.group().split("://", 1)[0].lower().removeprefix("jdbc:")
    return scheme.split("+", 1)[0] in _DB_SCHEMES or scheme in _DB_SCHEMES
