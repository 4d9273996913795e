"""Features switched off in the same file: a placeholder for a feature the app does not use is
left for later, not a mistake that breaks production.

A key belongs to the feature its first word names (``SMTP_PASSWORD`` to ``SMTP``); mail keys share
one feature whichever word they start with (``EMAIL``, ``MAIL``, ``SMTP``). The feature is off when
the file says so (``EMAIL_ENABLED=false``, ``ENABLE_EMAIL=0``, ``FEATURE_SMTP=off``,
``USE_MAIL=no``), or when the schema says when the variable is needed (``required_when =
"FEATURE_MCP_AI_TOOLS=true"``) and none of those conditions holds.
"""

from __future__ import annotations

from collections.abc import Mapping

from envguard.judge.values import is_off
from envguard.schema import VarSpec, condition_holds

_SYNONYMS = (
    frozenset({"EMAIL", "MAIL", "SMTP", "MAILER", "MAILGUN", "SENDGRID", "POSTMARK"}),
    frozenset({"SMS", "TWILIO"}),
    frozenset({"S3", "AWS", "STORAGE"}),
)


def _feature_words(key: str) -> frozenset[str]:
    head = key.upper().split("_", 1)[0]
    for group in _SYNONYMS:
        if head in group:
            return group
    return frozenset({head})


def unused(key: str, values: Mapping[str, str], spec: VarSpec | None) -> bool:
    """The feature ``key`` belongs to is off here: by a switch in the values, or by the schema."""
    conditions = spec.required_when if spec is not None else ()
    if conditions and all(_decided_false(c, values) for c in conditions):
        return True
    return switched_off(key, values) is not None


def _decided_false(condition: str, values: Mapping[str, str]) -> bool:
    """A ``KEY=value`` condition whose key the file sets, to something else (``FEATURE_X=false``
    for ``FEATURE_X=true``); a condition on a key left out decides nothing."""
    key, sep, wanted = condition.partition("=")
    if not sep or key.endswith("!") or not wanted.strip():
        return False
    return bool(values.get(key.strip(), "").strip()) and not condition_holds(condition, values)


def switched_off(key: str, values: Mapping[str, str]) -> str | None:
    """The switch that turns off the feature ``key`` belongs to, if the values turn it off."""
    if "_" not in key:
        return None
    for word in sorted(_feature_words(key)):
        for switch in (
            f"{word}_ENABLED",
            f"{word}_ENABLE",
            f"ENABLE_{word}",
            f"FEATURE_{word}",
            f"USE_{word}",
            f"{word}_ON",
        ):
            value = values.get(switch)
            if value is not None and value.strip() and is_off(value) and switch != key:
                return switch
    return None
