"""The role of a variable, decided once: from the schema, then the name, then the value.

* The schema decides first: ``secret = true/false``, ``public = true``, and a ``type`` that says
  what the value is (``bool`` is a switch, ``int``/``port``/``duration`` a number, ``path`` a path).
* Then the name (``names.name_role``).
* Then the value refines it: a secret name whose value is a file path (``SAML_PRIVATE_CERT=app.key``,
  ``JWT_PRIVATE_KEY=/run/secrets/jwt.pem``) names a file, not a secret; a connection URL without
  credentials (``DATABASE_URL=sqlite:///app.db``, a Sentry DSN) is a plain URL; a publishable key
  (``pk_live_...``, a Supabase anon key) is public by design; a secret word that is not the head
  of the name (``TOKEN_AUTH=true``) gives way to a boolean or a number; and any name holding a
  provider credential (``sk_live_...``, a private key) or a URL with a password is a secret.
"""

from __future__ import annotations

import re
from types import EllipsisType

from envguard.judge.formats import Token, identify
from envguard.judge.hosts import url_credentials
from envguard.judge.names import Role, name_role
from envguard.judge.values import Kind, Reading, read
from envguard.schema import VarSpec

_TYPE_ROLES = {
    "bool": Role.SWITCH,
    "int": Role.QUANTITY,
    "float": Role.QUANTITY,
    "port": Role.QUANTITY,
    "duration": Role.QUANTITY,
    "path": Role.PATH,
    "email": Role.EMAIL,
    "url": Role.URL,
    "url-list": Role.URL,
    "host": Role.URL,
    "host-list": Role.URL,
}
_FILE_SUFFIX = re.compile(
    r"\.(?:key|pem|crt|cer|cert|json|p12|pfx|jks|der|txt|gpg|asc|pub|keystore|p8|ppk)$", re.I
)
_PATH_START = (
    "./",
    "../",
    "~/",
    "/run/",
    "/etc/",
    "/var/",
    "/opt/",
    "/app/",
    "/srv/",
    "/home/",
    "/secrets/",
    "/usr/",
    "/data/",
    "/mnt/",
    "/tmp/",
    "/config/",
    "/certs/",
    "/keys/",
    "storage/",
    "config/",
)


#: what a path given as a secret's value never holds: white space, and the ``=`` and ``+`` of base64
_NOT_IN_PATH = re.compile(r"[\s=+,;]")


def is_path(value: str) -> bool:
    """A file path rather than the secret itself: a known key or certificate file name, or a path
    under a folder secrets are mounted in (no spaces, no ``=`` or ``+`` that base64 carries)."""
    text = value.strip()
    if "/" not in text and "." not in text:  # a path has a folder or a file extension
        return False
    if not text or len(text) > 4096 or _NOT_IN_PATH.search(text) is not None:
        return False
    return text.startswith(_PATH_START) or bool(_FILE_SUFFIX.search(text) and len(text) < 256)


def role_of(spec: VarSpec | None, key: str, value: str | None) -> Role:
    """The role of ``key`` holding ``value`` (None when encrypted and unread) under ``spec``."""
    return refine(spec, name_role(key), None if value is None else read(value))


def refine(
    spec: VarSpec | None,
    named_role: tuple[Role, bool],
    reading: Reading | None,
    token: Token | EllipsisType | None = ...,
) -> Role:
    """The role a name says (``names.name_role``), decided by the schema first and the value last.
    ``token`` is the reading's ``formats.identify``, when the caller has it (``Context.token``)."""
    if spec is not None and (spec.secret is False or spec.public):
        return _TYPE_ROLES.get(spec.type, Role.PLAIN)
    named, outright = named_role
    if spec is not None and spec.secret:
        if not named.secret:
            named = Role.PASSWORD if spec.generate == "password" else Role.SECRET
        outright = True
    elif spec is not None and spec.type in _TYPE_ROLES and not named.secret:
        named = _TYPE_ROLES[spec.type]
    if reading is None:
        return named
    return _refined(named, outright, reading, spec is not None and bool(spec.secret), token)


def _refined(
    named: Role, outright: bool, reading: Reading, explicit: bool, token: Token | EllipsisType | None
) -> Role:
    """The name's role, corrected by what the value shows."""
    text = reading.judged
    if text is None:
        if not outright and named.secret and reading.kind in (Kind.BOOLEAN, Kind.NUMBER):
            return Role.SWITCH if reading.kind is Kind.BOOLEAN else Role.QUANTITY
        return named
    if token is ...:
        token = identify(text)
    if named.secret:
        if token is not None and token.kind != "secret" and not explicit:
            return Role.IDENTIFIER
        if token is None and named is not Role.PASSWORD and not explicit and is_path(text):
            return Role.PATH
        if (
            named is Role.CONNECTION
            and token is None
            and not explicit
            and not any(c.password for c in url_credentials(text))
        ):
            # a DSN with no credentials: a URL (a Sentry DSN), or a driver name (``LOCK_DSN=flock``)
            return Role.URL if "://" in text else Role.SETTING
        return named
    if token is not None and token.secret:
        return Role.PRIVATE_KEY if token.label == "a private key" else Role.API_KEY
    if ("://" in text or ";" in text) and any(c.password for c in url_credentials(text)):
        return Role.CONNECTION
    return named
