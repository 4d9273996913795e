"""Features switched off in the same file."""

from __future__ import annotations

import pytest

from envguard.judge.features import switched_off


@pytest.mark.parametrize(
    ("key", "values", "switch"),
    [
        ("SMTP_PASSWORD", {"EMAIL_ENABLED": "false"}, "EMAIL_ENABLED"),
        ("MAIL_PASSWORD", {"ENABLE_EMAIL": "0"}, "ENABLE_EMAIL"),
        ("TWILIO_AUTH_TOKEN", {"SMS_ENABLED": "off"}, "SMS_ENABLED"),
        ("SENTRY_DSN", {"SENTRY_ENABLED": "false"}, "SENTRY_ENABLED"),
        ("STRIPE_SECRET_KEY", {"FEATURE_STRIPE": "no"}, "FEATURE_STRIPE"),
        ("SMTP_PASSWORD", {"EMAIL_ENABLED": "true"}, None),
        ("SMTP_PASSWORD", {"EMAIL_ENABLED": ""}, None),
        ("SMTP_PASSWORD", {}, None),
        ("STRIPE_SECRET_KEY", {"EMAIL_ENABLED": "false"}, None),
        ("EMAIL_ENABLED", {"EMAIL_ENABLED": "false"}, None),
        ("PASSWORD", {"PASSWORD_ENABLED": "false"}, None),
    ],
)
def test_switched_off(key: str, values: dict[str, str], switch: str | None) -> None:
    assert switched_off(key, values) == switch
