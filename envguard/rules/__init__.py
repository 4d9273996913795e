"""The rule registry: every rule family, listed explicitly (no discovery magic)."""

from __future__ import annotations

from envguard.errors import UsageError
from envguard.rules import (
    access,
    access_admin,
    cors,
    cors_format,
    credentials,
    debug,
    debug_features,
    deployfiles,
    encryption,
    exposure,
    git,
    leak,
    schema_rules,
    secrets,
    syntax,
    transport,
    transport_cookies,
    transport_stores,
)
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
            *debug.RULES,
            *debug_features.RULES,
            *cors.RULES,
            *cors_format.RULES,
            *transport.RULES,
            *transport_cookies.RULES,
            *transport_stores.RULES,
            *access.RULES,
            *access_admin.RULES,
            *schema_rules.RULES,
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
