"""The bounds envguard puts on what it reads, so that a hostile file cannot stall or crash a check.

``envguard check`` runs on pull requests from strangers: every input is bounded before the code that
would suffer from it runs. Nesting is measured by a linear scan of the text before a recursive
parser (``json``, ``tomllib``, PyYAML's composer) sees it, and YAML aliases are counted as they
would expand before any node is built. Past a bound the input is refused with one line (exit 2),
never a ``RecursionError`` or a ``ValueError``. The README's "Limits" section lists these numbers.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from envguard.errors import InputError

#: the deepest nesting of lists and maps read in a deploy file, a baseline, a JSON value or a JWT
#: payload: real ones stay under ten
MAX_NESTING = 64
#: the most YAML nodes a file may expand to once its aliases are followed (billion laughs)
MAX_YAML_NODES = 100_000
#: Python refuses to turn longer digit strings into integers (``sys.get_int_max_str_digits``)
MAX_INT_DIGITS = 4300

_JSON_STOPS = re.compile(r'["\[\]{}]')
# a JSON string, or an unterminated one running to the end: a match never fails, so no start is
# scanned twice (its two alternatives never overlap); and what is not a bracket
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_TOML_STOPS = re.compile(r"[\"'#\[\]{}]")


def json_depth(text: str) -> tuple[int, int]:
    """The deepest ``[``/``{`` nesting of JSON text and the offset where it is first reached.

    Strings are dropped and the brackets counted (both at C speed, as a baseline of 100,000
    findings must not pay for a character loop); only a text nested too deep is walked again,
    structural character by structural character, to find where. The text need not be valid JSON.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    # a closer before its opener ends the JSON there, so a plain running sum is enough
    deepest = max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)
    return (deepest, 0) if deepest <= MAX_NESTING else _depth(text, _JSON_STOPS)


def toml_depth(text: str) -> tuple[int, int]:
    """The deepest inline-array and inline-table nesting of TOML text, and where it is reached.

    Strings of the four TOML kinds and comments are skipped; table headers count as the one or two
    brackets they are.
    """
    return _depth(text, _TOML_STOPS)


def _depth(text: str, stops: re.Pattern[str]) -> tuple[int, int]:
    depth = deepest = where = at = 0
    while (found := stops.search(text, at)) is not None:
        char, at = found.group(), found.start()
        if char == "#":
            newline = text.find("\n", at)
            at = len(text) if newline == -1 else newline
        elif char in "\"'":
            triple = text.startswith(char * 3, at)
            at = _string_end(text, at + (3 if triple else 1), char * 3 if triple else char, char == '"')
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest, where = depth, at
            at += 1
        else:
            depth = max(0, depth - 1)
            at += 1
    return deepest, where


def _string_end(text: str, at: int, closer: str, escapes: bool) -> int:
    """The index just past the string whose body starts at ``at`` (the end of the text if open)."""
    while True:
        found = text.find(closer, at)
        if found == -1:
            return len(text)
        run = found
        while escapes and run > at and text[run - 1] == "\\":
            run -= 1
        if (found - run) % 2 == 0:
            return found + len(closer)
        at = found + 1


def line_at(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def check_depth(depth: tuple[int, int], text: str, where: str) -> None:
    """InputError naming ``where`` and the line when ``depth`` goes past ``MAX_NESTING``."""
    deepest, offset = depth
    if deepest > MAX_NESTING:
        raise InputError(
            f"{where}:{line_at(text, offset)}: nested more than {MAX_NESTING} deep",
            hint="envguard reads lists and maps up to that depth; real files stay far under it",
        )


def _bounded_int(digits: str) -> int | float:
    # a longer integer is a number, not a variable value: no need to convert it exactly
    return int(digits) if len(digits.lstrip("-")) <= MAX_INT_DIGITS else float(digits)


def loads_json(text: str, where: str) -> Any:
    """``json.loads`` for untrusted text: nesting bounded first, long integers kept as floats;
    InputError (naming ``where`` and the line) for anything that is not JSON."""
    check_depth(json_depth(text), text, where)
    import json  # here: most checks read no JSON at all

    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:  # a bound the scan did not foresee
        raise InputError(f"{where}: not valid JSON ({type(exc).__name__})") from None


def loads_toml(text: str, where: str) -> dict[str, Any]:
    """``tomllib.loads`` for untrusted text: nesting bounded first; integers past 64 bits (which
    TOML does not allow) and every other error are one InputError naming ``where``."""
    import tomllib

    check_depth(toml_depth(text), text, where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where}: invalid TOML ({exc})") from None
    except ValueError:
        raise InputError(f"{where}: invalid TOML (an integer longer than TOML allows)") from None
    except RecursionError:
        raise InputError(f"{where}: invalid TOML (nested too deep)") from None
