"""Schema value types, each read in time linear in the value."""

from __future__ import annotations

import time

import pytest

from envguard.judge.shapes import has_type, is_duration, is_email, is_url

TYPED = [
    ("int", "42"),
    ("int", "-3"),
    ("float", "1.5"),
    ("float", ".5"),
    ("float", "1e-3"),
    ("bool", "True"),
    ("bool", "(false)"),
    ("url", "https://facturino.mk"),
    ("url", "redis://h:6379/0"),
    ("url-list", "https://a.io, https://b.io"),
    ("email", "ops@facturino.mk"),
    ("email", "Facturino <ops@facturino.mk>"),
    ("port", "5432"),
    ("duration", "900"),
    ("duration", "15m"),
    ("duration", "1h30m"),
    ("duration", "2 days"),
    ("duration", "PT15M"),
    ("host", "db.example.net:5432"),
    ("host", "*.facturino.mk"),
    ("host-list", "a.io,b.io"),
    ("json", '{"a": [1, 2]}'),
    ("path", "/var/data"),
]
UNTYPED = [
    ("int", "4.2"),
    ("int", "forty"),
    ("float", "1.2.3"),
    ("bool", "maybe"),
    ("url", "facturino.mk"),
    ("url", "https://"),
    ("url-list", "https://a.io, b.io"),
    ("email", "ops@facturino"),
    ("email", "ops@@facturino.mk"),
    ("email", "a b@c.io"),
    ("port", "0"),
    ("port", "65536"),
    ("port", "5432/tcp"),
    ("duration", "1 day and a bit"),
    ("duration", "P"),
    ("duration", "15x"),
    ("host", "db:99999"),
    ("host", "bad_host!"),
    ("host-list", "a.io,b!.io"),
    ("json", "{a: 1}"),
    ("json", "[" * 100 + "]" * 100),
    ("path", "a\0b"),
    ("email", "<>"),
]


@pytest.mark.parametrize(("kind", "value"), TYPED)
def test_typed(kind: str, value: str) -> None:
    assert has_type(kind, value)


@pytest.mark.parametrize(("kind", "value"), UNTYPED)
def test_untyped(kind: str, value: str) -> None:
    assert not has_type(kind, value)


@pytest.mark.parametrize("check", [is_email, is_url, is_duration])
def test_linear_on_hostile_input(check: object) -> None:
    started = time.monotonic()
    for text in ("a@" + "b." * 50000 + "!", "1" * 100000 + "x", "1 m " * 25000 + "x", "@" * 100000):
        assert callable(check)
        check(text)
    assert time.monotonic() - started < 5  # a hang guard: quadratic patterns took minutes here
