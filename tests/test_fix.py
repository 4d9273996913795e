"""``envguard fix``: on the seed apps' env blocks, then layout, modes, encryption, dry runs and canaries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from envguard import crypto, envfile, fixes, lint
from envguard.cli import main
from envguard.findings import Category, Environment, Finding
from envguard.rules import RULES

Capsys = pytest.CaptureFixture[str]
SEEDS = Path(__file__).parent / "fixtures" / "seeds"

#: rules whose findings a machine cannot settle: names to fill in, credentials to obtain, choices
HUMAN = {
    "EG105": "two different definitions: which one the app needs",
    "EG207": "a database URL with a stand-in password and host",
    "EG801": "which proxies to trust",
    "EG901": "a required variable nobody has set",
    "EG909": "a renamed variable",
    "EG910": "a placeholder domain",
    "EG911": "a placeholder in a non-secret (account ids, DSNs, user names)",
}
#: per seed app: the values fix generates, the duplicates it drops, the credentials it must leave
SEED_CASES = {
    "finance-tracker": ({"APP_KEY"}, set(), set()),
    "loyalty-system": (
        {"POSTGRES_PASSWORD", "ADMIN_PASSWORD", "SECRET_KEY"},
        set(),
        {"TELEGRAM_TOKEN_CLIENT", "TELEGRAM_TOKEN_BARISTA"},
    ),
    "facturino": (
        {"APP_KEY", "DB_PASSWORD", "REDIS_PASSWORD"},
        set(),
        {"MAIL_PASSWORD", "CLAUDE_API_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"},
    ),
    "beauty-platform": (set(), set(), {"TELEGRAM_BOT_TOKEN"}),
    "malar-ledger": (
        {"SECRET_KEY", "JWT_SECRET_KEY"},
        {"ENVIRONMENT", "DEBUG"},
        {"TWILIO_AUTH_TOKEN", "INTERAKT_API_KEY", "SMTP_PASSWORD"},
    ),
    "malar-ledger-web": (set(), {"VITE_API_BASE_URL"}, set()),
}


def run(capsys: Capsys, *args: str | os.PathLike[str]) -> tuple[int, str]:
    """``envguard ARGS`` in-process: exit code and everything printed (stdout and stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main([os.fspath(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out + err


def check(path: Path, schema: str | None = None, env: Environment | None = None) -> list[Finding]:
    """What ``envguard check`` reports for one file."""
    return list(lint.lint(lint.Request(paths=(path,), schema=schema, env=env)).findings)


def values(path: Path) -> dict[str, str]:
    return envfile.read(path).values()


@pytest.mark.parametrize("app", sorted(SEED_CASES))
def test_fix_then_check_leaves_only_what_needs_a_human(app: str, tmp_path: Path, capsys: Capsys) -> None:
    generated, dropped, third_party = SEED_CASES[app]
    path = tmp_path / ".env.production"
    shutil.copy(SEEDS / f"{app}.env", path)
    before = values(path)
    code, output = run(capsys, "fix", path, "--schema", app, "--show-fixes")
    after = values(path)

    left = check(path, app)
    weak = {f.key for f in left if f.code in fixes.FIXERS and f.category is Category.WEAK_SECRET}
    assert weak == third_party, "only provider-issued credentials stay weak"
    assert {f.code for f in left if f.key not in third_party} <= HUMAN.keys()
    assert code == (1 if left else 0)
    assert {k for k in before if before[k] != after.get(k)} == generated
    assert all(after[k] for k in generated)
    lines_before = (SEEDS / f"{app}.env").read_text().splitlines()
    lines_after = path.read_text().splitlines()
    assert len(lines_before) - len(lines_after) == len(dropped)
    for key in generated | third_party:
        assert f"{key} " in output
    for value in [*before.values(), *after.values()]:
        if len(value) >= 8 and value not in {"production"}:
            assert value not in output, "fix never prints a value"


@pytest.mark.parametrize("app", sorted(SEED_CASES))
def test_layout_and_comments_are_kept(app: str, tmp_path: Path, capsys: Capsys) -> None:
    generated, dropped, _ = SEED_CASES[app]
    path = tmp_path / ".env.production"
    shutil.copy(SEEDS / f"{app}.env", path)
    old = path.read_text().splitlines()
    run(capsys, "fix", path, "--schema", app)
    new = path.read_text().splitlines()
    # every identical earlier definition of a dropped key goes; everything else stays in place
    kept = [
        line for i, line in enumerate(old) if not (line.partition("=")[0] in dropped and line in old[i + 1 :])
    ]
    assert len(kept) == len(old) - len(dropped) == len(new)
    for before, after in zip(kept, new, strict=True):
        key = before.partition("=")[0]
        assert after == before or (key in generated and after.partition("=")[0] == key)


def test_quoting_export_and_inline_comments_survive(tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / ".env.production"
    path.write_text(
        "# signing\n"
        'export SESSION_SECRET="changeme"   # rotate yearly\n'
        "JWT_SECRET='your-jwt-secret'\n"
        "APP_DEBUG=True # temporary\n"
        "SESSION_SECURE_COOKIE=false\n"
        "\n"
        "DB_PASSWORD = password\n"
    )
    code, _ = run(capsys, "fix", path)
    lines = path.read_text().splitlines()
    assert lines[0] == "# signing"
    assert lines[1].startswith('export SESSION_SECRET="') and lines[1].endswith('"   # rotate yearly')
    assert lines[2].startswith("JWT_SECRET='") and lines[2].endswith("'")
    assert lines[3] == "APP_DEBUG=False # temporary"
    assert lines[4] == "SESSION_SECURE_COOKIE=true"
    assert lines[5] == "" and lines[6].startswith("DB_PASSWORD = ") and lines[6] != "DB_PASSWORD = password"
    assert len(values(path)["SESSION_SECRET"]) == 64
    assert code == 0  # spaces around `=` are a syntax warning fix leaves to a human
    assert {f.code for f in check(path)} == {"EG106"}


def test_mode_is_kept_and_exit_zero_when_all_is_fixed(tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / ".env.production"
    path.write_text("APP_ENV=production\nSECRET_KEY=changeme\nDEBUG=true\n")
    path.chmod(0o640)
    code, output = run(capsys, "fix", path)
    assert code == 0, output
    assert path.stat().st_mode & 0o777 == 0o640
    assert values(path)["DEBUG"] == "false"
    assert check(path) == []


def test_dry_run_writes_nothing(tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / ".env.production"
    text = "SECRET_KEY=your-secret-canary-d41f\nAPP_DEBUG=true\nSTRIPE_SECRET_KEY=your-stripe-key-here\n"
    path.write_text(text)
    stamp = path.stat().st_mtime_ns
    code, output = run(capsys, "fix", "--dry-run", "--show-fixes", path)
    assert path.read_text() == text and path.stat().st_mtime_ns == stamp
    assert "would fix" in output and "SECRET_KEY" in output and "APP_DEBUG" in output
    assert "needs a human" in output and "STRIPE_SECRET_KEY" in output
    assert "canary" not in output and code == 1


def test_output_never_holds_an_original_or_generated_value(tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / ".env.production"
    path.write_text(
        "APP_KEY=base64:CANARY_KEY_HERE\nADMIN_PASSWORD=canary-pass-1\n"
        "TWILIO_AUTH_TOKEN=your-canary-token\nAPI=1\nAPI=1\n"
    )
    _, output = run(capsys, "fix", path, "--show-fixes")
    assert "canary" not in output.lower()
    for value in values(path).values():
        if len(value) > 4:
            assert value not in output


def test_duplicates_only_identical_ones_are_dropped(tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / ".env.production"
    path.write_text("A=1\nB=x  # first\nC=one\nA=1\nB=x\nC=two\nA=1\n")
    run(capsys, "fix", path)
    assert path.read_text() == "B=x  # first\nC=one\nB=x\nC=two\nA=1\n"
    assert {(f.key, f.code) for f in check(path)} == {("B", "EG105"), ("C", "EG105")}


def test_lenient_and_example_files_are_left_alone(tmp_path: Path, capsys: Capsys) -> None:
    for name in (".env.development", ".env.example"):
        path = tmp_path / name
        text = "APP_DEBUG=true\nSECRET_KEY=changeme\n"
        path.write_text(text)
        code, _ = run(capsys, "fix", path)
        assert path.read_text() == text and code == 0


def _encrypted_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, crypto.Keypair]:
    pair = crypto.generate_keypair()
    monkeypatch.setenv("DOTENV_PRIVATE_KEY_PRODUCTION", pair.private_key)
    path = tmp_path / ".env.production"
    seal = lambda v: f'"{crypto.encrypt_value(pair.public_key, v)}"'  # noqa: E731
    path.write_text(
        f'DOTENV_PUBLIC_KEY_PRODUCTION="{pair.public_key}"\n'
        f"APP_ENV={seal('production')}\nSECRET_KEY={seal('changeme')}\nAPP_DEBUG={seal('true')}\n"
        "SESSION_SECRET=keyboard cat\n"
    )
    return path, pair


def test_encrypted_file_stays_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    path, pair = _encrypted_file(tmp_path, monkeypatch)
    code, output = run(capsys, "fix", path, "--show-fixes")
    stored = values(path)
    for key in ("SECRET_KEY", "APP_DEBUG", "SESSION_SECRET"):
        assert stored[key].startswith("encrypted:"), key
    opened = {
        k: crypto.decrypt_value(pair.private_key, v)
        for k, v in stored.items()
        if k != "APP_ENV" and v.startswith("encrypted:")
    }
    assert opened["APP_DEBUG"] == "false"
    assert len(opened["SECRET_KEY"]) == 64 and opened["SECRET_KEY"] != "changeme"
    assert len(opened["SESSION_SECRET"]) == 64
    assert code == 0 and check(path) == [] and "(encrypted)" in output
    assert opened["SECRET_KEY"] not in output


def test_without_a_private_key_sealed_values_stay_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    path, _ = _encrypted_file(tmp_path, monkeypatch)
    monkeypatch.delenv("DOTENV_PRIVATE_KEY_PRODUCTION")
    before = values(path)
    code, output = run(capsys, "fix", path)
    after = values(path)
    assert "encrypted values were not checked" in output
    assert {k for k in before if before[k] != after[k]} == {"SESSION_SECRET"}
    assert after["SESSION_SECRET"].startswith("encrypted:")  # a new secret never lands in plaintext
    assert code == 0


def test_every_fixable_rule_has_a_fixer_and_back() -> None:
    claimed = {rule.code for rule in RULES if rule.fix}
    assert claimed == set(fixes.FIXERS)


def test_rule_docs_say_whether_fix_handles_them(capsys: Capsys) -> None:
    for rule in RULES:
        code, output = run(capsys, "rule", rule.code)
        assert code == 0
        section = output.split("## Fix", 1)[1]
        if rule.code in fixes.FIXERS:
            assert f"`envguard fix` {rule.fix}" in section
        else:
            assert "Not fixable automatically" in section


def test_config_files_are_refused(tmp_path: Path, capsys: Capsys) -> None:
    path = tmp_path / "render.yaml"
    path.write_text("services: []\n")
    code, output = run(capsys, "fix", path)
    assert code == 2 and "env files only" in output
