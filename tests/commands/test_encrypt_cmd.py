"""``envguard keypair``, ``encrypt`` and ``decrypt`` on real files."""

from __future__ import annotations

import stat
from pathlib import Path

from conftest import RunEnvguard

from envguard import envfile

SOURCE = """\
# production settings
export APP_NAME='shop'

DATABASE_URL=postgres://u:p@db.internal:5432/shop  # primary
SECRET_KEY="a b#c=d"
PORT_PLAIN=8080
MULTI="one
two"
EMPTY=
"""
VALUES = envfile.parse_text(SOURCE).values()


def _write(tmp_path: Path, text: str = SOURCE, name: str = ".env.production") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_keypair_writes_public_key_and_private_key_file(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = _write(tmp_path)
    code, out, err = run_envguard("keypair", "-f", ".env.production")
    assert code == 0 and out == ""
    assert "DOTENV_PUBLIC_KEY_PRODUCTION" in err and ".env.keys" in err
    values = envfile.read(path).values()
    assert len(values["DOTENV_PUBLIC_KEY_PRODUCTION"]) == 66
    assert path.read_text().endswith(SOURCE)
    keys_file = tmp_path / ".env.keys"
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    assert "DO NOT commit" in keys_file.read_text()
    private = envfile.read(keys_file).values()["DOTENV_PRIVATE_KEY_PRODUCTION"]
    assert private not in err


def test_keypair_refuses_a_second_pair(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    _write(tmp_path)
    assert run_envguard("keypair", "-f", ".env.production")[0] == 0
    code, _out, err = run_envguard("keypair", "-f", ".env.production")
    assert code == 2 and "already has DOTENV_PUBLIC_KEY_PRODUCTION" in err


def test_keypair_shows_the_private_key_only_when_asked(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    code, out, _err = run_envguard("keypair", "--show-private")
    assert code == 0
    private = envfile.read(tmp_path / ".env.keys").values()["DOTENV_PRIVATE_KEY"]
    assert out == f"DOTENV_PRIVATE_KEY={private}\n"
    assert (tmp_path / ".env").is_file()


def test_encrypt_keeps_layout_and_plain_keys_then_decrypt_restores(
    tmp_path: Path, run_envguard: RunEnvguard
) -> None:
    path = _write(tmp_path)
    path.chmod(0o640)
    code, out, err = run_envguard("encrypt", ".env.production")
    assert (code, out) == (0, "") and "encrypted 5 value(s)" in err
    encrypted = envfile.read(path)
    lines = path.read_text().splitlines()
    assert "# production settings" in lines and "PORT_PLAIN=8080" in lines
    assert any(line.endswith("  # primary") for line in lines)
    assert [r.key for r in encrypted.entries()][1:] == list(VALUES)
    for key, value in encrypted.values().items():
        assert value.startswith("encrypted:") != (key in ("PORT_PLAIN",) or key.startswith("DOTENV"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    assert run_envguard("decrypt", ".env.production")[0] == 0
    decrypted = envfile.read(path).values()
    assert {k: v for k, v in decrypted.items() if not k.startswith("DOTENV")} == VALUES
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_encrypting_twice_changes_nothing(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = _write(tmp_path)
    run_envguard("encrypt", ".env.production")
    before = path.read_bytes()
    code, _out, err = run_envguard("encrypt", ".env.production")
    assert code == 0 and "encrypted 0 value(s)" in err
    assert path.read_bytes() == before


def test_encrypt_only_selected_keys(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = _write(tmp_path)
    assert run_envguard("encrypt", ".env.production", "-k", "SECRET_*", "-k", "DATABASE_URL")[0] == 0
    values = envfile.read(path).values()
    assert values["SECRET_KEY"].startswith("encrypted:")
    assert values["DATABASE_URL"].startswith("encrypted:")
    assert values["APP_NAME"] == "shop" and values["MULTI"] == "one\ntwo"


def test_encrypt_keeps_crlf_and_bom(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = tmp_path / ".env"
    path.write_bytes("\ufeffA=1\r\nB=two words\r\n".encode())
    assert run_envguard("encrypt", ".env")[0] == 0
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\n" not in data.replace(b"\r\n", b"")
    assert run_envguard("decrypt", ".env")[0] == 0
    assert envfile.read(path).values()["B"] == "two words"


def test_decrypt_failures_leave_the_file_untouched(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = _write(tmp_path)
    run_envguard("encrypt", ".env.production")
    sealed = path.read_bytes()
    keys_file = tmp_path / ".env.keys"
    real_keys = keys_file.read_text()

    keys_file.unlink()
    code, out, err = run_envguard("decrypt", ".env.production")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no private key" in err and ".env.production" in err
    assert "cannot decrypt APP_NAME" in err  # the first encrypted key is named

    keys_file.write_text("DOTENV_PRIVATE_KEY_PRODUCTION=" + "11" * 32 + "\n")
    code, _out, err = run_envguard("decrypt", ".env.production")
    assert code == 2 and "wrong private key" in err and err.count("\n") == 1

    keys_file.write_text(real_keys)
    text = sealed.decode()
    start = text.index('SECRET_KEY="encrypted:') + len('SECRET_KEY="encrypted:')
    path.write_text(text[:start] + "!!" + text[start + 2 :])
    broken = path.read_bytes()
    code, _out, err = run_envguard("decrypt", ".env.production")
    assert code == 2 and "cannot decrypt SECRET_KEY" in err and "corrupted" in err
    assert path.read_bytes() == broken

    path.write_bytes(sealed)
    assert run_envguard("decrypt", ".env.production")[0] == 0


def test_encrypt_missing_file(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    code, _out, err = run_envguard("encrypt", "nope.env")
    assert code == 2 and "nope.env: no such file" in err
    assert not (tmp_path / "nope.env").exists()


def test_invalid_public_key_names_the_file(tmp_path: Path, run_envguard: RunEnvguard) -> None:
    path = _write(tmp_path, 'DOTENV_PUBLIC_KEY_PRODUCTION="02zz"\nA=1\n')
    code, _out, err = run_envguard("encrypt", ".env.production")
    assert code == 2 and ".env.production: DOTENV_PUBLIC_KEY_PRODUCTION is not a valid public key" in err
    assert path.read_text() == 'DOTENV_PUBLIC_KEY_PRODUCTION="02zz"\nA=1\n'


def test_check_with_a_wrong_key_or_a_corrupted_value_is_exit_2_never_no_problems(
    tmp_path: Path, run_envguard: RunEnvguard
) -> None:
    path = _write(tmp_path, "SECRET_KEY=changeme\nAPP_DEBUG=true\n")
    assert run_envguard("encrypt", ".env.production")[0] == 0
    keys_file = tmp_path / ".env.keys"
    real_keys = keys_file.read_text()
    assert run_envguard("check", ".env.production")[0] == 1  # the right key: the values are judged

    keys_file.write_text("DOTENV_PRIVATE_KEY_PRODUCTION=" + "11" * 32 + "\n")
    code, out, err = run_envguard("check", ".env.production")
    assert (code, out) == (2, "") and "No problems" not in err
    assert err.count("\n") == 1 and "wrong private key" in err

    keys_file.write_text(real_keys)
    text = path.read_text()
    start = text.index('SECRET_KEY="encrypted:') + len('SECRET_KEY="encrypted:')
    path.write_text(text[:start] + "AAAA" + text[start + 4 :])
    code, out, err = run_envguard("check", ".env.production")
    assert (code, out) == (2, "") and "cannot decrypt SECRET_KEY" in err and "corrupted" in err
