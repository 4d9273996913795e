"""How strong a secret is: the judgements behind the weak-secret rules, as pure functions.

Each function answers for one value and returns the words of a finding (never the value) or None.
zxcvbn is imported inside ``guessable`` and only for values that are not already plainly strong, so
``envguard check`` does not pay for it on a file of random keys.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

from envguard.rules.base import Context
from envguard.rules.roles import default_label, identify, random_bytes, shannon_bits

#: bytes of randomness a signing or encryption key needs (HS256 and AES-256 keys are 32 bytes)
SIGNING_BYTES = 32
_SIGNING_NAME = re.compile(
    r"(?:^|_)(?:SECRET|SECRET_KEY|KEY_BASE|APP_KEY|SIGNING_KEY|ENCRYPTION_KEY|ENCRYPT_KEY|ENC_KEY"
    r"|HMAC_KEY|JWT_KEY|MASTER_KEY|SESSION_KEY|COOKIE_KEY|CIPHER_KEY)$"
)
_ISSUED_NAME = re.compile(r"CLIENT_SECRET|CONSUMER_SECRET|API_SECRET|ACCESS_KEY|API_KEY|AUTH_TOKEN")
_GENERATED_BYTES = re.compile(r"(?:hex|base64|base64url|urlsafe|token):(\d+)")
_PASSWORD_WORD = re.compile(r"PASSWORD|PASSWD|(?:^|_)PASS$|(?:^|_)PWD$")
_USER_WORDS = ("USER", "USERNAME", "USER_NAME", "LOGIN")
#: strings longer than this go to zxcvbn truncated; its cost grows with length
_ZXCVBN_MAX = 64


def is_signing_key(ctx: Context, key: str, value: str) -> bool:
    """A key the app generates for itself (``SECRET_KEY``, ``JWT_SECRET``, ``APP_KEY``), not one
    issued by a provider (``STRIPE_SECRET_KEY``, ``GOOGLE_CLIENT_SECRET``)."""
    spec = ctx.spec(key)
    if spec is not None and spec.generate:
        # a generated password is judged by its strength (EG204), not by a signing key's length
        return spec.generate != "password"
    upper = key.upper()
    return (bool(_SIGNING_NAME.search(upper)) and not _ISSUED_NAME.search(upper)
            and identify(value) is None)


def default_problem(key: str, value: str) -> str | None:
    """``"SESSION_SECRET is express-session's documented example"`` for well-known defaults."""
    label = default_label(value)
    if label is None:
        return None
    return f"{key} is {label}" if label else f"{key} is a well-known default value"


def _required_bytes(ctx: Context, key: str) -> int:
    spec = ctx.spec(key)
    match = _GENERATED_BYTES.fullmatch(spec.generate or "") if spec is not None else None
    return int(match.group(1)) if match else SIGNING_BYTES


def laravel_key_problem(ctx: Context, key: str, value: str) -> str | None:
    """Laravel's ``APP_KEY`` must be ``base64:`` and 32 bytes (AES-256-CBC)."""
    spec = ctx.spec(key)
    if key != "APP_KEY" or not (value.startswith("base64:") or (spec and spec.generate == "laravel-key")):
        return None
    if not value.startswith("base64:"):
        return None if len(value) == 32 else f"APP_KEY is {len(value)} characters; Laravel needs 32"
    try:
        size = len(base64.b64decode(value.removeprefix("base64:"), validate=True))
    except (binascii.Error, ValueError):
        return "APP_KEY is not valid base64 after `base64:`"
    return None if size == 32 else f"APP_KEY decodes to {size} bytes; Laravel's AES-256 cipher needs 32"


def short_problem(ctx: Context, key: str, value: str) -> tuple[str, bool] | None:
    """Why ``value`` is too short for its role, and whether that is serious (under 16 random bytes)."""
    spec = ctx.spec(key)
    if spec is not None and spec.min_length and len(value) < spec.min_length:
        return f"{key} is {len(value)} characters; the schema requires at least {spec.min_length}", True
    laravel = laravel_key_problem(ctx, key, value)
    if laravel is not None:
        return laravel, True
    if (key == "APP_KEY" and value.startswith("base64:")) or not is_signing_key(ctx, key, value):
        return None
    needed, held = _required_bytes(ctx, key), random_bytes(value)
    if held >= needed:
        return None
    if len(value) < needed:
        words = f"{key} is {len(value)} characters; a signing key needs at least {needed} random bytes"
    else:
        words = f"{key} holds about {held} random bytes; a signing key needs at least {needed}"
    return words, held < 16


def sibling_users(ctx: Context, key: str) -> dict[str, str]:
    """The user-name variables that go with a password variable (``DB_PASSWORD`` → ``DB_USERNAME``)."""
    found = {}
    values = ctx.values
    for name in _user_names(key):
        user = values.get(name)
        if user is not None and user.strip():
            found[name] = user.strip()
    return found


@lru_cache(maxsize=1 << 14)  # keys repeat across the files of a tree
def _user_names(key: str) -> tuple[str, ...]:
    """The names a user-name variable for password variable ``key`` can have, none if no password."""
    upper = key.upper()
    match = _PASSWORD_WORD.search(upper)
    if match is None:
        return ()
    head, found, tail = upper[: match.start()], match.group(), upper[match.end():]
    core = found.strip("_")
    return tuple(head + found.replace(core, word) + tail for word in _USER_WORDS)


def guessable(value: str, user_inputs: list[str]) -> tuple[int, bool] | None:
    """zxcvbn's score (0-4) and whether it is a common password, or None when plainly strong."""
    if shannon_bits(value) >= 100 or identify(value) is not None:
        return None
    from zxcvbn import zxcvbn

    result = zxcvbn(value[:_ZXCVBN_MAX], user_inputs=user_inputs)
    sequence = result["sequence"]
    common = len(sequence) == 1 and sequence[0].get("dictionary_name") == "passwords"
    return int(result["score"]), common


def looks_random(value: str) -> bool:
    """A value that reads as generated rather than typed: no words, every character a fresh guess
    (zxcvbn needs about 10^0.88 guesses a character or more)."""
    body = value.strip().removeprefix("base64:")
    if len(body) < 16 or any(c.isspace() for c in body) or shannon_bits(body) / len(body) < 3.0:
        return False
    from zxcvbn import zxcvbn

    sample = body[:_ZXCVBN_MAX]
    return float(zxcvbn(sample)["guesses_log10"]) >= 0.88 * len(sample)


def weak_problem(ctx: Context, key: str, value: str) -> str | None:
    """Why a secret is easy to guess: equal to its user name, a common password, a low zxcvbn score."""
    users = sibling_users(ctx, key)
    for name, user in users.items():
        if value == user:
            return f"{key} equals its user name ({name})"
    verdict = guessable(value, list(users.values()))
    if verdict is None or verdict[0] >= 3:
        return None
    score, common = verdict
    return f"{key} is a common password" if common else f"{key} is easy to guess (strength {score}/4)"
