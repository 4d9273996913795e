"""What a variable's name says it holds, and whether a line's "key" reads as a name at all.

``looks_like_name`` is the one test for the latter: the "key" of a broken line can be a line of a
pasted secret (a base64 line of a private key ending in ``=``, a hex token), and a message that
printed it would leak it; a key longer than any real variable name is a hostile input for every
pattern that looks at keys. The parser makes a line whose key fails it an error record, and the
syntax rules show only keys that pass it.

A name is read as English compounds are: the last word is the head (``ACCESS_TOKEN_EXPIRE_MINUTES``
is a number of minutes, ``CORS_ALLOW_CREDENTIALS`` a switch that allows credentials,
``SAML_PRIVATE_CERT`` a certificate), after trailing qualifiers (``_LIVE``, ``_V2``, ``_B64``) are
set aside. A secret word earlier in the name makes a secret only when nothing after it names
another role (``PASSWORD_MIN_LENGTH`` is a length). Words run together, as Railway's
``PGPASSWORD`` and ``MYSQLPASSWORD``, still count.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Role(StrEnum):
    """The role a variable plays: a kind of secret, or a kind of setting that merely shares words
    with one (``CORS_ALLOW_CREDENTIALS`` is a switch, ``ACCESS_TOKEN_EXPIRE_MINUTES`` a number)."""

    #: a key the app makes itself to sign or encrypt (``SECRET_KEY``, ``JWT_SECRET``, ``APP_KEY``)
    SIGNING_KEY = "signing key"
    PASSWORD = "password"
    #: a secret a provider issues, never public by design (``*_CLIENT_SECRET``, ``*_CREDENTIALS``)
    SECRET = "secret"
    #: a key or token; some are public by design in a browser bundle (a value says which)
    API_KEY = "API credential"
    PRIVATE_KEY = "private key"
    #: a connection URL or string that carries credentials (``DATABASE_URL``, ``*_DSN``)
    CONNECTION = "connection URL"
    SWITCH = "switch"
    QUANTITY = "number or duration"
    PATH = "file or path"
    IDENTIFIER = "identifier"
    EMAIL = "e-mail address"
    URL = "URL"
    SETTING = "setting"
    PLAIN = "plain value"

    @property
    def secret(self) -> bool:
        """Whoever reads the value can act with it."""
        return self in _SECRET_ROLES


_SECRET_ROLES = frozenset(
    {Role.SIGNING_KEY, Role.PASSWORD, Role.SECRET, Role.API_KEY, Role.PRIVATE_KEY, Role.CONNECTION}
)

#: prefixes that bundlers (Vite, Next.js, CRA, Nuxt, SvelteKit/Astro, Expo, Gatsby) inline into the browser
BROWSER_PREFIXES = (
    "NEXT_PUBLIC_",
    "NUXT_PUBLIC_",
    "EXPO_PUBLIC_",
    "REACT_APP_",
    "VITE_",
    "PUBLIC_",
    "GATSBY_",
)

_CONNECTION_TAILS = ("_DATABASE_URL", "_DB_URL", "CONNECTION_STRING")
#: words that qualify the head without changing it (``STRIPE_API_KEY_LIVE``, ``SECRET_KEY_BASE``)
_QUALIFIERS = frozenset(
    {
        "LIVE",
        "TEST",
        "PROD",
        "PRODUCTION",
        "DEV",
        "STAGING",
        "SANDBOX",
        "NEW",
        "OLD",
        "PRIMARY",
        "SECONDARY",
        "BACKUP",
        "CURRENT",
        "PREVIOUS",
        "NEXT",
        "FALLBACK",
        "BASE",
        "B64",
        "BASE64",
        "HEX",
        "RAW",
        "ENCODED",
        "JSON",
        "PEM",
        "VALUE",
        "V1",
        "V2",
        "V3",
        "MAIN",
        "DEFAULT",
        "GLOBAL",
        "LOCAL",
    }
)
_PASSWORD_WORDS = frozenset({"PASS", "PWD", "PW", "PASSWORDS"})
_KEY_COMPOUNDS = (
    "API",
    "SECRET",
    "PRIVATE",
    "ACCESS",
    "AUTH",
    "APP",
    "ENCRYPTION",
    "SIGNING",
    "MASTER",
    "LICENSE",
    "SERVICE",
)
_SWITCH_HEADS = frozenset(
    {
        "ENABLED",
        "ENABLE",
        "DISABLED",
        "DISABLE",
        "REQUIRED",
        "REQUIRE",
        "RENEW",
        "RENEWABLE",
        "ROTATION",
        "ROTATE",
        "ON",
        "OFF",
        "ACTIVE",
        "ALLOWED",
        "FLAG",
        "CHECK",
        "VALIDATION",
        "VERIFICATION",
        "AUTOCONFIRM",
    }
)
_SWITCH_VERBS = frozenset(
    {
        "ALLOW",
        "ALLOWS",
        "USE",
        "ENABLE",
        "DISABLE",
        "REQUIRE",
        "FORCE",
        "SKIP",
        "IGNORE",
        "SHOW",
        "HIDE",
        "IS",
        "HAS",
        "SUPPORTS",
        "SUPPORT",
        "INCLUDE",
        "SEND",
        "EXPOSE",
    }
)
_QUANTITY_HEADS = frozenset(
    {
        "EXPIRE",
        "EXPIRES",
        "EXPIRY",
        "EXPIRATION",
        "TTL",
        "LIFETIME",
        "TIMEOUT",
        "WITHIN",
        "AGE",
        "DURATION",
        "INTERVAL",
        "PERIOD",
        "MINUTES",
        "MINS",
        "HOURS",
        "DAYS",
        "WEEKS",
        "SECONDS",
        "SECS",
        "MS",
        "LENGTH",
        "LEN",
        "SIZE",
        "MIN",
        "MAX",
        "ROUNDS",
        "COUNT",
        "LIMIT",
        "PORT",
        "ATTEMPTS",
        "RETRIES",
        "COST",
        "ITERATIONS",
        "FACTOR",
        "TRIES",
        "DELAY",
        "WINDOW",
        "CAPACITY",
        "NUMBER",
        "IN",
        "VERSION",
        "STRENGTH",
        "BITS",
        "BYTES",
        "CHARS",
        "DIGITS",
    }
)
_PATH_HEADS = frozenset({"FILE", "PATH", "DIR", "DIRECTORY", "LOCATION", "FOLDER", "FILENAME", "FILES"})
_IDENTIFIER_HEADS = frozenset(
    {
        "ID",
        "IDS",
        "NAME",
        "USER",
        "USERNAME",
        "LOGIN",
        "ARN",
        "REF",
        "SID",
        "REGION",
        "OWNER",
        "LABEL",
        "ALIAS",
        "HANDLE",
        "ACCOUNT",
        "SUBJECT",
        "KID",
    }
)
_EMAIL_HEADS = frozenset({"EMAIL", "MAIL", "ADDRESS", "FROM", "TO", "RECIPIENT", "SENDER"})
_URL_HEADS = frozenset(
    {
        "URL",
        "URI",
        "URLS",
        "URIS",
        "ENDPOINT",
        "HOST",
        "HOSTNAME",
        "DOMAIN",
        "ORIGIN",
        "ORIGINS",
        "CALLBACK",
        "REDIRECT",
        "WEBHOOK",
        "SERVER",
        "ISSUER",
        "AUDIENCE",
        "JWKS",
        "BASEURL",
    }
)
_SETTING_HEADS = frozenset(
    {
        "TYPE",
        "ALGORITHM",
        "ALGORITHMS",
        "ALG",
        "HEADER",
        "PREFIX",
        "SCOPE",
        "SCOPES",
        "FIELD",
        "COOKIE",
        "MODE",
        "STRATEGY",
        "HASHER",
        "HASHERS",
        "POLICY",
        "RULES",
        "PROVIDER",
        "DRIVER",
        "BACKEND",
        "CLASS",
        "FORMAT",
        "CHARSET",
        "ENCODING",
        "LEVEL",
        "PARAM",
        "QUERY",
        "SOURCE",
        "HINT",
        "KIND",
        "STORE",
        "STORAGE",
        "CACHE",
        "RESET",
        "GENERATOR",
        "CIPHER",
        "METHOD",
    }
)
#: words before ``KEY`` that make it something other than a credential (``CACHE_KEY``, ``SORT_KEY``)
_NOT_CREDENTIAL_KEYS = frozenset(
    {
        "CACHE",
        "SORT",
        "PARTITION",
        "PRIMARY",
        "FOREIGN",
        "ROUTING",
        "LOOKUP",
        "LOCK",
        "QUEUE",
        "I18N",
        "TRANSLATION",
        "HOT",
        "MAP",
        "REDIS",
        "CONFIG",
        "IDEMPOTENCY",
        "STORAGE",
        "BUCKET",
        "OBJECT",
    }
)
_PUBLIC_WORDS = frozenset({"PUBLIC", "PUBLISHABLE", "ANON", "PUB"})
#: names that sign or encrypt with a key the app makes itself, not one a provider issues
_SIGNING_TAILS = (
    "SECRET",
    "SECRET_KEY",
    "KEY_BASE",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "ENCRYPT_KEY",
    "ENC_KEY",
    "HMAC_KEY",
    "JWT_KEY",
    "MASTER_KEY",
    "SESSION_KEY",
    "COOKIE_KEY",
    "CIPHER_KEY",
    "SALT",
    "PEPPER",
    "APP_KEY",
    "APP_KEYS",
    "CRYPTO_KEY",
)
_ISSUED = (
    "CLIENT_SECRET",
    "CONSUMER_SECRET",
    "API_SECRET",
    "ACCESS_KEY",
    "API_KEY",
    "AUTH_TOKEN",
    "SECRET_ACCESS_KEY",
    "ACCOUNT_KEY",
)
#: secret words that never name something public by design, unlike a bare key or token
_ALWAYS_SECRET = (
    "SERVICE_ROLE",
    "SERVICE_KEY",
    "ADMIN_KEY",
    "MASTER_KEY",
    "ADMIN_TOKEN",
    "AUTH_TOKEN",
    "BOT_TOKEN",
    "REFRESH_TOKEN",
    "PRIVATE_TOKEN",
)
#: one pass over a name for every word of ``_ALWAYS_SECRET``, and for every signing tail
_ALWAYS_SECRET_WORDS = re.compile("|".join(_ALWAYS_SECRET))
_SIGNING_NAMES = frozenset(_SIGNING_TAILS)
_SIGNING_ENDS = tuple("_" + tail for tail in _SIGNING_TAILS)
#: codes that open a door: a head ``CODE`` after one of these words is a secret
_CODE_DOORS = frozenset(
    {"INVITATION", "INVITE", "ACCESS", "SIGNUP", "REGISTRATION", "ADMIN", "SECRET", "RECOVERY", "UNLOCK"}
)


def browser_prefix(key: str) -> str | None:
    """The bundler prefix that ships ``key`` to the browser, if any."""
    upper = key.upper()
    if not upper.startswith(BROWSER_PREFIXES):
        return None
    return next(p for p in BROWSER_PREFIXES if upper.startswith(p))


def _secret_word(word: str) -> Role | None:
    """The secret role one word of a name names, if any."""
    if "PASSWORD" in word or "PASSWD" in word or "PASSPHRASE" in word or word in _PASSWORD_WORDS:
        return Role.PASSWORD
    if "SECRET" in word or word in ("CREDENTIAL", "CREDENTIALS", "CREDS", "SALT", "PEPPER"):
        return Role.SECRET
    if word in ("TOKEN", "TOKENS") or word.endswith("TOKEN") or word in ("KEY", "KEYS", "APIKEY", "PSK"):
        return Role.API_KEY
    if word.endswith("KEY") and word[:-3] in _KEY_COMPOUNDS:
        return Role.API_KEY
    if word == "DSN":
        return Role.CONNECTION
    return None


def _other_role(word: str) -> Role | None:
    """The non-secret role a head word names, if any."""
    return _HEAD_ROLES.get(word)


def words(key: str) -> list[str]:
    """The words of a name, upper case, with trailing qualifiers set aside."""
    parts = [w for w in key.upper().split("_") if w]
    while len(parts) > 1 and (parts[-1] in _QUALIFIERS or parts[-1].isdigit()):
        parts.pop()
    return parts


#: names the shell sets in every process's environment with a fixed meaning (POSIX): ``PWD`` is
#: the working directory, not a password
_SHELL_NAMES = {"PWD": Role.PATH, "OLDPWD": Role.PATH}


def name_role(key: str) -> tuple[Role, bool]:
    """What the name says: the role, and whether the name says it outright (its head word)
    rather than through an earlier word (``TOKEN_AUTH``: a secret word, then an unknown head)."""
    parts = words(key)
    if not parts:
        return Role.PLAIN, True
    if not secret_hint(key):  # most names: no secret word at all, only the head's role to find
        return _other_role(parts[-1]) or Role.PLAIN, True
    upper = "_".join(parts)
    if upper in _SHELL_NAMES:
        return _SHELL_NAMES[upper], True
    if (
        len(parts) > 1
        and parts[0] in ("ENABLE", "DISABLE", "USE", "ALLOW", "IS", "HAS")
        and any(_secret_word(w) for w in parts[1:])
    ):
        return Role.SWITCH, True
    if upper in ("DATABASE_URL", "DB_URL") or upper.endswith(_CONNECTION_TAILS):
        return Role.CONNECTION, True
    head = parts[-1]
    if head == "CODE" and len(parts) > 1 and parts[-2] in _CODE_DOORS:
        return Role.SECRET, True
    role = _secret_word(head)
    if role is not None:
        return _refine_secret(parts, role), True
    other = _other_role(head)
    if other is not None:
        return other, True
    for index in range(len(parts) - 2, -1, -1):
        earlier = _secret_word(parts[index])
        if earlier is not None:
            if index > 0 and parts[index - 1] in _SWITCH_VERBS:
                return Role.SWITCH, True
            return _refine_secret(parts[: index + 1], earlier), False
    return Role.PLAIN, True


def _refine_secret(parts: list[str], role: Role) -> Role:
    """A secret head in context: public keys, switches, cache keys, signing keys, issued keys."""
    head = parts[-1]
    before = parts[-2] if len(parts) > 1 else ""
    if before in _SWITCH_VERBS or parts[0] in ("IS", "HAS", "USE", "ENABLE", "DISABLE", "ALLOW"):
        return Role.SWITCH
    joined = "_".join(parts)
    if _ALWAYS_SECRET_WORDS.search(joined) is not None:
        return Role.SECRET
    if head in ("KEY", "KEYS") and before in _PUBLIC_WORDS | _NOT_CREDENTIAL_KEYS:
        return Role.IDENTIFIER if before in _PUBLIC_WORDS else Role.SETTING
    if before in _PUBLIC_WORDS and role is Role.API_KEY:
        return Role.IDENTIFIER
    if "PRIVATE" in parts[-3:-1] and head in ("KEY", "KEYS"):
        return Role.PRIVATE_KEY
    if role in (Role.SECRET, Role.API_KEY) and _signing(joined):
        return Role.SIGNING_KEY
    return role


def _signing(joined: str) -> bool:
    """``SECRET_KEY``, ``JWT_SECRET``, ``APP_KEY``...: a key the app generates for itself."""
    if joined.endswith(_ISSUED) or "CLIENT_SECRET" in joined or "CONSUMER" in joined:
        return False
    return joined in _SIGNING_NAMES or joined.endswith(_SIGNING_ENDS)


_PUBLIC_URLS = frozenset(
    {
        "APP_URL",
        "SITE_URL",
        "FRONTEND_URL",
        "CLIENT_URL",
        "PUBLIC_URL",
        "BASE_URL",
        "WEB_URL",
        "ASSET_URL",
        "NEXTAUTH_URL",
        "AUTH_URL",
        "API_EXTERNAL_URL",
        "APP_BASE_URL",
        "FRONTEND_ORIGIN",
        "CLIENT_ORIGIN",
        "PUBLIC_BASE_URL",
        "WEBSITE_URL",
        "HOMEPAGE_URL",
        "FRONTEND_HOST",
        "CLIENT_HOST",
        "PUBLIC_HOST",
    }
)


def is_public_url_name(key: str) -> bool:
    """A name apps give the URLs the outside world reaches them at (``APP_URL``, ``FRONTEND_URL``,
    ``*_REDIRECT_URI``, ``*_CALLBACK_URL``, ``*_PUBLIC_URL``)."""
    upper = key.upper()
    return upper in _PUBLIC_URLS or upper.endswith(
        ("_REDIRECT_URI", "_REDIRECT_URL", "_CALLBACK_URL", "_CALLBACK_URI", "_PUBLIC_URL")
    )


def names_setting(key: str, settings: tuple[str, ...]) -> bool:
    """``key`` is one of ``settings`` or one of them with a prefix: cookiecutter-django's
    ``DJANGO_SECURE_SSL_REDIRECT`` is Django's ``SECURE_SSL_REDIRECT``."""
    return any(key == name or key.endswith("_" + name) for name in settings)


def is_password_name(key: str) -> bool:
    """A password by name (``DB_PASSWORD``, ``SMTP_PASS``, ``PGPASSWORD``)."""
    return name_role(key)[0] is Role.PASSWORD


def secret_hint(key: str) -> bool:
    """A cheap necessary condition for ``name_role`` to find a secret: a secret word is in the name."""
    return _HINT.search(key.upper()) is not None


#: a substring of every name ``name_role`` calls a secret
_HINT_WORDS = (
    "PASS",
    "PWD",
    "PW",
    "SECRET",
    "TOKEN",
    "KEY",
    "CREDENTIAL",
    "CREDS",
    "SALT",
    "PEPPER",
    "DSN",
    "CODE",
    "DATABASE_URL",
    "DB_URL",
    "CONNECTION_STRING",
    "PSK",
)
_HINT = re.compile("|".join(_HINT_WORDS))
#: each head word to the role it names (the first of the lists wins, as they are read in order)
_HEAD_ROLES: dict[str, Role] = {}
for _heads, _role in (
    (_SETTING_HEADS, Role.SETTING),
    (_URL_HEADS, Role.URL),
    (_EMAIL_HEADS, Role.EMAIL),
    (_IDENTIFIER_HEADS, Role.IDENTIFIER),
    (_PATH_HEADS, Role.PATH),
    (_QUANTITY_HEADS, Role.QUANTITY),
    (_SWITCH_HEADS, Role.SWITCH),
):
    _HEAD_ROLES.update(dict.fromkeys(_heads, _role))


#: no real variable name is longer; a longer "key" is a syntax finding, never judged as a variable
MAX_KEY_LENGTH = 255

# a camelCase or PascalCase part of a name: words of letters, digits only at the end
_NAME_CAMEL = re.compile(r"(?:[a-z]+|[A-Z][a-z]+)(?:[A-Z][a-z]+)*[0-9]*")
_NAME_CHARS = re.compile(r"[\w.\-]+")
_NAME_SEPARATORS = re.compile(r"[_.\-]")
# letters and digits switching three times in one part of a key: a hash or a random token
MANY_SWITCHES = re.compile(r"[^\W\d_][0-9]+[^\W\d_]+[0-9]|[0-9][^\W\d_]+[0-9]+[^\W\d_]")


def looks_like_name(key: str) -> bool:
    """Whether ``key`` reads as a variable name someone wrote, so messages may show it.

    Names are letters, digits, ``_``, ``.`` and ``-``, at most ``MAX_KEY_LENGTH`` long, each
    ``_``/``.``/``-`` part in one case (letters and digits switching at most twice) or in camelCase
    words (digits only at the end): ``OAUTH2``, ``K8S``, ``2FA_SECRET``, ``mail.host``, ``apiKey``.
    A base64 or hex line of a key pasted where a key belongs (``gOeFUvNZfugG4Ra+hY5Q0PI=``) is not
    one; a short random text can pass for one, which is why the parser also keeps the lines of a
    broken key block together.
    """
    if len(key) > MAX_KEY_LENGTH or not _NAME_CHARS.fullmatch(key) or MANY_SWITCHES.search(key):
        return False
    if key.isupper() or key.islower():
        return True
    return all(
        part.upper() == part or part.lower() == part or _NAME_CAMEL.fullmatch(part)
        for part in _NAME_SEPARATORS.split(key)
    )
