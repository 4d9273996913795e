"""The shared HTTP client: retries, waits, error translation, against a real loopback server."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from servers.fixtures import Clock
from servers.render import API_KEY, RenderServer

from envguard.errors import TargetError
from envguard.targets.http import HttpClient, RetryPolicy, header_wait, scrub


@pytest.fixture
def client(render_server: RenderServer, clock: Clock) -> Iterator[HttpClient]:
    http = HttpClient(
        "Render (render://srv-web)",
        render_server.url,
        {"Authorization": f"Bearer {API_KEY}"},
        retry=clock.policy,
    )
    yield http
    http.close()


@pytest.mark.parametrize(
    ("status", "headers", "wait"),
    [
        (429, {"retry-after": "2"}, 2.0),
        (429, {"ratelimit-reset": "45"}, 45.0),
        (429, {"retry-after": "1.5", "ratelimit-reset": "30"}, 1.5),
        (429, {"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT", "ratelimit-reset": "7"}, 7.0),
        (429, {"retry-after": "-3"}, 0.0),
        (503, {"retry-after": "4", "ratelimit-reset": "30"}, 4.0),
        (503, {"ratelimit-reset": "30"}, None),  # Render sends it on every response
        (429, {}, None),
    ],
)
def test_header_wait(status: int, headers: dict[str, str], wait: float | None) -> None:
    assert header_wait(status, headers) == wait


def test_backoff_grows_with_jitter_and_a_ceiling() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    for attempt, ceiling in enumerate([0.5, 1.0, 2.0, 4.0, 4.0, 4.0]):
        delays = {policy.backoff(attempt) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1


def test_scrub_hides_values_and_keeps_one_line() -> None:
    assert scrub("bad value hunter22\nfor KEY", ["hunter22", "ab"]) == "bad value *** for KEY"
    assert len(scrub("x" * 500, [])) == 160


def test_server_errors_are_retried_then_reported(
    client: HttpClient, clock: Clock, render_server: RenderServer
) -> None:
    render_server.inject(503, times=5, body={"message": "service unavailable"})
    with pytest.raises(TargetError) as caught:
        client.send("GET", "/services/srv-web/env-vars", idempotent=True)
    assert caught.value.message.startswith("Render (render://srv-web): HTTP 503; service unavail")
    assert "request id" in caught.value.message
    assert client.requests == 5 and len(clock.waits) == 4


def test_other_client_errors_are_not_retried(client: HttpClient, clock: Clock) -> None:
    with pytest.raises(TargetError, match="HTTP 400; provide exactly one of value"):
        client.send("PUT", "/services/srv-web/env-vars/A", json={"value": 1}, idempotent=True)
    assert client.requests == 1 and clock.waits == []


def test_a_wait_longer_than_allowed_fails_at_once(client: HttpClient, render_server: RenderServer) -> None:
    render_server.inject(429, headers={"Retry-After": "3600"})
    with pytest.raises(TargetError, match=r"HTTP 429.*retry after 3600s") as caught:
        client.send("GET", "/services/srv-web/env-vars", idempotent=True)
    assert client.requests == 1 and caught.value.hint and "rate limit" in caught.value.hint


def test_non_idempotent_requests_retry_only_when_refused(
    client: HttpClient, render_server: RenderServer
) -> None:
    render_server.inject(429, headers={"Ratelimit-Reset": "0"})
    client.send("POST", "/services/srv-web/deploys", json={}, idempotent=False)
    assert client.requests == 2
    render_server.inject(502)
    with pytest.raises(TargetError, match="HTTP 502"):
        client.send("POST", "/services/srv-web/deploys", json={}, idempotent=False)
    assert client.requests == 3 and render_server.deploys == ["srv-web"]


def test_a_silent_server_times_out(clock: Clock) -> None:
    with socket.socket() as listener:  # accepts connections in the backlog, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        http = HttpClient(
            "Render (render://srv-web)",
            f"http://127.0.0.1:{port}/v1",
            {},
            retry=RetryPolicy(attempts=5, sleep=clock.sleep),
            timeout=0.1,
        )
        with pytest.raises(TargetError, match=r"no complete answer from .* within 0.1s"):
            http.send("GET", "/services/srv-web/env-vars", idempotent=True)
        http.close()
    assert http.requests == 1 and clock.waits == []  # a read that timed out is not tried again
