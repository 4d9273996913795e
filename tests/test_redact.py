"""The streaming masker of ``run --redact``: every split of the stream, every form of a secret."""

from __future__ import annotations

import json

import pytest

from envguard.redact import Redactor, secret_values

SECRET = "Zq8vN3kP2xL7mR4tW9yB6cF1hJ5sD0gA"


def fed(secrets: list[str], pieces: list[bytes]) -> bytes:
    redactor = Redactor(secrets)
    return b"".join(redactor.feed(p) for p in pieces) + redactor.close()


def test_a_secret_split_at_any_byte_is_masked() -> None:
    text = f"before {SECRET} after\n".encode()
    for cut in range(len(text) + 1):
        assert fed([SECRET], [text[:cut], text[cut:]]) == b"before *** after\n", cut


def test_one_byte_at_a_time_and_overlapping_secrets() -> None:
    text = f"x{SECRET}y{SECRET[10:]}z".encode()
    out = fed([SECRET, SECRET[10:] + "z"], [bytes([b]) for b in text])
    assert out == b"x***y***" and SECRET[:4].encode() not in out


@pytest.mark.parametrize("form", [json.dumps(SECRET + '"q'), "Zq8vN3kP2xL7mR4tW9yB6cF1hJ5sD0gA".lower()])
def test_escaped_forms_are_masked_and_other_text_is_not(form: str) -> None:
    secret = SECRET + '"q'
    out = fed([secret], [f"value={form}\n".encode()])
    assert (b"***" in out) == (form != SECRET.lower())


def test_nothing_is_held_that_cannot_start_a_secret() -> None:
    redactor = Redactor([SECRET])
    assert redactor.feed(b"line one\n") == b"line one\n"
    assert redactor.feed(b"tok=" + SECRET[:5].encode()) == b"tok="
    assert redactor.feed(b"nope\n") == SECRET[:5].encode() + b"nope\n"


def test_which_values_are_secrets() -> None:
    values = {
        "API_SECRET": SECRET,
        "PORT": "3000",
        "APP_NAME": "Malar Market",
        "DEBUG": "false",
        "DATABASE_URL": "postgres://app:Pq7xK2mN9vL4@db.internal:5432/app",
        "X": "ab",
    }
    assert sorted(secret_values(values)) == sorted([SECRET, values["DATABASE_URL"]])
