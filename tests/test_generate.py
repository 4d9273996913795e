"""``envguard generate`` and the generators ``fix`` uses: shapes, strength, and which kind a key gets."""

from __future__ import annotations

import base64
import re
import shlex
import string
from pathlib import Path

import pytest

from envguard import catalog, envfile, generate, lint
from envguard import schema as schemas
from envguard.cli import main
from envguard.findings import Category, Environment


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``envguard ARGS`` in-process: exit code, stdout, stderr."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


SHAPES = [
    ("hex:16", lambda v: re.fullmatch(r"[0-9a-f]{32}", v)),
    ("hex:32", lambda v: re.fullmatch(r"[0-9a-f]{64}", v)),
    ("hex", lambda v: re.fullmatch(r"[0-9a-f]{64}", v)),
    ("base64:32", lambda v: len(base64.b64decode(v, validate=True)) == 32),
    ("base64:24", lambda v: len(base64.b64decode(v, validate=True)) == 24),
    ("urlsafe:48", lambda v: re.fullmatch(r"[A-Za-z0-9_-]+", v) and len(_b64(v)) == 48),
    ("laravel-key", lambda v: v.startswith("base64:") and len(base64.b64decode(v[7:], validate=True)) == 32),
    ("django-key", lambda v: len(v) == 50 and set(v) <= set(generate.DJANGO_ALPHABET)),
    ("jwt-secret", lambda v: re.fullmatch(r"[A-Za-z0-9_-]+", v) and len(_b64(v)) >= 64),
]


@pytest.mark.parametrize(("kind", "shaped"), SHAPES, ids=[k for k, _ in SHAPES])
def test_each_kind_has_its_shape_and_is_fresh(kind: str, shaped: object) -> None:
    values = {generate.strong(kind) for _ in range(20)}
    assert len(values) == 20
    assert all(shaped(v) for v in values)  # type: ignore[operator]


def test_password_is_long_mixed_and_needs_no_quoting() -> None:
    for _ in range(200):
        value = generate.strong("password")
        assert len(value) >= 40
        assert value[0].isalnum()
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits, "-_."):
            assert any(c in group for c in value)
        assert shlex.quote(value) == value  # shell-safe
        assert envfile.quote(value) == value  # dotenv-safe, bare
        assert not set(value) & set("@:/%?#")  # URL-safe inside a DATABASE_URL


@pytest.mark.parametrize("kind", [k for k, _ in SHAPES])
def test_generated_values_pass_the_weak_secret_rules(kind: str, tmp_path: Path) -> None:
    """What fix writes must satisfy check: no weak-secret finding for any kind, as the schema names it."""
    schema_file = tmp_path / "schema.toml"
    schema_file.write_text(
        f'[schema]\nname = "t"\n[vars.APP_SIGNING_SECRET]\nsecret = true\ngenerate = "{kind}"\n'
    )
    env = tmp_path / ".env.production"
    for _ in range(10):
        env.write_text(f"APP_SIGNING_SECRET={envfile.quote(generate.strong(kind))}\n")
        request = lint.Request(paths=(env,), schema=str(schema_file), env=Environment.PRODUCTION)
        found = lint.lint(request).findings
        assert [f.code for f in found if f.category is Category.WEAK_SECRET] == []


def test_every_builtin_schema_names_a_known_kind() -> None:
    for name in catalog.builtin_names():
        loaded = catalog.load(name)
        for spec in [*loaded.vars.values(), *loaded.globs]:
            if spec.generate:
                assert generate.strong(spec.generate), (name, spec.name)


KINDS_FOR = [
    ("facturino", "APP_KEY", "base64:YOUR_ACTUAL_APP_KEY_HERE", "laravel-key"),
    ("facturino", "DB_PASSWORD", "YOUR_SECURE_PASSWORD_HERE", "password"),
    ("facturino", "REDIS_PASSWORD", "YOUR_REDIS_PASSWORD", "password"),
    ("facturino", "MAIL_PASSWORD", "YOUR_SMTP_PASSWORD", None),
    ("facturino", "CLAUDE_API_KEY", "sk-ant-YOUR_API_KEY_HERE", None),
    ("facturino", "AWS_SECRET_ACCESS_KEY", "YOUR_SECRET_KEY_HERE", None),
    ("django", "SECRET_KEY", "change-me", "django-key"),
    ("loyalty-system", "SECRET_KEY", "your_super_secret_key_32_chars_min", "urlsafe:32"),
    ("loyalty-system", "TELEGRAM_TOKEN_CLIENT", "1234567890:AAAA-your-client-bot-token", None),
    ("beauty-platform", "JWT_REFRESH_SECRET", "", "jwt-secret"),
    ("beauty-platform", "TELEGRAM_BOT_TOKEN", "your_bot_token", None),
    ("malar-ledger", "TWILIO_AUTH_TOKEN", "your-twilio-auth-token", None),
    (None, "APP_KEY", "base64:c2hvcnQ=", "laravel-key"),
    (None, "SECRET_KEY", "django-insecure-abc", "django-key"),
    (None, "AUTH_JWT_SECRET", "secret", "jwt-secret"),
    (None, "ADMIN_PASSWORD", "admin123", "password"),
    (None, "SESSION_SECRET", "keyboard cat", "hex:32"),
    (None, "ENCRYPTION_KEY", "changeme", "hex:32"),
    (None, "STRIPE_SECRET_KEY", "sk_test_xxx", None),
    (None, "GITHUB_CLIENT_SECRET", "changeme", None),
    (None, "SMTP_PASSWORD", "changeme", None),
    (None, "RSA_PRIVATE_KEY", "changeme", None),
    (None, "ANY_TOKEN", "changeme", None),
]


@pytest.mark.parametrize(("schema", "key", "value", "kind"), KINDS_FOR)
def test_kind_for_a_variable(schema: str | None, key: str, value: str, kind: str | None) -> None:
    loaded = catalog.load(schema) if schema else schemas.GENERIC
    assert generate.kind_for(loaded, key, value) == kind


def test_cli_prints_one_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "generate", "laravel-key")
    assert code == 0 and err == ""
    assert re.fullmatch(r"base64:[A-Za-z0-9+/]{43}=\n", out)


@pytest.mark.parametrize("kind", ["nope", "hex:4", "hex:abc", "password:12", "base64:99999"])
def test_cli_refuses_an_unknown_kind_in_one_line(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "generate", kind)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    if kind in ("nope", "password:12"):
        assert "hex:N, base64:N, urlsafe:N, password, laravel-key, django-key, jwt-secret" in err
