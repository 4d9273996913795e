"""Writing one value so that envguard, python-dotenv and dotenvx all read back exactly that value.

The three loaders agree on less than they seem to. What each one reads, for the forms used here:

* bare ``K=v``: python-dotenv and envguard drop a `` #comment`` and the Unicode whitespace around
  the value; dotenvx ends the value at the first ``#`` and expands ``$NAME`` and ``$(command)``;
  JavaScript also trims ``U+FEFF`` and Python ``\\x1c``-``\\x1f`` and ``\\x85``.
* single quotes: python-dotenv and envguard decode ``\\\\`` and ``\\'``; dotenvx decodes only
  ``\\'``; nobody expands ``$``.
* double quotes: python-dotenv and envguard decode ``\\\\ \\' \\" \\a \\b \\f \\n \\r \\t \\v``;
  dotenvx decodes ``\\n`` and ``\\r`` only, and expands ``$``.
* a raw carriage return is a line ending to all three (``\\r``, ``\\r\\n``), whatever the quotes.
* dotenvx also expands ``$NAME``, ``${NAME...}`` and ``$(command)``, and drops the backslash of
  ``\\$``, in every value it decrypts: no quoting inside a ciphertext keeps them literal.

So a value goes bare when it is plainly safe, else in single quotes (``'`` escaped as ``\\'``)
when it has no carriage return and no backslash that either loader would decode, else in double
quotes with ``\\r`` and ``\\n`` escaped when that is all it needs, else bare if it can be. What none
of these carries (a carriage return together with ``$``, ``"`` or ``\\``; ``\\\\`` together with
spaces at its ends; a NUL; text that is not Unicode) is refused with ``UnwritableValueError``.
python-dotenv is taken with ``interpolate=False``: its ``${NAME}`` expansion has no escape at all.
"""

from __future__ import annotations

import re

from envguard.errors import InputError

# characters no loader treats specially in a bare value, and shells leave alone too
_SAFE_BARE = re.compile(r"[A-Za-z0-9_./:@%+,=!?*~^\\-]*")
# a backslash that python-dotenv or dotenvx would decode inside single quotes, or one at the end
_SINGLE_DECODED = re.compile(r"\\[\\']|\\\Z")
_DOUBLE_UNSAFE = frozenset('$"\\')
_BARE_UNSAFE = frozenset("#$\r\n\u2028\u2029")
_QUOTES = "'\"`"
# what dotenvx expands in a value it reads bare, double-quoted or decrypted
_EXPANDS = re.compile(r"\$[A-Za-z_{(]|\\\$")
# inside double quotes, a backslash python-dotenv would decode (any but the `\$` dotenvx decodes too)
_DOUBLE_DECODED = re.compile(r'"|\\(?!\$)')


class UnwritableValueError(InputError):
    """A value that no .env quoting lets every loader read back exactly."""


def _edge_space(value: str) -> bool:
    """Whether a loader would trim the value's first or last character (Python or JavaScript)."""
    return bool(value) and any(c.isspace() or c == "\ufeff" for c in (value[0], value[-1]))


def bare_ok(value: str) -> bool:
    """Whether ``value`` reads back exactly with no quotes at all."""
    if not value or value[0] in _QUOTES or _edge_space(value):
        return not value
    return not any(c in _BARE_UNSAFE for c in value)


def problem(value: str) -> str | None:
    """Why ``value`` cannot be in an env file at all, or None."""
    if "\x00" in value:
        return "it holds a NUL character, which no environment variable can"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "it holds text that is not valid Unicode (undecodable bytes)"
    return None


def expands(value: str) -> bool:
    """Whether dotenvx would change ``value`` when reading it bare, double-quoted or decrypted."""
    return _EXPANDS.search(value) is not None


def writable(value: str, key: str = "the value", encrypted: bool = False) -> str:
    """``value`` itself; UnwritableValueError when no file can hold it (``encrypted``: as a
    ciphertext, which dotenvx expands once decrypted)."""
    why = problem(value)
    if why is None and encrypted and expands(value):
        why = (
            "dotenvx would expand its `$` ($NAME, ${NAME} or $(command)) once it decrypts it, "
            "and read another value"
        )
    if why is not None:
        raise UnwritableValueError(
            f"{key}: cannot write this value: {why}",
            hint="store it with --plain (single quotes keep `$` literal), or avoid "
            "`$` before a letter, `{` or `(`"
            if encrypted
            else None,
        )
    return value


def quote(value: str, key: str = "the value", expanded: bool = False) -> str:
    """``value`` as written after ``KEY=``; UnwritableValueError names ``key`` (never the value).

    ``expanded``: the value is one dotenvx already expanded where it was (a decrypted value): one
    holding ``$NAME`` goes in double quotes, where dotenvx expands it the same way again and
    python-dotenv and envguard read it as it is.
    """
    why = problem(value)
    if why is None and expanded and expands(value):
        if not _DOUBLE_DECODED.search(value):
            return '"' + value.replace("\r", "\\r").replace("\n", "\\n") + '"'
        why = 'dotenvx expands its `$`, and double quotes, where it does, cannot hold its `"` or `\\`'
    if why is None:
        if _SAFE_BARE.fullmatch(value) and not value.startswith("#"):
            return value
        if "\r" not in value and not _SINGLE_DECODED.search(value):
            return "'" + value.replace("'", "\\'") + "'"
        if not any(c in _DOUBLE_UNSAFE for c in value):
            return '"' + value.replace("\r", "\\r").replace("\n", "\\n") + '"'
        if bare_ok(value):
            return value
        why = "no .env quoting makes envguard, python-dotenv and dotenvx all read it back exactly"
    raise UnwritableValueError(
        f"{key}: cannot write this value: {why}", hint="keep it encrypted (envguard set KEY), or change it"
    )
