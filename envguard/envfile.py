"""A tolerant .env reader and a layout-preserving writer.

``parse`` turns text into one ``Record`` per logical line (a multi-line quoted value is one record
spanning several lines) and never raises: a bad line is a record with ``error`` set, and reading goes
on at the next physical line. Lines end where python-dotenv and dotenvx end them (LF, CRLF, or a CR
alone) and values mean what python-dotenv makes of them, with three deliberate differences, all where
python-dotenv is wrong for real files:

* back-quoted values are unquoted (as node's dotenv and dotenvx do), not kept with their backticks;
* an unterminated quote is an error on its own line only; python-dotenv swallows every line up to the
  next quote character. When the broken value opens a block (nothing after the quote, or
  ``-----BEGIN ...``), the lines that are plainly the rest of it (base64, or lines without `=`, up
  to a blank line, a comment, a ``NAME=value`` line or the ``-----END`` line) belong to that one
  error, so that no line of a private key becomes a "variable";
* a key that is not a name (longer than ``MAX_KEY_LENGTH``, or text such as a base64 line of a key:
  ``looks_like_name``) makes its line an error, never an entry, and its text is never shown.

``${VAR}`` references are kept as written: envguard checks files, it does not interpolate them.
Every pattern here runs in time linear in its input however it is applied; a test applies each to
hostile text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from envguard.envquote import UnwritableValueError, quote
from envguard.errors import InputError
from envguard.files import MAX_FILE_BYTES, atomic_write, read_bytes
from envguard.judge.names import MANY_SWITCHES, MAX_KEY_LENGTH, looks_like_name

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_KEY_LENGTH",
    "UnwritableValueError",
    "atomic_write",
    "looks_like_name",
    "quote",
    "read_bytes",
]

# Error kinds a Record can carry; rules turn them into syntax findings.
MISSING_EQUALS = "missing-equals"
UNTERMINATED_QUOTE = "unterminated-quote"
TRAILING_TEXT = "trailing-text"
MISSING_KEY = "missing-key"
#: the key is longer than ``MAX_KEY_LENGTH``, or is text that does not read as a name (a pasted
#: secret, a line of a key block): the line is not an entry, and its text is never shown
NOT_A_NAME = "not-a-name"

#: values longer than this are beyond anything an app keeps in one variable (certificate chains and
#: JSON key files are a few KB; Linux refuses an environment string over 128 KiB): the rules judge
#: them by a cheap path instead of their full patterns
MAX_VALUE_LENGTH = 65_536

# the lookbehind starts a match only where a whitespace run starts: linear on long runs of spaces
_INLINE_COMMENT = re.compile(r"(?<!\s)\s+#(.*)")
_SINGLE_ESCAPES = re.compile(r"\\[\\']")
_DOUBLE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
# the common line, `KEY=value` with no quote, space or comment, read without the general machinery;
# _parse_one gives such a line the same record. The lookbehind lets a search start only where a name
# starts and the possessive runs never give back: linear however the pattern is applied.
_PLAIN_ENTRY = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_]*+)=((?:[^\s'\"`]\S*+)?)")
# a line of base64 key material, `=` padding at most at its end
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_BINARY_SNIFF = 8192


# not frozen: a 100,000-line file makes 100,000 records, and a frozen dataclass's __init__ costs three
# times as much; nothing assigns to a record after it is made (the writer builds new ones)
@dataclass(slots=True)
class Record:
    """One logical line of a .env file.

    ``line``/``end_line`` are 1-based physical lines; ``raw`` is the exact text without the final
    newline. For an entry, ``value_span`` locates the value as written (quotes included) inside
    ``raw`` so the writer can replace it without touching the rest of the line.
    """

    line: int
    end_line: int
    raw: str
    key: str | None = None
    value: str | None = None
    quote: str | None = None
    export: bool = False
    comment: str | None = None
    error: str | None = None
    key_column: int | None = None
    value_column: int | None = None
    spaced_equals: bool = False
    value_span: tuple[int, int] | None = None

    @property
    def is_entry(self) -> bool:
        """A well-formed ``KEY=value`` line."""
        return self.error is None and self.key is not None and self.value is not None

    @property
    def is_blank(self) -> bool:
        """Only whitespace."""
        return not self.raw.strip()


@dataclass(frozen=True, slots=True)
class EnvFile:
    """A parsed file: its records plus what the writer needs to give the same bytes back."""

    path: Path
    records: tuple[Record, ...]
    bom: bool = False
    #: some line ends in a carriage return (CRLF, or CR alone as old Macs wrote)
    crlf: bool = False
    final_newline: bool = True
    #: every physical line's ending, kept only when a file mixes them
    endings: tuple[str, ...] | None = None
    #: the ending of every line when they are all the same, else of lines added
    newline: str = "\n"

    def entries(self) -> Iterator[Record]:
        """Well-formed entries in file order, duplicates included."""
        return (r for r in self.records if r.is_entry)

    def values(self) -> dict[str, str]:
        """Key to value, the last definition winning (as every loader does)."""
        return {r.key: r.value for r in self.entries() if r.key is not None and r.value is not None}

    def render(self) -> str:
        """The file's text, layout, comments, BOM and line endings as read."""
        text = "\n".join(r.raw for r in self.records)
        if self.final_newline and self.records:
            text += "\n"
        if self.endings is not None:
            text = _restore_endings(text, self.endings, self.newline)
        elif self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ("\ufeff" if self.bom else "") + text

    def with_records(self, records: tuple[Record, ...]) -> EnvFile:
        """A copy holding other records."""
        return replace(self, records=records)


class _QuoteCache:
    """Remembers the closing quote found from a position, keeping scans linear.

    A closing quote is the first one not escaped by a backslash (``\\`` pairs as python-dotenv's
    ``\\.``); every position between an opening and that quote has the same answer, and a scan
    that finds none answers "none" for every later position too.
    """

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int]] = {}

    def find(self, text: str, quote: str, start: int) -> int:
        """Index of the closing ``quote`` for a value opened just before ``start``, or -1."""
        cached = self._seen.get(quote)
        if cached is not None and cached[0] <= start and (cached[1] == -1 or start <= cached[1]):
            return cached[1]
        end = text.find(quote, start) if quote == "`" else _closer(text, quote, start)
        self._seen[quote] = (start, end)
        return end


def _closer(text: str, quote: str, start: int) -> int:
    """The first ``quote`` at or after ``start`` preceded by an even run of backslashes, or -1.

    Each backslash run is looked at once, from the quote that follows it: linear in the text.
    """
    at = text.find(quote, start)
    while at != -1:
        run = at
        while run > start and text[run - 1] == "\\":
            run -= 1
        if (at - run) % 2 == 0:
            return at
        at = text.find(quote, at + 1)
    return -1


def parse(text: str) -> list[Record]:
    """Parse ``text`` (no BOM, ``\\n`` line endings) into records; never raises."""
    records: list[Record] = []
    cache = _QuoteCache()
    pos, line, size = 0, 1, len(text)
    plain = _PLAIN_ENTRY.fullmatch
    # records are frozen: lines of one shape share one span tuple (56 bytes a line on a big file)
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    while pos <= size:
        eol = text.find("\n", pos)
        if eol == -1:
            eol = size
        if pos == eol or text[pos] == "#":  # blank and comment lines, as _parse_one reads them
            physical = text[pos:eol]
            records.append(Record(line, line, physical, comment=physical[1:] if physical else None))
            line += 1
            pos = eol + 1
            continue
        match = plain(text, pos, eol)
        # upper-case names are most keys; any other (and a hash-like one) takes the general path
        if (
            match is not None
            and match.end(1) - pos <= MAX_KEY_LENGTH
            and (key := match.group(1)).upper() == key
            and not MANY_SWITCHES.search(key)
        ):
            value = match.group(2)
            size_key = len(key)
            span = size_key + 1, eol - pos
            records.append(
                Record(
                    line,
                    line,
                    text[pos:eol],
                    key,
                    value,
                    None,
                    False,
                    None,
                    None,
                    1,
                    size_key + 2,
                    False,
                    spans.setdefault(span, span),
                )
            )
            line += 1
            pos = eol + 1
            continue
        record, end = _parse_one(text, pos, eol, line, cache)
        records.append(record)
        line = record.end_line + 1
        pos = end + 1
    return records


# the start of a line as python-dotenv reads it: blanks, `export `, a key, blanks, `=`, blanks (the
# spaces and tabs right after `=` apart: a writer keeps them). Every repetition is possessive, so
# nothing is ever tried twice: linear however the pattern is applied.
_HEAD = re.compile(
    r"[^\S\n]*+(?:(?P<export>export)[^\S\n]++(?=[^\s=]))?+"
    r"(?P<key>'[^'\n]++'|[^=#\s'][^=#\s]*+)?+"
    r"[^\S\n]*+(?P<eq>=?)(?P<layout>[ \t]*+)[^\S\n]*+"
)


def _parse_one(text: str, pos: int, eol: int, line: int, cache: _QuoteCache) -> tuple[Record, int]:
    """Parse the record starting at ``pos``; return it and the index of its final newline."""
    physical = text[pos:eol]
    stripped = physical.lstrip(" \t")
    if not stripped:
        return Record(line, line, physical), eol
    if stripped.startswith("#"):
        return Record(line, line, physical, comment=stripped[1:]), eol
    head = _HEAD.match(physical)
    assert head is not None  # every part is optional
    raw_key = head.group("key")
    if raw_key is None:
        return Record(line, line, physical, error=MISSING_KEY), eol
    key = raw_key[1:-1] if raw_key.startswith("'") else raw_key
    base: dict[str, Any] = {
        "key": key,
        "export": head.group("export") is not None,
        "key_column": head.start("key") + 1,
        "spaced_equals": bool(head.group("eq")) and head.end() - head.end("key") > 1,
    }
    if not head.group("eq"):
        return Record(
            line,
            line,
            physical,
            comment=_comment_after(physical, head.end("key")),
            error=MISSING_EQUALS,
            **base,
        ), eol
    if not looks_like_name(key):
        return Record(line, line, physical, error=NOT_A_NAME, **base), eol
    opener = physical[head.end() : head.end() + 1]
    if opener in ("'", '"', "`"):
        return _parse_quoted(text, pos, eol, line, head, opener, cache, base)
    return _parse_bare(physical, line, head, base), eol


def _comment_after(text: str, start: int, end: int | None = None) -> str | None:
    """The comment of a rest of line that is blank or ``# comment``; None otherwise."""
    rest = text[start:end].lstrip()
    return rest[1:] if rest.startswith("#") else None


def _rest_is_comment(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is blank or a ``# comment`` (python-dotenv's end of binding)."""
    rest = text[start:end].lstrip()
    return not rest or rest.startswith("#")


def _parse_bare(physical: str, line: int, head: re.Match[str], base: dict[str, Any]) -> Record:
    """An unquoted value: up to the end of the line, minus a `` #comment``, stripped."""
    after_eq = head.end("eq")
    part = physical[after_eq:]
    comment = None
    match = _INLINE_COMMENT.search(part)
    if match:
        comment = match.group(1)
        part = part[: match.start()]
    value = part.strip()
    lead = len(part) - len(part.lstrip())
    end = after_eq + lead + len(value)
    return Record(
        line,
        line,
        physical,
        value=value,
        comment=comment,
        value_column=after_eq + lead + 1,
        value_span=(min(head.end("layout"), end), end),
        **base,
    )


def _parse_quoted(
    text: str,
    pos: int,
    eol: int,
    line: int,
    head: re.Match[str],
    quote: str,
    cache: _QuoteCache,
    base: dict[str, Any],
) -> tuple[Record, int]:
    """A quoted value, possibly spanning lines; an unclosed one is an error on this line (and on
    the lines after it that are plainly the rest of a broken key block)."""
    start = head.end()
    close = cache.find(text, quote, pos + start + 1)
    if close != -1:
        close_eol = text.find("\n", close)
        if close_eol == -1:
            close_eol = len(text)
        if _rest_is_comment(text, close + 1, close_eol):
            inner = text[pos + start + 1 : close]
            raw = text[pos:close_eol]
            record = Record(
                line,
                line + raw.count("\n"),
                raw,
                value=_unescape(inner, quote),
                quote=quote,
                comment=_comment_after(text, close + 1, close_eol),
                value_column=start + 1,
                value_span=(head.end("layout"), close - pos + 1),
                **base,
            )
            return record, close_eol
        if close < eol:
            return Record(line, line, text[pos:eol], error=TRAILING_TEXT, **base), eol
    end = _broken_block_end(text, eol, text[pos + start + 1 : eol])
    raw = text[pos:end]
    return Record(line, line + raw.count("\n"), raw, error=UNTERMINATED_QUOTE, **base), end


def _broken_block_end(text: str, eol: int, opened: str) -> int:
    """Where a never-closed value that opens a block (``"-----BEGIN ...``, or nothing after the
    quote) ends: the lines after it that are base64 or hold no `=` at all (key material, PEM
    headers, the ``-----END`` line, which closes it) are its rest; a blank line, a comment or any
    other line with a `=` (``NAME=value``) is not. Otherwise the error stays on its own line.

    Without this, every line of a private key whose closing quote was forgotten became a record
    of its own, and a base64 line ending in ``=`` a "key" that findings would print.
    """
    begins = opened.strip()
    if begins and not begins.startswith("-----BEGIN "):
        return eol
    end = eol
    while end < len(text):
        start = end + 1
        nxt = text.find("\n", start)
        nxt = len(text) if nxt == -1 else nxt
        stripped = text[start:nxt].strip()
        if not stripped or stripped.startswith("#"):
            return end
        if "=" in stripped and not _BASE64_LINE.fullmatch(stripped):
            return end
        end = nxt
        if stripped.startswith("-----END "):
            return end
    return end


def _unescape(inner: str, quote: str) -> str:
    """Decode escapes the way python-dotenv does; backticks keep everything."""
    if quote == "`" or "\\" not in inner:
        return inner
    pattern = _SINGLE_ESCAPES if quote == "'" else _DOUBLE_ESCAPES
    return pattern.sub(lambda m: codecs.decode(m.group(0), "unicode-escape"), inner)


_LINE_ENDINGS = re.compile(r"\r\n|\r|\n")


def parse_text(text: str, path: Path | str = "<string>") -> EnvFile:
    """Parse a whole file's text, noting its BOM, line endings and final newline.

    A line ends at LF, CRLF or a CR alone, as python-dotenv and dotenvx end it; a CR inside a
    quoted value is a line ending to them too, so it is one here.
    """
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    crlf = "\r" in text
    endings, newline = None, "\n"
    if crlf:
        found = _LINE_ENDINGS.findall(text)
        kinds = set(found)
        if len(kinds) == 1:
            newline = found[0]
        else:
            endings, newline = tuple(found), "\r\n" if "\r\n" in kinds else "\r"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    final_newline = text.endswith("\n")
    body = text[:-1] if final_newline else text
    records = tuple(parse(body)) if body or final_newline else ()
    return EnvFile(
        Path(path), records, bom=bom, crlf=crlf, final_newline=final_newline, endings=endings, newline=newline
    )


def _restore_endings(text: str, endings: tuple[str, ...], default: str) -> str:
    """Give each line of ``text`` its original ending; lines added since get ``default``."""
    lines = text.split("\n")
    ends = [*endings[: len(lines) - 1], *[default] * max(0, len(lines) - 1 - len(endings)), ""]
    return "".join(line + end for line, end in zip(lines, ends, strict=True))


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text of a file, refusing binary files and invalid UTF-8 with the byte offset."""
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{path}: binary file, not an env file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}:{line}: invalid UTF-8 (byte {exc.start})",
            hint="save the file as UTF-8",
        ) from None


def read(path: Path | str) -> EnvFile:
    """Read and parse an env file; InputError for anything that is not a readable text file."""
    path = Path(path)
    return parse_text(decode(read_bytes(path), path), path)


def set_value(record: Record, value: str, written: str | None = None) -> Record:
    """A copy of an entry with a new value, the rest of its line untouched.

    ``written`` is the value as it should appear in the file (already quoted); by default
    ``quote(value)``, which refuses a value no quoting carries. Any blank between the `=` and the
    old value other than spaces and tabs goes with the old value: loaders disagree on it.
    """
    if record.value_span is None or record.key is None:
        raise ValueError("set_value needs a well-formed entry")
    text = quote(value, record.key) if written is None else written
    start, end = record.value_span
    raw = record.raw[:start] + text + record.raw[end:]
    return replace(
        record,
        raw=raw,
        value=value,
        quote=text[0] if text[:1] in "'\"`" and text else None,
        end_line=record.line + raw.count("\n"),
        value_span=(start, start + len(text)),
        value_column=start + 1,
    )


def entry(key: str, value: str, line: int = 0, written: str | None = None) -> Record:
    """A new ``KEY=value`` record, for appending to a file."""
    text = quote(value, key) if written is None else written
    raw = f"{key}={text}"
    return Record(
        line,
        line + raw.count("\n"),
        raw,
        key=key,
        value=value,
        quote=text[0] if text[:1] in "'\"`" and text else None,
        key_column=1,
        value_column=len(key) + 2,
        value_span=(len(key) + 1, len(raw)),
    )
