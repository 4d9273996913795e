"""Key names, private key lookup, .env.keys, and opening a file's values."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from envguard import crypto, envfile, keys
from envguard.errors import CryptoError


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        (".env", None),
        (".env.production", "PRODUCTION"),
        (".env.Staging", "STAGING"),
        (".env.production.local", "PRODUCTION_LOCAL"),
        (".env.a.b.c", "A_B"),
        (".env.ci.txt", "CI"),
        (".env1", "DEVELOPMENT1"),
    ],
)
def test_environment_suffix_follows_dotenvx(name: str, suffix: str | None) -> None:
    assert keys.environment_suffix(Path("app") / name) == suffix


def test_key_names_from_file_name(tmp_path: Path) -> None:
    plain = envfile.parse_text("A=1\n", tmp_path / ".env")
    prod = envfile.parse_text("A=1\n", tmp_path / ".env.production")
    assert keys.key_names(plain) == keys.KeyNames("DOTENV_PUBLIC_KEY", "DOTENV_PRIVATE_KEY")
    assert keys.key_names(prod).private == "DOTENV_PRIVATE_KEY_PRODUCTION"


def test_a_public_key_in_the_file_wins(tmp_path: Path) -> None:
    file = envfile.parse_text('DOTENV_PUBLIC_KEY_CI="02ab"\nA=1\n', tmp_path / ".env.production")
    assert keys.key_names(file) == keys.KeyNames("DOTENV_PUBLIC_KEY_CI", "DOTENV_PRIVATE_KEY_CI")
    assert keys.public_key(file) == "02ab"


def _sealed_file(tmp_path: Path, value: str = "s3cret") -> tuple[envfile.EnvFile, crypto.Keypair]:
    pair = crypto.generate_keypair()
    text = f'DOTENV_PUBLIC_KEY_PRODUCTION="{pair.public_key}"\n'
    text += f'TOKEN="{crypto.encrypt_value(pair.public_key, value)}"\nPLAIN=yes\n'
    path = tmp_path / ".env.production"
    path.write_text(text)
    return envfile.read(path), pair


def test_environment_first_then_keys_file(tmp_path: Path) -> None:
    file, pair = _sealed_file(tmp_path)
    keys.store_private_key(tmp_path / ".env.keys", "DOTENV_PRIVATE_KEY_PRODUCTION", "aa" * 32, "x")
    found = keys.candidates(file, {"DOTENV_PRIVATE_KEY_PRODUCTION": pair.private_key})
    assert [c.secret for c in found] == [pair.private_key, "aa" * 32]
    assert found[0].source == "DOTENV_PRIVATE_KEY_PRODUCTION from the environment"
    assert pair.private_key not in repr(found)


def test_comma_separated_keys_are_tried_in_turn(tmp_path: Path) -> None:
    file, pair = _sealed_file(tmp_path)
    wrong = crypto.generate_keypair().private_key
    environ = {"DOTENV_PRIVATE_KEY_PRODUCTION": f"{wrong}, {pair.private_key}"}
    assert keys.Opener.for_file(file, environ).values() == {
        "DOTENV_PUBLIC_KEY_PRODUCTION": pair.public_key,
        "TOKEN": "s3cret",
        "PLAIN": "yes",
    }


def test_generic_private_key_is_tried_too(tmp_path: Path) -> None:
    file, pair = _sealed_file(tmp_path)
    opener = keys.Opener.for_file(file, {"DOTENV_PRIVATE_KEY": pair.private_key})
    assert opener.open("TOKEN", file.values()["TOKEN"]) == "s3cret"


def test_missing_key_names_key_and_file(tmp_path: Path) -> None:
    file, _pair = _sealed_file(tmp_path)
    with pytest.raises(CryptoError, match=r"cannot decrypt TOKEN in .*\.env\.production: no private"):
        keys.Opener.for_file(file, {}).values()


def test_wrong_key_message(tmp_path: Path) -> None:
    file, _pair = _sealed_file(tmp_path)
    wrong = crypto.generate_keypair().private_key
    with pytest.raises(CryptoError, match="wrong private key") as caught:
        keys.Opener.for_file(file, {"DOTENV_PRIVATE_KEY_PRODUCTION": wrong}).values()
    assert wrong not in str(caught.value) and "s3cret" not in str(caught.value)


def test_altered_value_with_the_right_key_is_called_corrupted(tmp_path: Path) -> None:
    file, pair = _sealed_file(tmp_path)
    sealed = file.values()["TOKEN"]
    altered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    opener = keys.Opener.for_file(file, {"DOTENV_PRIVATE_KEY_PRODUCTION": pair.private_key})
    with pytest.raises(CryptoError, match="corrupted ciphertext"):
        opener.open("TOKEN", altered)


def test_invalid_key_message(tmp_path: Path) -> None:
    file, _pair = _sealed_file(tmp_path)
    with pytest.raises(CryptoError, match="is not a valid private key"):
        keys.Opener.for_file(file, {"DOTENV_PRIVATE_KEY_PRODUCTION": "nothex"}).values()


def test_keys_file_is_created_private_with_a_header(tmp_path: Path) -> None:
    target = tmp_path / ".env.keys"
    keys.store_private_key(target, "DOTENV_PRIVATE_KEY", "ab" * 32, ".env")
    keys.store_private_key(target, "DOTENV_PRIVATE_KEY_PRODUCTION", "cd" * 32, ".env.production")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    assert "DO NOT commit" in text.splitlines()[1]
    assert envfile.read(target).values() == {
        "DOTENV_PRIVATE_KEY": "ab" * 32,
        "DOTENV_PRIVATE_KEY_PRODUCTION": "cd" * 32,
    }
    with pytest.raises(CryptoError, match="already holds DOTENV_PRIVATE_KEY"):
        keys.store_private_key(target, "DOTENV_PRIVATE_KEY", "ef" * 32, ".env")


def test_with_public_key_prepends_the_header(tmp_path: Path) -> None:
    file = envfile.parse_text("# app\nA=1\n", tmp_path / ".env")
    text = keys.with_public_key(file, "DOTENV_PUBLIC_KEY", "02ab").render()
    assert text.endswith('DOTENV_PUBLIC_KEY="02ab"\n\n# app\nA=1\n')
    assert text.startswith("#/---")
    empty = envfile.parse_text("", tmp_path / ".env")
    assert keys.with_public_key(empty, "DOTENV_PUBLIC_KEY", "02ab").render().endswith('"02ab"\n')
