"""The rule registry: every rule family, listed explicitly (no discovery magic)."""

from __future__ import annotations

from envguard.errors import UsageError
from envguard.rules import credentials, deployfiles, encryption, exposure, git, leak, secrets, syntax
from envguard.rules.base import Rule

#: every rule, in code order; a registry test checks codes, names and docs
RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            *syntax.RULES,
            *secrets.RULES,
            *credentials.RULES,
            *leak.RULES,
            *exposure.RULES,
            *deployfiles.RULES,
            *encryption.RULES,
            *git.RULES,
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
