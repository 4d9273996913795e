"""``envguard schema init`` on small project trees of each framework."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from envguard import catalog, frameworks, generate, projects
from envguard.cli import main

Capsys = pytest.CaptureFixture[str]
MonkeyPatch = pytest.MonkeyPatch
GOOD = Path(__file__).parent / "fixtures" / "good"

#: the files that make a project one framework's, and nothing else's
PROJECTS: dict[str, dict[str, str]] = {
    "laravel": {
        "composer.json": '{"require": {"laravel/framework": "^11.0"}}',
        "artisan": "#!/usr/bin/env php\n",
        "package.json": '{"devDependencies": {"vite": "^5"}}',
    },
    "django": {"manage.py": "import django\n", "requirements.txt": "Django==5.0\n"},
    "rails": {"Gemfile": 'source "https://rubygems.org"\ngem "rails", "~> 7.1"\n'},
    "fastapi": {"pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi>=0.110", "uvicorn"]\n'},
    "flask": {"requirements.txt": "Flask==3.0.0\ngunicorn\n"},
    "nextjs": {"package.json": '{"dependencies": {"next": "14.2.0", "react": "18.3.0"}}'},
    "vite": {"package.json": '{"devDependencies": {"vite": "^5.2.0"}}'},
    "node": {"package.json": '{"dependencies": {"express": "^4.19.0"}}'},
}
EXAMPLE = """\
# the app's own settings
PAYMENTS_API_URL=https://api.payments.test/v1
PAYMENTS_WEBHOOK_SECRET=
REPORT_SIGNING_SECRET=change-me
WORKER_CONCURRENCY=4
SUPPORT_EMAIL=support@shop.test
FEATURE_EXPORTS=true
"""
STRONG = {
    "PAYMENTS_API_URL": "https://api.payments.io/v1",
    "PAYMENTS_WEBHOOK_SECRET": "whk_9fQ2mZ7xL0pV4tR8nB3cK6yH1sD5gJ",
    "WORKER_CONCURRENCY": "8",
    "SUPPORT_EMAIL": "support@shop.io",
    "FEATURE_EXPORTS": "false",
}


def run(capsys: Capsys, *args: str | os.PathLike[str]) -> tuple[int, str, str]:
    """``envguard ARGS`` in-process: exit code, stdout, stderr."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main([os.fspath(a) for a in args])
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


def project(root: Path, framework: str, example: str = EXAMPLE) -> Path:
    for name, text in PROJECTS[framework].items():
        (root / name).write_text(text)
    (root / ".env.example").write_text(example)
    return root


@pytest.mark.parametrize("framework", sorted(PROJECTS))
def test_detects_the_framework(framework: str, tmp_path: Path) -> None:
    assert projects.detect(project(tmp_path, framework)) == framework


def test_nothing_to_go_by_is_a_usage_error(tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "schema", "init")
    assert code == 2 and "--framework" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("framework", sorted(PROJECTS))
def test_schema_is_accepted_by_check_and_catches_a_weak_secret(
    framework: str, tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch
) -> None:
    monkeypatch.chdir(project(tmp_path, framework))
    code, _, err = run(capsys, "schema", "init")
    assert code == 0, err
    written = catalog.load(str(tmp_path / "envguard-schema.toml"))
    assert written.extends == (framework,)
    secret = written.spec("REPORT_SIGNING_SECRET")
    assert secret is not None and secret.secret and secret.generate == "hex:32"
    webhook = written.vars["PAYMENTS_WEBHOOK_SECRET"]
    assert webhook.secret and not webhook.generate  # issued by the payment provider
    types = {
        k: written.vars[k].type
        for k in ("PAYMENTS_API_URL", "WORKER_CONCURRENCY", "SUPPORT_EMAIL", "FEATURE_EXPORTS")
    }
    assert types == {
        "PAYMENTS_API_URL": "url",
        "WORKER_CONCURRENCY": "int",
        "SUPPORT_EMAIL": "email",
        "FEATURE_EXPORTS": "bool",
    }
    good = GOOD.joinpath(f"{framework}.env").read_text()
    own = {**STRONG, "REPORT_SIGNING_SECRET": generate.strong("hex:32")}
    production = tmp_path / ".env.production"
    production.write_text(good + "".join(f"{k}={v}\n" for k, v in own.items()))
    code, out, err = run(capsys, "check", production, "--schema", "envguard-schema.toml")
    assert code == 0, out + err
    planted = {**own, "REPORT_SIGNING_SECRET": "hunter2"}
    production.write_text(good + "".join(f"{k}={v}\n" for k, v in planted.items()))
    code, out, _ = run(capsys, "check", production, "--schema", "envguard-schema.toml", "--format", "json")
    assert code == 1 and '"key": "REPORT_SIGNING_SECRET"' in out and '"category": "weak-secret"' in out


def test_framework_variables_are_not_repeated(
    tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch
) -> None:
    example = "APP_KEY=\nAPP_DEBUG=false\nMAIL_PASSWORD=\nSHOP_API_TOKEN=\n"
    monkeypatch.chdir(project(tmp_path, "laravel", example))
    code, out, _ = run(capsys, "schema", "init", "-o", "-")
    assert code == 0
    assert "[vars.SHOP_API_TOKEN]" in out and "APP_KEY" not in out and "APP_DEBUG" not in out
    assert not (tmp_path / "envguard-schema.toml").exists()


def test_values_are_never_copied(tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.chdir(project(tmp_path, "node", "API_SECRET=canary-b7e1-value\nSITE_NAME=canary shop\n"))
    code, out, err = run(capsys, "schema", "init")
    assert code == 0 and "canary" not in out + err
    assert "canary" not in (tmp_path / "envguard-schema.toml").read_text()


def test_refuses_to_overwrite_without_force(tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.chdir(project(tmp_path, "node"))
    (tmp_path / "mine.toml").write_text("# keep me\n")
    code, _, err = run(capsys, "schema", "init", "-o", "mine.toml")
    assert code == 2 and "--force" in err
    assert (tmp_path / "mine.toml").read_text() == "# keep me\n"
    code, _, _ = run(capsys, "schema", "init", "-o", "mine.toml", "--force")
    assert code == 0 and catalog.load(str(tmp_path / "mine.toml")).extends == ("node",)


def test_options_override_detection_and_example(
    tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch
) -> None:
    monkeypatch.chdir(project(tmp_path, "node"))
    (tmp_path / "env.sample").write_text("VITE_MAP_STYLE_URL=https://maps.test/style.json\n")
    code, out, _ = run(capsys, "schema", "init", "--framework", "vite", "--from", "env.sample", "-o", "-")
    assert code == 0 and 'extends = ["vite"]' in out
    assert '[vars.VITE_MAP_STYLE_URL]\nsecret = false\npublic = true\ntype = "url"' in out
    code, _, err = run(capsys, "schema", "init", "--framework", "symfony")
    assert code == 2 and "laravel" in err


def test_project_config_points_at_the_schema(
    tmp_path: Path, capsys: Capsys, monkeypatch: MonkeyPatch
) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "web").mkdir()
    fastapi = project(tmp_path / "api", "fastapi")
    monkeypatch.chdir(fastapi)
    run(capsys, "schema", "init")
    pyproject = tomllib.loads((fastapi / "pyproject.toml").read_text())
    assert pyproject["tool"]["envguard"] == {"schema": "envguard-schema.toml"}
    assert pyproject["project"]["name"] == "api"

    node = project(tmp_path / "web", "node")
    monkeypatch.chdir(node)
    run(capsys, "schema", "init")
    assert (node / "envguard.toml").read_text() == 'schema = "envguard-schema.toml"\n'

    (node / "envguard-schema.toml").unlink()
    (node / "envguard.toml").write_text('fail_on = "warning"\n')
    code, _, err = run(capsys, "schema", "init")
    assert code == 0 and 'schema = "envguard-schema.toml"' in err
    assert (node / "envguard.toml").read_text() == 'fail_on = "warning"\n'


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("PORT", "8080", "port"),
        ("WORKERS", "4", "int"),
        ("DEBUG", "False", "bool"),
        ("API_URL", "https://x.test", "url"),
        ("ORIGINS", "https://a.test, https://b.test", "url-list"),
        ("ADMIN_EMAIL", "ops@x.test", "email"),
        ("NAME", "shop", None),
        ("EMPTY", "", None),
    ],
)
def test_value_types(key: str, value: str, kind: str | None) -> None:
    assert frameworks.value_type(key, value) == kind
