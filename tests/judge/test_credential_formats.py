"""Provider formats, JWT claims, nesting bounds and provider secrets of a fixed shape."""

from __future__ import annotations

import pytest
from secret_samples import ANON, DEMO_SERVICE, SERVICE, jwt

from envguard.judge.formats import identify, jwt_claims, loads_bounded, nesting, provider_shape


@pytest.mark.parametrize(
    ("value", "label", "kind", "test"),
    [
        ("AKIA" + "Z7Q2" * 4, "an AWS access key id", "identifier", False),
        ("sk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe live secret key", "secret", False),
        ("rk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe live restricted key", "secret", False),
        ("sk_test_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe test-mode secret key", "secret", True),
        ("pk_test_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe test-mode publishable key", "public", True),
        ("pk_live_51HxAbCdEfGhIjKlMnOpQrStUv", "a Stripe publishable key", "public", False),
        ("ghp_" + "a1B2" * 9, "a GitHub token", "secret", False),
        ("github_pat_11ABCDEFG0" + "x9Y8" * 12, "a GitHub fine-grained token", "secret", False),
        (
            "https://hooks.slack.com/services/T00000000/B00000000/" + "Xy9" * 8,
            "a Slack webhook URL",
            "secret",
            False,
        ),
        ("sk-ant-api03-" + "Ab3_" * 20, "an Anthropic API key", "secret", False),
        ("sk-proj-" + "Ab3d" * 12, "an OpenAI API key", "secret", False),
        ("sk-" + "Ab3d" * 12, "an OpenAI API key", "secret", False),
        ("SG." + "Ab3d" * 6 + "." + "Xy9z" * 11, "a SendGrid API key", "secret", False),
        ("AC" + "0f" * 16, "a Twilio account SID", "identifier", False),
        ("SK" + "0f" * 16, "a Twilio API key SID", "identifier", False),
        ("7012345678:AAH" + "k3Lm" * 8, "a Telegram bot token", "secret", False),
        (
            "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----",
            "a private key",
            "secret",
            False,
        ),
        (SERVICE, "a Supabase service-role key", "secret", False),
        (ANON, "a Supabase anon key", "public", False),
        (DEMO_SERVICE, "the Supabase local-development demo key", "public", True),
    ],
)
def test_identify(value: str, label: str, kind: str, test: bool) -> None:
    token = identify(value)
    assert token is not None
    assert (token.label, token.kind, token.test) == (label, kind, test)


@pytest.mark.parametrize(
    "value",
    [
        "AKIA_YOUR_KEY_HERE",
        "sk-ant-YOUR_API_KEY_HERE",
        "1234567890:AAAA-your-client-bot-token",
        "hello",
        "https://sentry.io/1",
        "eyJhbGciOiJIUzI1NiJ9.not-json.x",
    ],
)
def test_identify_ignores_ordinary_values(value: str) -> None:
    assert identify(value) is None


def test_jwt_claims_are_read_without_verifying() -> None:
    assert jwt_claims(SERVICE) == {
        "iss": "supabase",
        "ref": "abcdefghijklmnop",
        "role": "service_role",
        "iat": 1700000000,
    }
    assert jwt_claims("not.a.jwt") is None
    admin = identify(jwt({"sub": "42", "admin": True}))
    assert admin is not None and admin.privileged


def test_deep_json_is_not_decoded() -> None:
    deep = "[" * 1000 + "]" * 1000
    assert nesting(deep) == 1000 and loads_bounded(deep) is None
    assert loads_bounded('{"a": [1, {"b": "[[["}]}') == {"a": [1, {"b": "[[["}]}
    import base64

    payload = (
        base64.urlsafe_b64encode(('{"a":' + "[" * 1000 + "]" * 1000 + "}").encode()).decode().rstrip("=")
    )
    assert jwt_claims(f"eyJhbGciOiJIUzI1NiJ9.{'eyJ' + payload[3:]}.sig") is None


@pytest.mark.parametrize(
    ("key", "value", "shaped"),
    [
        ("PUSHER_APP_SECRET", "3f8a9c1e2b7d4f6a8c0e", True),
        ("PUSHER_APP_KEY", "a1b2c3d4e5f6a7b8c9d0", True),
        ("REVERB_APP_SECRET", "kq3v9zx8m2p4w7r1t6y0", True),
        ("SLACK_SIGNING_SECRET", "0f" * 16, True),
        ("RECAPTCHA_SECRET_KEY", "6Lc" + "A1b2C3d4E5" * 3 + "f6G7h8i", True),
        ("FACEBOOK_APP_SECRET", "9e" * 16, True),
        ("ALGOLIA_ADMIN_KEY", "ab" * 16, True),
        ("MAILGUN_SECRET", "key-" + "0a" * 16, True),
        ("APP_SECRET", "c4" * 16, True),
        ("PUSHER_APP_SECRET", "short", False),
        ("PUSHER_APP_SECRET", "3F8A9C1E2B7D4F6A8C0E", False),
        ("JWT_SECRET", "3f8a9c1e2b7d4f6a8c0e", False),
        ("RECAPTCHA_SECRET_KEY", "6Lc-too-short", False),
        ("SLACK_SIGNING_SECRET", "not hex at all, not 32", False),
        ("APP_SECRET", "ThisTokenIsNotSoSecret", False),
        ("SESSION_SECRET", "c4" * 16, False),
        ("MAILGUN_SECRET", "your-mailgun-key", False),
    ],
)
def test_provider_shapes(key: str, value: str, shaped: bool) -> None:
    assert (provider_shape(key, value) is not None) is shaped
