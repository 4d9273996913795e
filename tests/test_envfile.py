"""The tolerant .env reader, the layout-preserving writer, ``quote`` and ``atomic_write``."""

from __future__ import annotations

import io
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from dotenv import dotenv_values
from dotenv.parser import parse_stream
from hypothesis import given, settings
from hypothesis import strategies as st

from envguard import envfile
from envguard.errors import InputError

# python-dotenv logs a warning for every line it cannot parse; the table has many on purpose
logging.getLogger("dotenv.main").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Row:
    """One real-world snippet: its entries as (line, key, value), its errors as (line, kind).

    ``differs`` is None when python-dotenv reads the snippet the same way, else the reason it does
    not (one of the deliberate differences in envfile's docstring).
    """

    text: str
    entries: list[tuple[int, str, str]]
    errors: list[tuple[int, str]] = field(default_factory=list)
    differs: str | None = None


BACKTICKS = "back-quoted values are unquoted (node dotenv, dotenvx)"
UNTERMINATED = "an unterminated quote is an error on its own line; dotenv swallows the lines after"
MISSING_EQ = "a line without `=` is an error record; dotenv yields the key with value None"
NOT_NAME = "a key that is not a name (random text, too long) makes the line an error; dotenv keeps it"
M, U, T, K = envfile.MISSING_EQUALS, envfile.UNTERMINATED_QUOTE, envfile.TRAILING_TEXT, envfile.MISSING_KEY
N = envfile.NOT_A_NAME
PEM_BODY = (
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\ngOeFUvNZfugG4Ra+hY5Q0PI=\nhY5Q0PIgOeFUvNZfugG4Ra="
)

ROWS: dict[str, Row] = {
    "plain": Row("APP_NAME=Facturino", [(1, "APP_NAME", "Facturino")]),
    "export": Row("export DB_HOST=127.0.0.1", [(1, "DB_HOST", "127.0.0.1")]),
    "export-two-spaces": Row("export  REDIS_PORT=6379", [(1, "REDIS_PORT", "6379")]),
    "export-as-key": Row("export=1", [(1, "export", "1")]),
    "indented": Row("   MAIL_PORT=587", [(1, "MAIL_PORT", "587")]),
    "single-quoted": Row("DB_PASSWORD='p@ss w0rd#1 \"x\"'", [(1, "DB_PASSWORD", 'p@ss w0rd#1 "x"')]),
    "double-quoted": Row('APP_NAME="Finance Tracker"', [(1, "APP_NAME", "Finance Tracker")]),
    "back-quoted": Row(
        'GREETING=`say "hi" it\'s me`', [(1, "GREETING", 'say "hi" it\'s me')], differs=BACKTICKS
    ),
    "multi-line-double": Row(
        'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----"\nNEXT=1',
        [
            (1, "JWT_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----"),
            (4, "NEXT", "1"),
        ],
    ),
    "multi-line-single": Row(
        "CERT='line one\nline two'\nAFTER=x", [(1, "CERT", "line one\nline two"), (3, "AFTER", "x")]
    ),
    "multi-line-then-comment": Row('A="x\ny" # why\nB=2', [(1, "A", "x\ny"), (3, "B", "2")]),
    "double-escapes": Row(
        r'MSG="l1\nl2\ttab \"q\" back\\slash it\'s"', [(1, "MSG", 'l1\nl2\ttab "q" back\\slash it\'s')]
    ),
    "double-unknown-escape": Row(r'PATTERN="\d+\.\w"', [(1, "PATTERN", r"\d+\.\w")]),
    "double-escaped-last-quote": Row(r'A="ends with backslash\\"', [(1, "A", "ends with backslash\\")]),
    "single-escapes": Row(r"MSG='it\'s \n raw \\ once'", [(1, "MSG", "it's \\n raw \\ once")]),
    "escaped-newline-pem": Row(
        r'KEY="-----BEGIN-----\nabc\n-----END-----\n"', [(1, "KEY", "-----BEGIN-----\nabc\n-----END-----\n")]
    ),
    "inline-comment": Row("APP_DEBUG=false # never true in production", [(1, "APP_DEBUG", "false")]),
    "inline-comment-tab": Row("APP_DEBUG=false\t# tab before", [(1, "APP_DEBUG", "false")]),
    "hash-in-value": Row("DB_PASSWORD=abc#123", [(1, "DB_PASSWORD", "abc#123")]),
    "hash-first": Row("COLOR=#ff0000", [(1, "COLOR", "#ff0000")]),
    "url-fragment": Row("APP_URL=https://example.com/#/home", [(1, "APP_URL", "https://example.com/#/home")]),
    "quoted-hash": Row('COLOR="#ff0000" # red', [(1, "COLOR", "#ff0000")]),
    "quoted-comment-no-space": Row('A="x"#c', [(1, "A", "x")]),
    "reference-bare": Row(
        "DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}/app",
        [(1, "DATABASE_URL", "postgres://${DB_USER}:${DB_PASSWORD}@${DB_HOST}/app")],
    ),
    "reference-quoted": Row('VITE_API_URL="${APP_URL}/api"', [(1, "VITE_API_URL", "${APP_URL}/api")]),
    "reference-plain-dollar": Row("APP_NAME=$APP_ID", [(1, "APP_NAME", "$APP_ID")]),
    "empty": Row("MAIL_PASSWORD=", [(1, "MAIL_PASSWORD", "")]),
    "empty-double": Row('MAIL_PASSWORD=""', [(1, "MAIL_PASSWORD", "")]),
    "empty-single": Row("MAIL_PASSWORD=''", [(1, "MAIL_PASSWORD", "")]),
    "empty-then-comment": Row("MAIL_PASSWORD= # set in the dashboard", [(1, "MAIL_PASSWORD", "")]),
    "lowercase-key": Row("app_debug=true", [(1, "app_debug", "true")]),
    "digit-key": Row("2FA_SECRET=abc", [(1, "2FA_SECRET", "abc")]),
    "dotted-key": Row("mail.host=smtp.mailgun.org", [(1, "mail.host", "smtp.mailgun.org")]),
    "spaces-around": Row("LOG_LEVEL = debug", [(1, "LOG_LEVEL", "debug")]),
    "space-after": Row("LOG_LEVEL= debug", [(1, "LOG_LEVEL", "debug")]),
    "space-before-quoted": Row('LOG_LEVEL ="debug"', [(1, "LOG_LEVEL", "debug")]),
    "value-with-spaces": Row(
        "MAIL_FROM_NAME=Facturino Billing", [(1, "MAIL_FROM_NAME", "Facturino Billing")]
    ),
    "trailing-spaces": Row("APP_ENV=production   ", [(1, "APP_ENV", "production")]),
    "equals-in-value": Row(
        "APP_KEY=base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=",
        [(1, "APP_KEY", "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=")],
    ),
    "json-single": Row(
        """CORS_ORIGINS='["https://a.com","https://b.com"]'""",
        [(1, "CORS_ORIGINS", '["https://a.com","https://b.com"]')],
    ),
    "unicode": Row("GREETING=héllo wörld ✓", [(1, "GREETING", "héllo wörld ✓")]),
    "comments-and-blanks": Row("# header\n\n   \n  # indented\nA=1", [(5, "A", "1")]),
    "unterminated-double": Row(
        'APP_NAME="Finance Tracker\nAPP_ENV=production\nAPP_DEBUG=false',
        [(2, "APP_ENV", "production"), (3, "APP_DEBUG", "false")],
        [(1, U)],
    ),
    "unterminated-single": Row("DB_PASSWORD='secret\nDB_HOST=db", [(2, "DB_HOST", "db")], [(1, U)]),
    "unterminated-backtick": Row("A=`x\nB=1", [(2, "B", "1")], [(1, U)], differs=BACKTICKS),
    "unterminated-swallowing": Row(
        'APP_NAME="Finance Tracker\nAPP_ENV=production\nMAIL_FROM_NAME="Acme"',
        [(2, "APP_ENV", "production"), (3, "MAIL_FROM_NAME", "Acme")],
        [(1, U)],
        differs=UNTERMINATED,
    ),
    "unterminated-quote-closed-later-badly": Row(
        'A="x\nB=2\nC="y" tail\nD=4', [(2, "B", "2"), (4, "D", "4")], [(1, U), (3, T)], differs=UNTERMINATED
    ),
    "trailing-text": Row('MAIL_FROM_NAME="Facturino" Billing\nNEXT=1', [(2, "NEXT", "1")], [(1, T)]),
    "trailing-text-single": Row("A='x'y\nB=1", [(2, "B", "1")], [(1, T)]),
    "missing-key": Row("=base64:abc\nB=1", [(2, "B", "1")], [(1, K)]),
    "missing-equals": Row("APP_ENV production\nB=1", [(2, "B", "1")], [(1, M)]),
    "bare-word": Row("JUSTAKEY\nB=1", [(2, "B", "1")], [(1, M)], differs=MISSING_EQ),
    "bare-word-comment": Row("JUSTAKEY # note", [], [(1, M)], differs=MISSING_EQ),
    # lines end where python-dotenv and dotenvx end them: CR alone, CRLF, and CR CR LF
    "cr-only-endings": Row(
        "APP_NAME=x\rAPP_DEBUG=true\rDB_PASSWORD=secret",
        [(1, "APP_NAME", "x"), (2, "APP_DEBUG", "true"), (3, "DB_PASSWORD", "secret")],
    ),
    "cr-cr-lf": Row("A=1\r\r\nB=2", [(1, "A", "1"), (3, "B", "2")]),
    "cr-inside-quotes": Row("A='x\ry'\rB=2", [(1, "A", "x\ny"), (3, "B", "2")]),
    # python-dotenv skips every Unicode blank around keys, `=` and values, not only spaces and tabs
    "nbsp-before-quote": Row('API_TOKEN=\u00a0"tok"', [(1, "API_TOKEN", "tok")]),
    "nbsp-before-bare": Row("API_TOKEN=\u00a0tok", [(1, "API_TOKEN", "tok")]),
    "nbsp-around-equals": Row("API_TOKEN\u00a0=\u2003'tok'", [(1, "API_TOKEN", "tok")]),
    "export-nbsp": Row("export\u00a0API_TOKEN=tok", [(1, "API_TOKEN", "tok")]),
    # a private key whose closing quote was forgotten: its lines are the rest of the broken value
    "unterminated-pem": Row(
        f'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\nNEXT=1',
        [(6, "NEXT", "1")],
        [(1, U)],
        differs=UNTERMINATED,
    ),
    "unterminated-block": Row(
        f"CERT='\n{PEM_BODY}\nNEXT=1\nlast words", [(5, "NEXT", "1")], [(1, U), (6, M)], differs=UNTERMINATED
    ),
    "unterminated-pem-then-comment": Row(
        f'K="-----BEGIN X-----\n{PEM_BODY}\n# c\nB=2', [(6, "B", "2")], [(1, U)], differs=UNTERMINATED
    ),
    "pasted-secret-as-key": Row("gOeFUvNZfugG4RahY5Q0PI=\nB=1", [(2, "B", "1")], [(1, N)], differs=NOT_NAME),
    "base64-as-key": Row("gOeFUvNZfugG4Ra+hY5Q0PI=x\nB=1", [(2, "B", "1")], [(1, N)], differs=NOT_NAME),
    "hex-as-key": Row("3f9a0b1c2d3e4f5a6b7c=\nB=1", [(2, "B", "1")], [(1, N)], differs=NOT_NAME),
    "key-too-long": Row("A" * 256 + "=1\nB=1", [(2, "B", "1")], [(1, N)], differs=NOT_NAME),
    "key-at-the-limit": Row("A" * 255 + "=1", [(1, "A" * 255, "1")]),
}


def entries(parsed: envfile.EnvFile) -> list[tuple[int, str, str]]:
    return [(r.line, r.key, r.value) for r in parsed.entries() if r.key is not None and r.value is not None]


def errors(parsed: envfile.EnvFile) -> list[tuple[int, str]]:
    return [(r.line, r.error) for r in parsed.records if r.error]


def dotenv_bindings(text: str) -> list[tuple[str, str | None]]:
    """What python-dotenv reads from a file holding ``text`` (universal newlines, as it opens files)."""
    stream = io.StringIO(text, newline=None)
    return [(b.key, b.value) for b in parse_stream(stream) if b.key is not None and not b.error]


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_real_world_lines(row: Row) -> None:
    parsed = envfile.parse_text(row.text)
    assert entries(parsed) == row.entries
    assert errors(parsed) == row.errors
    assert parsed.render() == row.text


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS.values() if r.differs is None],
    ids=[k for k, r in ROWS.items() if r.differs is None],
)
def test_same_meaning_as_python_dotenv(row: Row) -> None:
    ours = [(key, value) for _, key, value in entries(envfile.parse_text(row.text))]
    assert ours == dotenv_bindings(row.text)


def test_deliberate_differences_are_the_documented_ones() -> None:
    documented = envfile.__doc__ or ""
    assert "back-quoted" in documented and "unterminated quote" in documented
    assert "not a name" in documented
    for name, row in ROWS.items():
        if row.differs is None:
            continue
        ours = [(key, value) for _, key, value in entries(envfile.parse_text(row.text))]
        assert ours != dotenv_bindings(row.text), f"{name}: python-dotenv agrees now, drop `differs`"


def test_missing_equals_keeps_the_key_dotenv_sees() -> None:
    record = envfile.parse_text("JUSTAKEY").records[0]
    assert (record.key, record.value, record.error) == ("JUSTAKEY", None, envfile.MISSING_EQUALS)
    assert dotenv_bindings("JUSTAKEY") == [("JUSTAKEY", None)]


def test_columns_and_spans() -> None:
    record = envfile.parse_text('  export LOG_LEVEL = "debug"  # note').records[0]
    assert record.export and record.spaced_equals
    assert record.key_column == 10
    assert record.value_column == 22
    assert record.value_span is not None
    assert record.raw[slice(*record.value_span)] == '"debug"'
    assert record.comment == " note"


def test_bom_and_crlf_match_dotenv_reading_the_file(tmp_path: Path) -> None:
    text = 'APP_NAME="Finance\r\nTracker"\r\nAPP_ENV=production # prod\r\nEMPTY=\r\n'
    path = tmp_path / ".env"
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    parsed = envfile.read(path)
    assert parsed.bom and parsed.crlf
    assert parsed.values() == {"APP_NAME": "Finance\nTracker", "APP_ENV": "production", "EMPTY": ""}
    assert [r.line for r in parsed.entries()] == [1, 3, 4]
    assert parsed.render().encode("utf-8") == path.read_bytes()
    # python-dotenv keeps the BOM in the first key (the case where it is wrong); the rest agrees
    plain = tmp_path / "plain.env"
    plain.write_bytes(text.encode("utf-8"))
    assert dict(dotenv_values(plain)) == parsed.values()


ROUND_TRIPS = {
    "lf": "A=1\n# c\n\nB='x'\n",
    "no-final-newline": "A=1\nB=2",
    "crlf": 'A=1\r\nB="a\r\nb"\r\n',
    "mixed-endings": "A=1\r\nB=2\nC=3\r\n\nD=4",
    "bom": "\ufeffA=1\n",
    "empty": "",
    "only-newline": "\n",
    "blank-lines": "\n\n\n",
    "broken-lines": 'A="x\nB\n=y\nC="z" tail\n  D = 4  # c\n',
    "lone-cr": "A=x\ry\nB=1\n",
}


@pytest.mark.parametrize("text", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_render_gives_the_same_bytes(tmp_path: Path, text: str) -> None:
    path = tmp_path / ".env"
    path.write_bytes(text.encode("utf-8"))
    assert envfile.read(path).render().encode("utf-8") == text.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "A",
                "b",
                "=",
                " ",
                "\t",
                '"',
                "'",
                "`",
                "#",
                "\\",
                "\n",
                "\r\n",
                "\r",
                "\ufeff",
                "export ",
                "${X}",
                "é",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_render_round_trips_any_text(text: str) -> None:
    assert envfile.parse_text(text).render() == text


def test_set_value_keeps_the_rest_of_the_file() -> None:
    parsed = envfile.parse_text("# top\r\nexport  A = 'old'  # keep me\r\nB=2\r\n")
    records = tuple(envfile.set_value(r, "new value") if r.key == "A" else r for r in parsed.records)
    assert parsed.with_records(records).render() == "# top\r\nexport  A = 'new value'  # keep me\r\nB=2\r\n"


def test_twenty_megabyte_values() -> None:
    big = "x" * 20_000_000
    pem = ("A" * 64 + "\\n") * 300_000
    parsed = envfile.parse_text(f'QUOTED="{big}"\nBARE={big}\nPEM="{pem}"\nAFTER=1\n')
    values = parsed.values()
    assert values["QUOTED"] == big and values["BARE"] == big
    assert values["PEM"] == ("A" * 64 + "\n") * 300_000
    assert [r.line for r in parsed.entries()] == [1, 2, 3, 4]


def test_two_hundred_thousand_lines(tmp_path: Path) -> None:
    path = tmp_path / ".env.production"
    path.write_text("".join(f"KEY_{i}=value-{i}\n" for i in range(200_000)))
    parsed = envfile.read(path)
    assert len(parsed.records) == 200_000
    last = parsed.records[-1]
    assert (last.line, last.key, last.value) == (200_000, "KEY_199999", "value-199999")


# Sizes at which a quadratic scan would take minutes; the parser must stay linear to finish at once.
def test_thousands_of_unterminated_quotes_each_stay_on_their_line() -> None:
    quotes = ['"', "'", "`", '"\\']
    lines = [f"K{i}={quotes[i % 4]}value {i}" for i in range(40_000)]
    parsed = envfile.parse_text("\n".join(lines) + "\nLAST=ok\n")
    assert len(parsed.records) == 40_001
    assert errors(parsed) == [(i + 1, envfile.UNTERMINATED_QUOTE) for i in range(40_000)]
    assert entries(parsed) == [(40_001, "LAST", "ok")]


def test_each_quote_closed_by_the_next_line_with_text_after() -> None:
    parsed = envfile.parse_text('A="x\n' * 40_000 + 'Z="')
    assert errors(parsed) == [(i + 1, envfile.UNTERMINATED_QUOTE) for i in range(39_999)]
    assert entries(parsed) == [(40_000, "A", "x\nZ=")]


def test_long_runs_of_spaces_in_a_bare_value() -> None:
    value = "a" + " " * 200_000 + "b"
    parsed = envfile.parse_text(f"A={value}\nB={' ' * 200_000}# c\n")
    assert parsed.values() == {"A": value, "B": ""}


def dotenv_reads(written: str) -> str | None:
    """What python-dotenv reads; it expands ``${X}`` in every quote style, so that is left off."""
    return dotenv_values(stream=io.StringIO(f"K={written}\n"), interpolate=False).get("K")


NASTY = [
    "",
    " lead",
    "trail ",
    "a b",
    "#x",
    "x #y",
    "it's",
    'say "hi"',
    "back\\slash",
    "new\nline",
    "cr\rlf\r\n",
    "$HOME",
    "${DB_PASSWORD}",
    "`tick`",
    "'$x'",
    "\\'",
    "\\n",
    "é ✓",
    "\t",
    "=",
    "a'b\"c$d`e\\f\ng",
]


@pytest.mark.parametrize("value", NASTY)
def test_quote_round_trips_nasty_values(tmp_path: Path, value: str) -> None:
    written = envfile.quote(value)
    assert dotenv_reads(written) == value
    path = tmp_path / ".env"
    path.write_bytes(f"K={written}\r\nNEXT=1\r\n".encode())
    assert envfile.read(path).values() == {"K": value, "NEXT": "1"}
    assert dotenv_values(path, interpolate=False) == {"K": value, "NEXT": "1"}


def written_or_refused(value: str) -> str | None:
    """``quote(value)``, or None when it is refused, which only a CR or a backslash may cause."""
    try:
        return envfile.quote(value)
    except envfile.UnwritableValueError as exc:
        assert "\r" in value or "\\" in value, repr(value)
        assert value not in exc.message
        return None


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")))
def test_quote_round_trips_through_python_dotenv(value: str) -> None:
    written = written_or_refused(value)
    if written is None:
        return
    assert dotenv_reads(written) == value
    assert envfile.parse_text(f"K={written}\n").values()["K"] == value


def test_entry_and_set_value_write_what_they_say() -> None:
    record = envfile.entry("SECRET", "a'b $c")
    assert envfile.parse_text(record.raw).values() == {"SECRET": "a'b $c"}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_keeps_an_existing_mode(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("OLD=1\n")
    path.chmod(0o640)
    envfile.atomic_write(path, "NEW=1\n")
    assert path.read_text() == "NEW=1\n"
    assert _mode(path) == 0o640
    assert os.listdir(tmp_path) == [".env"]


def test_atomic_write_creates_new_files_private(tmp_path: Path) -> None:
    path = tmp_path / ".env.production"
    old = os.umask(0o022)
    try:
        envfile.atomic_write(path, b"A=1\n")
    finally:
        os.umask(old)
    assert path.read_bytes() == b"A=1\n"
    assert _mode(path) == 0o600
    assert os.listdir(tmp_path) == [".env.production"]


def test_atomic_write_explicit_mode(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("{}")
    path.chmod(0o600)
    envfile.atomic_write(path, "{}\n", mode=0o644)
    assert _mode(path) == 0o644


def test_atomic_write_failure_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x")
    with pytest.raises(InputError, match="is a directory"):
        envfile.atomic_write(target, "A=1\n")
    assert sorted(os.listdir(tmp_path)) == ["taken"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"A=1\x00\x01\x02", "binary file"), (b"A=1\nB=\xff\xfe\n", ":2: invalid UTF-8")],
)
def test_read_refuses_binary_and_invalid_utf8(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / ".env"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        envfile.read(path)


def test_read_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        envfile.read(tmp_path / ".env")
