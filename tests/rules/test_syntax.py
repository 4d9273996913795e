"""The syntax family (EG101-EG109): each rule, flagged and not flagged, at the right line and column."""

from __future__ import annotations

import pytest

from envguard import engine, envfile, sources
from envguard.findings import Environment, Finding, Severity
from envguard.rules import syntax
from envguard.schema import GENERIC


def findings(
    text: str, *rules: type[syntax.Rule], env: Environment = Environment.PRODUCTION
) -> list[Finding]:
    parsed = envfile.parse_text(text)
    ctx = sources.file_context(parsed, env, GENERIC, ".env.production")
    return engine.run(ctx, rules or syntax.RULES)


def places(text: str, rule: type[syntax.Rule]) -> list[tuple[int | None, int | None]]:
    return [(f.line, f.column) for f in findings(text, rule)]


# (rule, text, expected (line, column) of each finding); an empty list means "must not be flagged"
TABLE: list[tuple[type[syntax.Rule], str, list[tuple[int, int]]]] = [
    (syntax.MissingEquals, "APP_ENV production", [(1, 1)]),
    (syntax.MissingEquals, "A=1\n  JUSTAKEY", [(2, 3)]),
    (syntax.MissingEquals, "please set the values below\nA=1", [(1, 1)]),
    (syntax.MissingEquals, "A=1\n# APP_ENV production\n\n", []),
    (syntax.MissingEquals, "EMPTY=", []),
    (syntax.MissingEquals, 'PEM="-----BEGIN-----\nNOT A LINE\n-----END-----"', []),
    (syntax.UnterminatedQuote, 'APP_NAME="Finance Tracker\nAPP_ENV=production', [(1, 1)]),
    (syntax.UnterminatedQuote, "A=1\nexport DB_PASSWORD='secret", [(2, 8)]),
    (syntax.UnterminatedQuote, "A=`x", [(1, 1)]),
    (syntax.UnterminatedQuote, 'A="x"\nB=\'y\'\nC=`z`\nD="multi\nline"', []),
    (syntax.UnterminatedQuote, "A=it's\nB=say \"hi", []),
    (syntax.TrailingText, 'MAIL_FROM_NAME="Facturino" Billing', [(1, 1)]),
    (syntax.TrailingText, "A=1\n  B='x'y", [(2, 3)]),
    (syntax.TrailingText, 'A="x" # comment\nB="y"#c\nC="z"   ', []),
    (syntax.MissingKey, "=base64:abc", [(1, 1)]),
    (syntax.MissingKey, "A=1\n=x\n = y", [(2, 1), (3, 1)]),
    (syntax.MissingKey, "A==x\n#=x", []),
    (syntax.DuplicateKey, "CACHE_STORE=file\nCACHE_STORE=redis", [(2, 1)]),
    (syntax.DuplicateKey, "A=1\nB=2\n  export A=1\nA=3", [(3, 10), (4, 1)]),
    (syntax.DuplicateKey, "A=1\nAA=1\na=1\nA_=1", []),
    (syntax.DuplicateKey, 'A="x\nA=2', []),
    (syntax.SpacesAroundEquals, "LOG_LEVEL = debug", [(1, 1)]),
    (syntax.SpacesAroundEquals, "A=1\n  B= 2\nC =3\nD\t=\t4", [(2, 3), (3, 1), (4, 1)]),
    (syntax.SpacesAroundEquals, "A=1\nB=x y\nC='a = b'\n  D=1", []),
    (syntax.InvalidKey, "2FA_SECRET=abc", [(1, 1)]),
    (syntax.InvalidKey, "A=1\nmail.host=x\nMY-KEY=x\n  export KEY$=1", [(2, 1), (3, 1), (4, 10)]),
    (syntax.InvalidKey, "_PRIVATE=1\nA1=1\nlower_ok=1\n'QUOTED'=1", []),
    (syntax.InvalidKey, "-----BEGIN CERTIFICATE-----", []),
    (syntax.LowercaseKey, "app_debug=false", [(1, 1)]),
    (syntax.LowercaseKey, "A=1\n  export Mixed_Case=1", [(2, 10)]),
    (syntax.LowercaseKey, "APP_DEBUG=false\n_A1=x\n2fa=x\nsome words without equals", []),
    (syntax.LineEndings, "A=1\r\nB=2\r\n", [(1, 1)]),
    (syntax.LineEndings, "\ufeffA=1\n", [(1, 1)]),
    (syntax.LineEndings, "A=1\nB=2\n", []),
    (syntax.UndecodableBytes, "A=1\nDB_PASSWORD=p\ufffdss", [(2, 13)]),
    (syntax.UndecodableBytes, "A=1\nNAME=Jos\u00e9\n", []),
]


@pytest.mark.parametrize(
    ("rule", "text", "expected"), TABLE, ids=[f"{r.code}-{i}" for i, (r, _, _) in enumerate(TABLE)]
)
def test_rule_table(rule: type[syntax.Rule], text: str, expected: list[tuple[int, int]]) -> None:
    assert places(text, rule) == expected


def test_table_covers_every_syntax_rule_both_ways() -> None:
    flagged = {rule for rule, _, expected in TABLE if expected}
    clean = {rule for rule, _, expected in TABLE if not expected}
    assert flagged == clean == set(syntax.RULES)


def test_duplicate_key_severity_and_message() -> None:
    different, same = findings("A=1\nA=2\nB=x\nB=x", syntax.DuplicateKey)
    assert (different.severity, different.key) == (Severity.ERROR, "A")
    assert "first on line 1" in different.message
    assert (same.severity, same.key) == (Severity.WARNING, "B")
    assert "same value" in same.message


def test_line_endings_is_reported_once_as_info() -> None:
    found = findings("\ufeffA=1\r\nB=2\r\nC=3\r\n", syntax.LineEndings)
    assert len(found) == 1
    assert found[0].severity is Severity.INFO
    assert "CRLF" in found[0].message and "byte-order mark" in found[0].message


def test_a_line_without_equals_is_one_finding_that_does_not_echo_it() -> None:
    # a secret pasted on a line of its own must not be printed back as a "key"
    found = findings("ghp_pastedTokenOnItsOwnLine1234\nA=1", *syntax.RULES)
    assert [(f.code, f.line, f.key) for f in found] == [("EG101", 1, None)]
    assert "ghp_" not in found[0].message


def test_broken_lines_do_not_stop_the_good_lines_being_checked() -> None:
    text = (
        'APP_NAME="Finance Tracker\n'  # 1 unterminated
        "APP_ENV production\n"  # 2 missing =
        "=orphan\n"  # 3 missing key
        'MAIL_FROM_NAME="Acme" Billing\n'  # 4 trailing text
        "CACHE_STORE=file\n"  # 5
        "LOG_LEVEL = debug\n"  # 6 spaces
        "CACHE_STORE=redis\n"  # 7 duplicate of 5
        "app_debug=true\n"  # 8 lowercase
    )
    found = [(f.code, f.line) for f in findings(text)]
    assert found == [
        ("EG102", 1),
        ("EG101", 2),
        ("EG104", 3),
        ("EG103", 4),
        ("EG106", 6),
        ("EG105", 7),
        ("EG108", 8),
    ]


@pytest.mark.parametrize("env", list(Environment))
def test_syntax_rules_apply_in_every_environment(env: Environment) -> None:
    assert all(rule.level(env) is not None for rule in syntax.RULES)
    assert [f.code for f in findings("A=1\nA=2", syntax.DuplicateKey, env=env)] == ["EG105"]


BROKEN_PEM_BODY = [
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
    "gOeFUvNZfugG4Ra+hY5Q0PI=",
    "hY5Q0PIgOeFUvNZfugG4Ra=",
]


def test_a_private_key_with_its_closing_quote_forgotten_is_one_finding_naming_no_text() -> None:
    text = "\n".join(
        [
            "A=1",
            'JWT_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----',
            *BROKEN_PEM_BODY,
            "-----END PRIVATE KEY-----",
            "APP_DEBUG=false",
        ]
    )
    found = findings(text, *syntax.RULES)
    assert [(f.code, f.line, f.key) for f in found] == [("EG102", 2, "JWT_PRIVATE_KEY")]
    assert "lines 3-6 read as the rest of it" in found[0].message
    for line in BROKEN_PEM_BODY:
        assert all(line[i : i + 8] not in found[0].message for i in range(len(line) - 7))


@pytest.mark.parametrize(
    "line",
    [
        "gOeFUvNZfugG4Ra+hY5Q0PI=",
        "gOeFUvNZfugG4RahY5Q0PI=",
        "gOeFUvNZfugG4Ra=x",
        "3f9a0b1c2d3e4f5a6b7c8d9e=",
        "A" * 300 + "=1",
    ],
)
def test_a_key_that_is_not_a_name_is_one_finding_by_line_never_its_text(line: str) -> None:
    found = findings(f"B=1\n{line}\nC=2", *syntax.RULES)
    assert [(f.code, f.line, f.key) for f in found] == [("EG107", 2, None)]
    key = line.split("=")[0]
    assert all(key[i : i + 8] not in found[0].message + (found[0].hint or "") for i in range(len(key) - 7))


def test_a_key_longer_than_any_name_says_how_long() -> None:
    (found,) = findings("K" * 100_000 + "=v", syntax.InvalidKey)
    assert "100,000 characters long" in found.message and str(envfile.MAX_KEY_LENGTH) in found.message
