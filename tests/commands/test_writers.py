"""Every writer (``set``, ``fix``, ``encrypt``, ``decrypt``, ``pull -o``) writes exactly what it is given.

Round trips are checked against envguard's own reader, python-dotenv (``interpolate=False``: its
``${NAME}`` expansion has no escape) and the real dotenvx, with values built to break quoting: CR
and CRLF, NEL, a BOM, NBSP, ``export `` inside, quotes, ``$``, backslashes, ``#``. A value no quoting
can carry is refused with one line naming the key, the file left untouched. The file-safety half:
owner, group and mode of a replaced file are kept (as root, for another user's file), a symbolic
link is written through to its target and the messages name it, ``.env.keys`` is always 0600 and
ignored by git, and ``set`` reads stdin as bytes.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from dotenv import dotenv_values
from fixtures_dotenvx import DotenvxValues
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers.fixtures import Clock
from servers.render import API_KEY, RenderServer

from envguard import crypto, envfile, envquote, fixes, keys
from envguard.commands import encrypt, pull, values
from envguard.schema import GENERIC

ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root"
)
OTHER = 65534  # nobody / nogroup
TRICKY = [
    "\r",
    "\r\n",
    "\n",
    "\x85",
    "\ufeff",
    "\xa0",
    "\u2028",
    "\u2003",
    "export ",
    "'",
    '"',
    "`",
    "$",
    "${X}",
    "$(id)",
    "\\",
    "\\\\",
    "\\'",
    '\\"',
    "\\n",
    "#",
    " #",
    " ",
    "\t",
    "=",
    "é",
    "☃",
    "\x1b[31m",
    "\x0b",
    "\x1c",
]
VALUES = st.lists(
    st.sampled_from(TRICKY) | st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=8,
).map("".join)
ROUND_TRIP = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = pytest.mark.slow


def _pd(path: Path) -> dict[str, str | None]:
    return dict(dotenv_values(path, interpolate=False))


def _readers_agree(path: Path, expected: dict[str, str], dotenvx_values: DotenvxValues) -> None:
    """envguard, python-dotenv and dotenvx all read ``expected`` from the plaintext file ``path``."""
    ours = {k: v for k, v in envfile.read(path).values().items() if k in expected}
    assert ours == expected
    assert {k: v for k, v in _pd(path).items() if k in expected} == expected
    assert {k: v for k, v in dotenvx_values(path).items() if k in expected} == expected


def _keys_for(written: list[str]) -> dict[str, str]:
    return {f"K{i}": value for i, value in enumerate(written)}


# -- set --------------------------------------------------------------------------------------


@SLOW
@ROUND_TRIP
@given(st.lists(VALUES, min_size=1, max_size=10))
def test_set_plain_round_trips_or_refuses(
    tmp_path_factory: pytest.TempPathFactory, dotenvx_values: DotenvxValues, given_values: list[str]
) -> None:
    path = tmp_path_factory.mktemp("set") / ".env"
    path.write_text("FIRST=1\n")
    kept: dict[str, str] = {}
    for key, value in _keys_for(given_values).items():
        before = path.read_bytes()
        try:
            values.set_(key, value, path, plain=True, environ={})
        except envfile.UnwritableValueError as exc:
            assert path.read_bytes() == before and value not in exc.message
            continue
        kept[key] = value
    _readers_agree(path, {"FIRST": "1", **kept}, dotenvx_values)


@SLOW
@ROUND_TRIP
@given(st.lists(VALUES, min_size=1, max_size=10))
def test_set_encrypted_round_trips(
    tmp_path_factory: pytest.TempPathFactory, dotenvx_values: DotenvxValues, given_values: list[str]
) -> None:
    path = tmp_path_factory.mktemp("seal") / ".env.production"
    expected = {}
    for key, value in _keys_for(given_values).items():
        try:
            values.set_(key, value, path, environ={})
        except envfile.UnwritableValueError:
            assert envquote.expands(value)  # dotenvx would expand it once decrypted
            continue
        expected[key] = value
    if not expected:
        return
    stored = envfile.read(path)
    opened = keys.Opener.for_file(stored, {}).values()
    assert {k: opened[k] for k in expected} == expected
    ciphertexts = {k: stored.values()[k] for k in expected}
    assert all(v.startswith("encrypted:") for v in ciphertexts.values())
    assert {k: v for k, v in _pd(path).items() if k in expected} == ciphertexts
    assert {k: v for k, v in dotenvx_values(path).items() if k in expected} == expected


# -- encrypt and decrypt ----------------------------------------------------------------------

#: how a value may already sit in a hand-written file before `encrypt` rewrites it
LAYOUTS: list[Callable[[str], str]] = [
    lambda q: q,
    lambda q: " " + q,
    lambda q: "\xa0" + q,
    lambda q: q + "  # note",
    lambda q: "\t" + q,
]
LINE_ENDINGS = ["\n", "\r\n", "\r", "\r\r\n"]


@SLOW
@ROUND_TRIP
@given(
    st.lists(st.tuples(VALUES, st.sampled_from(range(len(LAYOUTS)))), min_size=1, max_size=10),
    st.sampled_from(LINE_ENDINGS),
)
def test_encrypt_then_decrypt_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    dotenvx_values: DotenvxValues,
    entries: list[tuple[str, int]],
    ending: str,
) -> None:
    folder = tmp_path_factory.mktemp("encrypt")
    path = folder / ".env.production"
    lines = []
    for index, (value, layout) in enumerate(entries):
        try:
            written = envfile.quote(value)
        except envfile.UnwritableValueError:
            continue
        lines.append(f"K{index}={LAYOUTS[layout](written)}")
    path.write_bytes((ending.join(["FIRST=1", *lines]) + ending).encode())
    original = envfile.read(path).values()
    assert {k: v for k, v in _pd(path).items() if k in original} == original  # the loaders agree
    # dotenvx reads what is bare or double-quoted with `$NAME` expanded: it must read the same after
    expanded = {k: v for k, v in dotenvx_values(path).items() if k in original}

    before = path.read_bytes()
    try:
        encrypt.encrypt(path, environ={})
    except envfile.UnwritableValueError:
        assert path.read_bytes() == before
        return
    sealed = envfile.read(path)
    assert all(keys.is_encrypted(sealed.values()[k]) for k in original)
    assert {k: v for k, v in keys.Opener.for_file(sealed, {}).values().items() if k in original} == original
    assert {k: v for k, v in dotenvx_values(path).items() if k in original} == expanded

    assert encrypt.decrypt(path, environ={}) == 0
    assert {k: v for k, v in envfile.read(path).values().items() if k in original} == original
    assert {k: v for k, v in _pd(path).items() if k in original} == original
    assert {k: v for k, v in dotenvx_values(path).items() if k in original} == expanded


@SLOW
@ROUND_TRIP
@given(st.lists(VALUES, min_size=1, max_size=10))
def test_decrypt_round_trips_or_refuses_untouched(
    tmp_path_factory: pytest.TempPathFactory, dotenvx_values: DotenvxValues, given_values: list[str]
) -> None:
    path = tmp_path_factory.mktemp("decrypt") / ".env"
    expected = {k: v for k, v in _keys_for(given_values).items() if not envquote.expands(v)}
    if not expected:
        return
    for key, value in expected.items():
        values.set_(key, value, path, environ={})
    before = path.read_bytes()
    try:
        encrypt.decrypt(path, environ={})
    except envfile.UnwritableValueError as exc:
        assert path.read_bytes() == before
        assert not any(len(v) > 3 and v in exc.message for v in expected.values())
        return
    _readers_agree(path, expected, dotenvx_values)


# -- fix --------------------------------------------------------------------------------------

ORIGINALS = ["old", "'old'", '"old"', "\xa0old", " old  # keep", "'o l d'"]


@SLOW
@ROUND_TRIP
@given(st.lists(st.tuples(VALUES, st.sampled_from(ORIGINALS)), min_size=1, max_size=10))
def test_fix_rewrites_round_trip(
    tmp_path_factory: pytest.TempPathFactory, dotenvx_values: DotenvxValues, changes: list[tuple[str, str]]
) -> None:
    path = tmp_path_factory.mktemp("fix") / ".env"
    path.write_text("".join(f"K{i}={old}\n" for i, (_, old) in enumerate(changes)))
    file = envfile.read(path)
    ws = fixes.Workspace(file, GENERIC)
    records, expected = [], {}
    for record, (value, _) in zip(file.records, changes, strict=True):
        try:
            new = fixes.rewrite(ws, record, value)
        except envfile.UnwritableValueError:
            new = record
        assert not isinstance(new, str)
        records.append(new)
        assert new.key is not None and new.value is not None
        expected[new.key] = new.value
    envfile.atomic_write(path, file.with_records(tuple(records)).render())
    _readers_agree(path, expected, dotenvx_values)


# -- pull -o ----------------------------------------------------------------------------------


@SLOW
@ROUND_TRIP
@given(st.lists(VALUES, min_size=1, max_size=10))
def test_pulled_files_round_trip_or_refuse(
    tmp_path_factory: pytest.TempPathFactory, dotenvx_values: DotenvxValues, given_values: list[str]
) -> None:
    path = tmp_path_factory.mktemp("pull") / ".env.pulled"
    expected = _keys_for(given_values)
    try:
        text, skipped = pull.render(expected, "render://srv-web")
    except envfile.UnwritableValueError:
        return
    assert skipped == []
    envfile.atomic_write(path, text, mode=0o600)
    _readers_agree(path, expected, dotenvx_values)


# -- the issue's own cases --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "a\rb",
        "x\x85y",
        "\ufeffbom",
        "line\nexport NEXT=1",
        "\xa0lead",
        "tail\xa0",
        "C:\\temp\\new",
        "it's $HOME",
        "a\\\\b c",
    ],
)
def test_set_plain_values_the_issue_lists_read_back(tmp_path: Path, value: str) -> None:
    path = tmp_path / ".env"
    values.set_("K", value, path, plain=True, environ={})
    assert envfile.read(path).values() == {"K": value}
    assert _pd(path) == {"K": value}


def test_a_value_no_quoting_carries_is_one_line_and_nothing_written(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("A=1\n")
    with pytest.raises(envfile.UnwritableValueError, match="K: cannot write this value"):
        values.set_("K", "cr\rand $dollar", path, plain=True, environ={})
    assert path.read_text() == "A=1\n"


def test_encrypting_a_value_after_an_nbsp_keeps_it_readable(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text('API_TOKEN=\xa0tok-123\nB="x"\r\r\nC=3\n')
    assert encrypt.encrypt(path, environ={}) == 0
    stored = envfile.read(path)
    assert all(keys.is_encrypted(stored.values()[k]) for k in ("API_TOKEN", "B", "C"))
    opened = keys.Opener.for_file(stored, {}).values()
    assert {k: opened[k] for k in ("API_TOKEN", "B", "C")} == {"API_TOKEN": "tok-123", "B": "x", "C": "3"}


def test_set_reads_stdin_as_bytes_and_keeps_cr_and_crlf(tmp_path: Path) -> None:
    value = "-----BEGIN KEY-----\r\nabc\rdef\r\n-----END KEY-----"
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "set", "KEY", "--plain"],
        cwd=tmp_path,
        input=(value + "\n").encode(),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert envfile.read(tmp_path / ".env").values() == {"KEY": value}


def test_set_refuses_stdin_that_is_not_utf8_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "envguard", "set", "KEY"],
        cwd=tmp_path,
        input=b"caf\xe9\n",
        capture_output=True,
        timeout=60,
    )
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1 and "invalid UTF-8" in err, err
    assert not (tmp_path / ".env").exists()


def test_set_refuses_a_name_that_would_not_read_back(tmp_path: Path) -> None:
    from envguard.errors import UsageError

    with pytest.raises(UsageError, match="not a valid variable name"):
        values.set_("gOeFUvNZfugG4RahY5Q0PI", "x", tmp_path / ".env", plain=True, environ={})


# -- file safety ------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _encrypted_pair(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A .env.production with one encrypted and one plain value, its private key in the environment."""
    pair = crypto.generate_keypair()
    path = tmp_path / ".env.production"
    sealed = crypto.encrypt_value(pair.public_key, "changeme")
    path.write_text(
        f'DOTENV_PUBLIC_KEY_PRODUCTION="{pair.public_key}"\nSECRET_KEY="{sealed}"\nAPP_DEBUG=true\nPLAIN=x\n'
    )
    return path, {"DOTENV_PRIVATE_KEY_PRODUCTION": pair.private_key}


WRITERS: dict[str, Callable[[Path, dict[str, str]], object]] = {
    "set": lambda path, environ: values.set_("PLAIN", "y", path, plain=True, environ=environ),
    "encrypt": lambda path, environ: encrypt.encrypt(path, environ=environ),
    "decrypt": lambda path, environ: encrypt.decrypt(path, environ=environ),
}


@ROOT_ONLY
@pytest.mark.parametrize("writer", WRITERS)
def test_writers_keep_another_users_owner_group_and_mode(tmp_path: Path, writer: str) -> None:
    path, environ = _encrypted_pair(tmp_path)
    os.chown(path, OTHER, OTHER)
    path.chmod(0o600)
    WRITERS[writer](path, environ)
    info = path.stat()
    assert (info.st_uid, info.st_gid, _mode(path)) == (OTHER, OTHER, 0o600)


@ROOT_ONLY
def test_fix_keeps_another_users_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from envguard.commands.fix import fix

    path, environ = _encrypted_pair(tmp_path)
    monkeypatch.chdir(tmp_path)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    os.chown(path, OTHER, OTHER)
    path.chmod(0o640)
    fix(Path(".env.production"))
    assert "envguard: fixed" in capsys.readouterr().err
    info = path.stat()
    assert (info.st_uid, info.st_gid, _mode(path)) == (OTHER, OTHER, 0o640)


@ROOT_ONLY
def test_pull_to_a_file_keeps_its_owner_and_makes_it_private(
    tmp_path: Path, render_server: RenderServer, clock: Clock
) -> None:
    render_server.services["srv-web"].update({"A": "1", "B": "two words"})
    path = tmp_path / ".env.render"
    path.write_text("A=0\n")  # a key the target holds: pull drops no local key unasked
    os.chown(path, OTHER, OTHER)
    environ = {"ENVGUARD_RENDER_URL": render_server.url, "RENDER_API_KEY": API_KEY}
    assert pull.pull("render://srv-web", path, environ) == 0
    info = path.stat()
    assert (info.st_uid, info.st_gid, _mode(path)) == (OTHER, OTHER, 0o600)
    assert envfile.read(path).values() == {"A": "1", "B": "two words"}


@pytest.mark.parametrize("writer", WRITERS)
def test_writers_write_through_a_symlink_and_say_so(
    tmp_path: Path, writer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    real, environ = _encrypted_pair(tmp_path)
    target = tmp_path / "deploy" / "production.env"
    target.parent.mkdir()
    real.rename(target)
    link = tmp_path / ".env.production"
    link.symlink_to(Path("deploy") / "production.env")
    WRITERS[writer](link, environ)
    assert link.is_symlink() and os.readlink(link) == os.path.join("deploy", "production.env")
    assert f"the file it links to, {target}" in capsys.readouterr().err


def test_fix_writes_through_a_symlink_and_the_real_file_is_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from envguard.commands.fix import fix

    target = tmp_path / "deploy" / "production.env"
    target.parent.mkdir()
    target.write_text("APP_DEBUG=true\nLOG_CHANNEL=stack\n")
    link = tmp_path / ".env.production"
    link.symlink_to(target)
    monkeypatch.chdir(tmp_path)
    assert fix(Path(".env.production")) == 0
    assert link.is_symlink() and envfile.read(target).values()["APP_DEBUG"] == "false"
    assert f"the file it links to, {target}" in capsys.readouterr().err


def test_a_link_to_a_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    link = tmp_path / ".env"
    link.symlink_to(tmp_path)
    from envguard.errors import InputError

    with pytest.raises(InputError, match="is a directory"):
        values.set_("A", "1", link, plain=True, environ={})


def _git_repo(folder: Path) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)


def test_keys_file_is_made_private_and_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git_repo(tmp_path)
    keys_file = tmp_path / ".env.keys"
    keys_file.write_text("# an old key file\nDOTENV_PRIVATE_KEY_STAGING=" + "22" * 32 + "\n")
    keys_file.chmod(0o644)
    values.set_("TOKEN", "secret", tmp_path / ".env.production", environ={})
    assert _mode(keys_file) == 0o600
    assert ".env.keys" in (tmp_path / ".gitignore").read_text().splitlines()
    assert "added .env.keys to" in capsys.readouterr().err
    ignored = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "-q", ".env.keys"])
    assert ignored.returncode == 0
    # a second key pair: nothing added twice
    values.set_("OTHER", "secret", tmp_path / ".env.development", environ={})
    assert (tmp_path / ".gitignore").read_text().splitlines().count(".env.keys") == 1


def test_outside_a_work_tree_no_gitignore_is_made(tmp_path: Path) -> None:
    values.set_("TOKEN", "secret", tmp_path / ".env", environ={})
    assert _mode(tmp_path / ".env.keys") == 0o600
    assert not (tmp_path / ".gitignore").exists()
