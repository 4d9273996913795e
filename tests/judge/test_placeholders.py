"""Placeholders: one detector for secrets and non-secrets, in the languages templates use."""

from __future__ import annotations

import base64
import random

import pytest

from envguard.judge.placeholders import is_placeholder, words

PLACEHOLDERS = [
    "YOUR_SECURE_PASSWORD_HERE",
    "your-jwt-secret-key-change-this",
    "change-this-in-production",
    "your-super-secret-key-change-this-in-production",
    "GENERATED_KEY_HERE",
    "STRONG_PASSWORD_HERE",
    "sk-ant-YOUR_API_KEY_HERE",
    "AKIA_YOUR_KEY_HERE",
    "1234567890:AAAA-your-client-bot-token",
    "changeme",
    "CHANGE_ME",
    "changeMe",
    "xxxxxxxxxxxx",
    "sk_live_xxxxxxxxxxxxxxxx",
    "<your-api-key>",
    "<secret>",
    "base64:YOUR_ACTUAL_APP_KEY_HERE",
    "YOUR_SMTP_PASSWORD",
    "your_bot_token",
    "replace-with-a-real-key",
    "{{ JWT_SECRET }}",
    "[YOUR-KEY]",
    "********",
    "sk-...",
    "SECRET_KEY",
    "placeholder",
    "dummy-token",
    "changeRunnerAuthToken",
    "YOUR_PUBLIC_KEY_HERE",
    "!!!SET X!!!",
    "REPLACE_BACKEND_DOMAIN",
    "!!changeme!!",
    "app-specific-password",
    "database_user_password",
    "this_password_is_insecure_and_should_be_updated",
    "secure_password",
    "long-and-random-string",
    "generate-with-openssl-rand-base64-32",
    "put_your_token_here",
    "your_chat_id",
    "your-email@gmail.com",
    "https://your-sentry-dsn@sentry.io/project-id",
    "tu_clave_secreta_aqui",
    "cambiar_esta_clave",
    "sua_senha_aqui",
    "altere-esta-senha",
    "votre_mot_de_passe",
    "changez-moi",
    "dein_passwort_hier",
    "ändern-sie-das",
    "ваш_пароль",
    "замените_на_свой_токен",
    "змініть_цей_пароль",
    "токен_тут",
    "CHANGE_THIS_TO_A_RANDOM_STRING",
    "not-set",
    "TODO",
    "fixme",
    "example",
    "ihre-firma-gmbh",
]
NOT_PLACEHOLDERS = [
    "3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54",
    "base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=",
    "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv",
    "vX3q-9LmTz2r-Wk7pFb4",
    "${DB_PASSWORD}",
    "keyboard cat",
    "P@ssw0rd",
    "finance_prod_user",
    "Rj8#tQ1v!Ze5mW9c",
    "smtp.postmarkapp.com",
    "SecurePassword123!",
    "super-secure-password-123",
    "Summer2024",
    "asdsadsad",
    "correct-horse-battery-staple",
    "app_database",
    "app_user",
    "Acme Store",
    "Update Service",
    "redis",
    "database",
    "production",
    "smtp",
    "laravel_session",
    "app_token_store",
    "ops@facturino.mk",
    "https://facturino.mk",
    "Finance Tracker",
    "Малар Маркет",
    "Фінансовий трекер",
    "tuesday_backup",
    "suspend",
    "herecomestheSun42",
    "q8Zr2xxxxWb71LmA9cD3",
    "<a@b.com>",
    "Name <ops@facturino.mk>",
    "[x]",
    "secret_sauce_recipes",
    "my-app",
    "hierarchy",
    "insertion-sort",
    "change_log",
    "setting",
    "ensemble",
    "Europe/Kyiv",
    "en_US.UTF-8",
    "debug,info",
    "key_value_store",
    "api-gateway",
    "token-bucket",
    "my_company",
    "xTbdQ9rFakeW2LmTodoP",
    "k3FakeZ8",
    "tu-berlin",
    "votre",
    "aqui",
    "Пароль123Надежный",
    "secret-santa-2024-gift-list",
    "ssh-ed25519",
    "postgres",
    "admin",
    "7d",
    "PT15M",
    "us-east-1",
    "noreply@facturino.mk",
]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize("value", NOT_PLACEHOLDERS)
def test_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


def test_the_tables_are_balanced() -> None:
    assert len(NOT_PLACEHOLDERS) >= len(PLACEHOLDERS)


def test_random_values_are_never_placeholders() -> None:
    rng = random.Random(20261122)  # seeded: a failure must reproduce
    for _ in range(3000):
        raw = rng.randbytes(32)
        for value in (
            base64.urlsafe_b64encode(raw).decode().rstrip("="),
            raw.hex(),
            base64.b64encode(raw[:16]).decode(),
            base64.urlsafe_b64encode(raw[:16]).decode(),
        ):
            assert not is_placeholder(value), value


def test_generated_passwords_are_never_placeholders() -> None:
    rng = random.Random(18)
    for _ in range(3000):
        value = base64.urlsafe_b64encode(rng.randbytes(18)).decode()
        assert not is_placeholder(value), value
        assert not is_placeholder(base64.b64encode(rng.randbytes(24)).decode()), value


def test_words_split_case_styles() -> None:
    assert words("changeRunnerAuthToken") == ["change", "runner", "auth", "token"]
    assert words("YOUR_PUBLIC_KEY_HERE") == ["your", "public", "key", "here"]
    assert words("ваш_пароль-тут") == ["ваш", "пароль", "тут"]
    assert words("HTTPServer2") == ["httpserver2"]
    assert words("suVHdv2x4X33") == ["suvhdv2x4x33"]
