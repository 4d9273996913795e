"""Transport faults end in exit 3 with one line, malformed addresses and tokens in exit 2; never 70.

Every target is driven through the CLI against loopback servers that misbehave below HTTP.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fixtures_cli import Cli
from servers import raw
from servers.github import TOKEN as GITHUB_TOKEN
from servers.railway import ACCOUNT_TOKEN
from servers.render import API_KEY
from servers.vercel import TOKEN as VERCEL_TOKEN

from envguard import envfile
from envguard.targets.scrub import scrub

TARGETS = {
    "vault": ("vault://secret/app", "VAULT_ADDR", "", {"VAULT_TOKEN": "root-token"}),
    "railway": (
        "railway://proj/prod/web",
        "ENVGUARD_RAILWAY_URL",
        "/graphql/v2",
        {"RAILWAY_API_TOKEN": ACCOUNT_TOKEN},
    ),
    "render": ("render://srv-web", "ENVGUARD_RENDER_URL", "/v1", {"RENDER_API_KEY": API_KEY}),
    "vercel": ("vercel://web", "ENVGUARD_VERCEL_URL", "", {"VERCEL_TOKEN": VERCEL_TOKEN}),
    "github": ("github://acme/shop", "ENVGUARD_GITHUB_URL", "", {"GITHUB_TOKEN": GITHUB_TOKEN}),
}


@pytest.fixture(params=sorted(TARGETS))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _point(monkeypatch: pytest.MonkeyPatch, kind: str, origin: str) -> str:
    uri, variable, suffix, credentials = TARGETS[kind]
    for name in (
        "VAULT_ADDR",
        "VAULT_TOKEN",
        "RAILWAY_TOKEN",
        "RAILWAY_API_TOKEN",
        "RENDER_API_KEY",
        "VERCEL_TOKEN",
        "VERCEL_TEAM_ID",
        "VERCEL_ORG_ID",
        "GITHUB_TOKEN",
        "GH_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/nonexistent")
    monkeypatch.setenv(variable, origin + suffix)
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    return uri


@pytest.fixture
def serving() -> Iterator[list[raw.RawServer]]:
    started: list[raw.RawServer] = []
    yield started
    for server in started:
        server.stop()


FAULTS = {
    "html": raw.answer("200 OK", b"<html><body>Welcome to nginx</body></html>", "text/html"),
    "truncated": raw.answer("200 OK", b'{"data": {"variables": {"A": "1"', length=400),
    "not-json-404": raw.answer("404 Not Found", b"<h1>Not Found</h1>", "text/html"),
    "redirect": raw.answer("307 Temporary Redirect", b"", extra="Location: /v1/again\r\n"),
    "closed": lambda conn: (raw.read_request(conn), conn.close()),
    "errors-object": raw.answer("200 OK", json.dumps({"errors": {"message": "boom"}}).encode()),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_transport_fault_is_one_line_and_exit_3(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, serving: list[raw.RawServer], kind: str, fault: str
) -> None:
    server = raw.RawServer(FAULTS[fault])
    serving.append(server)
    uri = _point(monkeypatch, kind, server.origin)
    result = cli("pull", uri)
    assert result.code == 3, result.err
    assert len(result.err_lines) == 1 and result.err.startswith("envguard: error: ")
    assert "internal error" not in result.err and result.out == ""


def test_a_trickling_server_does_not_hold_pull_past_the_deadline(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, serving: list[raw.RawServer]
) -> None:
    server = raw.RawServer(raw.trickle(0.2))
    serving.append(server)
    uri = _point(monkeypatch, "vault", server.origin)
    monkeypatch.setenv("VAULT_CLIENT_TIMEOUT", "1")
    started = time.monotonic()
    result = cli("pull", uri)
    assert result.code == 3 and "no complete answer" in result.err
    assert time.monotonic() - started < 4  # one try of one second: a timed-out read is not repeated


def test_a_server_that_never_answers_times_out(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, serving: list[raw.RawServer]
) -> None:
    server = raw.RawServer(raw.silent)
    serving.append(server)
    uri = _point(monkeypatch, "vault", server.origin)
    monkeypatch.setenv("VAULT_CLIENT_TIMEOUT", "0.5")
    monkeypatch.setenv("VAULT_MAX_RETRIES", "0")
    started = time.monotonic()
    assert cli("pull", uri).code == 3
    assert time.monotonic() - started < 3 and server.accepted == 1


def test_a_huge_response_is_cut_off(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, serving: list[raw.RawServer]
) -> None:
    body = b'{"data": {"variables": {"A": "' + b"x" * (17 * 2**20) + b'"}}}'
    server = raw.RawServer(raw.answer("200 OK", body))
    serving.append(server)
    result = cli("pull", _point(monkeypatch, "railway", server.origin))
    assert result.code == 3 and "larger than 16 MiB" in result.err


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("vault.example.com:8200", "must start with http"),
        ("http://[::1", "not a valid URL"),
        ("http://127.0.0.1:99999", "not a valid URL"),
        ("https://127.0.0.1:8200\n", "whitespace or a control character"),
        ("ftp://127.0.0.1", "must start with http"),
    ],
)
def test_a_malformed_address_is_exit_2(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, kind: str, value: str, needle: str
) -> None:
    uri = _point(monkeypatch, kind, "http://127.0.0.1:9")
    monkeypatch.setenv(TARGETS[kind][1], value)
    result = cli("pull", uri)
    assert result.code == 2 and needle in result.err and len(result.err_lines) == 1


@pytest.mark.parametrize("token", ["root-token\n", "two words", "tökén"])
def test_a_malformed_token_is_exit_2(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, kind: str, token: str
) -> None:
    uri = _point(monkeypatch, kind, "http://127.0.0.1:9")
    (name,) = TARGETS[kind][3]
    monkeypatch.setenv(name, token)
    result = cli("pull", uri)
    assert result.code == 2 and name in result.err and token.strip() not in result.err


@pytest.mark.parametrize(
    "value",
    ['quote"and\\backslash', "line one\nline two secret", "spaces & ampersands <b>", "ünïcode välue"],
)
def test_scrub_removes_every_encoding_of_a_value(value: str) -> None:
    import base64
    import html
    from urllib.parse import quote, quote_plus

    for shown in (
        value,
        json.dumps(value),
        json.dumps(value, ensure_ascii=False),
        quote(value),
        quote_plus(value),
        html.escape(value),
        repr(value),
        base64.b64encode(value.encode()).decode(),
    ):
        text = scrub(f"Expected type String, found {shown}; rejected", [value])
        for line in value.splitlines():
            assert line not in text
        assert "rejected" in text and "\n" not in text


VALUE = 'p4ss"w\\ord\nsecond line & more'


@pytest.mark.parametrize(
    "echo",
    [
        lambda v: {"message": f"invalid value {json.dumps(v)} for API_KEY"},
        lambda v: {"message": f"invalid envVar {{'key': 'API_KEY', 'value': {v!r}}}"},
        lambda v: {"message": "bad request /env-vars/API_KEY?value=" + quote(v)},
        lambda v: {"message": f"invalid value {v}"},
    ],
)
def test_render_error_bodies_quoting_the_request_never_show_the_value(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, render_server: object, echo: object
) -> None:
    server = render_server
    monkeypatch.chdir(tmp_path)
    _point(monkeypatch, "render", server.origin)  # type: ignore[attr-defined]
    source = tmp_path / ".env.development"
    source.write_text(f"API_KEY={envfile.quote(VALUE)}\n")
    server.inject(400, body=echo(VALUE), skip=2)  # the plan read, the re-read, then the write  # type: ignore[attr-defined, operator]
    result = cli("push", source, "--to", "render://srv-web", "--yes")
    assert result.code == 3 and "HTTP 400" in result.err
    for line in VALUE.splitlines():
        assert line not in result.out + result.err
    assert json.dumps(VALUE)[1:-1] not in result.err


def test_railway_errors_in_graphql_js_style_never_show_the_value(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, railway_server: object
) -> None:
    monkeypatch.chdir(tmp_path)
    _point(monkeypatch, "railway", railway_server.origin)  # type: ignore[attr-defined]
    source = tmp_path / ".env.development"
    source.write_text(f"API_KEY={envfile.quote(VALUE)}\n")
    message = f'Variable "$input" got invalid value {{ variables: {{ API_KEY: {json.dumps(VALUE)} }} }}.'
    railway_server.inject(200, body={"data": None, "errors": [{"message": message}]}, skip=2)  # type: ignore[attr-defined]
    result = cli("push", source, "--to", "railway://proj/prod/web", "--yes")
    assert result.code == 3 and "got invalid value" in result.err
    for line in VALUE.splitlines():
        assert line not in result.out + result.err
