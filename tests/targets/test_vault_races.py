"""Concurrent writers and lost replies against a real OpenBao, through a forwarding proxy."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fixtures_vault import Bao
from servers.base import Recorded
from servers.fixtures import Clock
from servers.proxy import ProxyServer

from envguard.errors import ConflictError, TargetError
from envguard.sync import plan
from envguard.targets.base import ApplyResult
from envguard.targets.vault import VaultTarget

pytestmark = pytest.mark.slow


@pytest.fixture
def proxy(bao: Bao) -> Iterator[ProxyServer]:
    server = ProxyServer(bao.addr)
    server.start()
    yield server
    server.stop()


def _target(proxy: ProxyServer, bao: Bao, mount: str, path: str, clock: Clock) -> VaultTarget:
    environ = {"VAULT_ADDR": proxy.origin, "VAULT_TOKEN": bao.token, "VAULT_CLIENT_TIMEOUT": "0.5"}
    return VaultTarget(mount, path, environ, retry=clock.policy)


def test_a_lost_check_and_set_reply_writes_one_version(
    bao: Bao, proxy: ProxyServer, secret_path: str, clock: Clock
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1"}})
    target = _target(proxy, bao, "secret", secret_path, clock)
    the_plan = plan({"A": "2", "B": "3"}, target.fetch(), prune=False)
    proxy.inject_loss("late", delay=1.5)  # the write lands, its answer does not
    result = target.apply(the_plan)
    assert sorted(result.written) == ["A", "B"] and not result.failed
    assert bao.stored(secret_path) == {"A": "2", "B": "3"} and bao.versions(secret_path) == 2


def test_kv_v1_reads_back_and_names_the_keys_someone_overwrote(
    bao: Bao, proxy: ProxyServer, secret_path: str, clock: Clock
) -> None:
    bao.request("POST", f"kv1/{secret_path}", {"A": "1"})
    target = _target(proxy, bao, "kv1", secret_path, clock)
    the_plan = plan({"A": "mine", "B": "mine too"}, target.fetch(), prune=False)

    def teammate(_: Recorded) -> None:  # their whole-map write lands right after ours
        bao.request("POST", f"kv1/{secret_path}", {"A": "1", "X": "theirs"})

    proxy.after[("POST", f"/v1/kv1/{secret_path}")] = teammate
    with pytest.raises(ConflictError, match="not as written: A, B") as caught:
        target.apply(the_plan)
    assert caught.value.exit_code == 3 and "mine" not in caught.value.message


@pytest.mark.parametrize("round_", range(8))
def test_two_concurrent_pushes_to_one_path_lose_nothing_silently(
    bao: Bao, secret_path: str, round_: int
) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"SHARED": "0"}})
    outcomes: dict[str, ApplyResult | TargetError] = {}

    def push(name: str) -> None:
        target = VaultTarget("secret", secret_path, bao.env())
        wanted = {"SHARED": name, **{f"{name}_{i}": f"{name}-{i}" for i in range(5)}}
        the_plan = plan(wanted, target.fetch(), prune=False)
        barrier.wait()
        try:
            outcomes[name] = target.apply(the_plan)
        except TargetError as exc:
            outcomes[name] = exc

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=push, args=(n,)) for n in ("ONE", "TWO")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    stored = bao.stored(secret_path)
    for name, outcome in outcomes.items():
        mine = {f"{name}_{i}" for i in range(5)}
        if isinstance(outcome, TargetError):
            assert all(k in outcome.message for k in mine)  # exit 3 naming the keys
            continue
        # what a push reports as written is on the server, and what it could not write it names
        assert mine <= set(stored) and all(stored[k] == f"{name}-{k[-1]}" for k in mine)
        assert stored["SHARED"] == name or "SHARED" in outcome.failed


def test_http_proxy_from_the_given_environ(bao: Bao, proxy: ProxyServer, secret_path: str) -> None:
    bao.request("POST", f"secret/data/{secret_path}", {"data": {"A": "1"}})
    # the proxy forwards to this same server; the address is what the client asks the proxy for
    environ = bao.env(HTTP_PROXY=proxy.origin)
    assert VaultTarget("secret", secret_path, environ).read() == {"A": "1"}
    assert proxy.requests() and proxy.requests()[0].path.startswith(bao.addr)
    seen = len(proxy.requests())
    bypass = {**environ, "NO_PROXY": "localhost,127.0.0.1"}
    assert VaultTarget("secret", secret_path, bypass).read() == {"A": "1"}
    assert len(proxy.requests()) == seen
