"""Published defaults: keyed hashes with their sources, never the values themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from envguard.judge.defaults import Defaults, digest

PUBLISHED = [
    "keyboard cat",
    "Keyboard Cat",
    "your-256-bit-secret",
    "shhhhh",
    "try-huginn",
    "!!changeme!!",
    "your-super-secret-jwt-token-with-at-least-32-characters-long",
    "J5brHrAXFLQSif0K",
    "UpNVntn3cDxHJpq99YMc1T1AQgQpc8kfYTuRgBiYa15BLrx8etQoXz3gZv1/u2oq",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "secret",
    "password",
    "guest",
    "minioadmin",
    "django-insecure-7l1cu+o9z3x0kqv3b9",
]
UNPUBLISHED = [
    "Wn4q8PzKr2vTm7Lc",
    "keyboard dog",
    "your-512-bit-secret",
    "J5brHrAXFLQSif0",
    "try-huginn2",
    "changeme!",
    "",
    "   ",
    "secrets",
    "passwords",
    "guests",
    "minio",
    "insecure-django-key",
    "AKIAIOSFODNN7EXAMPLX",
    "UpNVntn3cDxHJpq99YMc1T1AQgQpc8kfYTuRgBiYa15BLrx8etQoXz3gZv1/u2oQ",
]


@pytest.fixture(scope="module")
def table() -> Defaults:
    return Defaults()


@pytest.mark.parametrize("value", PUBLISHED)
def test_published(table: Defaults, value: str) -> None:
    assert table.source(value) is not None


@pytest.mark.parametrize("value", UNPUBLISHED)
def test_unpublished(table: Defaults, value: str) -> None:
    assert table.source(value) is None


def test_sources_are_named() -> None:
    table = Defaults()
    assert table.source("keyboard cat") == "express-session's documented example"
    assert table.source("J5brHrAXFLQSif0K") == "netbox-docker's env files"
    assert table.source("secret") == ""


def test_the_data_file_holds_no_value() -> None:
    text = (Path(__file__).parents[2] / "envguard" / "judge" / "published-defaults.toml").read_text()
    for value in PUBLISHED:
        assert value not in text and value.lower() not in text
    assert digest(" keyboard cat ") == digest("keyboard cat")
