"""``check`` on encrypted files: values opened in memory, the EG31x rules, the git-ignore probe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from envguard import crypto, encrypted, envfile, sources
from envguard.errors import CryptoError
from envguard.findings import Environment
from envguard.model import Context
from envguard.rules import RULES
from envguard.rules.base import DOC_SECTIONS
from envguard.rules.leak.encryption import (
    PlaintextBesideEncrypted,
    PlaintextInEncryptedFile,
    PrivateKeyInEnvFile,
    PrivateKeysCommittable,
)
from envguard.schema import GENERIC

PAIR = crypto.generate_keypair()
OURS = (PlaintextBesideEncrypted, PlaintextInEncryptedFile, PrivateKeysCommittable, PrivateKeyInEnvFile)


def _seal(value: str) -> str:
    return '"' + crypto.encrypt_value(PAIR.public_key, value) + '"'


def _context(path: Path, text: str, env: Environment = Environment.PRODUCTION) -> Context:
    path.write_text(text)
    return sources.file_context(envfile.read(path), env, GENERIC, path.name)


def _codes(ctx: Context, rule: type) -> list[tuple[str | None, str]]:
    return [(f.key, f.severity.value) for f in rule().check(ctx)]


@pytest.fixture(autouse=True)
def _no_keys_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DOTENV_PRIVATE_KEY"):
            monkeypatch.delenv(name)


def test_rules_are_registered_and_documented() -> None:
    for rule in OURS:
        assert rule in RULES and "EG310" <= rule.code <= "EG319"
        assert all(section in rule.doc() for section in DOC_SECTIONS), rule.name


def test_values_are_opened_in_memory_with_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = f'DOTENV_PUBLIC_KEY_PRODUCTION="{PAIR.public_key}"\nSECRET_KEY={_seal("changeme")}\n'
    monkeypatch.setenv("DOTENV_PRIVATE_KEY_PRODUCTION", PAIR.private_key)
    ctx = _context(tmp_path / ".env.production", text)
    secret = ctx.last["SECRET_KEY"]
    assert (secret.value, secret.encrypted, ctx.notes) == ("changeme", True, [])
    assert "encrypted:" in (tmp_path / ".env.production").read_text()  # the file is untouched


def test_without_a_key_values_stay_unread_and_a_note_says_so(tmp_path: Path) -> None:
    a = _context(tmp_path / ".env.production", f"SECRET_KEY={_seal('x')}\nPLAIN=1\n")
    b = _context(tmp_path / ".env.staging", f"TOKEN={_seal('y')}\n")
    assert a.last["SECRET_KEY"].value is None and a.last["PLAIN"].value == "1"
    assert a.notes == b.notes == [encrypted.NO_KEY_NOTE]  # same text: printed once per run
    assert "x" not in a.values.values()


def test_wrong_key_is_an_input_error_not_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a note and "No problems found" would hide every encrypted value's problems (exit 2 instead)
    monkeypatch.setenv("DOTENV_PRIVATE_KEY_PRODUCTION", crypto.generate_keypair().private_key)
    with pytest.raises(CryptoError, match=r"cannot decrypt SECRET_KEY .*wrong private key"):
        _context(tmp_path / ".env.production", f"SECRET_KEY={_seal('x')}\n")


def test_plaintext_beside_encrypted(tmp_path: Path) -> None:
    ctx = _context(tmp_path / ".env.production", f"TOKEN={_seal('a')}\nTOKEN=plain\nOTHER=1\n")
    assert _codes(ctx, PlaintextBesideEncrypted) == [("TOKEN", "error")]
    dev = _context(
        tmp_path / ".env.development", f"TOKEN={_seal('a')}\nTOKEN=plain\n", Environment.DEVELOPMENT
    )
    assert _codes(dev, PlaintextBesideEncrypted) == [("TOKEN", "warning")]


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        ("REDIS_PASSWORD=hunter2", True),
        ("LOG_LEVEL_PLAIN=info", False),
        ("EMPTY=", False),
        ("SEALED=" + _seal("v"), False),
    ],
)
def test_plaintext_in_encrypted_file(tmp_path: Path, line: str, flagged: bool) -> None:
    text = f'DOTENV_PUBLIC_KEY_PRODUCTION="{PAIR.public_key}"\n{line}\n'
    ctx = _context(tmp_path / ".env.production", text)
    assert bool(_codes(ctx, PlaintextInEncryptedFile)) is flagged
    unencrypted = _context(tmp_path / ".env", f"{line}\n")
    assert _codes(unencrypted, PlaintextInEncryptedFile) == []


def test_private_key_in_env_file(tmp_path: Path) -> None:
    ctx = _context(tmp_path / ".env", f"DOTENV_PRIVATE_KEY_PRODUCTION={PAIR.private_key}\nA=1\n")
    assert _codes(ctx, PrivateKeyInEnvFile) == [("DOTENV_PRIVATE_KEY_PRODUCTION", "error")]
    live = sources.mapping_context(
        {"DOTENV_PRIVATE_KEY": PAIR.private_key}, Environment.PRODUCTION, GENERIC, "env:"
    )
    assert _codes(live, PrivateKeyInEnvFile) == []  # CI is meant to hold it in its environment


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_keys_file_that_git_would_commit(tmp_path: Path) -> None:
    (tmp_path / ".env.keys").write_text(f"DOTENV_PRIVATE_KEY={PAIR.private_key}\n")
    outside = _context(tmp_path / ".env", "A=1\n")
    assert _codes(outside, PrivateKeysCommittable) == []  # not a repository: nothing to commit

    _git(tmp_path, "init", "-q")
    exposed = _context(tmp_path / ".env", "A=1\n")
    assert _codes(exposed, PrivateKeysCommittable) == [(None, "error")]
    finding = next(PrivateKeysCommittable().check(exposed))
    assert ".env.keys" in finding.message and PAIR.private_key not in finding.message

    (tmp_path / ".gitignore").write_text(".env.keys\n")
    assert _codes(_context(tmp_path / ".env", "A=1\n"), PrivateKeysCommittable) == []

    _git(tmp_path, "add", "-f", ".env.keys")
    assert _codes(_context(tmp_path / ".env", "A=1\n"), PrivateKeysCommittable) == [(None, "error")]


@pytest.mark.parametrize("sealed", [False, True])
def test_plain_check_never_imports_cryptography(tmp_path: Path, sealed: bool) -> None:
    value = _seal("x") if sealed else "x"
    (tmp_path / ".env.production").write_text(f"SECRET_KEY={value}\n")
    probe = (
        "import sys\nfrom envguard.cli import main\n"
        "try:\n    main(['check', '.env.production', '-q'])\nexcept SystemExit:\n    pass\n"
        "print('cryptography' in sys.modules, file=sys.stderr)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOTENV_PRIVATE_KEY")}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
