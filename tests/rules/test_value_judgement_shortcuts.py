"""The faster ways of judging a secret's value give the answers the plain computations give.

``roles.shannon_bits`` looks its terms up in a table per value length, ``roles.url_credentials``
skips URLs without an ``@``, ``roles._secret_value_in`` skips ``identify`` for values shorter than any
credential format and ``strength.sibling_users`` caches the user-name candidates of a key. Each is
compared with the computation written out as it was, over generated values.
"""

from __future__ import annotations

import math
import random
import string
from collections import Counter
from urllib.parse import unquote, urlsplit

from family import context

from envguard.rules import roles, strength, tokens

_RNG = random.Random(7)


def _shannon_reference(value: str) -> float:
    if not value:
        return 0.0
    size = len(value)
    per_char = -sum(n / size * math.log2(n / size) for n in Counter(value).values())
    return per_char * size


def _values() -> list[str]:
    alphabets = (string.ascii_letters + string.digits, string.hexdigits, "ab", "aaab", string.printable,
                 "\u00e9\u017f\u212a\u0131xyz", "0123456789+/=")
    found = ["", "a", "aa", "ab", "base64:", "password", "P@ssw0rd", " padded secret "]
    for _ in range(4000):
        found.append("".join(_RNG.choice(_RNG.choice(alphabets)) for _ in range(_RNG.randint(1, 80))))
    for size in (255, 256, 257, 300, 1000):  # both sides of the table's limit
        found.append("".join(_RNG.choice("abc") for _ in range(size)))
    return found


def test_shannon_bits_is_bit_for_bit_the_formula() -> None:
    for value in _values():
        assert roles.shannon_bits(value) == _shannon_reference(value), value  # exact, not approximate


def test_random_bytes_is_unchanged() -> None:
    def reference(value: str) -> int:
        body = value.strip().removeprefix("base64:")
        if not body:
            return 0
        if len(body) >= 16 and _shannon_reference(body) / len(body) < 2.5:
            return int(_shannon_reference(body) / 8)
        if roles._HEX.fullmatch(body):
            return len(body) // 2
        classes = [any(c.islower() for c in body), any(c.isupper() for c in body),
                   any(c.isdigit() for c in body)]
        if roles._B64.fullmatch(body) and classes[0] and classes[1]:
            return len(body.rstrip("=")) * 6 // 8
        size = 26 * classes[0] + 26 * classes[1] + 10 * classes[2] + 33 * any(not c.isalnum() for c in body)
        return int(len(body) * math.log2(max(size, 2)) / 8)

    for value in _values():
        assert roles.random_bytes(value) == reference(value), value


def _credentials_reference(value: str) -> list[roles.Credentials]:
    found: list[roles.Credentials] = []
    if "://" not in value:
        return found
    for match in roles._URL.finditer(value):
        try:
            parts = urlsplit(match.group())
            host = parts.hostname or ""
        except ValueError:
            continue
        if parts.username is not None or parts.password is not None:
            found.append(roles.Credentials(parts.scheme.lower(), unquote(parts.username or ""),
                                           unquote(parts.password or ""), host))
    return found


def _urls() -> list[str]:
    pieces = ("postgres://", "https://", "redis://", "user", ":", "pass", "@", "%40", "host", ".io", "/",
              "[::1]", "[bad", "?q=a@b", "#x@y", " ", ",", "://", "@@", "a", "0")
    return ["".join(_RNG.choice(pieces) for _ in range(_RNG.randint(1, 9))) for _ in range(6000)]


def test_url_credentials_is_unchanged() -> None:
    urls = _urls()
    assert sum(bool(_credentials_reference(u)) for u in urls) > 300
    for value in urls:
        assert roles.url_credentials(value) == _credentials_reference(value), value


def test_secret_value_skips_only_what_identify_rejects() -> None:
    ctx = context("")
    values = [*_values(), *_urls(), "xoxb-0123456789", "xoxb-012345678", "sk_live_" + "a" * 20]
    values += [v[:cut] for v in ("-----BEGIN RSA PRIVATE KEY-----", "AKIA" + "A" * 16) for cut in range(30)]
    for value in values:
        assert roles._secret_value_in(ctx, value) == roles.secret_value(value), value
    assert tokens.SHORTEST == tokens._SHORTEST


def test_sibling_users_is_unchanged() -> None:
    def reference(ctx: object, key: str) -> dict[str, str]:
        values = ctx.values  # type: ignore[attr-defined]
        match = strength._PASSWORD_WORD.search(key.upper())
        if match is None:
            return {}
        found = {}
        for word in strength._USER_WORDS:
            upper = key.upper()
            name = upper[: match.start()] + match.group().replace(match.group().strip("_"), word) \
                + upper[match.end():]
            if name in values and values[name].strip():
                found[name] = values[name].strip()
        return found

    ctx = context("DB_USER=app\nDB_USERNAME=  \nDB_LOGIN=l\nPASS=x\nUSER=root\nMAIL_USER_NAME=m\n"
                  "SMTP_USERNAME=s\nX_USER=x\n")
    keys = ["DB_PASSWORD", "DB_PASSWD", "PASS", "MAIL_PASSWORD", "SMTP_PWD", "X_PASS", "db_password",
            "NOPE", "PASSWORD_MIN", "PWD", "X_PASS_Y"]
    for key in keys:
        assert strength.sibling_users(ctx, key) == reference(ctx, key), key
    assert strength.sibling_users(ctx, "DB_PASSWORD") == {"DB_USER": "app", "DB_LOGIN": "l"}
