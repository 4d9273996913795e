"""Fingerprints cannot be reversed: under the default configuration they are keyed by a random
per-project key kept out of git, never by a public constant."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest
from fixtures_cli import Cli

from envguard import fingerprints
from envguard.findings import fingerprint

WEAK = [
    w
    for w in (Path(__file__).parent / "fixtures" / "weak-passwords.txt").read_text().split()
    if not w.startswith("#")
][1:]
#: every key an attacker could read in envguard's source, old or new, plus the obvious guesses
PUBLIC_KEYS = [b"envguard-fingerprint-v1", b"", b"envguard", b"envguard-fingerprint", b"fingerprint"]


def _weak_project(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    lines = [f"DB_PASSWORD_{i}={word}" for i, word in enumerate(WEAK)]
    (root / ".env.production").write_text("\n".join(lines) + "\n")
    return root


def test_brute_force_recovers_no_weak_password(cli: Cli, tmp_path: Path) -> None:
    root = _weak_project(tmp_path)
    findings = json.loads(cli("check", ".env.production", "--format", "json", cwd=root).out)["findings"]
    sarif = json.loads(cli("check", ".env.production", "--format", "sarif", cwd=root).out)
    printed = {f["fingerprint"] for f in findings if f.get("fingerprint")}
    assert len(printed) >= len(WEAK) // 2  # the weak values were fingerprinted
    partial = {
        r["partialFingerprints"]["envguardFinding/v1"]
        for r in sarif["runs"][0]["results"]
        if "partialFingerprints" in r
    }
    recovered = {word for word in WEAK for key in PUBLIC_KEYS if fingerprint(word, key) in printed}
    assert recovered == set()
    assert not any(f"{fingerprint(word, key)}" in p for p in partial for word in WEAK for key in PUBLIC_KEYS)


def test_project_key_is_private_ignored_and_stable(cli: Cli, tmp_path: Path) -> None:
    root = _weak_project(tmp_path)
    (root / "sub").mkdir()
    first = cli("check", ".env.production", "--format", "json", cwd=root).out
    again = cli("check", "../.env.production", "--format", "json", cwd=root / "sub").out
    key = root / fingerprints.FOLDER / fingerprints.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [f["fingerprint"] for f in json.loads(first)["findings"]] == [
        f["fingerprint"] for f in json.loads(again)["findings"]
    ]
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored=no"], cwd=root, text=True, capture_output=True, check=True
    ).stdout
    assert ".envguard" not in status
    ignored = subprocess.run(["git", "check-ignore", "-q", str(key)], cwd=root, check=False)
    assert ignored.returncode == 0


def test_two_projects_get_different_fingerprints(cli: Cli, tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        root = _weak_project(tmp_path / name)
        outs.append(
            {
                f["fingerprint"]
                for f in json.loads(cli("check", ".env.production", "--format", "json", cwd=root).out)[
                    "findings"
                ]
            }
        )
    assert not outs[0] & outs[1] - {None}


def test_concurrent_first_use_agrees_on_one_key(tmp_path: Path) -> None:
    keys: list[bytes | None] = []
    threads = [
        threading.Thread(target=lambda: keys.append(fingerprints.project_key(tmp_path))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1 and keys[0] is not None
    assert sorted(p.name for p in (tmp_path / ".envguard").iterdir()) == [".gitignore", "fingerprint.key"]


def test_baseline_salt_still_keys_fingerprints(cli: Cli, tmp_path: Path) -> None:
    root = _weak_project(tmp_path)
    assert cli("check", ".env.production", "--write-baseline", "b.json", cwd=root).code == 0
    assert cli("check", ".env.production", "--baseline", "b.json", cwd=root).code == 0
    (root / fingerprints.FOLDER / fingerprints.KEY_FILE).unlink(missing_ok=True)
    assert cli("check", ".env.production", "--baseline", "b.json", cwd=root).code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_project_omits_fingerprints_with_a_note(cli: Cli, tmp_path: Path) -> None:
    root = _weak_project(tmp_path)
    root.chmod(0o555)
    try:
        result = cli("check", ".env.production", "--format", "json", cwd=root)
    finally:
        root.chmod(0o755)
    assert all(f["fingerprint"] is None for f in json.loads(result.out)["findings"])
    assert "fingerprints omitted" in result.err


def test_unwritable_project_omits_fingerprints_with_a_note(cli: Cli, tmp_path: Path) -> None:
    root = _weak_project(tmp_path)
    (root / fingerprints.FOLDER).write_text("a file where the folder would be\n")
    result = cli("check", ".env.production", "--format", "json", cwd=root)
    assert all(f["fingerprint"] is None for f in json.loads(result.out)["findings"])
    assert "fingerprints omitted" in result.err


@pytest.mark.parametrize("key", [b"k" * 32, b"", b"short", *(bytes(range(n)) for n in (64, 65, 200))])
def test_a_fingerprint_is_hmac_sha256_of_the_value_truncated_to_64_bits(key: bytes) -> None:
    import hashlib
    import hmac

    # keys of every length around SHA-256's 64-byte block, values with a lone surrogate among them
    for value in ["", "s3cr3t", "sk_live_" + "x" * 80, "ключ", "\udcff raw byte", "a" * 1000]:
        expected = hmac.new(key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:16]
        assert fingerprint(value, key) == expected


def test_a_reported_fingerprint_is_the_keyed_hmac_of_the_value(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import hmac

    (tmp_path / ".env.production").write_text("APP_ENV=production\nDB_PASSWORD=password123\n")
    key = "0123456789abcdef" * 5  # 80 bytes: longer than a SHA-256 block, hashed first
    monkeypatch.setenv("ENVGUARD_FINGERPRINT_KEY", key)
    result = cli("check", ".env.production", "-f", "json", cwd=tmp_path)
    found = [f for f in json.loads(result.out)["findings"] if f["key"] == "DB_PASSWORD"]
    assert found, result.out
    expected = hmac.new(key.encode(), b"password123", hashlib.sha256).hexdigest()[:16]
    assert {f["fingerprint"] for f in found} == {expected}
