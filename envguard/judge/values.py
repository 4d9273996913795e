"""What a value is: empty, an "unset" literal, a boolean, a number, a reference, or a literal.

A **reference** is resolved by the platform, the shell or a secret manager, not written in the
file: ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR:?message}``, Railway's
``${{Service.VAR}}``, Spring's ``${VAR:default}``, Symfony's ``%env(VAR)%``, and secret-manager
addresses such as ``op://vault/item/field``, ``vault://...``, AWS ARNs of Secrets Manager and SSM.
A reference is never judged as a literal; the default inside ``${VAR:-default}`` is, because that
is the value the app gets when ``VAR`` is unset (``${DB_PASSWORD:-changeme}`` is a placeholder).

Switches are read as frameworks read them: ``true/1/yes/on`` (any case, Laravel's ``(true)``)
is on; ``false/0/no/off`` and empty are off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What kind of text a value is."""

    EMPTY = "empty"
    #: a literal that frameworks read as "no value" (Laravel's ``null``, ``(null)``, ``empty``)
    UNSET = "unset"
    BOOLEAN = "boolean"
    NUMBER = "number"
    REFERENCE = "reference"
    LITERAL = "literal"


@dataclass(frozen=True, slots=True)
class Reading:
    """A value as judged: its kind, and the literal text the app sees (None when unknown).

    For a reference with a literal default, ``kind`` is REFERENCE and ``literal`` the default;
    the default's own kind is ``literal_kind``.
    """

    kind: Kind
    literal: str | None
    literal_kind: Kind | None = None
    #: the text rules judge: a literal, or a reference's default that is a literal (worked out
    #: once, when the reading is made: rules ask it of every variable, many times)
    judged: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kind = self.literal_kind if self.kind is Kind.REFERENCE else self.kind
        object.__setattr__(self, "judged", self.literal if kind is Kind.LITERAL else None)


#: what Laravel's ``env()`` and most loaders read as "no value", lower-cased
UNSET_WORDS = frozenset({"null", "(null)", "empty", "(empty)", "nil", "none"})
_ON = frozenset({"true", "1", "yes", "y", "on", "t", "ok", "enable", "enabled", "(true)"})
_OFF = frozenset({"false", "0", "no", "n", "off", "f", "disable", "disabled", "(false)", ""})
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "(true)", "(false)"})
_PAIRS = (
    ("true", "false"),
    ("1", "0"),
    ("yes", "no"),
    ("y", "n"),
    ("on", "off"),
    ("t", "f"),
    ("enable", "disable"),
    ("enabled", "disabled"),
    ("(true)", "(false)"),
    ("ok", "no"),
)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# one ${...} expression: the name, then an optional operator and its word (no nested braces)
_BRACED = re.compile(r"\$\{(" + _NAME + r")(?:(:?[-=?+]|:)([^{}]*))?\}")
_RAILWAY = re.compile(r"\$\{\{[^{}]*\}\}")
_SYMFONY = re.compile(r"%env\([^()%]*\)%")
_BARE = re.compile(r"\$[A-Z_][A-Z0-9_]*")
#: schemes of secret-manager addresses (1Password, Bitwarden, Vault, Doppler, Infisical, GCP...)
_MANAGER_SCHEMES = frozenset(
    {
        "op",
        "bw",
        "vault",
        "doppler",
        "infisical",
        "sm",
        "berglas",
        "gcpsm",
        "awssm",
        "ssm",
        "secretsmanager",
        "akv",
        "keyvault",
        "azurekv",
        "secret",
        "secrets",
        "k8s-secret",
        "sops",
    }
)
_MANAGER_PREFIXES = ("arn:aws:secretsmanager:", "arn:aws:ssm:", "@microsoft.keyvault(", "{{resolve:")


def norm(value: str) -> str:
    """A value as frameworks compare it: unquoted, trimmed, lower case."""
    return value.strip().strip("'\"").strip().lower()


def is_on(value: str | None) -> bool:
    """A switch that frameworks read as on."""
    return value is not None and norm(value) in _ON


def is_off(value: str | None) -> bool:
    """A switch that frameworks read as off (empty included)."""
    return value is not None and norm(value) in _OFF


def switched(value: str, on: bool) -> str:
    """``value`` turned on or off in its own spelling (``True`` -> ``False``, ``1`` -> ``0``)."""
    pair = next((p for p in _PAIRS if norm(value) in p), ("true", "false"))
    word = pair[0] if on else pair[1]
    core = value.strip().strip("'\"")
    if core.isupper():
        return word.upper()
    return word.capitalize() if core[:1].isupper() else word


def is_unset(value: str) -> bool:
    """A literal that frameworks read as "no value" (``null``, ``(null)``, ``empty``...)."""
    return value.strip().lower() in UNSET_WORDS


def is_manager_reference(value: str) -> bool:
    """The address of a value kept in a secret manager (``op://vault/item/field``, an ARN...)."""
    text = value.strip()
    lowered = text.lower()
    if lowered.startswith(_MANAGER_PREFIXES):
        return True
    scheme, sep, rest = text.partition("://")
    return bool(sep and rest) and " " not in text and scheme.lower() in _MANAGER_SCHEMES


def _simple_kind(text: str) -> Kind:
    if not text:
        return Kind.EMPTY
    lowered = text.lower()
    if lowered in UNSET_WORDS:
        return Kind.UNSET
    if lowered in _BOOLEAN_WORDS:
        return Kind.BOOLEAN
    if len(text) < 40 and _NUMBER.fullmatch(text):
        return Kind.NUMBER
    return Kind.LITERAL


def read(value: str | None) -> Reading:
    """What ``value`` is, and the literal the app sees when every referenced variable is unset."""
    text = (value or "").strip()
    if (
        "$" not in text
        and "%env(" not in text
        and "://" not in text
        and not text.startswith(("arn:", "@", "{{"))
    ):
        kind = _simple_kind(text)  # most values: no reference can be in them
        return Reading(kind, text)
    if is_manager_reference(text):
        return Reading(Kind.REFERENCE, None)
    if "$" not in text and "%env(" not in text:
        return Reading(_simple_kind(text), text)
    return _with_references(text)


def _with_references(text: str) -> Reading:
    """A value holding ``$``: references are replaced by their defaults, if all have one."""
    if _BARE.fullmatch(text):
        return Reading(Kind.REFERENCE, None)
    found = False
    unknown = False

    def default(match: re.Match[str]) -> str:
        nonlocal found, unknown
        found = True
        operator, word = match.group(2), match.group(3)
        if operator in (":-", "-", ":=", "=", ":"):
            return word or ""
        unknown = True  # ${X}, ${X:?msg}, ${X:+alt}: the value is whatever X holds
        return ""

    expanded = _BRACED.sub(default, text)
    for pattern in (_RAILWAY, _SYMFONY):
        expanded, count = pattern.subn("", expanded)
        if count:
            found, unknown = True, True
    if not found:
        return Reading(_simple_kind(text), text)
    if unknown:
        # a literal around an unknown part (``https://${HOST}/api``) is not the whole value
        return Reading(Kind.REFERENCE, None)
    literal = expanded.strip()
    return Reading(Kind.REFERENCE, literal, _simple_kind(literal))


def is_reference(value: str) -> bool:
    """A value the platform, the shell or a secret manager fills in (see the module notes)."""
    return read(value).kind is Kind.REFERENCE


_LIST_SPLIT = re.compile(r"[,\s]+")


def items(value: str) -> list[str]:
    """The non-empty items of a comma- or space-separated list."""
    return [part for part in _LIST_SPLIT.split(value.strip()) if part]
