"""Features switched off in the same file: a placeholder for a feature the app does not use is
left for later, not a mistake that breaks production.

A key belongs to the feature its first word names (``SMTP_PASSWORD`` to ``SMTP``); mail keys share
one feature whichever word they start with (``EMAIL``, ``MAIL``, ``SMTP``). The feature is off when
the file says so: ``EMAIL_ENABLED=false``, ``ENABLE_EMAIL=0``, ``FEATURE_SMTP=off``,
``USE_MAIL=no``.
"""

from __future__ import annotations

from collections.abc import Mapping

from envguard.judge.values import is_off

_SYNONYMS = (frozenset({"EMAIL", "MAIL", "SMTP", "MAILER", "MAILGUN", "SENDGRID", "POSTMARK"}),
             frozenset({"SMS", "TWILIO"}), frozenset({"S3", "AWS", "STORAGE"}))


def _feature_words(key: str) -> frozenset[str]:
    head = key.upper().split("_", 1)[0]
    for group in _SYNONYMS:
        if head in group:
            return group
    return frozenset({head})


def switched_off(key: str, values: Mapping[str, str]) -> str | None:
    """The switch that turns off the feature ``key`` belongs to, if the values turn it off."""
    if "_" not in key:
        return None
    for word in sorted(_feature_words(key)):
        for switch in (f"{word}_ENABLED", f"{word}_ENABLE", f"ENABLE_{word}", f"FEATURE_{word}",
                       f"USE_{word}", f"{word}_ON"):
            value = values.get(switch)
            if value is not None and value.strip() and is_off(value) and switch != key:
                return switch
    return None
