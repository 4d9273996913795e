"""The Vault target against a real OpenBao dev server: KV v2 and v1, token and AppRole, CAS."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_vault import NAMESPACE, ROOT_TOKEN, Bao

from envguard.errors import CredentialsError, TargetError, UsageError
from envguard.sync import describe, plan
from envguard.targets import open_target
from envguard.targets.vault import VaultTarget

pytestmark = pytest.mark.slow

VALUES = {
    "DATABASE_URL": "postgres://app:pw@db.internal:5432/app?sslmode=require",
    "MULTI": "line one\nline two\n",
    "EMPTY": "",
    "UNICODE": "żółć ✓ 日本",
}


def _target(bao: Bao, path: str, mount: str = "secret", **env: str) -> VaultTarget:
    return VaultTarget(mount, path, bao.env(**env))


def test_absent_secret_is_absent_and_is_created(bao: Bao, secret_path: str) -> None:
    target = _target(bao, secret_path)
    remote = target.fetch()
    assert remote.values == {} and not remote.exists
    the_plan = plan(VALUES, remote, prune=False)
    assert the_plan.new and "new secret" in "\n".join(describe(the_plan))
    result = target.apply(the_plan)
    assert set(result.written) == set(VALUES) and not result.failed
    assert bao.stored(secret_path) == VALUES
    assert bao.versions(secret_path) == 1


def test_a_new_secret_takes_three_requests_in_all(bao: Bao, secret_path: str) -> None:
    target = _target(bao, secret_path)
    target.apply(plan(VALUES, target.fetch(), prune=False))
    assert bao.stored(secret_path) == VALUES
    # mount lookup, read (absent), write with check-and-set 0: no metadata read
    assert target._connect().adapter.http.requests == 3


def test_a_deleted_latest_version_is_written_over_with_its_true_version(bao: Bao, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"OLD": "1"}})
    bao.request("DELETE", f"secret/data/{secret_path}")  # soft-deletes the latest version
    target = _target(bao, secret_path)
    assert not target.fetch().exists
    result = target.apply(plan(VALUES, {}, prune=False))
    assert set(result.written) == set(VALUES) and not result.failed
    assert bao.stored(secret_path) == VALUES and bao.versions(secret_path) == 2


def test_identical_values_write_nothing(bao: Bao, secret_path: str) -> None:
    first = _target(bao, secret_path)
    first.apply(plan(VALUES, first.fetch(), prune=False))
    again = _target(bao, secret_path)
    remote = again.read()
    assert remote == VALUES
    assert plan(VALUES, remote, prune=False).empty
    assert again.apply(plan(VALUES, remote, prune=False)).requests == 0
    assert bao.versions(secret_path) == 1


def test_concurrent_key_survives_check_and_set(bao: Bao, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1", "B": "2"}})
    target = _target(bao, secret_path)
    the_plan = plan({"A": "10", "B": "2", "C": "3"}, target.read(), prune=False)
    # someone else writes between plan and apply: a new key and a change to a key we change too
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1", "B": "2", "X": "theirs"}})
    result = target.apply(the_plan)
    assert bao.stored(secret_path) == {"A": "10", "B": "2", "C": "3", "X": "theirs"}
    assert set(result.written) == {"A", "C"} and not result.failed


def test_conflicting_change_is_left_alone(bao: Bao, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1"}})
    target = _target(bao, secret_path)
    the_plan = plan({"A": "mine", "B": "new"}, target.read(), prune=False)
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "theirs"}})
    result = target.apply(the_plan)
    assert bao.stored(secret_path) == {"A": "theirs", "B": "new"}
    assert set(result.failed) == {"A"} and "theirs" not in str(result.failed)


def test_prune_rewrites_the_map_and_keeps_versions(bao: Bao, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"KEEP": "1", "OLD": "2"}})
    target = _target(bao, secret_path)
    result = target.apply(plan({"KEEP": "1"}, target.read(), prune=True))
    assert result.removed == ("OLD",)
    assert bao.stored(secret_path) == {"KEEP": "1"}
    assert bao.versions(secret_path) == 2
    old = bao.request("GET", f"secret/data/{secret_path}?version=1")["data"]["data"]
    assert old == {"KEEP": "1", "OLD": "2"}


def test_non_string_values_read_as_json_and_survive_untouched(bao: Bao, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"N": 5, "OBJ": {"a": [1]}}})
    target = _target(bao, secret_path)
    assert target.read() == {"N": "5", "OBJ": '{"a": [1]}'}
    target.apply(plan({"N": "5", "OBJ": '{"a": [1]}', "S": "x"}, target.read(), prune=False))
    assert bao.stored(secret_path) == {"N": 5, "OBJ": {"a": [1]}, "S": "x"}


def test_kv_v1_mount_is_detected_and_written(bao: Bao, secret_path: str) -> None:
    target = _target(bao, secret_path, mount="kv1")
    target.apply(plan(VALUES, target.fetch(), prune=False))
    assert bao.request("GET", f"kv1/{secret_path}")["data"] == VALUES
    again = _target(bao, secret_path, mount="kv1")
    assert again.read() == VALUES
    again.apply(plan({"EMPTY": ""}, again.read(), prune=True))
    assert bao.request("GET", f"kv1/{secret_path}")["data"] == {"EMPTY": ""}


def test_kv_v1_rereads_before_writing(bao: Bao, secret_path: str) -> None:
    bao.request("POST", f"kv1/{secret_path}", {"A": "1"})
    target = _target(bao, secret_path, mount="kv1")
    the_plan = plan({"A": "2"}, target.read(), prune=True)
    bao.request("POST", f"kv1/{secret_path}", {"A": "1", "X": "theirs"})
    result = target.apply(the_plan)
    assert bao.request("GET", f"kv1/{secret_path}")["data"] == {"A": "2", "X": "theirs"}
    assert result.written == ("A",) and not result.failed


def test_approle_login(bao: Bao, secret_path: str) -> None:
    env = {"VAULT_ADDR": bao.addr, "VAULT_ROLE_ID": bao.role_id, "VAULT_SECRET_ID": bao.secret_id}
    target = open_target(f"vault://secret/{secret_path}", env)
    target.apply(plan({"K": "v"}, target.fetch(), prune=False))
    assert bao.stored(secret_path) == {"K": "v"}


@pytest.mark.parametrize(
    ("env", "uri", "message"),
    [
        ({"VAULT_TOKEN": "not-a-token"}, "vault://secret/app", "permission denied"),
        (
            {"VAULT_ROLE_ID": "x", "VAULT_SECRET_ID": "y", "VAULT_TOKEN": ""},
            "vault://secret/app",
            "AppRole login failed",
        ),
        ({}, "vault://nomount/app", "no such KV mount"),
        ({"VAULT_ADDR": "http://127.0.0.1:9"}, "vault://secret/app", "cannot connect to http://127.0.0.1:9"),
    ],
)
def test_failures_are_one_line_target_errors(bao: Bao, env: dict[str, str], uri: str, message: str) -> None:
    target = open_target(uri, {**bao.env(), **env})
    with pytest.raises(TargetError) as caught:
        target.read()
    assert message in caught.value.message
    assert caught.value.message.startswith(uri) and "\n" not in caught.value.message


def test_missing_credentials_are_usage_errors() -> None:
    with pytest.raises(CredentialsError, match="no Vault credentials") as caught:
        open_target("vault://secret/app", {}).read()
    assert caught.value.exit_code == 2
    with pytest.raises(UsageError, match="credentials"):
        open_target("vault://secret/app", {"VAULT_ADDR": "http://127.0.0.1:9"}).read()


def test_namespace(bao: Bao, secret_path: str) -> None:
    target = open_target(f"vault://kv/{secret_path}", bao.env(VAULT_NAMESPACE=NAMESPACE))
    target.apply(plan({"K": "in-namespace"}, target.fetch(), prune=False))
    stored = bao.request("GET", f"kv/data/{secret_path}", namespace=NAMESPACE)["data"]["data"]
    assert stored == {"K": "in-namespace"}
    with pytest.raises(TargetError, match="no such KV mount"):
        open_target(f"vault://kv/{secret_path}", bao.env()).read()  # outside the namespace


def test_tls_with_vault_cacert(bao_tls: tuple[str, Path]) -> None:
    addr, ca = bao_tls
    env = {"VAULT_ADDR": addr, "VAULT_TOKEN": ROOT_TOKEN}
    assert not open_target("vault://secret/app", {**env, "VAULT_CACERT": str(ca)}).fetch().exists
    with pytest.raises(TargetError, match="TLS verification failed") as caught:
        open_target("vault://secret/app", env).read()
    assert caught.value.hint is not None and "VAULT_CACERT" in caught.value.hint
    with pytest.raises(UsageError, match="VAULT_CACERT"):
        open_target("vault://secret/app", {**env, "VAULT_CACERT": str(ca) + ".missing"}).read()
