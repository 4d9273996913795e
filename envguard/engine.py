"""Run the selected rules over one Context: pure, no I/O.

Selection (``--select``/``--ignore``) and inline ``# envguard: ignore[...]`` suppressions are applied
here; baselines are applied by the caller, which owns the baseline file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from envguard.envfile import Record
from envguard.findings import Environment, Finding
from envguard.ignores import directives
from envguard.model import Context
from envguard.rules.base import Rule


def matches(rule: type[Rule], token: str) -> bool:
    """A selector names a rule by code, code prefix (``EG2``), name or category."""
    token = token.strip()
    upper = token.upper()
    return rule.code.startswith(upper) if upper.startswith("EG") else token in (rule.name, rule.category)


def named(rule: type[Rule], token: str) -> bool:
    """A selector names exactly this rule: its code or its name (how opt-in rules are chosen)."""
    return token.strip().upper() == rule.code or token.strip() == rule.name


@dataclass(frozen=True)
class Selection:
    """Which rules run: all of ``select`` (or every rule) minus ``ignore``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def allows(self, rule: type[Rule]) -> bool:
        """Whether ``rule`` is selected and not ignored; an opt-in rule only when named exactly."""
        if rule.opt_in:
            chosen = any(named(rule, t) for t in self.select)
        elif not self.select and not self.ignore:  # the usual run: no selector to match
            return True
        else:
            chosen = not self.select or any(matches(rule, t) for t in self.select)
        return chosen and not any(matches(rule, t) for t in self.ignore)

    def validate(self, rules: Iterable[type[Rule]]) -> list[str]:
        """A warning for each selector that names no rule, so typos never silently select nothing."""
        known = tuple(rules)
        return [
            f"warning: {flag}: {token!r} names no rule (see `envguard rules`)"
            for flag, tokens in (("--select", self.select), ("--ignore", self.ignore))
            for token in tokens
            if not any(matches(r, token) for r in known)
        ]


def unknown_codes(records: Sequence[Record] | None, rules: Iterable[type[Rule]]) -> list[tuple[int, str]]:
    """(line, selector) for each selector of an ignore directive that names no rule."""
    known = tuple(rules)
    return [
        (d.line, code)
        for d in directives(records)
        for code in sorted(d.codes)
        if not any(matches(r, code) for r in known)
    ]


def suppressions(records: Sequence[Record] | None) -> dict[int, frozenset[str]]:
    """Line number to the selectors an ignore directive names there (empty set: every rule).

    A directive in an entry's inline comment covers that entry; one on a comment line covers the
    next line.
    """
    found: dict[int, frozenset[str]] = {}
    for directive in directives(records):
        codes, target = directive.codes, directive.target
        previous = found.get(target)
        if previous is not None:
            codes = previous | codes if previous and codes else frozenset()
        found[target] = codes
    return found


def _suppressed(finding: Finding, rule: type[Rule], table: dict[int, frozenset[str]]) -> bool:
    """Whether an ignore covers ``finding``. An opt-in rule is hidden only by an ignore naming it
    exactly, as it is selected: else a bare ``# envguard: ignore`` hid its own EG100."""
    if finding.line is None or finding.line not in table:
        return False
    codes = table[finding.line]
    if rule.opt_in:
        return any(named(rule, c) for c in codes)
    return not codes or any(matches(rule, c) for c in codes)


def run(ctx: Context, rules: Iterable[type[Rule]], selection: Selection = Selection()) -> list[Finding]:
    """Every finding the selected rules report for ``ctx``, minus inline suppressions, sorted.

    A rule whose ``keys`` no key of ``ctx`` holds is not run: it has nothing to judge.
    """
    table = suppressions(ctx.records)
    if table:
        from envguard.rules import RULES

        ctx.notes.extend(
            f"warning: {ctx.source}:{line}: `envguard: ignore[{code}]` names no rule"
            for line, code in unknown_codes(ctx.records, RULES)
        )
    active, gates = ctx.once(_active, (tuple(rules), selection, ctx.env))
    for keys in gates:
        ctx.run.gate(keys)  # every gate known before the first bucket is sorted
    gated = ctx.run.gated
    findings: list[Finding] = []
    for rule in active:
        if rule.keys and gated and not ctx.admitted(rule.keys):  # no key it could report
            continue
        found: Iterable[Finding] = rule.check(ctx)
        if table:
            found = [f for f in found if not _suppressed(f, type(rule), table)]
        findings.extend(found)
    findings.sort(key=lambda f: f.sort_key)
    return findings


def _active(
    choice: tuple[tuple[type[Rule], ...], Selection, Environment],
) -> tuple[tuple[Rule, ...], tuple[tuple[str, ...], ...]]:
    """The rules of ``choice`` selected and on in its environment, made (a rule keeps no state:
    one of each serves every file), and their name gates: the same for every file of a run that
    shares them."""
    rules, selection, env = choice
    active = tuple(r() for r in rules if selection.allows(r) and r.level(env) is not None)
    return active, tuple(r.keys for r in active if r.keys)
