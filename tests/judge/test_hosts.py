"""Hosts, URLs and connection strings: one scope per host, one reading per URL."""

from __future__ import annotations

import pytest

from envguard.judge.hosts import (
    Scope,
    ado_string,
    domain_problem,
    hosts,
    is_connection_url,
    is_internal,
    is_local,
    reads_as_host,
    scope,
    url_credentials,
)

SCOPES = [
    ("localhost", Scope.LOOPBACK),
    ("127.0.0.1", Scope.LOOPBACK),
    ("127.8.0.3", Scope.LOOPBACK),
    ("::1", Scope.LOOPBACK),
    ("[::1]", Scope.LOOPBACK),
    ("0.0.0.0", Scope.LOOPBACK),
    ("app.localhost", Scope.LOOPBACK),
    ("db", Scope.LOCAL),
    ("redis", Scope.LOCAL),
    ("/cloudsql/proj:europe-west1:db", Scope.LOCAL),
    ("/var/run/postgresql", Scope.LOCAL),
    ("10.0.4.12", Scope.PRIVATE),
    ("172.16.3.1", Scope.PRIVATE),
    ("192.168.1.5", Scope.PRIVATE),
    ("100.64.0.7", Scope.PRIVATE),
    ("fd12:3456::1", Scope.PRIVATE),
    ("postgres.railway.internal", Scope.PRIVATE),
    ("host.docker.internal", Scope.PRIVATE),
    ("printer.local", Scope.PRIVATE),
    ("api.svc", Scope.PRIVATE),
    ("example.com", Scope.RESERVED),
    ("smtp.example.org", Scope.RESERVED),
    ("shop.test", Scope.RESERVED),
    ("x.invalid", Scope.RESERVED),
    ("api.example", Scope.RESERVED),
    ("facturino.mk", Scope.PUBLIC),
    ("8.8.8.8", Scope.PUBLIC),
    ("db.abcd.supabase.co", Scope.PUBLIC),
    ("172.32.0.1", Scope.PUBLIC),
    ("examples.com", Scope.PUBLIC),
    ("smtp.postmarkapp.com", Scope.PUBLIC),
    ("2001:4860::8888", Scope.PUBLIC),
    ("localhost.facturino.mk", Scope.PUBLIC),
    ("11.0.0.1", Scope.PUBLIC),
]


@pytest.mark.parametrize(("host", "expected"), SCOPES)
def test_scope(host: str, expected: Scope) -> None:
    assert scope(host) is expected
    assert is_local(host) is (expected in (Scope.LOOPBACK, Scope.LOCAL))
    assert is_internal(host) is (expected in (Scope.LOOPBACK, Scope.LOCAL, Scope.PRIVATE))


@pytest.mark.parametrize(
    ("host", "problem"),
    [
        ("your-production-domain.com", "placeholder"),
        ("yourdomain.com", "placeholder"),
        ("your-postgres-host.railway.app", "placeholder"),
        ("mydomain.com", "placeholder"),
        ("example.com", "reserved"),
        ("mail.example.net", "reserved"),
        ("app.test", "reserved"),
        ("facturino.mk", None),
        ("api.malar-market-ledger.com", None),
        ("hostinger.com", None),
        ("domainsgroup.io", None),
        ("localhost", None),
    ],
)
def test_domain_problem(host: str, problem: str | None) -> None:
    assert domain_problem(host) == problem


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("facturino.mk", True),
        ("app.facturino.mk:8443", True),
        ("*.facturino.mk", True),
        (".facturino.mk", True),
        ("localhost:5173", True),
        ("127.0.0.1:8000", True),
        ("[::1]", True),
        ("*", True),
        ("cnry0123456789abcdef0123456789abcdef", False),  # one random label: a pasted secret
        ("web", False),  # a bare label could be anything a person pasted
        ("a1b2c3d4e5.facturino.mk", False),
        ("not a host", False),
    ],
)
def test_hosts_a_message_may_quote(value: str, shown: bool) -> None:
    assert reads_as_host(value) is shown


def test_hosts_of_values() -> None:
    assert list(hosts("https://a.example.com/x, b.example.org:443")) == ["a.example.com", "b.example.org"]
    assert list(hosts("ops@facturino.mk")) == ["facturino.mk"]
    assert list(hosts("http://localhost:3000")) == ["localhost"]
    assert list(hosts("8000")) == [] and list(hosts("true")) == []


def test_url_credentials() -> None:
    found = url_credentials("postgresql://user:p%40ss@host:5432/db,redis://:s3cret@cache:6379")
    assert [(c.scheme, c.username, c.password, c.host) for c in found] == [
        ("postgresql", "user", "p@ss", "host"),
        ("redis", "", "s3cret", "cache"),
    ]
    assert url_credentials("https://api.example.org/v1") == []
    ado = url_credentials(
        "Server=tcp:db.example.net,1433;Database=app;User ID=app;Password=hunter2;Encrypt=false"
    )
    assert [(c.username, c.password, c.host) for c in ado] == [("app", "hunter2", "db.example.net")]


@pytest.mark.parametrize(
    ("value", "connection"),
    [
        ("postgresql+asyncpg://db/x", True),
        ("mongodb+srv://cluster0.abcde.mongodb.net", True),
        ("sqlite:///relative.db", True),
        ("sqlite:////abs/path.db", True),
        ("rediss://cache:6380/0", True),
        ("jdbc:postgresql://db:5432/app", True),
        ("Server=db.example.net;Database=app;User Id=app;Password=x;Encrypt=true", True),
        ("https://db.example.org", False),
        ("http://localhost:8000", False),
        ("a=b;c=d", False),
        ("Europe/Kyiv", False),
        ("smtp.postmarkapp.com", False),
        ("", False),
    ],
)
def test_connection_urls(value: str, connection: bool) -> None:
    assert is_connection_url(value) is connection


def test_ado_strings() -> None:
    found = ado_string(
        "Data Source=tcp:db.example.net,1433;Initial Catalog=app;User ID=sa;Password=x;Encrypt=False"
    )
    assert found is not None and found["host"] == "db.example.net" and found["encrypt"] == "False"
    assert ado_string("a=b;c=d") is None and ado_string("https://x/?a=b;c") is None
