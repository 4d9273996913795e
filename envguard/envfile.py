"""A tolerant .env reader and a layout-preserving writer.

``parse`` turns text into one ``Record`` per logical line (a multi-line quoted value is one record
spanning several lines) and never raises: a bad line is a record with ``error`` set, and reading goes
on at the next physical line. Values mean what python-dotenv makes of them, with two deliberate
differences, both where python-dotenv is wrong for real files:

* back-quoted values are unquoted (as node's dotenv and dotenvx do), not kept with their backticks;
* an unterminated quote is an error on its own line only; python-dotenv swallows every line up to the
  next quote character.

``${VAR}`` references are kept as written: envguard checks files, it does not interpolate them.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from envguard.errors import InputError

# Error kinds a Record can carry; rules turn them into syntax findings.
MISSING_EQUALS = "missing-equals"
UNTERMINATED_QUOTE = "unterminated-quote"
TRAILING_TEXT = "trailing-text"
MISSING_KEY = "missing-key"

_HEAD = re.compile(
    r"[ \t]*(?P<export>export[ \t]+(?=[^\s=]))?"
    r"(?P<key>'[^'\n]+'|[^=#\s'][^=#\s]*)?"
    r"(?P<before>[ \t]*)(?P<eq>=?)(?P<after>[ \t]*)"
)
_REST_IS_COMMENT = re.compile(r"[ \t]*(?:#(?P<comment>[^\n]*))?$")
# the lookbehind starts a match only where a whitespace run starts: linear on long runs of spaces
_INLINE_COMMENT = re.compile(r"(?<!\s)\s+#(.*)")
_SINGLE_ESCAPES = re.compile(r"\\[\\']")
_DOUBLE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
# possessive: no backtracking, and runs of plain characters are matched in one step (20 MB values)
_CLOSERS = {"'": re.compile(r"(?:[^'\\]++|\\.)*+'", re.S), '"': re.compile(r'(?:[^"\\]++|\\.)*+"', re.S)}
# the common line, `KEY=value` with no quote, space or comment, read without the general machinery;
# _parse_one gives such a line the same record
_PLAIN_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=((?:[^\s'\"`]\S*)?)")
_SAFE_BARE = re.compile(r"[A-Za-z0-9_./:@%+,=!?*~^-]*")
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
    crlf: bool = False
    final_newline: bool = True
    #: every physical line's ending, kept only when a file mixes CRLF and LF
    endings: tuple[str, ...] | None = None

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
            text = _restore_endings(text, self.endings, "\r\n" if self.crlf else "\n")
        elif self.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.bom else "") + text

    def with_records(self, records: tuple[Record, ...]) -> EnvFile:
        """A copy holding other records."""
        return replace(self, records=records)


class _QuoteCache:
    """Remembers the nearest closing quote found from a position, keeping scans linear."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int]] = {}

    def find(self, text: str, quote: str, start: int) -> int:
        """Index of the closing ``quote`` for a value opened just before ``start``, or -1."""
        cached = self._seen.get(quote)
        if cached is not None and cached[0] <= start and (cached[1] == -1 or start <= cached[1]):
            return cached[1]
        if quote == "`":
            end = text.find("`", start)
        else:
            match = _CLOSERS[quote].match(text, start)
            end = match.end() - 1 if match else -1
        self._seen[quote] = (start, end)
        return end


def parse(text: str) -> list[Record]:
    """Parse ``text`` (no BOM, ``\\n`` line endings) into records; never raises."""
    records: list[Record] = []
    cache = _QuoteCache()
    pos, line, size = 0, 1, len(text)
    plain = _PLAIN_ENTRY.fullmatch
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
        if match is not None:
            key, value = match.groups()
            size_key = len(key)
            records.append(Record(line, line, text[pos:eol], key, value, None, False, None, None, 1,
                                  size_key + 2, False, (size_key + 1, eol - pos)))
            line += 1
            pos = eol + 1
            continue
        record, end = _parse_one(text, pos, eol, line, cache)
        records.append(record)
        line = record.end_line + 1
        pos = end + 1
    return records


def _parse_one(text: str, pos: int, eol: int, line: int, cache: _QuoteCache) -> tuple[Record, int]:
    """Parse the record starting at ``pos``; return it and the index of its final newline."""
    physical = text[pos:eol]
    stripped = physical.lstrip(" \t")
    if not stripped:
        return Record(line, line, physical), eol
    if stripped.startswith("#"):
        return Record(line, line, physical, comment=stripped[1:]), eol
    head = _HEAD.match(physical)
    assert head is not None  # every group is optional
    raw_key = head.group("key")
    if raw_key is None:
        return Record(line, line, physical, error=MISSING_KEY), eol
    key = raw_key[1:-1] if raw_key.startswith("'") else raw_key
    base: dict[str, Any] = {
        "key": key,
        "export": head.group("export") is not None,
        "key_column": head.start("key") + 1,
        "spaced_equals": bool(head.group("before") or head.group("after")) and bool(head.group("eq")),
    }
    if not head.group("eq"):
        rest = _REST_IS_COMMENT.match(physical, head.end("key"))
        comment = rest.group("comment") if rest else None
        return Record(line, line, physical, comment=comment, error=MISSING_EQUALS, **base), eol
    start = head.end()
    opener = physical[start : start + 1]
    if opener in ("'", '"', "`"):
        return _parse_quoted(text, pos, eol, line, start, opener, cache, base)
    return _parse_bare(physical, line, head.end("eq"), base), eol


def _parse_bare(physical: str, line: int, after_eq: int, base: dict[str, Any]) -> Record:
    """An unquoted value: up to the end of the line, minus a `` #comment``, stripped."""
    part = physical[after_eq:]
    comment = None
    match = _INLINE_COMMENT.search(part)
    if match:
        comment = match.group(1)
        part = part[: match.start()]
    value = part.strip()
    lead = len(part) - len(part.lstrip())
    span = (after_eq + lead, after_eq + lead + len(value))
    return Record(
        line, line, physical, value=value, comment=comment,
        value_column=span[0] + 1, value_span=span, **base,
    )


def _parse_quoted(
    text: str, pos: int, eol: int, line: int, start: int, quote: str,
    cache: _QuoteCache, base: dict[str, Any],
) -> tuple[Record, int]:
    """A quoted value, possibly spanning lines; an unclosed one is an error on this line only."""
    close = cache.find(text, quote, pos + start + 1)
    physical = text[pos:eol]
    if close == -1:
        return Record(line, line, physical, error=UNTERMINATED_QUOTE, **base), eol
    close_eol = text.find("\n", close)
    if close_eol == -1:
        close_eol = len(text)
    tail = _REST_IS_COMMENT.match(text, close + 1, close_eol)
    if tail is None:
        kind = TRAILING_TEXT if close < eol else UNTERMINATED_QUOTE
        return Record(line, line, physical, error=kind, **base), eol
    inner = text[pos + start + 1 : close]
    raw = text[pos:close_eol]
    record = Record(
        line, line + raw.count("\n"), raw, value=_unescape(inner, quote), quote=quote,
        comment=tail.group("comment"), value_column=start + 1,
        value_span=(start, close - pos + 1), **base,
    )
    return record, close_eol


def _unescape(inner: str, quote: str) -> str:
    """Decode escapes the way python-dotenv does; backticks keep everything."""
    if quote == "`" or "\\" not in inner:
        return inner
    pattern = _SINGLE_ESCAPES if quote == "'" else _DOUBLE_ESCAPES
    return pattern.sub(lambda m: codecs.decode(m.group(0), "unicode-escape"), inner)


def parse_text(text: str, path: Path | str = "<string>") -> EnvFile:
    """Parse a whole file's text, noting its BOM, line endings and final newline."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    crlf = "\r\n" in text
    endings = None
    if crlf:
        if text.count("\n") != text.count("\r\n"):
            endings = tuple(re.findall(r"\r?\n", text))
        text = text.replace("\r\n", "\n")
    final_newline = text.endswith("\n")
    body = text[:-1] if final_newline else text
    records = tuple(parse(body)) if body or final_newline else ()
    return EnvFile(Path(path), records, bom=bom, crlf=crlf, final_newline=final_newline,
                   endings=endings)


def _restore_endings(text: str, endings: tuple[str, ...], default: str) -> str:
    """Give each line of ``text`` its original ending; lines added since get ``default``."""
    lines = text.split("\n")
    ends = [*endings[: len(lines) - 1], *[default] * max(0, len(lines) - 1 - len(endings)), ""]
    return "".join(line + end for line, end in zip(lines, ends, strict=True))


def read_bytes(path: Path) -> bytes:
    """Read a file, turning every OS failure into one clear InputError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied", hint="check the file's mode") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


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


def quote(value: str) -> str:
    """Write ``value`` so python-dotenv (and, where possible, dotenv/dotenvx) read it back exactly."""
    if _SAFE_BARE.fullmatch(value) and not value.startswith("#"):
        return value
    # a raw CR would be read back as part of a line ending (CRLF files, universal newlines): escape it
    if "'" not in value and "\\" not in value and "\r" not in value:
        return f"'{value}'"
    if "\r" in value or ("$" not in value and "`" not in value):
        escaped = (
            value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
        return f'"{escaped}"'
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def set_value(record: Record, value: str, written: str | None = None) -> Record:
    """A copy of an entry with a new value, the rest of its line untouched.

    ``written`` is the value as it should appear in the file (already quoted); by default
    ``quote(value)``.
    """
    if record.value_span is None or record.key is None:
        raise ValueError("set_value needs a well-formed entry")
    text = quote(value) if written is None else written
    start, end = record.value_span
    raw = record.raw[:start] + text + record.raw[end:]
    return replace(
        record, raw=raw, value=value, quote=text[0] if text[:1] in "'\"`" and text else None,
        end_line=record.line + raw.count("\n"), value_span=(start, start + len(text)),
    )


def entry(key: str, value: str, line: int = 0, written: str | None = None) -> Record:
    """A new ``KEY=value`` record, for appending to a file."""
    text = quote(value) if written is None else written
    raw = f"{key}={text}"
    return Record(
        line, line + raw.count("\n"), raw, key=key, value=value,
        quote=text[0] if text[:1] in "'\"`" and text else None, key_column=1,
        value_column=len(key) + 2, value_span=(len(key) + 1, len(raw)),
    )


def atomic_write(path: Path, data: str | bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` via a temp file and rename.

    With ``mode`` the file gets that mode; without, an existing file keeps its mode and a new one
    gets 0600 (env files hold secrets). Nothing is left half-written if the process dies midway.
    """
    import tempfile  # only writers need it: a plain `check` never loads it

    path = Path(path)
    if mode is not None:
        current = mode
    else:
        try:
            current = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            current = 0o600
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, current)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
