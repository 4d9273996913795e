"""The rules' shortcuts change no finding (issue 15): ``envguard check -f json`` on generated files
gives the findings stored in ``tests/expected/``, written by the plain computation before the
shortcuts (the weak-secret family asked once per secret, the one-pass name and shape tests).

Each file mixes many secrets that pass (random tokens, as in ``benchmarks.inputs``) with secrets
that each rule of the family reports: placeholders, published defaults, short signing keys, easy
passwords, URLs with and without a password, provider shapes, values zxcvbn must be asked about.
To write the expected files again on purpose: ``ENVGUARD_WRITE_EXPECTED=1`` (then review the diff).
"""

from __future__ import annotations

import json
import os
import random
import string
from pathlib import Path

import pytest

from benchmarks import corpus, inputs
from envguard.cli import main

EXPECTED = Path(__file__).parent / "expected"
#: one line of each kind the family judges, keys numbered per copy so that none redefines another
_MIXED = (
    "DB_PASSWORD_{i}=changeme",
    "SESSION_SECRET_{i}=keyboard cat",
    "JWT_SECRET_{i}=mysecretjwt{i}",
    "ADMIN_PASSWORD_{i}=Summer20{i:02d}",
    "SECRET_KEY_{i}=your-super-secret-key-change-this",
    "APP_SECRET_{i}=0123456789abcdef0123456789abcdef",
    "PUSHER_APP_SECRET_{i}=0123456789abcdef0123",
    "DATABASE_URL_{i}=postgres://app:app@db.internal:5432/app",
    "REDIS_URL_{i}=redis://:${{REDIS_PASSWORD}}@cache:6379",
    "CALLBACK_TOKEN_{i}={short}",
    "SIGNING_KEY_{i}={short}",
    "API_TOKEN_{i}={long}",
    "SECRET_{i}_KEY_BASE={long}",
    "STRIPE_SECRET_KEY_{i}=sk_test_51HxQm2LkZt8YvR3nB6pW0cDa",
)


def _mixed(copies: int, seed: int) -> str:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits
    lines = inputs.tokens_file(copies * 20, seed).splitlines()
    for i in range(copies):
        short = "".join(rng.choices(alphabet, k=rng.randint(8, 20)))
        long = "".join(rng.choices(alphabet, k=rng.randint(40, 64)))
        at = i * 20
        lines[at:at] = [line.format(i=i, short=short, long=long) for line in _MIXED]
    return "\n".join(lines) + "\n"


CASES = {
    "mixed-production": (".env.production", lambda: _mixed(20, 5)),
    "mixed-development": (".env.development", lambda: _mixed(10, 6)),
    "typical": (".env.production", lambda: corpus.production_file(random.Random(7))),
    "large": (
        ".env.production",
        lambda: "".join(corpus._numbered(corpus.production_file(random.Random(n), n), n) for n in range(40)),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_findings_equal_the_stored_ones(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name, make = CASES[case]
    (tmp_path / name).write_text(make(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # the key the stored outputs were made with (a public constant then; a per-repository key now)
    monkeypatch.setenv("ENVGUARD_FINGERPRINT_KEY", "envguard-fingerprint-v1")
    with pytest.raises(SystemExit):
        main(["check", name, "-f", "json"])
    found = json.loads(capsys.readouterr().out)
    stored = EXPECTED / f"{case}.json"
    if os.environ.get("ENVGUARD_WRITE_EXPECTED"):
        stored.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert found == json.loads(stored.read_text(encoding="utf-8"))
