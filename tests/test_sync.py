"""The pure side of sync: plans, their key-only description, snapshots, and target URIs."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from envguard import keys, snapshots, sync
from envguard.errors import InputError, UsageError
from envguard.targets import SCHEMES, open_target, parse, resolve

REMOTE = {"SAME": "1", "CHANGED": "old", "ONLY_REMOTE": "r", "EMPTY": ""}
LOCAL = {"SAME": "1", "CHANGED": "new", "ADDED": "a", "EMPTY": ""}


@pytest.mark.parametrize(
    ("local", "remote", "prune", "added", "changed", "removed"),
    [
        (LOCAL, REMOTE, False, {"ADDED"}, {"CHANGED"}, ()),
        (LOCAL, REMOTE, True, {"ADDED"}, {"CHANGED"}, ("ONLY_REMOTE",)),
        ({}, REMOTE, True, set(), set(), ("CHANGED", "EMPTY", "ONLY_REMOTE", "SAME")),
        ({}, REMOTE, False, set(), set(), ()),
        (LOCAL, {}, True, set(LOCAL), set(), ()),
        ({"K": ""}, {"K": " "}, False, set(), {"K"}, ()),  # whitespace is a change
        ({"K": ""}, {}, False, {"K"}, set(), ()),  # an empty value is still a key to add
    ],
)
def test_plan(
    local: dict[str, str],
    remote: dict[str, str],
    prune: bool,
    added: set[str],
    changed: set[str],
    removed: tuple[str, ...],
) -> None:
    the_plan = sync.plan(local, remote, prune)
    assert set(the_plan.added) == added
    assert set(the_plan.changed) == changed
    assert the_plan.removed == removed
    assert the_plan.expected == remote


def test_identical_values_make_an_empty_plan() -> None:
    the_plan = sync.plan(REMOTE, dict(REMOTE), prune=True)
    assert the_plan.empty and set(the_plan.unchanged) == set(REMOTE)
    assert not sync.needs_snapshot(the_plan)


def test_description_names_keys_never_values() -> None:
    the_plan = sync.plan(LOCAL, REMOTE, prune=False)
    text = "\n".join(sync.describe(the_plan))
    assert "  + ADDED" in text and "  ~ CHANGED" in text
    assert "1 only on the target kept (--prune removes them)" in text
    for value in ("old", "new", "a", "r"):
        assert f"={value}" not in text and f" {value}\n" not in text
    assert sync.kept_remote(the_plan) == ("ONLY_REMOTE",)
    assert sync.needs_snapshot(the_plan)
    assert not sync.needs_snapshot(sync.plan({"NEW": "x"}, {}, prune=False))


def test_snapshot_is_dotenvx_encrypted_and_opens_with_its_key(tmp_path: Path) -> None:
    folder = tmp_path / ".envguard" / "snapshots"
    values = {"API_KEY": "the-secret", "MULTI": "a\nb", "EMPTY": ""}
    first = snapshots.take(values, "vault://secret/app", "vault-secret-app", folder)
    second = snapshots.take(values, "vault://secret/app", "vault-secret-app", folder)
    assert first != second and first.name.startswith("vault-secret-app-")
    assert "the-secret" not in first.read_text()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    stored = folder / ".env.keys"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stored.read_text().count(keys.PRIVATE + "=") == 1  # one key pair per folder
    assert sync.local_values(first, {}) == values
    assert sync.local_values(second, {}) == values


def test_local_values_leave_out_the_public_key(tmp_path: Path) -> None:
    path = tmp_path / ".env.production"
    path.write_text('DOTENV_PUBLIC_KEY_PRODUCTION="02ab"\nA=1\n')
    assert sync.local_values(path, {}) == {"A": "1"}


@pytest.mark.parametrize(
    ("ref", "scheme", "parts", "slug"),
    [
        ("vault://secret/myapp/prod", "vault", ("secret", "myapp", "prod"), "vault-secret-myapp-prod"),
        ("vault://kv/app/", "vault", ("kv", "app"), "vault-kv-app"),
        ("railway://p-1/e-2", "railway", ("p-1", "e-2"), "railway-p-1-e-2"),
        ("railway://p/e/s", "railway", ("p", "e", "s"), "railway-p-e-s"),
        ("render://srv-abc123", "render", ("srv-abc123",), "render-srv-abc123"),
    ],
)
def test_parse_uris(ref: str, scheme: str, parts: tuple[str, ...], slug: str) -> None:
    uri = parse(ref)
    assert (uri.scheme, uri.parts, uri.slug) == (scheme, parts, slug)
    assert parse(str(uri)) == uri


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("s3://bucket/key", "unknown target scheme"),
        ("vault://secret", "malformed"),
        ("vault://secret/../x", "malformed"),
        ("railway://p", "malformed"),
        ("railway://p/e/s/x", "malformed"),
        ("render://a/b", "malformed"),
        ("render://", "malformed"),
        ("vault://secret/a b", "malformed"),
        ("vercel://", "malformed"),
        ("vercel://web/staging/x", "malformed"),
        ("github://acme", "malformed"),
        ("github://acme/shop/x/y/z", "malformed"),
    ],
)
def test_bad_uris_are_usage_errors(ref: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        parse(ref)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("vercel://web/staging", "unknown Vercel target"),
        ("github://acme/shop/envs/prod", "malformed"),
        ("github://acme/shop/environments", "malformed"),
    ],
)
def test_bad_platform_paths_are_usage_errors(ref: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        open_target(ref, {})
    assert caught.value.exit_code == 2


def test_a_vercel_uri_without_target_is_production() -> None:
    assert open_target("vercel://web", {}).uri == "vercel://web/production"


def test_every_scheme_opens_its_target() -> None:
    examples = {
        "vault": "vault://secret/app",
        "railway": "railway://p/e/s",
        "render": "render://srv",
        "vercel": "vercel://web/preview",
        "github": "github://acme/shop/environments/prod",
    }
    assert set(examples) == set(SCHEMES)
    for scheme, ref in examples.items():
        target = open_target(ref, {})
        assert target.uri == ref, scheme


def test_named_targets(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.envguard.targets.production]\nuri = "vault://secret/myapp/prod"\n'
        '[tool.envguard.targets.broken]\nurl = "typo"\n'
    )
    assert str(resolve("production", tmp_path)) == "vault://secret/myapp/prod"
    with pytest.raises(UsageError, match="named targets: broken, production"):
        resolve("staging", tmp_path)
    with pytest.raises(UsageError, match="needs a `uri`"):
        resolve("broken", tmp_path)


def test_check_does_not_import_the_sync_layer() -> None:
    code = (
        "import sys; from envguard import cli, targets; from envguard.commands import check, push;"
        "bad = {'hvac', 'httpx', 'requests', 'cryptography'} & set(sys.modules); print(sorted(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("round_", range(20))
def test_concurrent_snapshots_share_one_key_pair(tmp_path: Path, round_: int) -> None:
    import threading

    folder = tmp_path / ".envguard" / "snapshots"
    barrier = threading.Barrier(4)
    taken: list[Path] = []

    def take(n: int) -> None:
        barrier.wait()
        taken.append(snapshots.take({"K": f"value-{n}"}, "vault://secret/app", "vault-secret-app", folder))

    threads = [threading.Thread(target=take, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(set(taken)) == 4  # four files, none written over another
    assert sorted(snapshots.values(p, {})["K"] for p in taken) == [f"value-{n}" for n in range(4)]
    assert (folder / ".env.keys").read_text().count(keys.PRIVATE + "=") == 1


@pytest.mark.parametrize(
    "key",
    [
        "PLAIN",
        "my key",
        "A=B",
        "HASH#KEY",
        "new\nline",
        "ENVGUARD_KEY_X",
        "DOTENV_PUBLIC_KEY_X",
        "ünï",
        "",
        "1DIGIT",
        "dots.and-dashes",
        "gOeFUvNZfugG4Ra",
        "a1b2c3d4",
    ],
)
def test_snapshot_keys_are_encoded_so_they_restore_byte_for_byte(tmp_path: Path, key: str) -> None:
    name = snapshots.encode_key(key)
    assert snapshots.decode_key(name) == key
    assert name == key or name.startswith(snapshots.ENCODED)
    path = snapshots.take({key: "v=1 #x", "OTHER": ""}, "render://srv", "render-srv", tmp_path)
    assert snapshots.values(path, {}) == {key: "v=1 #x", "OTHER": ""}
    assert snapshots.target_of(path) == "render://srv"


def test_a_remote_key_too_long_to_restore_stops_the_snapshot(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot snapshot a remote key of 300 characters"):
        snapshots.take({"K" * 300: "v"}, "render://srv", "render-srv", tmp_path)
    assert not list(tmp_path.glob("*.env"))  # nothing half-taken
