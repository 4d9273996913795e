"""``envguard rules`` and ``envguard rule CODE``: the rules' own documentation."""

from __future__ import annotations

import json

from envguard.errors import EXIT_OK, UsageError
from envguard.findings import Environment
from envguard.rules import RULES, get
from envguard.rules.base import Rule


def describe(rule: type[Rule]) -> dict[str, object]:
    """A rule as JSON: code, name, category, severity per environment, summary, fix."""
    return {
        "code": rule.code,
        "name": rule.name,
        "category": str(rule.category),
        "severity": {env.value: (lvl.value if (lvl := rule.level(env)) else None) for env in Environment},
        "summary": rule.summary(),
        "fix": rule.fix,
    }


def list_rules(output_format: str = "text") -> int:
    """Print every rule, one a line, or all of them as JSON."""
    if output_format == "json":
        print(json.dumps([describe(r) for r in RULES], indent=2))
        return EXIT_OK
    if output_format != "text":
        raise UsageError(f"unknown format {output_format!r}", hint="choose text or json")
    width = max(len(r.name) for r in RULES)
    cat_width = max(len(str(r.category)) for r in RULES)
    for rule in RULES:
        level = rule.level(Environment.PRODUCTION)
        print(
            f"{rule.code}  {rule.name:<{width}}  {rule.category!s:<{cat_width}}  "
            f"{level.value if level else '-':<7}  {rule.summary()}"
        )
    return EXIT_OK


def show_rule(code: str) -> int:
    """Print one rule's documentation, with its fix availability."""
    rule = get(code)
    print(f"# {rule.code} {rule.name} ({rule.category})\n")
    print(rule.doc())
    levels = ", ".join(
        f"{env.value}: {lvl.value if (lvl := rule.level(env)) else 'off'}" for env in Environment
    )
    print(f"\n## Severity\n{levels}")
    print(
        "\n## Fix\n"
        + (f"`envguard fix` {rule.fix}." if rule.fix else "Not fixable automatically: a human has to act.")
    )
    return EXIT_OK
