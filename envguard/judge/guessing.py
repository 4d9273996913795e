"""Whether zxcvbn's estimate of a password is at least 10^10 guesses, proved without its dictionary
passes (the part of zxcvbn that costs milliseconds a value).

zxcvbn (``zxcvbn.scoring.most_guessable_match_sequence``) scores a password by the sequence of
matches that covers it with the fewest guesses, ``l! * prod(guesses) + 10000 ** (l - 1)``, where
``l`` counts every element of the sequence, bruteforce runs among them; a bruteforce run of ``k``
characters takes at least ``10 ** k`` guesses and every other match at least one. So an estimate
under 10^10 needs a sequence of at most three elements (four cost 10^12 already) that leaves at
most 9 characters to bruteforce (10 here, a character of margin for the rounding at the boundary).
For a password of ``n`` characters that means three matches covering all of it (one of them at
least ``n / 3`` long), or at most two covering ``n - 10`` (one of at least ``(n - 10) / 2``). If no
match can be that long, zxcvbn's answer is 10^10 or more, whatever its matches are worth.

How long a match can be is cheap to bound, matcher by matcher, always from above:

* spatial: a run of characters each next to the one before on one of zxcvbn's keyboards;
* repeat: a stretch of the password equal to itself shifted by its period;
* sequence: zxcvbn's own matcher, which is cheap;
* regex (recent years) and date: a run of digits and date separators;
* dictionary (forwards, reversed, and with l33t substitutions, in the frequency lists and the
  user's words): a word of at least ``m`` letters starts with one of the ``m``-letter prefixes of
  the lists' words, so a password none of whose ``m``-letter windows (read backwards too, and with
  every l33t character read as any letter it may stand for) is such a prefix has no dictionary
  match of ``m`` letters or more.

The prefixes and the keyboard neighbours are built from zxcvbn's own data on first use.
"""

from __future__ import annotations

import itertools
import math
import re
from functools import cache

#: four elements in zxcvbn's sequence cost 10000^3 guesses: a guessable sequence has three at most
_MOST_ELEMENTS = 3
#: characters a sequence under 10^10 guesses may leave to bruteforce (9, and one of margin)
_MOST_BRUTEFORCE = 10
#: a window with more l33t readings than this is not enumerated (the bound gives up)
_MOST_READINGS = 64
#: what zxcvbn's year and date matches are made of: digits and the date separators
_DIGITS = re.compile(r"[\d\s/\\_.-]+")


def beyond_guessing(password: str, user_inputs: list[str]) -> bool:
    """True if zxcvbn's estimate for ``password`` with ``user_inputs`` is surely 10^10 guesses or
    more; False when it may be less (then zxcvbn itself must be asked)."""
    n = len(password)
    if n <= _MOST_BRUTEFORCE or not password.isascii():
        return False
    # the shortest match a guessable sequence must hold: three covering n, or two covering n - 10
    need = min(math.ceil(n / _MOST_ELEMENTS), math.ceil((n - _MOST_BRUTEFORCE) / 2))
    if _longest_pattern(password) >= need:
        return False
    return not _dictionary_window(password, need, user_inputs)


def _longest_pattern(password: str) -> int:
    """At least as long as the longest match zxcvbn's spatial, repeat, sequence, regex and date
    matchers find."""
    from zxcvbn import matching

    found = max((m["j"] - m["i"] + 1 for m in matching.sequence_match(password)), default=0)
    found = max(found, max(map(len, _DIGITS.findall(password)), default=0))
    neighbours, run = _neighbours(), 1
    for pair in map(str.__add__, password, password[1:]):
        run = run + 1 if pair in neighbours else 1
        found = max(found, run)
    n = len(password)
    for period in range(1, n // 2 + 1):
        run = 0
        for here, there in zip(password, password[period:], strict=False):
            run = run + 1 if here == there else 0
            if run >= period:
                found = max(found, run + period)
    return found


def _dictionary_window(password: str, size: int, user_inputs: list[str]) -> bool:
    """Whether some ``size``-letter window of ``password`` could begin a dictionary match."""
    prefixes = _prefixes(size)
    words = {w[:size] for w in map(str.lower, user_inputs) if len(w) >= size}  # as zxcvbn lowers them
    lowered = password.lower()
    backward = lowered[::-1]
    last = len(lowered) - size + 1
    for start in range(last):
        for window in (lowered[start : start + size], backward[start : start + size]):
            if window in prefixes or window in words:
                return True
    # l33t: zxcvbn translates forwards only, each l33t character to one letter it may stand for
    readings = _readings()
    choices = [readings.get(c, c) for c in lowered]
    for start in range(last):
        options = choices[start : start + size]
        if all(len(c) == 1 for c in options):
            continue
        if math.prod(map(len, options)) > _MOST_READINGS:
            return True
        for read in map("".join, itertools.product(*options)):
            if read in prefixes or read in words:
                return True
    return False


@cache
def _prefixes(size: int) -> frozenset[str]:
    """The ``size``-letter prefixes of the words of zxcvbn's frequency lists."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(w[:size] for words in FREQUENCY_LISTS.values() for w in words if len(w) >= size)


@cache
def _readings() -> dict[str, str]:
    """Each l33t character with itself and the letters zxcvbn may read it as (``'4'`` → ``'4a'``)."""
    from zxcvbn import matching

    found: dict[str, str] = {}
    for letter, subs in matching.L33T_TABLE.items():
        for sub in subs:
            found[sub] = found.get(sub, sub) + letter
    return found


@cache
def _neighbours() -> frozenset[str]:
    """Every pair of characters next to each other on one of zxcvbn's keyboards (shifted or not)."""
    from zxcvbn import matching

    return frozenset(
        key + near
        for graph in matching.GRAPHS.values()
        for key, adjacent in graph.items()
        for keys in adjacent
        if keys
        for near in keys
    )
