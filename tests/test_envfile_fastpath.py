"""The parser's fast path for plain ``KEY=value`` lines must give exactly the general path's record.

``envfile.parse`` turns a line matching ``_PLAIN_ENTRY`` into a ``Record`` directly; every other
line goes through ``_parse_one``. Here each line (plain ones and near misses) is parsed both ways and
the records compared field by field, and whole files are compared with a reference ``parse`` that
never takes the fast path.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from envguard import envfile
from envguard.envfile import Record, _parse_one, _QuoteCache, parse

ROOT = Path(__file__).resolve().parents[1]


def general(line: str) -> Record:
    """The record the general path gives one physical line."""
    return _parse_one(line, 0, len(line), 1, _QuoteCache())[0]


def reference_parse(text: str) -> list[Record]:
    """``envfile.parse`` without the fast path: every record through ``_parse_one``."""
    records: list[Record] = []
    cache = _QuoteCache()
    pos, line, size = 0, 1, len(text)
    while pos <= size:
        eol = text.find("\n", pos)
        if eol == -1:
            eol = size
        record, end = _parse_one(text, pos, eol, line, cache)
        records.append(record)
        line = record.end_line + 1
        pos = end + 1
    return records


@pytest.fixture
def general_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times ``parse`` fell back to the general path, while the test runs."""
    calls: list[int] = []
    real = envfile._parse_one

    def counted(text: str, pos: int, eol: int, line: int, cache: _QuoteCache) -> tuple[Record, int]:
        calls.append(pos)
        return real(text, pos, eol, line, cache)

    monkeypatch.setattr(envfile, "_parse_one", counted)
    return calls


#: lines the fast path must take
PLAIN = [
    "KEY=value",
    "KEY=",
    "K=v",
    "_=x",
    "_KEY_1=2",
    "KEY=a=b",
    "KEY=a#b",
    "KEY=#c",
    "KEY=#",
    "KEY=a'b",
    'KEY=a"b',
    "KEY=a`b",
    "KEY=a\\b",
    "KEY=\\",
    "KEY=${OTHER}",
    "KEY=https://user:pw@host:5432/db?x=1&y=2#frag",
    "KEY=caf\u00e9",
    "KEY=\u65e5\u672c",
    "KEY=a\u200bb",
    "KEY=\u00a9",
    "KEY=x\x00y",
    "KEY=*",
    'KEY=["*"]',
    "KEY=(true)",
    "KEY=--",
    "KEY==",
    "KEY==v",
    "KEY=v=",
    "DATABASE_URL=postgres://u:p@h/d",
    "KEY=" + "x" * 5000,
]

#: near misses: each must give the general path's record, whichever path parse takes
NEAR = [
    # keys with lower-case letters, or hash-like ones, are judged by the general path
    "a=b",
    "Key_Name=Value",
    "A1B2C=v",
    "K" * 256 + "=v",
    " KEY=v",
    "\tKEY=v",
    "export KEY=v",
    "export  KEY=v",
    "export\tKEY=v",
    "export=v",
    "export KEY",
    "KEY =v",
    "KEY= v",
    "KEY = v",
    "KEY=\tv",
    "KEY=v ",
    "KEY=v\t",
    "KEY=v #c",
    "KEY=v#c",
    "KEY=v  # c ",
    "KEY=#c",
    "KEY= #c",
    "KEY=",
    "KEY= ",
    "KEY='v'",
    'KEY="v"',
    "KEY=`v`",
    "KEY='v' # c",
    'KEY="v"x',
    "KEY='v",
    'KEY="v',
    "KEY=`v",
    "KEY=a'b",
    'KEY=a"b',
    "KEY=a b",
    "KEY=a\tb",
    "KEY=a\u00a0b",
    "KEY=a\u2003b",
    "KEY=v\u00a0",
    "KEY=v\u2003",
    "KEY=\u00a0v",
    "KEY=\u2003",
    "KEY=v\u3000",
    "KEY=v\x0b",
    "KEY=v\x0c",
    "KEY=v\x1c",
    "KEY=v\x85",
    "KEY=v\u2028",
    "KEY=v\u200b",
    "KEY=\u00a0#c",
    "KEY=v\u00a0#c",
    "KEY=v\u2003# c",
    "\u00a0KEY=v",
    "KEY\u00a0=v",
    "K\u00c9Y=v",
    "\u00e9=v",
    "\u65e5=v",
    "KEY=\u00e9t\u00e9",
    "KEY=\u65e5 \u672c",
    "1KEY=v",
    "9=v",
    "KEY.NAME=v",
    "KEY-NAME=v",
    "KEY:NAME=v",
    "KEY$=v",
    "=v",
    "=",
    "KEY",
    "KEY ",
    "KEY #c",
    "#KEY=v",
    " #KEY=v",
    "",
    " ",
    "\t",
    "KEY=v\r",
    "KEY=\r",
    "KEY='v'\r",
    "\r",
    "KEY\r",
    "'KEY'=v",
    "'KEY=v",
    "KEY'=v",
    "K'EY=v",
    'K"EY=v',
    "KEY=v\\",
    "KEY=\\'",
    "KEY='a\\'b'",
    'KEY="a\\"b"',
    'KEY="a\\nb"',
    'KEY=""',
    "KEY=''",
    "KEY=``",
    "KEY==v ",
    "export KEY=v #c",
    "KEY=v # envguard: ignore[EG401]",
    "KEY=${A:-b c}",
    "KEY=\u00a0",
    "KEY=v\u2029",
    "KEY=v\x1f",
]


@pytest.mark.parametrize("line", PLAIN)
def test_plain_lines_take_the_fast_path(line: str, general_calls: list[int]) -> None:
    got = parse(line)
    assert general_calls == [], "the fast path was not taken"
    assert got == [general(line)]
    assert got[0].is_entry


@pytest.mark.parametrize("line", NEAR)
def test_near_misses_give_the_general_record(line: str) -> None:
    assert parse(line) == [general(line)]


def test_fast_path_and_strip_agree_on_whitespace() -> None:
    # the fast path refuses whitespace with the pattern's \s, the general path strips values with
    # str.strip: a character str.strip removes but \s does not match would stay in a value on one
    # path only. Check every code point, then parse the whitespace ones in every position.
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    stripped = {c for c in every if c.isspace()}
    matched = set(re.findall(r"\s", every))
    assert stripped <= matched, sorted(f"U+{ord(c):04X}" for c in stripped - matched)
    rng = random.Random(5)
    samples = sorted(stripped | matched | set(rng.sample(every, 3000)) | set("'\"`#=\\"))
    for char in samples:
        if char == "\n":
            continue
        for line in (
            f"KEY=v{char}",
            f"KEY={char}v",
            f"KEY=v{char}w",
            f"KEY={char}",
            f"K{char}=v",
            f"{char}KEY=v",
            f"KEY=v{char}#c",
        ):
            assert parse(line) == [general(line)], (f"U+{ord(char):04X}", line)


_ALPHABET = [
    "=",
    "=",
    "#",
    " ",
    " ",
    "\t",
    '"',
    "'",
    "`",
    "\\",
    "a",
    "B",
    "k",
    "E",
    "Y",
    "z",
    "0",
    "1",
    "9",
    "_",
    "_",
    "\u00a0",
    "\u2003",
    "\u00e9",
    ".",
    "-",
    "$",
    "{",
    "}",
    ":",
    "/",
    "@",
    "*",
    "\r",
    "\x0b",
    "x",
]
_PREFIXES = ["", "", "KEY=", "A_1=", "_=", "export KEY=", " KEY=", "KEY =", "k="]


def _random_lines(seed: int, count: int) -> Iterator[str]:
    rng = random.Random(seed)
    for _ in range(count):
        body = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 12)))
        yield rng.choice(_PREFIXES) + body


def test_random_lines_agree(general_calls: list[int]) -> None:
    fast = 0
    for line in _random_lines(20240611, 4000):
        before = len(general_calls)
        got = parse(line)
        fast += len(general_calls) == before
        assert got == [general(line)], repr(line)
    # the comparison must cover both paths
    assert fast > 400
    assert len(general_calls) > 400


def _file_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("*/*.env")) + sorted(
        (ROOT / "examples").glob(".env.*")
    ):
        text = path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        texts.append(text.removesuffix("\n"))
    assert len(texts) > 10
    return texts


_MULTI = [
    'A=1\nB="two\nlines"\nC=3',
    "A='x\ny'\nB=plain\nC='z",
    'A="open\nB=plain\nC="close"\nD=d',
    "A=`multi\nline`\nB=b",
    'A="a\\"\nB=b"\nC=c',
    "A=\nB=\n\nC",
    'A="x" junk\nB=b\nC="y\n"',
    "export A=1\nB = 2\n C=3\nD=4 # c\n#E=5\nF=6\r\nG=7",
    'A="\nB=2\nC=3\n"\nD=4',
    "A='a\\'\nB=b'\nC=c",
    'A="never closed\nB=b\nC=c\nD="d"',
    "A=a\n\n\n\nB=b\n",
]


def test_files_agree_with_a_parse_without_fast_path(general_calls: list[int]) -> None:
    texts = [*_file_texts(), *_MULTI]
    rng = random.Random(99)
    lines = list(_random_lines(7, 3000))
    for _ in range(300):
        texts.append("\n".join(rng.choice(lines) for _ in range(rng.randint(1, 12))))
    fast_lines = 0
    for text in texts:
        before = len(general_calls)
        got = parse(text)
        fast_lines += len(got) - (len(general_calls) - before)
        assert got == reference_parse(text), repr(text)
    assert fast_lines > 200


def test_parse_text_agrees_with_the_reference() -> None:
    for text in [*_file_texts(), *_MULTI]:
        parsed = envfile.parse_text(text + "\n")
        # parse_text reads CRLF files with LF endings, as the reference must be given them
        assert list(parsed.records) == reference_parse(text.replace("\r\n", "\n"))
