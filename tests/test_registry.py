"""The rule registry: the gate every new rule passes (codes, names, categories, documentation)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from fixtures_cli import Cli

from envguard.findings import Category, Environment, Severity
from envguard.rules import RULES, get
from envguard.rules.base import DOC_SECTIONS, Rule

FAMILIES = {
    1: Category.SYNTAX,
    2: Category.WEAK_SECRET,
    3: Category.LEAK,
    4: Category.DEBUG,
    5: Category.CORS,
    6: Category.TRANSPORT,
    7: Category.EXPOSURE,
    8: Category.ACCESS,
    9: Category.SCHEMA,
}
CODE = re.compile(r"EG[1-9][0-9]{2}")
KEBAB = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
IDS = [r.code for r in RULES]


def test_registry_is_not_empty_and_sorted() -> None:
    assert RULES
    assert list(RULES) == sorted(RULES, key=lambda r: r.code)


def test_codes_are_unique() -> None:
    assert [c for c, n in Counter(r.code for r in RULES).items() if n > 1] == []


def test_names_are_unique() -> None:
    assert [c for c, n in Counter(r.name for r in RULES).items() if n > 1] == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_code_names_its_family(rule: type[Rule]) -> None:
    assert CODE.fullmatch(rule.code), f"{rule.__name__}: code {rule.code!r} is not EG + 3 digits"
    family = int(rule.code[2])
    assert rule.category == FAMILIES[family], (
        f"{rule.code} is in the EG{family}xx family ({FAMILIES[family]}) but its category is {rule.category}"
    )


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_name_is_kebab_case(rule: type[Rule]) -> None:
    assert KEBAB.fullmatch(rule.name), f"{rule.code}: name {rule.name!r} is not kebab-case"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docstring_has_every_section(rule: type[Rule]) -> None:
    doc = rule.doc()
    assert doc and not doc.startswith("#"), f"{rule.code}: the docstring starts with a one-line summary"
    positions = []
    for section in DOC_SECTIONS:
        assert section in doc, f"{rule.code}: docstring lacks {section!r}"
        positions.append(doc.index(section))
    assert positions == sorted(positions), f"{rule.code}: sections are out of order"
    bodies = re.split("|".join(re.escape(s) for s in DOC_SECTIONS), doc)[1:]
    assert all(body.strip() for body in bodies), f"{rule.code}: a section is empty"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_shape(rule: type[Rule]) -> None:
    assert isinstance(rule.category, Category)
    assert set(rule.levels) <= set(Environment)
    assert all(level is None or isinstance(level, Severity) for level in rule.levels.values())
    assert any(rule.level(env) for env in Environment), f"{rule.code} is off everywhere"
    assert rule.check is not Rule.check, f"{rule.code} does not implement check()"


def test_get_by_code_name_and_case() -> None:
    first = RULES[0]
    assert get(first.code) is first
    assert get(first.code.lower()) is first
    assert get(first.name) is first


def test_rules_lists_every_rule(cli: Cli) -> None:
    result = cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in RULES]
    for line, rule in zip(lines, RULES, strict=True):
        assert rule.name in line and str(rule.category) in line


def test_rules_as_json(cli: Cli) -> None:
    result = cli("rules", "--format", "json")
    assert result.code == 0
    listed = json.loads(result.out)
    assert [r["code"] for r in listed] == [r.code for r in RULES]
    for item, rule in zip(listed, RULES, strict=True):
        assert item["name"] == rule.name
        assert item["category"] == str(rule.category)
        assert set(item["severity"]) == {e.value for e in Environment}
        assert item["summary"] == rule.summary()


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_prints_its_documentation(cli: Cli, rule: type[Rule]) -> None:
    result = cli("rule", rule.code)
    assert result.code == 0
    assert result.out.startswith(f"# {rule.code} {rule.name} ({rule.category})")
    for section in DOC_SECTIONS:
        assert section in result.out
    assert "## Severity" in result.out


def test_rule_by_name(cli: Cli) -> None:
    rule = RULES[-1]
    assert cli("rule", rule.name).out == cli("rule", rule.code).out


@pytest.mark.parametrize("args", [("rule", "EG000"), ("rule", "no-such-rule"), ("rules", "--format", "yaml")])
def test_unknown_rule_or_format_exits_2_with_one_line(cli: Cli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err_lines) == 1 and result.err.startswith("envguard: error:")
