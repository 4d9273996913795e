"""``envguard check --git`` on real throwaway repositories, and the plaintext judgement it shares
with ``envguard protect``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gitrepos import commit, envguard, git, init, write

from envguard import plaintext
from envguard.findings import Environment

STRONG = "Xk9#mQ2vL8pR4tW7zN3b"  # a strong password: no rule but the leak rules objects to it
LIVE = "sk_live_51Hc2q8LmN3pQ4rS5tU6vW7xY8zA9bC0dE1fG2hI3jK"
IGNORE_ALL = ".env\n.env.*\n!.env.example\n"


@pytest.mark.parametrize(
    ("line", "env", "flagged"),
    [
        (f"DB_PASSWORD={STRONG}", Environment.PRODUCTION, True),
        (f"DB_PASSWORD={STRONG}", Environment.STAGING, True),
        ("DB_PASSWORD=your-password-here", Environment.PRODUCTION, False),
        ("DB_PASSWORD=${VAULT_DB_PASSWORD}", Environment.PRODUCTION, False),
        ("DB_PASSWORD=", Environment.PRODUCTION, False),
        ("REDIS_PASSWORD=null", Environment.PRODUCTION, False),
        ('DB_PASSWORD="encrypted:BAJSuuygkKTNIyiEyCBzWOrxb9z6o"', Environment.PRODUCTION, False),
        ("APP_NAME=Finance Tracker", Environment.PRODUCTION, False),
        ("LOG_LEVEL_PLAIN=info", Environment.PRODUCTION, False),
        (f"DB_PASSWORD={STRONG}", Environment.DEVELOPMENT, False),
        (f"STRIPE_SECRET={LIVE}", Environment.DEVELOPMENT, True),
        ("STRIPE_SECRET=sk_test_51Hc2q8LmN3pQ4rS5tU6vW7xY8zA9bC0dE1f", Environment.TEST, False),
        (f"STRIPE_SECRET={LIVE}", Environment.EXAMPLE, True),
        ("STRIPE_SECRET=sk_live_your-key-here", Environment.EXAMPLE, False),
        ("DB_PASSWORD=secret", Environment.EXAMPLE, False),
        ("SESSION_SECRET=q7Rt2ZpX9vLm4NcW8kYb3HsJ6dFg5TaE", Environment.EXAMPLE, True),
        ("DOTENV_PRIVATE_KEY_PRODUCTION=9a8b7c6d", Environment.DEVELOPMENT, True),
        (
            'JWT_KEY="-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"',
            Environment.EXAMPLE,
            True,
        ),
    ],
)
def test_plaintext_judgement(line: str, env: Environment, flagged: bool) -> None:
    found = plaintext.judge_text(line + "\n", ".env.x", env)
    assert bool(found) is flagged
    for exposure in found:
        assert exposure.line == 1 and exposure.key == line.split("=", 1)[0]


def test_judgement_never_holds_the_value() -> None:
    (exposure,) = plaintext.judge_text(f"DB_PASSWORD={STRONG}\n", ".env.production", Environment.PRODUCTION)
    assert STRONG not in repr(exposure) and exposure.fingerprint


def _report(repo: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    done = envguard(repo, "check", "--git", "--format", "json", *args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


@pytest.mark.parametrize(
    ("ignore", "uncovered"),
    [
        ("node_modules/\n", ".env or .env.local"),
        (".env\n", ".env.local"),
        (".env.local\n", ".env"),
        (".env*\n", None),
    ],
)
def test_each_name_gitignore_must_cover_is_judged_alone(
    tmp_path: Path, ignore: str, uncovered: str | None
) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".gitignore": ignore})
    _, found = _report(repo)
    said = [f["message"] for f in found if f["code"] == "EG332"]
    assert said == ([f"the ignore rules do not cover {uncovered}"] if uncovered else [])


def test_tracked_unignored_and_history(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    first = commit(repo, {".env.production": f"APP_NAME=x\nDB_PASSWORD={STRONG}\n"}, "add config")
    commit(repo, {".env.production": f"APP_NAME=y\nDB_PASSWORD={STRONG}\n"}, "rename the app")
    git(repo, "rm", "-q", "--cached", ".env.production")
    commit(repo, {".env.example": "DB_PASSWORD=your-password-here\n", ".env.test": "APP_ENV=test\n"})
    write(repo, {".env.staging": f"API_TOKEN={STRONG}\n"})
    code, found = _report(repo)
    assert code == 1
    by_code = {(f["code"], f["file"]) for f in found}
    assert ("EG330", ".env.test") in by_code  # tracked, not an example, not encrypted
    assert ("EG331", ".env.production") in by_code and ("EG331", ".env.staging") in by_code
    assert ("EG332", ".gitignore") in by_code
    (history,) = [f for f in found if f["code"] == "EG334"]
    assert history["file"] == ".env.production" and history["key"] == "DB_PASSWORD"
    assert history["line"] == 2 and first[:12] in str(history["message"])
    assert "1 later version" in str(history["message"]) and history["fingerprint"]
    assert not any(f["file"] == ".env.example" for f in found)
    assert STRONG not in json.dumps(found)


def test_clean_repository(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".gitignore": IGNORE_ALL, ".env.example": "API_TOKEN=your-token-here\n"})
    write(repo, {".env": f"API_TOKEN={STRONG}\n"})
    assert _report(repo) == (0, [])


def test_encrypted_file_may_be_tracked(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".gitignore": IGNORE_ALL + ".env.keys\n"})
    write(repo, {"deploy/.env.production": f"DB_PASSWORD={STRONG}\n"})
    assert envguard(repo / "deploy", "encrypt", ".env.production").returncode == 0
    commit(repo, {"deploy/.env.production": (repo / "deploy/.env.production").read_text()}, force=True)
    assert _report(repo) == (0, [])


def test_keys_file_anywhere(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".gitignore": IGNORE_ALL, "ops/.env.keys": "DOTENV_PRIVATE_KEY=abc123\n"}, force=True)
    code, found = _report(repo, "--select", "EG333,EG334")
    assert code == 1
    assert {(f["code"], f["file"]) for f in found} == {("EG333", "ops/.env.keys"), ("EG334", "ops/.env.keys")}
    assert "abc123" not in json.dumps(found)


def test_select_and_files_together(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".gitignore": IGNORE_ALL, "README": "x\n"})
    write(repo, {".env.production": "APP_DEBUG=true\n"})
    code, found = _report(repo, "--select", "EG401,EG331", ".env.production")
    assert code == 1
    assert sorted(str(f["code"]) for f in found) == ["EG401"]  # ignored by .gitignore: no EG331


def test_history_in_other_branches_and_deleted_files(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".gitignore": IGNORE_ALL})
    git(repo, "checkout", "-q", "-b", "experiment")
    leaked = commit(repo, {"svc/prod.env": f"STRIPE_SECRET={LIVE}\n"}, "oops", force=True)
    git(repo, "rm", "-q", "svc/prod.env")
    git(repo, "commit", "-q", "--no-verify", "-m", "remove")
    git(repo, "checkout", "-q", "main")
    code, found = _report(repo, "--select", "EG334")
    assert code == 1
    (history,) = found
    assert history["file"] == "svc/prod.env" and leaked[:12] in str(history["message"])
    assert "Stripe live secret key" in str(history["message"]) and LIVE not in json.dumps(found)


def test_not_a_git_repository(tmp_path: Path) -> None:
    done = envguard(tmp_path, "check", "--git", GIT_CEILING_DIRECTORIES=str(tmp_path.parent))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "envguard: error: --git: not inside a git repository (hint: run it inside a clone, or drop --git)"
    ]


def test_git_rules_do_nothing_without_git(tmp_path: Path) -> None:
    repo = init(tmp_path / "app")
    commit(repo, {".env.production": f"DB_PASSWORD={STRONG}\n"})
    done = envguard(repo, "check", "--select", "leak", ".env.production", "--format", "json")
    assert not [f for f in json.loads(done.stdout)["findings"] if str(f["code"]).startswith("EG33")]
