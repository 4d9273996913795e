"""How strong a secret is: randomness of generated keys, guessability of chosen passwords."""

from __future__ import annotations

import base64
import math
import random
import string

import pytest

from envguard.judge.strength import (
    ENOUGH_BITS,
    HS256_BITS,
    laravel_key_problem,
    needed_bits,
    random_bits,
    shannon_at_least,
    shannon_bits,
    short_words,
    weak_words,
)

WEAK = [
    ("DB_PASSWORD", "SecurePassword123!", {}),
    ("DB_PASSWORD", "super-secure-password-123", {}),
    ("MAIL_PASSWORD", "Summer2024", {}),
    ("REDIS_PASSWORD", "asdsadsad", {}),
    ("DB_PASSWORD", "P@ssw0rd", {}),
    ("ADMIN_PASSWORD", "admin123", {}),
    ("DB_PASSWORD", "qwerty123", {}),
    ("DB_PASSWORD", "letmein!", {}),
    ("DB_PASSWORD", "finance_prod_user", {"DB_USERNAME": "finance_prod_user"}),
    ("DB_PASSWORD", "AcmeStore2024", {"APP_NAME": "Acme Store"}),
    ("SMTP_PASS", "Str0ngP@ss!", {}),
    ("POSTGRES_PASSWORD", "my-strong-db-password", {}),
    ("DB_PASSWORD", "ledger2024!", {"APP_NAME": "Ledger"}),
]
STRONG = [
    ("DB_PASSWORD", "vX3q-9LmTz2r-Wk7pFb4", {}),
    ("ADMIN_PASSWORD", "Rj8#tQ1v!Ze5mW9c", {}),
    ("DB_PASSWORD", "correct horse battery staple", {}),
    ("DB_PASSWORD", "2ezN-6jxnRjLY9l0w65msoQ8NQ0O5qOv", {}),
    ("REDIS_PASSWORD", "OmktfHkk0gyzEh6iNeqs7ZiLmeJ6aAHn", {}),
    ("MAIL_PASSWORD", "H733Kdjndks81xQz", {}),
    ("DB_PASSWORD", "eishoongahxiesheiW7u", {}),
    ("API_TOKEN", "9c1fd84e07a2b65f3e80c4d1a9b27e63", {}),
    ("DB_PASSWORD", "tangerine-orbit-quartz-lantern", {}),
    ("DB_PASSWORD", "Kx9!mQ2#vB7$zL4@", {}),
    ("SMTP_PASS", "smtp-8f3kq9-xz7v2m-p4w1", {"SMTP_USER": "mailer"}),
    ("DB_PASSWORD", "acme-7Qk2!vPz9mW4", {"APP_NAME": "Acme"}),
    ("DB_PASSWORD", "Wq4!nZ8rT2kLp9Xv", {}),
]


@pytest.mark.parametrize(("key", "value", "known"), WEAK)
def test_weak(key: str, value: str, known: dict[str, str]) -> None:
    assert weak_words(key, value, known) is not None


@pytest.mark.parametrize(("key", "value", "known"), STRONG)
def test_strong(key: str, value: str, known: dict[str, str]) -> None:
    assert weak_words(key, value, known) is None


def test_the_words_name_the_user_name() -> None:
    assert (
        weak_words("DB_PASSWORD", "app", {"DB_USERNAME": "app"})
        == "DB_PASSWORD equals its user name (DB_USERNAME)"
    )
    assert weak_words("DB_PASSWORD", "P@ssw0rd", {}) == "DB_PASSWORD is a common password"


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        ("3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54", 256, 256),
        ("base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=", 256, 264),
        ("mysecretjwt1", 40, 70),
        ("a" * 40, 0, 0),
        ("0123456789", 20, 40),
        ("", 0, 0),
        ("0f" * 16, 32, 128),
        ("c4a91b2f7e3d5068a1b2c3d4e5f60718", 128, 128),
    ],
)
def test_random_bits(value: str, low: int, high: int) -> None:
    assert low <= random_bits(value) <= high


def test_token_urlsafe_16_holds_128_bits() -> None:
    rng = random.Random(16)  # seeded: a failure must reproduce
    for _ in range(3000):
        token = base64.urlsafe_b64encode(rng.randbytes(16)).decode().rstrip("=")
        assert random_bits(token) >= ENOUGH_BITS, token


@pytest.mark.parametrize(
    ("key", "value", "short", "serious"),
    [
        ("SECRET_KEY", "c4a91b2f7e3d5068a1b2c3d4e5f60718", False, False),  # 128 bits: enough
        ("JWT_SECRET", "c4a91b2f7e3d5068a1b2c3d4e5f60718", True, False),  # HS256 wants 256
        ("JWT_SECRET", "mysecretjwt1", True, True),
        ("SESSION_SECRET", "abc123", True, True),
        ("JWT_SECRET", "3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54", False, False),
        ("SECRET_KEY_BASE", "a" * 60 + "bcde", True, True),  # repeated characters hold little
    ],
)
def test_short(key: str, value: str, short: bool, serious: bool) -> None:
    found = short_words(key, value, needed_bits(key))
    assert (found is not None) is short
    if found is not None:
        assert found[1] is serious
        if "JWT" in key:
            assert "RFC 7518" in found[0] and str(HS256_BITS) in found[0]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=", None),
        ("a" * 32, None),
        ("base64:c2hvcnQ=", "decodes to 5 bytes; Laravel's AES-256 cipher needs exactly 32"),
        ("base64:not*base64", "is not valid base64 after `base64:`"),
        ("tooshort", "is 8 characters; Laravel's AES-256 cipher needs 32"),
    ],
)
def test_laravel_app_key(value: str, problem: str | None) -> None:
    assert laravel_key_problem(value) == problem


def test_shannon_at_least_answers_what_the_count_answers() -> None:
    """The distinct-character bound only ever says yes where the full count says yes, and the
    count decides the rest: random tokens, repeats, short values, non-ASCII, the exact threshold."""
    rng = random.Random(15)
    alphabets = [string.ascii_letters + string.digits, "ab", "abc", "aaaaaaab", string.printable, "αβγδ"]
    proven = 0
    for _ in range(20_000):
        alphabet = rng.choice(alphabets)
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        exact = shannon_bits(value)
        for bits in (0, 1, 50, 100, 150, exact, exact + 1e-9, exact - 1e-9):
            assert shannon_at_least(value, bits) == (exact >= bits), (value, bits)
        size = len(value)
        repeated = size - len(set(value)) + 1
        proven += size > 1 and size * math.log2(size) - repeated * math.log2(repeated) >= 100
    assert proven > 1_000  # the bound decides most random tokens by itself
