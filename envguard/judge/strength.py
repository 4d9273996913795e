"""How strong a secret is: randomness for generated keys, guessability for chosen passwords.

A **generated** secret is judged by how many random bits its length and alphabet can hold (hex 4
a character, base64 6, other text by its character classes, never more than its Shannon entropy
shows for values whose characters repeat). 128 random bits are enough for any role unless a
standard asks for more: RFC 7518 section 3.2 wants HMAC keys as long as the hash (256 bits for
HS256), and Laravel's AES-256 cipher wants an ``APP_KEY`` of exactly 32 bytes.

A **chosen** password is judged by zxcvbn's estimate of the guesses it takes, with the words an
attacker knows first as context: the variable's own name, its user name, the app's name and its
hosts. Anything under 10^10 guesses (zxcvbn's score below 4) is easy to guess for a secret that
guards production; so is a password made only of the words people describe passwords with
(``super-secure-password-123``). zxcvbn is imported on first use, and only for values that are
not plainly random and that ``judge.guessing`` cannot prove beyond 10^10 guesses without it.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from envguard.judge.guessing import beyond_guessing, patterned

#: random bits that make any secret strong enough, unless a standard wants more
ENOUGH_BITS = 128
#: RFC 7518, section 3.2: an HMAC key as long as the hash output
HS256_BITS = 256
#: zxcvbn's score 4 starts at 10^10 guesses
GUESSES_LOG10 = 10.0
#: strings longer than this go to zxcvbn truncated; its cost grows with length
_ZXCVBN_MAX = 64
_HEX = re.compile(r"[0-9a-fA-F]{16,}")
_B64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_ALPHA = re.compile(r"[^\W\d_]+")
#: the words people describe passwords with; a password made only of them is guessed early
_PASSWORD_WORDS = frozenset(
    {
        "secure",
        "security",
        "password",
        "passwd",
        "pass",
        "pwd",
        "super",
        "strong",
        "secret",
        "admin",
        "root",
        "my",
        "key",
        "token",
        "default",
        "change",
        "me",
        "letmein",
        "welcome",
        "login",
        "master",
        "qwerty",
        "test",
        "user",
        "guest",
        "demo",
        "very",
        "safe",
        "private",
        "access",
        "app",
        "db",
        "database",
        "prod",
        "production",
        "dev",
        "staging",
        "server",
        "the",
        "is",
        "and",
        "new",
        "hello",
    }
)


#: ``n * log2(n)`` for the counts a character usually has in a value
_N_LOG2_N = (0.0, *(n * math.log2(n) for n in range(1, 257)))


def shannon_bits(value: str) -> float:
    """Total Shannon entropy of the characters of ``value``, in bits (a lower bound for short values).

    ``-sum(n * log2(n / size))`` over the character counts ``n``, written as
    ``size * log2(size) - sum(n * log2(n))`` so that the sum is a table look-up per character."""
    if not value:
        return 0.0
    size = len(value)
    counts = Counter(value).values()
    if max(counts) < len(_N_LOG2_N):
        return size * math.log2(size) - sum(map(_N_LOG2_N.__getitem__, counts))
    return size * math.log2(size) - sum(n * math.log2(n) for n in counts)


def shannon_at_least(value: str, bits: float) -> bool:
    """``shannon_bits(value) >= bits``, mostly without counting characters.

    With ``n`` characters of which ``d`` are distinct, ``sum(c * log2(c))`` is largest when one
    character takes every repeat (``n - d + 1`` of it, the others once), so the entropy is at least
    ``n * log2(n) - (n - d + 1) * log2(n - d + 1)``: a random token's distinct characters alone
    prove it, and the counts are taken only when they do not."""
    size = len(value)
    if size < 2:
        return shannon_bits(value) >= bits
    repeated = size - len(set(value)) + 1
    if size * math.log2(size) - repeated * math.log2(repeated) >= bits:
        return True
    return shannon_bits(value) >= bits


def random_bits(value: str) -> int:
    """How many random bits ``value`` can hold at most, from its length and alphabet."""
    body = value.strip().removeprefix("base64:")
    if not body:
        return 0
    if len(body) >= 16:
        bits = shannon_bits(body)
        if bits / len(body) < 2.5:
            return int(bits)
    if _HEX.fullmatch(body):
        return len(body) * 4
    lower, upper = any(c.islower() for c in body), any(c.isupper() for c in body)
    digit = any(c.isdigit() for c in body)
    # mixed case in the base64 alphabet: 6 bits a character (a random token may lack digits by chance)
    if _B64.fullmatch(body) and lower and upper:
        return len(body.rstrip("=")) * 6
    size = 26 * lower + 26 * upper + 10 * digit + 33 * any(not c.isalnum() for c in body)
    return int(len(body) * math.log2(max(size, 2)))


def laravel_key_problem(value: str) -> str | None:
    """What is wrong with a Laravel ``APP_KEY`` (``base64:`` and 32 bytes, or 32 characters)."""
    if not value.startswith("base64:"):
        return None if len(value) == 32 else f"is {len(value)} characters; Laravel's AES-256 cipher needs 32"
    try:
        size = len(base64.b64decode(value.removeprefix("base64:"), validate=True))
    except (binascii.Error, ValueError):
        return "is not valid base64 after `base64:`"
    return None if size == 32 else f"decodes to {size} bytes; Laravel's AES-256 cipher needs exactly 32"


def needed_bits(key: str, generated_bytes: int | None = None) -> tuple[int, str]:
    """The random bits a signing key named ``key`` needs, and the standard that says so."""
    if generated_bytes is not None:
        return generated_bytes * 8, f"the schema's generator makes {generated_bytes * 8}"
    if "JWT" in key.upper():
        return HS256_BITS, "HS256 keys need 256 (RFC 7518, section 3.2)"
    return ENOUGH_BITS, f"a signing key needs at least {ENOUGH_BITS}"


def short_words(key: str, value: str, needed: tuple[int, str]) -> tuple[str, bool] | None:
    """Why a generated key is too short, and whether that is serious (under 128 random bits)."""
    held = random_bits(value)
    bits, standard = needed
    if held >= bits:
        return None
    return f"{key} holds about {held} random bits; {standard}", held < min(bits, ENOUGH_BITS)


def guesses(value: str, context: list[str]) -> tuple[float, bool]:
    """zxcvbn's estimate of the guesses ``value`` takes, as a power of ten, and whether it is a
    common password outright."""
    from zxcvbn import zxcvbn

    result = zxcvbn(value[:_ZXCVBN_MAX], user_inputs=context)
    sequence = result["sequence"]
    common = len(sequence) == 1 and sequence[0].get("dictionary_name") == "passwords"
    return float(result["guesses_log10"]), common


def plainly_random(value: str) -> bool:
    """Too random to be chosen by a person, so zxcvbn need not be asked: 100 bits of Shannon
    entropy, and no keyboard walk, repeat, sequence or date long enough to guess it by
    (``guessing.patterned``; entropy alone calls ``qwertyuiopasdfghjklzxcvbnm`` and
    ``abcdefghijklmnopqrstuvwxyz`` random). A phrase of a few words can still pass, of zxcvbn's
    lists or of what is known (the host with two letters added): the word lists cost more to load
    than a typical check takes, and looking for the known words cost a tree 5%."""
    return shannon_at_least(value, 100) and not patterned(value[:_ZXCVBN_MAX])


def weak_words(key: str, value: str, known: Mapping[str, str]) -> str | None:
    """Why a chosen password is easy to guess, or None. ``known`` holds what an attacker knows
    first (``{"DB_USERNAME": "ledger", "APP_NAME": "Ledger", "host": "db.ledger.io"}``)."""
    lowered = value.strip().lower()
    random = plainly_random(value)
    for name, word in known.items():
        # a user name as random as a key (Postmark's server token is both) is itself a secret
        if word and lowered == word.strip().lower() and not random:
            return f"{key} equals {'its user name' if 'USER' in name or 'LOGIN' in name else name} ({name})"
    if random:
        return None
    alphabetic = [w.lower() for w in _ALPHA.findall(value)]
    if alphabetic and all(w in _PASSWORD_WORDS for w in alphabetic):
        return f"{key} is made of common password words"
    context = [*context_words(key, known.values()), *_PASSWORD_WORDS]
    if beyond_guessing(value[:_ZXCVBN_MAX], context):  # zxcvbn would say 10^10 or more
        return None
    log10, common = guesses(value, context)
    if common:
        return f"{key} is a common password"
    if log10 < GUESSES_LOG10:
        return f"{key} is easy to guess (about 10^{int(log10)} guesses)"
    return None


def context_words(key: str, known: Iterable[str]) -> list[str]:
    """The words an attacker tries first: the variable's name, and every word of what is known."""
    found = [w.lower() for w in key.split("_") if len(w) > 2]
    for text in known:
        found.extend(w.lower() for w in re.split(r"[^\w]+|_", text) if len(w) > 2)
        found.append(text.lower())
    return found


def looks_random(value: str) -> bool:
    """A value that reads as generated rather than typed: no words, every character a fresh guess
    (zxcvbn needs about 10^0.88 guesses a character or more)."""
    body = value.strip().removeprefix("base64:")
    if len(body) < 16 or any(c.isspace() for c in body) or shannon_bits(body) / len(body) < 3.0:
        return False
    sample = body[:_ZXCVBN_MAX]
    return guesses(sample, [])[0] >= 0.88 * len(sample)
