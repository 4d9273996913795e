"""The bound of ``judge.guessing`` against zxcvbn itself: a value the bound calls beyond 10^10
guesses is one zxcvbn scores at 10^10 or more, so ``weak_words`` says what zxcvbn alone would say.

The values sit where the bound is tight: random tokens just past its length limits, words with a
few random characters around them (forwards, reversed, l33t, capitalised, the user's own words),
keyboard walks, repeats, sequences and dates padded to every length.
"""

from __future__ import annotations

import functools
import random
import string

import pytest
from zxcvbn import zxcvbn

from envguard.judge.guessing import beyond_guessing
from envguard.judge.strength import _PASSWORD_WORDS, context_words, plainly_random, shannon_bits, weak_words

KEY = "API_TOKEN"
KNOWN = {"APP_NAME": "Ledger", "host": "kwarbleton-vizpod.internal"}
_RANDOM = string.ascii_letters + string.digits
_L33T = str.maketrans("aeiostlgb", "43105719" + "8")
_WORDS = [
    "dragon", "monkey", "sunshine", "princess", "football", "charlie", "jessica", "michael",
    "superman", "batman", "trustno1", "elephant", "computer", "whatever", "starwars", "jennifer",
    "ledger", "mountain", "internet", "password", "baseball", "midnight", "chocolate", "butterfly",
]  # fmt: skip
_PATTERNS = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx", "abcdefgh", "13579", "987654", "19871987",
             "2024-01-31", "01/02/1999", "aaaaaaa", "abcabcabc", "xyzxyz", "1q2w3e4r"]  # fmt: skip

#: guessable values whose long matches only one of the bound's parts sees (zxcvbn: under 10^10)
_ONE_PART_SEES = [
    "ytisrevinutnemnrevognoisivelet",  # three words reversed: 10^8.3
    "un1v3rs1tyg0v3rnm3ntt3l3v1s10n",  # three words in l33t: 10^9.3
    "kwarbleton-vizpod.internalxq",  # the host itself, a user input: 10^4.3
    "kw4rbl3t0nv1zp0dkw4rbl3t0n",  # words of the host in l33t: 10^8
    "rtyuiol.,mnbvbnm,./']",  # keyboard walks: 10^9.6
    "bnm,./.,mnbhu890-=-",  # 10^9.4
    "fr4567yuiop[]\\][poiuy",  # 10^9.6
    "k7Qk7Qk7Qk7Qk7Qk7Qk7Qk7Q",  # a repeat: 10^3.9
]

#: guessable values with 100 bits of Shannon entropy or more: entropy alone calls them random
HIGH_ENTROPY_GUESSABLE = [
    "abcdefghijklmnopqrstuvwxyz",  # a sequence: 10^2
    "zyxwvutsrqponmlkjihgfedcba",  # 10^2, descending
    "abcdefghijklmnopqrstuvwxyz0123456789",  # two sequences: 10^4
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij",  # 10^4
    "qwertyuiopasdfghjklzxcvbnm",  # keyboard rows: 10^8
    "1234567890qwertyuiopasdfghjkl",  # 10^8
    "passwordpasswordpasswordpasswordpasswordpassword",  # a repeat: 10^1
    "qwertyuiopqwertyuiopqwertyuiopqwertyuiop",  # 10^1
    "01234567890123456789012345678901234567890123",  # a repeated sequence
    "абвгдежзийклмнопрстуфхцчшщъыьэюя",  # zxcvbn's sequences are any code points: 10^2.9
    "αβγδεζηθικλμνξοπρστυφχψω",  # 10^5.2
]


def _values() -> list[str]:
    rng = random.Random(15)
    found: list[str] = [*_ONE_PART_SEES, *HIGH_ENTROPY_GUESSABLE]

    def noise(size: int, alphabet: str = _RANDOM) -> str:
        return "".join(rng.choices(alphabet, k=size))

    for size in range(11, 41):
        found.append(noise(size, rng.choice((_RANDOM, string.ascii_lowercase, "0123456789!@$|+"))))
    for word in _WORDS:
        for pad in (3, 9, 10, 11, 15):
            shaped = rng.choice((word, word[::-1], word.translate(_L33T), word.capitalize(), word.upper()))
            left = rng.randint(0, pad)
            found.append(noise(left) + shaped + noise(pad - left))
        other = rng.choice(_WORDS)
        found += [word + other + noise(rng.randint(2, 10)), word + noise(4) + other, word * 3]
    for pattern in _PATTERNS:
        for pad in (2, 8, 10, 11, 20):
            left = rng.randint(0, pad)
            found.append(noise(left) + pattern + noise(pad - left))
    return list(dict.fromkeys(v[:64] for v in found))


VALUES = _values()


#: what ``weak_words`` gives zxcvbn as user inputs for ``KEY`` with ``KNOWN``
CONTEXT = [*context_words(KEY, KNOWN.values()), *_PASSWORD_WORDS]


@functools.cache
def _zxcvbn_says(value: str) -> str | None:
    """What ``weak_words`` says of a value by zxcvbn's estimate alone, asked without the bound."""
    result = zxcvbn(value, user_inputs=CONTEXT)
    sequence = result["sequence"]
    if len(sequence) == 1 and sequence[0].get("dictionary_name") == "passwords":
        return f"{KEY} is a common password"
    if result["guesses_log10"] < 10:
        return f"{KEY} is easy to guess (about 10^{int(result['guesses_log10'])} guesses)"
    return None


def _words_only(value: str) -> bool:
    """zxcvbn guesses ``value`` by dictionary words alone (its lists, the user's words), between
    runs of random characters: what ``plainly_random`` does not look for."""
    found = zxcvbn(value, user_inputs=CONTEXT)["sequence"]
    return all(m["pattern"] in ("dictionary", "bruteforce") for m in found)


#: every value but the random-looking phrases of dictionary words ``plainly_random`` lets pass
JUDGED = [v for v in VALUES if not (plainly_random(v) and _words_only(v))]


@pytest.mark.parametrize("value", JUDGED)
def test_weak_words_says_what_zxcvbn_says(value: str) -> None:
    assert weak_words(KEY, value, KNOWN) == _zxcvbn_says(value)


@pytest.mark.parametrize("value", HIGH_ENTROPY_GUESSABLE)
def test_keyboard_walks_sequences_and_repeats_are_not_random_for_their_entropy(value: str) -> None:
    assert shannon_bits(value) >= 100 and _zxcvbn_says(value) is not None
    assert not plainly_random(value)
    assert weak_words(KEY, value, KNOWN) == _zxcvbn_says(value)


def test_what_entropy_lets_pass_is_only_phrases_of_words() -> None:
    # the limit plainly_random documents, and nothing else: a guessable value it calls random is
    # guessed by words alone (reversed, in l33t, the host's own)
    passed = [v for v in VALUES if plainly_random(v) and _zxcvbn_says(v) is not None]
    assert passed and all(_words_only(v) for v in passed)


def test_the_table_holds_values_on_both_sides_of_the_bound() -> None:
    beyond = sum(beyond_guessing(v, CONTEXT) for v in VALUES)
    weak = sum(_zxcvbn_says(v) is not None for v in VALUES)
    assert beyond > len(VALUES) // 20 and weak > len(VALUES) // 5


def test_what_zxcvbn_can_guess_is_never_beyond_guessing() -> None:
    assert [v for v in VALUES if _zxcvbn_says(v) is not None and beyond_guessing(v, CONTEXT)] == []


def test_random_tokens_are_beyond_guessing_without_zxcvbn() -> None:
    rng = random.Random(4)
    tokens = ["".join(rng.choices(_RANDOM, k=rng.randint(24, 30))) for _ in range(400)]
    assert sum(beyond_guessing(t, ["api", "token"]) for t in tokens) >= 360


@pytest.mark.parametrize(
    "value",
    [
        "passwordpassword1",  # zxcvbn: 10^4
        "drowssapdrowssap12345678",  # 10^4, reversed
        "qwertyuiopasdfghjklzxcvbnm",  # 10^8, keyboard rows
        "dragonmonkey12345678",  # 10^8
        "пароль-очень-длинный-2024",  # not ASCII: zxcvbn is asked
    ],
)
def test_values_with_long_matches_are_left_to_zxcvbn(value: str) -> None:
    assert not beyond_guessing(value, [])


def test_the_keyboards_read_without_zxcvbn_are_its_matchers() -> None:
    import subprocess
    import sys

    from zxcvbn import matching

    from envguard.judge import guessing

    assert guessing._keyboards() == matching.GRAPHS  # once zxcvbn is loaded, its own
    # in a fresh process: read from the data module alone, zxcvbn not imported by it
    code = (
        "import sys, json; from envguard.judge import guessing; graphs = guessing._keyboards(); "
        "print(json.dumps([graphs, 'zxcvbn' in sys.modules]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import json

    graphs, loaded = json.loads(out)
    assert graphs == matching.GRAPHS and not loaded


def test_random_secrets_in_any_script_are_random_without_zxcvbn() -> None:
    rng = random.Random(8)
    scripts = [(0x410, 0x44F), (0x391, 0x3C9), (0x4E00, 0x9FFF), (0x21, 0x7E)]
    values = [
        "".join(chr(rng.randint(*rng.choice(scripts))) for _ in range(rng.randint(30, 64)))
        for _ in range(300)
    ]
    assert sum(plainly_random(v) for v in values) >= 290
