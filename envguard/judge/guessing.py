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
* sequence: a run of characters a constant step apart, as zxcvbn's matcher finds them;
* regex (recent years) and date: a run of digits and date separators;
* dictionary (forwards, reversed, and with l33t substitutions, in the frequency lists and the
  user's words): a word of at least ``m`` letters starts with one of the ``m``-letter prefixes of
  the lists' words, so a password none of whose ``m``-letter windows (read backwards too, and with
  every l33t character read as any letter it may stand for) is such a prefix has no dictionary
  match of ``m`` letters or more. Folding each character into its l33t class first answers every
  reading of a window with one look-up, and most windows of a random token are settled so.

A run of ``m`` characters of one kind (keyboard neighbours, steps, repeated pairs) is ``m - 1``
pairs of that kind, so each run is looked for only where enough such pairs are; the first four
matchers together (``patterned``) need no word list, and are what ``strength.plainly_random`` asks
of a value before calling it random. The prefixes and the keyboard neighbours are built from
zxcvbn's own data on first use.
"""

from __future__ import annotations

import itertools
import math
import os
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
    if n <= _MOST_BRUTEFORCE or not password.isascii():  # the word bound reads ASCII only
        return False
    need = _need(n)
    return not (_long_pattern(password, need) or _dictionary_window(password, need, user_inputs))


def patterned(password: str) -> bool:
    """Whether zxcvbn's keyboard, repeat, sequence, year or date matchers may find a match long
    enough for ``password`` to be guessed in under 10^10 guesses (True for a password too short
    to tell). Neither its word lists nor zxcvbn itself are loaded."""
    n = len(password)
    return n <= _MOST_BRUTEFORCE or _long_pattern(password, _need(n))


def _need(n: int) -> int:
    """The shortest match a guessable sequence of ``n`` characters must hold: three matches
    covering them all, or two covering all but 10."""
    return min(math.ceil(n / _MOST_ELEMENTS), math.ceil((n - _MOST_BRUTEFORCE) / 2))


def _long_pattern(password: str, need: int) -> bool:
    """Whether zxcvbn's spatial, repeat, sequence, regex or date matchers may find a match of at
    least ``need`` characters in ``password``: each from above. Each run of ``need`` characters is
    ``need - 1`` pairs of one kind in a row, so each is looked for only where the password holds
    that many such pairs (a random token holds few). zxcvbn's keyboards are ASCII; its sequences
    are any code points, so a password that is not ASCII has them looked for in any case."""
    pairs = list(map(str.__add__, password, password[1:]))
    if _digits_run(need).search(password) is not None:
        return True
    steps = sum(map(_STEPS.__contains__, pairs)) if password.isascii() else len(pairs)
    if steps >= need - 1 and _long_sequence(password, need):
        return True
    neighbours = _neighbours()
    if sum(map(neighbours.__contains__, pairs)) >= need - 1:
        run = 1
        for pair in pairs:
            run = run + 1 if pair in neighbours else 1
            if run >= need:
                return True
    # a repeat of ``need`` characters is a stretch of at least half of them equal to itself
    # shifted, whose pairs of characters come again: one fewer than the stretch's length
    if len(pairs) - len(set(pairs)) < -(-need // 2) - 1:
        return False
    n = len(password)
    for period in range(1, n // 2 + 1):
        run = 0
        for here, there in zip(password, password[period:], strict=False):
            run = run + 1 if here == there else 0
            if run >= period and run + period >= need:
                return True
    return False


def _long_sequence(password: str, need: int) -> bool:
    """Whether zxcvbn's sequence matcher finds ``need`` characters or more: a run of characters
    each one constant step (1 to 5 code points, up or down) from the one before, of three or more,
    or of two one step apart. Found here, not by the matcher: asking it loads zxcvbn whole."""
    run, before = 1, 0
    for here, there in itertools.pairwise(password):
        step = ord(there) - ord(here)
        run = (run + 1 if step == before else 2) if 0 < abs(step) <= _MOST_STEP else 1
        before = step
        if run >= need and (run > 2 or abs(step) == 1):
            return True
    return False


@cache
def _digits_run(need: int) -> re.Pattern[str]:
    """``need`` characters in a row of which zxcvbn's year and date matches are made."""
    return re.compile(_DIGITS.pattern.removesuffix("+") + f"{{{need}}}")


#: zxcvbn's sequence matcher takes steps of 1 to 5 code points up or down (``matching.MAX_DELTA``);
#: every ASCII pair one such step apart
_MOST_STEP = 5
_STEPS = frozenset(
    chr(c) + chr(c + d)
    for c in range(128)
    for d in range(-_MOST_STEP, _MOST_STEP + 1)
    if d and 0 <= c + d < 128
)


def _dictionary_window(password: str, size: int, user_inputs: list[str]) -> bool:
    """Whether some ``size``-letter window of ``password`` could begin a dictionary match."""
    if not _folded_window(password, size, user_inputs):
        return False
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


#: the length of the windows ``_folded_window`` looks up: long enough that a random window is
#: almost never a word's beginning, short enough that few tables are built
_SCREEN = 7


def _folded_window(password: str, size: int, user_inputs: list[str]) -> bool:
    """A screen for ``_dictionary_window``, False only where it is False: with every character
    folded into its l33t class (``_folding``: ``i``, ``l``, ``1``, ``|``... read alike), one
    look-up per window, forwards and backwards, covers the plain window and every l33t reading of
    it, each at once (a reading folds as the window does). No ``_MOST_READINGS`` limit applies."""
    screen = min(size, _SCREEN)
    folding = _folding()
    folded = password.lower().translate(folding)
    backward = folded[::-1]
    prefixes = _folded_prefixes(screen)
    starts = range(len(folded) - size + 1)
    windows = {folded[start : start + screen] for start in starts}
    windows.update([backward[start : start + screen] for start in starts])
    if not prefixes.isdisjoint(windows):
        return True
    # ASCII keeps its length in lower case: the others are lowered first, as the exact test does
    chosen = (w.lower() for w in user_inputs if len(w) >= size or not w.isascii())
    return any(w[:screen].translate(folding) in windows for w in chosen if len(w) >= size)


@cache
def _folding() -> dict[int, str]:
    """Each character zxcvbn may read as another (its l33t table, both ways and transitively:
    ``1`` is ``i`` or ``l``, ``7`` is ``l`` or ``t``) mapped to one character of its class."""
    classes: dict[str, set[str]] = {}
    for sub, letters in _readings().items():
        joined = set(letters) | {sub}
        for member in list(joined):
            joined |= classes.get(member, set())
        for member in joined:
            classes[member] = joined
    return {ord(c): min(members) for c, members in classes.items()}


@cache
def _folded_prefixes(size: int) -> frozenset[str]:
    """``_prefixes(size)``, each folded (``_folding``)."""
    folding = _folding()
    return frozenset(p.translate(folding) for p in _prefixes(size))


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
    return frozenset(
        key + near
        for graph in _keyboards().values()
        for key, adjacent in graph.items()
        for keys in adjacent
        if keys
        for near in keys
    )


def _keyboards() -> dict[str, dict[str, list[str | None]]]:
    """zxcvbn's keyboard layouts (``zxcvbn.adjacency_graphs``), read without importing the
    ``zxcvbn`` package: its ``__init__`` builds the ranked dictionaries, 35 ms that a check of
    random-looking secrets never needs otherwise. The module is data only; where it is not a file
    of its own (or zxcvbn is loaded already), zxcvbn's matcher gives its graphs."""
    import importlib.machinery
    import importlib.util
    import sys

    package = importlib.util.find_spec("zxcvbn")
    folders = package.submodule_search_locations if package is not None else None
    path = os.path.join(next(iter(folders)), "adjacency_graphs.py") if folders else ""
    if "zxcvbn" in sys.modules or not os.path.isfile(path):
        from zxcvbn import matching

        return matching.GRAPHS  # type: ignore[no-any-return]
    loader = importlib.machinery.SourceFileLoader("zxcvbn.adjacency_graphs", path)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    graphs: dict[str, dict[str, list[str | None]]] = module.ADJACENCY_GRAPHS
    return graphs
