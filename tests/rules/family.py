"""Helpers shared by the rule-family tests: a Context from text, a family's findings, their places."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from envguard import engine, envfile, sources
from envguard.findings import Environment, Finding
from envguard.rules.base import Context, Rule
from envguard.schema import GENERIC, build


def context(
    text: str, env: Environment | str = Environment.PRODUCTION, schema: Mapping[str, object] | None = None
) -> Context:
    """``text`` parsed as a file named ``x`` of environment ``env``, with an inline schema if given."""
    resolved = build(schema, source="test") if schema else GENERIC
    return sources.file_context(envfile.parse_text(text), Environment(env), resolved, "x")


def findings(
    rules: Sequence[type[Rule]],
    text: str,
    env: Environment | str = Environment.PRODUCTION,
    schema: Mapping[str, object] | None = None,
) -> list[Finding]:
    """What ``rules`` report for ``text``."""
    return engine.run(context(text, env, schema), rules)


def where(found: list[Finding]) -> list[tuple[str, int | None]]:
    """Each finding's code and line."""
    return [(f.code, f.line) for f in found]
