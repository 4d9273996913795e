"""The rule registry: every rule family, one module or folder per family, listed explicitly."""

from __future__ import annotations

from envguard.errors import UsageError
from envguard.rules import (
    access,
    cors,
    debug,
    directives,
    exposure,
    leak,
    schema,
    syntax,
    transport,
    weak_secret,
)
from envguard.rules.base import Rule

#: every rule, in code order; a registry test checks codes, names and docs
RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            *syntax.RULES,
            *directives.RULES,
            *weak_secret.RULES,
            *leak.RULES,
            *debug.RULES,
            *cors.RULES,
            *transport.RULES,
            *exposure.RULES,
            *access.RULES,
            *schema.RULES,
        ),
        key=lambda r: r.code,
    )
)


def get(code_or_name: str) -> type[Rule]:
    """A rule by code (case-insensitive) or name; UsageError when there is none."""
    wanted = code_or_name.strip()
    for rule in RULES:
        if rule.code == wanted.upper() or rule.name == wanted:
            return rule
    raise UsageError(f"unknown rule {code_or_name!r}", hint="see `envguard rules`")
