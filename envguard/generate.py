"""Strong values: how to make one of each kind, and which kind a variable wants.

Every value comes from the ``secrets`` module. The kinds are those a schema's ``generate`` names:
``hex:N``, ``base64:N`` and ``urlsafe:N`` (N random bytes), ``password``, ``laravel-key``,
``django-key`` and ``jwt-secret``. ``kind_for`` picks one for a variable that has no ``generate``
in its schema, or None when the value is not the app's to make (a provider's credential).
"""

from __future__ import annotations

import base64
import re
import secrets
import string
from collections.abc import Callable

from envguard.errors import UsageError
from envguard.judge.formats import identify
from envguard.judge.placeholders import is_placeholder
from envguard.schema import Schema

KINDS = ("hex:N", "base64:N", "urlsafe:N", "password", "laravel-key", "django-key", "jwt-secret")
MIN_BYTES, MAX_BYTES, DEFAULT_BYTES = 16, 1024, 32
#: Django's own get_random_secret_key alphabet
DJANGO_ALPHABET = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"
#: letters, digits and three symbols that need no quoting in a shell, a .env file or a URL
PASSWORD_SYMBOLS = "-_."
PASSWORD_LENGTH = 48

_SIZED: dict[str, Callable[[int], str]] = {
    "hex": secrets.token_hex,
    "base64": lambda n: base64.b64encode(secrets.token_bytes(n)).decode("ascii"),
    "urlsafe": secrets.token_urlsafe,
}


def _password() -> str:
    """48 characters with every class present, not starting with a symbol (no ``-flag`` lookalike)."""
    alphabet = string.ascii_letters + string.digits + PASSWORD_SYMBOLS
    classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, PASSWORD_SYMBOLS)
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(PASSWORD_LENGTH))
        if value[0].isalnum() and all(any(c in group for c in value) for group in classes):
            return value


_FIXED: dict[str, Callable[[], str]] = {
    "password": _password,
    "laravel-key": lambda: "base64:" + base64.b64encode(secrets.token_bytes(32)).decode("ascii"),
    "django-key": lambda: "".join(secrets.choice(DJANGO_ALPHABET) for _ in range(50)),
    "jwt-secret": lambda: secrets.token_urlsafe(64),
}


def parse(kind: str) -> Callable[[], str]:
    """The generator a kind names; UsageError (listing the kinds) when there is none."""
    name, sep, size = kind.strip().partition(":")
    if name in _FIXED and not sep:
        return _FIXED[name]
    if name in _SIZED:
        if not sep:
            count = DEFAULT_BYTES
        elif size.isdigit() and MIN_BYTES <= int(size) <= MAX_BYTES:
            count = int(size)
        else:
            raise UsageError(
                f"{name}:N takes N random bytes between {MIN_BYTES} and {MAX_BYTES}",
                hint=f"for example {name}:32",
            )
        make = _SIZED[name]
        return lambda: make(count)
    raise UsageError(f"unknown kind {kind!r}", hint=f"kinds: {', '.join(KINDS)}")


def strong(kind: str) -> str:
    """A fresh value of ``kind``, never one that reads as a placeholder (``xxxx``, ``...``)."""
    make = parse(kind)
    while True:
        value = make()
        if not is_placeholder(value):
            return value


_WORDS = re.compile(r"[A-Z0-9]+")
#: name parts of credentials someone else issues: API keys, access keys, tokens, OAuth clients
_ISSUED = frozenset(
    {
        "API",
        "APIKEY",
        "ACCESS",
        "TOKEN",
        "SID",
        "DSN",
        "CLIENT",
        "WEBHOOK",
        "BOT",
        "LICENSE",
        "PRIVATE",
        "PUBLIC",
        "PUBLISHABLE",
        "ACCOUNT",
    }
)
#: providers and services whose credentials come from their dashboard, not from us
_PROVIDERS = frozenset(
    {
        "MAIL",
        "SMTP",
        "EMAIL",
        "SES",
        "SENDGRID",
        "MAILGUN",
        "POSTMARK",
        "RESEND",
        "AWS",
        "S3",
        "GCP",
        "GOOGLE",
        "AZURE",
        "STRIPE",
        "PADDLE",
        "PAYPAL",
        "TWILIO",
        "TELEGRAM",
        "INTERAKT",
        "WHATSAPP",
        "SLACK",
        "DISCORD",
        "GITHUB",
        "GITLAB",
        "OPENAI",
        "ANTHROPIC",
        "CLAUDE",
        "SENTRY",
        "PUSHER",
        "FIREBASE",
        "SUPABASE",
        "CLOUDINARY",
        "ALGOLIA",
        "AUTH0",
        "OKTA",
        "CLOUDFLARE",
        "VERCEL",
        "RAILWAY",
        "RENDER",
        "HEROKU",
        "SHOPIFY",
        "FACEBOOK",
        "TWITTER",
        "MAPBOX",
        "RECAPTCHA",
        "NPM",
    }
)


def issued_elsewhere(key: str, value: str = "") -> bool:
    """Whether ``key`` holds a credential a provider issues (so no random value can replace it)."""
    words = set(_WORDS.findall(key.upper()))
    return bool(words & (_ISSUED | _PROVIDERS)) or identify(value.strip()) is not None


def _framework(schema: Schema, name: str) -> bool:
    return schema.name == name or name in schema.extends


def kind_for(schema: Schema, key: str, value: str = "") -> str | None:
    """The kind of strong value ``key`` wants: the schema's ``generate``, else one for its role.

    None when the value is not the app's to make: a provider's credential, a value with a
    schema pattern, or a name that says nothing about its role.
    """
    spec = schema.spec(key)
    if spec is not None and spec.generate:
        return spec.generate
    if (spec is not None and spec.pattern) or issued_elsewhere(key, value):
        return None
    upper = key.upper()
    if upper == "APP_KEY" and (_framework(schema, "laravel") or value.startswith("base64:")):
        return "laravel-key"
    if upper.endswith("SECRET_KEY") and (_framework(schema, "django") or value.startswith("django-")):
        return "django-key"
    if "JWT" in upper and "SECRET" in upper:
        return "jwt-secret"
    if re.search(r"PASSWORD|PASSWD|PASSPHRASE|(?:^|_)PWD$", upper):
        return "password"
    if "SECRET" in upper or re.search(r"(?:^|_)KEY(?:_BASE)?$", upper):
        return f"hex:{DEFAULT_BYTES}"
    return None
