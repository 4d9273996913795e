"""What a value is: literals, empty, "unset" literals, booleans, numbers and references."""

from __future__ import annotations

import pytest

from envguard.judge.values import Kind, is_manager_reference, is_off, is_on, items, read, switched

REFERENCES = [
    ("${DB_PASSWORD}", None),
    ("$DB_PASSWORD", None),
    ("${DB_PASSWORD:?set it}", None),
    ("${{Postgres.DATABASE_URL}}", None),
    ("${{ shared.JWT_SECRET }}", None),
    ("%env(APP_SECRET)%", None),
    ("op://prod/ledger/db-password", None),
    ("vault://secret/myapp/prod#DB_PASSWORD", None),
    ("bw://a1b2c3/password", None),
    ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCd", None),
    ("@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db)", None),
    ("postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app", None),
    ("https://${{RAILWAY_PUBLIC_DOMAIN}}", None),
    ("${DB_PASSWORD:-changeme}", "changeme"),
    ("${DB_PASSWORD-changeme}", "changeme"),
    ("${PORT:-8000}", "8000"),
    ("${DEBUG:-false}", "false"),
    ("${A:-x}${B:-y}", "xy"),
    ("${EMPTY:-}", ""),
]
LITERALS = [
    ("vX3q-9LmTz2r-Wk7pFb4", Kind.LITERAL),
    ("$ecretP4ss", Kind.LITERAL),
    ("P@$$w0rd", Kind.LITERAL),
    ("pre$", Kind.LITERAL),
    ("https://api.example.org/v1", Kind.LITERAL),
    ("", Kind.EMPTY),
    ("   ", Kind.EMPTY),
    ("null", Kind.UNSET),
    ("(null)", Kind.UNSET),
    ("empty", Kind.UNSET),
    ("(empty)", Kind.UNSET),
    ("NULL", Kind.UNSET),
    ("none", Kind.UNSET),
    ("true", Kind.BOOLEAN),
    ("False", Kind.BOOLEAN),
    ("(true)", Kind.BOOLEAN),
    ("yes", Kind.BOOLEAN),
    ("8000", Kind.NUMBER),
    ("-1.5", Kind.NUMBER),
    ("1e6", Kind.NUMBER),
    ("12345678901234567890123456789012345678901", Kind.LITERAL),
    ("6.hours", Kind.LITERAL),
    ("secret://not-a-manager with spaces", Kind.LITERAL),
]


@pytest.mark.parametrize(("value", "default"), REFERENCES)
def test_references(value: str, default: str | None) -> None:
    reading = read(value)
    assert reading.kind is Kind.REFERENCE
    assert reading.literal == default


@pytest.mark.parametrize(("value", "kind"), LITERALS)
def test_everything_else(value: str, kind: Kind) -> None:
    reading = read(value)
    assert reading.kind is kind
    assert reading.judged == (value.strip() if kind is Kind.LITERAL else None)


def test_a_references_default_is_judged_as_the_value_it_becomes() -> None:
    assert read("${DB_PASSWORD:-changeme}").judged == "changeme"
    assert read("${DEBUG:-true}").judged is None and read("${DEBUG:-true}").literal == "true"
    assert read("${X:-}").literal_kind is Kind.EMPTY


@pytest.mark.parametrize(
    ("value", "manager"),
    [
        ("op://vault/item/field", True),
        ("doppler://project/config/KEY", True),
        ("sm://project/secret", True),
        ("infisical://prod/DB_PASSWORD", True),
        ("arn:aws:ssm:eu-west-1:1:parameter/db", True),
        ("https://vault.example.com", False),
        ("redis://cache:6379", False),
        ("op://", False),
        ("postgres://u:p@h/db", False),
        ("vault", False),
    ],
)
def test_secret_manager_addresses(value: str, manager: bool) -> None:
    assert is_manager_reference(value) is manager


@pytest.mark.parametrize(
    ("value", "on", "off"),
    [
        ("true", True, False),
        ("TRUE", True, False),
        ("1", True, False),
        ("yes", True, False),
        ("on", True, False),
        ("(true)", True, False),
        ("'true'", True, False),
        ("false", False, True),
        ("0", False, True),
        ("off", False, True),
        ("", False, True),
        ("(false)", False, True),
        ("maybe", False, False),
        ("2", False, False),
        (None, False, False),
    ],
)
def test_switches(value: str | None, on: bool, off: bool) -> None:
    assert is_on(value) is on
    assert is_off(value) is off


def test_switched_keeps_the_spelling() -> None:
    assert [switched(v, on=False) for v in ("true", "True", "TRUE", "1", "yes", "on")] == [
        "false",
        "False",
        "FALSE",
        "0",
        "no",
        "off",
    ]
    assert switched("false", on=True) == "true"


def test_items() -> None:
    assert items(" a, b  c,,d ") == ["a", "b", "c", "d"]
    assert items("") == []
