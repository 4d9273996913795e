"""Rule selection and inline ``# envguard: ignore[...]`` suppressions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from envguard import engine, envfile, sources
from envguard.findings import Category, Environment, Finding
from envguard.rules import RULES
from envguard.rules.base import STRICT_ONLY, Context, Rule
from envguard.rules.syntax import DuplicateKey, LineEndings, SpacesAroundEquals
from envguard.schema import GENERIC

# a duplicate key (EG105) on line 2, spaces around `=` (EG106) and a lowercase key (EG108) on line 3
TEXT = "A=1\nA=2\nlog_level = debug\n"


def run(
    text: str, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> list[tuple[str, int | None]]:
    parsed = envfile.parse_text(text, ".env.production")
    ctx = sources.file_context(parsed, Environment.PRODUCTION, GENERIC, ".env.production")
    selection = engine.Selection(select, ignore)
    selection.validate(RULES)
    return [(f.code, f.line) for f in engine.run(ctx, RULES, selection)]


ALL = [("EG105", 2), ("EG106", 3), ("EG108", 3)]


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        ((), (), ALL),
        (("EG105",), (), [("EG105", 2)]),
        (("eg105",), (), [("EG105", 2)]),
        (("EG10",), (), ALL),
        (("EG1",), ("EG106",), [("EG105", 2), ("EG108", 3)]),
        (("duplicate-key",), (), [("EG105", 2)]),
        (("duplicate-key", "lowercase-key"), (), [("EG105", 2), ("EG108", 3)]),
        (("syntax",), (), ALL),
        ((), ("syntax",), []),
        ((), ("spaces-around-equals", "EG108"), [("EG105", 2)]),
        (("EG105",), ("EG105",), []),
    ],
)
def test_selection_by_code_prefix_name_and_category(
    select: tuple[str, ...], ignore: tuple[str, ...], expected: list[tuple[str, int]]
) -> None:
    assert run(TEXT, select, ignore) == expected


def test_selection_allows_matches_rule_classes() -> None:
    selection = engine.Selection(select=("EG1",), ignore=("duplicate-key",))
    assert selection.allows(SpacesAroundEquals)
    assert not selection.allows(DuplicateKey)
    assert engine.matches(LineEndings, "syntax") and not engine.matches(LineEndings, "leak")


@pytest.mark.parametrize("token", ["EG999", "no-such-rule", "syntaks", "XX1"])
@pytest.mark.parametrize("flag", ["select", "ignore"])
def test_unknown_selector_is_a_warning_naming_it(flag: str, token: str) -> None:
    kwargs = {flag: (token,)}
    assert engine.Selection(**kwargs).validate(RULES) == [
        f"warning: --{flag}: '{token}' names no rule (see `envguard rules`)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # on the line itself
        ("A=1\nA=2 # envguard: ignore[EG105]\nlog_level = debug\n", [("EG106", 3), ("EG108", 3)]),
        # on the line above
        ("A=1\n# envguard: ignore[EG105]\nA=2\nlog_level = debug\n", [("EG106", 4), ("EG108", 4)]),
        # without codes: every rule on that line
        ("A=1\nA=2\nlog_level = debug  # envguard: ignore\n", [("EG105", 2)]),
        ("A=1\nA=2\n# envguard: ignore\nlog_level = debug\n", [("EG105", 2)]),
        # several codes, names and prefixes, any spacing and case
        ("A=1\nA=2\nlog_level = debug # envguard: ignore[EG106, lowercase-key]\n", [("EG105", 2)]),
        ("A=1\nA=2\nlog_level = debug #Envguard:Ignore[EG10]\n", [("EG105", 2)]),
        # another code leaves the finding alone
        ("A=1\nA=2 # envguard: ignore[EG201]\nlog_level = debug\n", ALL),
        # two lines above is too far
        (
            "A=1\n# envguard: ignore[EG105]\n\nA=2\nlog_level = debug\n",
            [("EG105", 4), ("EG106", 5), ("EG108", 5)],
        ),
        # a directive inside a quoted value is part of the value, not a comment
        ('A=1\nA="x # envguard: ignore"\nlog_level = debug\n', ALL),
        # a directive above a multi-line value covers the value's first line
        ('A=1\n# envguard: ignore[EG105]\nA="x\ny"\n', []),
    ],
)
def test_inline_ignore(text: str, expected: list[tuple[str, int]]) -> None:
    assert run(text) == expected


def test_directives_on_the_same_line_merge() -> None:
    records = envfile.parse_text("# envguard: ignore[EG105]\nA=1 # envguard: ignore[EG106]\n").records
    assert engine.suppressions(records) == {2: frozenset({"EG105", "EG106"})}
    records = envfile.parse_text("# envguard: ignore\nA=1 # envguard: ignore[EG106]\n").records
    assert engine.suppressions(records) == {2: frozenset()}


class ProductionOnly(Rule):
    """A rule for this test: on in production and staging, off elsewhere."""

    code = "EG199"
    name = "production-only"
    category = Category.SYNTAX
    levels = STRICT_ONLY

    def check(self, ctx: Context) -> Iterator[Finding]:
        yield self.report(ctx, "seen", line=1)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (Environment.PRODUCTION, ["error"]),
        (Environment.STAGING, ["error"]),
        (Environment.DEVELOPMENT, []),
        (Environment.EXAMPLE, []),
    ],
)
def test_rules_off_in_an_environment_do_not_run(env: Environment, expected: list[str]) -> None:
    ctx = sources.file_context(envfile.parse_text("A=1\n"), env, GENERIC, ".env")
    assert [f.severity.value for f in engine.run(ctx, (ProductionOnly,))] == expected


def test_findings_are_sorted_by_line_then_code() -> None:
    found = run("b = 1\nA=1\nA=2\nc=3\n")
    assert found == [("EG106", 1), ("EG108", 1), ("EG105", 3), ("EG108", 4)]


def test_a_rule_keeps_no_state_so_one_instance_serves_every_file() -> None:
    # the engine makes each rule once per run (engine._active): a rule that kept anything between
    # files would leak one file's judgement into the next
    from pathlib import Path

    from envguard.model import Run

    shared = Run(b"k" * 32)
    files = sorted(p for p in (Path(__file__).parent / "corpus").rglob(".env*") if p.is_file())
    assert len(files) > 20
    for env in (Environment.PRODUCTION, Environment.DEVELOPMENT, Environment.EXAMPLE):
        for path in files:
            parsed = envfile.parse_text(path.read_text(encoding="utf-8", errors="replace"), path)
            ctx = sources.file_context(parsed, env, GENERIC, str(path), shared)
            engine.run(ctx, RULES)
    active, _ = shared.once(engine._active, (tuple(RULES), engine.Selection(), Environment.PRODUCTION))
    assert len(active) > 40
    assert [type(rule).__name__ for rule in active if vars(rule)] == []
