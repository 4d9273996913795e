"""Config files that carry environment: compose, render.yaml, railway.json/toml, nixpacks.toml."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from envguard import cli, configfiles
from envguard.findings import Environment
from envguard.model import Context, Variable
from envguard.rules.leak.deploy import hard_coded_secret
from envguard.schema import GENERIC

CANARY = "canary-secret-7hG2kQ9w"

COMPOSE = f"""\
services:
  web:
    image: shop
    env_file:
      - .env.production
      - path: ./.env.local
        required: false
    environment:
      DEBUG: "true"
      SECRET_KEY: {CANARY}
      DB_PASSWORD: ${{DB_PASSWORD}}
      FROM_HOST:
  worker:
    env_file: .env.worker
    environment:
      - QUEUE=redis
      - API_TOKEN={CANARY}
      - QUEUE=sqs
      - "PASSTHROUGH"
  db:
    image: postgres
"""

RENDER = f"""\
services:
  - type: web
    name: api
    envVars:
      - key: SECRET_KEY
        generateValue: true
      - key: STRIPE_SECRET_KEY
        sync: false
      - key: DATABASE_URL
        fromDatabase: {{name: db, property: connectionString}}
      - key: REDIS_URL
        fromService: {{type: redis, name: cache, property: connectionString}}
      - key: JWT_SECRET
        value: {CANARY}
      - key: LOG_LEVEL
        value: info
      - fromGroup: shared
envVarGroups:
  - name: shared
    envVars:
      - key: MAIL_PASSWORD
        value: "{CANARY}"
"""


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]], str]:
    """Run ``envguard check ARGV -f json`` in-process: (exit code, findings, stderr)."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", *argv, "-f", "json"])
    out, err = capsys.readouterr()
    assert CANARY not in out + err
    findings = json.loads(out)["findings"] if out else []
    return int(exited.value.code or 0), findings, err


def where(findings: list[dict[str, Any]], code: str) -> list[tuple[str, int, str | None, str]]:
    """(file, line, key, message) of each finding with ``code``."""
    return [(f["file"], f["line"], f["key"], f["message"]) for f in findings if f["code"] == code]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a compose file, the env file it names, and a render.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / ".env.production").write_text("SECRET_KEY=x\nNOT A LINE\n")
    (tmp_path / "render.yaml").write_text(RENDER)
    return tmp_path


def test_compose_both_forms_and_env_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, err = check(capsys, "compose.yaml")
    assert code == 1
    assert where(findings, "EG321") == [
        ("compose.yaml", 10, "SECRET_KEY", "SECRET_KEY is a secret written into compose.yaml (service web)"),
        ("compose.yaml", 17, "API_TOKEN", "API_TOKEN is a secret written into compose.yaml (service worker)"),
    ]  # ${DB_PASSWORD} is kept as written and is not a hard-coded secret
    secret = next(f for f in findings if f["code"] == "EG321")
    assert secret["column"] == 19 and secret["category"] == "leak" and secret["fingerprint"]
    assert where(findings, "EG105") == [
        ("compose.yaml", 18, "QUEUE", "QUEUE is defined again (first on line 16) (service worker)")
    ]
    # the env_file is checked as the env file it names
    assert [place[:2] for place in where(findings, "EG101")] == [(".env.production", 2)]
    assert "compose.yaml:14: env_file .env.worker not found, not checked" in err
    assert ".env.local" not in err  # required: false
    assert "in 2 files" in err


def test_compose_services_and_env_keys(project: Path) -> None:
    ctxs = configfiles.contexts(
        project / "compose.yaml", "compose.yaml", Environment.PRODUCTION, GENERIC, b"k"
    )
    assert [getattr(c, "service", None) for c in ctxs] == ["service web", "service worker"]
    web = {v.key: (v.value, v.line) for v in ctxs[0].variables}
    assert web["DB_PASSWORD"] == ("${DB_PASSWORD}", 11)
    assert web["FROM_HOST"] == (None, 12)  # passed through from the host: present, value unknown
    assert web["SECRET_KEY"][1] == 10  # environment: wins over the env_file's SECRET_KEY
    worker = [(v.key, v.value, v.line) for v in ctxs[1].variables]
    assert worker[-1] == ("PASSTHROUGH", None, 19)


def test_dev_compose_files_may_hold_local_passwords(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docker-compose.dev.yml").write_text(
        "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
    )
    code, findings, _ = check(capsys, "docker-compose.dev.yml")
    assert code == 0 and where(findings, "EG321") == []


def test_render_hard_coded_secrets_versus_platform_values(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, findings, _ = check(capsys, "render.yaml")
    assert code == 1
    assert where(findings, "EG320") == [
        ("render.yaml", 14, "JWT_SECRET", "JWT_SECRET is a secret written into render.yaml (service api)"),
        (
            "render.yaml",
            22,
            "MAIL_PASSWORD",
            "MAIL_PASSWORD is a secret written into render.yaml (env group shared)",
        ),
    ]
    assert {f["severity"] for f in findings if f["code"] == "EG320"} == {"error"}


def test_render_blueprint_of_the_seed_guide_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "render.yaml").write_text(
        "services:\n  - type: web\n    name: api\n    envVars:\n"
        "      - key: DATABASE_URL\n        sync: false\n"
        "      - key: SECRET_KEY\n        generateValue: true\n"
        "      - key: JWT_SECRET_KEY\n        generateValue: true\n"
    )
    code, findings, err = check(capsys, "render.yaml")
    assert (code, findings) == (0, []) and "in 1 file" in err


def test_folder_scan_finds_config_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "docker-compose.prod.yml").write_text(
        "services:\n  app:\n    environment:\n      - DATABASE_URL=postgres://app:hunter2@db.internal/app\n"
    )
    _, findings, _ = check(capsys, ".")
    files = {f["file"] for f in findings}
    assert {"compose.yaml", "render.yaml", ".env.production", "sub/docker-compose.prod.yml"} <= files
    assert len([f for f in findings if f["code"] == "EG101"]) == 1  # the env file is checked once


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "railway.json",
            '{\n  "build": {\n    "nixpacksPlan": {\n      "variables": {\n'
            f'        "NODE_ENV": "production",\n        "API_SECRET": "{CANARY}"\n'
            "      }\n    }\n  }\n}\n",
            6,
        ),
        (
            "railway.toml",
            f'[build]\nbuilder = "NIXPACKS"\n\n[build.nixpacksPlan.variables]\nAPI_SECRET = "{CANARY}"\n',
            5,
        ),
        (
            "nixpacks.toml",
            f'[phases.setup]\nnixPkgs = ["python311"]\n\n[variables]\nAPI_SECRET = "{CANARY}"\n',
            5,
        ),
    ],
)
def test_railway_and_nixpacks_variables(
    name: str,
    text: str,
    line: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text)
    code, findings, _ = check(capsys, name)
    assert code == 1
    assert where(findings, "EG321") == [
        (name, line, "API_SECRET", f"API_SECRET is a secret written into {name}")
    ]


def test_malformed_yaml_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "compose.yaml").write_text(f"services:\n  web:\n    environment: [{CANARY}\n")
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", "compose.yaml"])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and out == ""
    assert err.startswith("envguard: error: compose.yaml:") and "not valid YAML" in err
    assert len(err.splitlines()) == 1 and CANARY not in err


def test_yaml_is_imported_only_for_config_files(tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text("APP_NAME=shop\n")
    probe = (
        "import sys\nfrom envguard import cli\ntry:\n    cli.main(['check', '.env.production', '-q'])\n"
        "except SystemExit:\n    pass\nprint('yaml' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")


@pytest.mark.parametrize(
    ("key", "value", "flagged"),
    [
        ("SECRET_KEY", "9f8a7b6c5d4e3f2a", True),
        ("STRIPE_SECRET_KEY", "sk_live_abc", True),
        ("DB_PASSWORD", "hunter2", True),
        ("GITHUB_TOKEN", "ghp_x", True),
        ("DATABASE_URL", "postgres://app:hunter2@db/app", True),
        ("DATABASE_URL", "postgres://db/app", False),
        ("DB_PASSWORD", "${DB_PASSWORD}", False),
        ("DB_PASSWORD", "$DB_PASSWORD", False),
        ("SECRET_KEY", "", False),
        ("STRIPE_PUBLISHABLE_KEY", "pk_live_abc", False),
        ("AWS_ACCESS_KEY_ID", "AKIA123", False),
        ("PASSWORD_FILE", "/run/secrets/db", False),
        ("LOG_LEVEL", "info", False),
        ("TOKEN_URL", "https://auth.example.com/token", False),
    ],
)
def test_what_counts_as_a_hard_coded_secret(key: str, value: str, flagged: bool) -> None:
    ctx = Context(source="compose.yaml", env=Environment.PRODUCTION, variables=())
    assert hard_coded_secret(ctx, Variable(key, value)) is flagged


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("compose.yaml", "compose"),
        ("compose.yml", "compose"),
        ("docker-compose.yml", "compose"),
        ("docker-compose.prod.yaml", "compose"),
        ("compose.override.yml", "compose"),
        ("render.yaml", "render"),
        ("railway.json", "railway"),
        ("railway.toml", "railway"),
        ("nixpacks.toml", "nixpacks"),
        ("compose.json", None),
        ("my-compose.yml", None),
        (".env", None),
    ],
)
def test_config_file_names(name: str, kind: str | None) -> None:
    assert configfiles.kind_of(name) == kind


LAUGHS = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]\n" for i in range(1, 7))
HOSTILE_DEPLOY_FILES = {
    "railway.json nested": ("railway.json", "[" * 100_000 + "]" * 100_000, ":1: nested more than 64 deep"),
    "railway.toml nested": (
        "railway.toml",
        "x = " + "[" * 100_000 + "]" * 100_000,
        ":1: nested more than 64 deep",
    ),
    "nixpacks.toml nested": (
        "nixpacks.toml",
        "x = " + "{a = " * 50_000 + "1" + "}" * 50_000,
        ":1: nested more than 64 deep",
    ),
    "compose.yaml nested list": ("compose.yaml", "- " * 100_000 + "x\n", ":1: nested more than 64 deep"),
    # libyaml (PyYAML's C parser) stops at its own depth before envguard's bound: one line either way
    "compose.yaml nested flow": ("compose.yaml", "[" * 100_000, "nest"),
    "compose.yaml nested map": (
        "compose.yaml",
        "".join(f"{' ' * i}k{i}:\n" for i in range(200)),
        ":65: nested more than 64 deep",
    ),
    "billion laughs": (
        "compose.yaml",
        "l0: &l0 [lol]\n" + LAUGHS + "services: *l6\n",
        "YAML aliases expand to more than 100,000 nodes",
    ),
    "railway.json huge integer": (
        "railway.json",
        '{"build": {"nixpacksPlan": {"variables": {"PORT": ' + "9" * 5000 + "}}}}",
        "must be a string, not a number",
    ),
    "nixpacks.toml huge integer": (
        "nixpacks.toml",
        "[variables]\nPORT = " + "9" * 5000 + "\n",
        "an integer longer than TOML allows",
    ),
    "nixpacks.toml number": (
        "nixpacks.toml",
        "[variables]\nPORT = 3000\n",
        ":2: `variables.PORT` must be a string, not a number",
    ),
    "nixpacks.toml date": ("nixpacks.toml", "[variables]\nWHEN = 1979-05-27\n", "not a date or time"),
    "nixpacks.toml list": ("nixpacks.toml", "variables = [1]\n", "`variables` must be a map, not a list"),
    "railway.json map value": (
        "railway.json",
        '{"build": {"nixpacksPlan": {"variables": {"A": {"b": 1}}}}}',
        "`build.nixpacksPlan.variables.A` must be a string, not a map",
    ),
    "railway.json build list": ("railway.json", '{"build": []}', "`build` must be a map, not a list"),
    "railway.toml environments": (
        "railway.toml",
        "environments = 1\n",
        "`environments` must be a map, not a number",
    ),
    "railway.json environment list": (
        "railway.json",
        '{"environments": {"prod": []}}',
        "`environments.prod` must be a map, not a list",
    ),
    "compose services list": (
        "compose.yaml",
        "services:\n  - web\n",
        ":2: `services` must be a mapping of service names, not a list",
    ),
    "compose service scalar": ("compose.yaml", "services:\n  web: 1\n", "`services.web` must be a mapping"),
    "compose environment map value": (
        "compose.yaml",
        "services:\n  web:\n    environment:\n      A:\n        b: 1\n",
        ":5: `services.web.environment.A` must be a string",
    ),
    "compose environment scalar": (
        "compose.yaml",
        "services:\n  web:\n    environment: DEBUG=1\n",
        "`services.web.environment` must be a mapping or a list",
    ),
    "compose environment nested list": (
        "compose.yaml",
        "services:\n  web:\n    environment:\n      - [A=1]\n",
        "`services.web.environment items` must be",
    ),
    "compose env_file map": (
        "compose.yaml",
        "services:\n  web:\n    env_file: {path: .env}\n",
        "`services.web.env_file` must be a path or a list of paths",
    ),
    "compose top list": ("compose.yaml", "- a\n", "`the file` must be a mapping"),
    "compose long key": (
        "compose.yaml",
        "services:\n  web:\n    environment:\n      " + "K" * 300 + ": x\n",
        ":4: a variable name 300 characters long",
    ),
    "render services map": ("render.yaml", "services:\n  api: {}\n", "`services` must be a list"),
    "render value map": (
        "render.yaml",
        "services:\n  - name: api\n    envVars:\n      - key: A\n        value: {b: 1}\n",
        ":5: `services[].envVars[A].value` must be a string",
    ),
    "render envVars scalar": (
        "render.yaml",
        "services:\n  - name: api\n    envVars: A=1\n",
        "`services[].envVars` must be a list",
    ),
}


@pytest.mark.parametrize(
    ("name", "text", "fragment"), HOSTILE_DEPLOY_FILES.values(), ids=HOSTILE_DEPLOY_FILES.keys()
)
def test_hostile_deploy_files_are_one_line_exit_2(
    name: str,
    text: str,
    fragment: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text)
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", name])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and out == "", err
    assert err.startswith(f"envguard: error: {name}") and len(err.splitlines()) == 1, err
    assert fragment in err and "internal error" not in err


ACCEPTED_DEPLOY_FILES = {
    "railway.json nulls": ("railway.json", '{"build": null, "environments": {"prod": null}}'),
    "railway.json null variables": ("railway.json", '{"build": {"nixpacksPlan": {"variables": null}}}'),
    "railway.json huge number elsewhere": ("railway.json", '{"deploy": {"numReplicas": ' + "9" * 5000 + "}}"),
    "railway.toml other tables": ("railway.toml", '[deploy]\nstartCommand = "x"\nwhen = 1979-05-27\n'),
    "compose null environment": ("compose.yaml", "services:\n  web:\n    environment:\n    image: x\n"),
    "compose scalars": (
        "compose.yaml",
        "services:\n  web:\n    environment:\n      A: 1\n      B: true\n      C: ~\n      D: 1.5\n",
    ),
    "compose merge keys": (
        "compose.yaml",
        "x-env: &env\n  LOG_LEVEL: info\nservices:\n  web:\n"
        "    environment:\n      <<: *env\n      APP_NAME: shop\n",
    ),
    "compose empty": ("compose.yaml", ""),
    "compose no services": ("compose.yaml", "services:\n"),
    "render link": ("render.yaml", "services:\n  - name: api\n    envVars:\n      - fromGroup: shared\n"),
}


@pytest.mark.parametrize(("name", "text"), ACCEPTED_DEPLOY_FILES.values(), ids=ACCEPTED_DEPLOY_FILES.keys())
def test_what_the_tools_accept_is_read(
    name: str, text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(text)
    code, _findings, err = check(capsys, name)
    assert code == 0, err


def test_merge_keys_bring_their_variables(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text(
        "x-env: &env\n  LOG_LEVEL: info\n  APP_NAME: base\nservices:\n  web:\n"
        "    environment:\n      <<: *env\n      APP_NAME: shop\n"
    )
    (ctx,) = configfiles.contexts(path, "compose.yaml", Environment.PRODUCTION, GENERIC, b"k")
    assert [(v.key, v.value, v.line) for v in ctx.variables] == [
        ("LOG_LEVEL", "info", 2),
        ("APP_NAME", "shop", 8),
    ]


def test_services_that_are_aliases_of_one_are_checked_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    variables = "".join(f"      SECRET_{i}: hunter2-{i}\n" for i in range(50))
    aliases = "".join(f"  web{i}: *base\n" for i in range(1, 300))
    (tmp_path / "compose.yaml").write_text(
        f"services:\n  web0: &base\n    image: shop\n    environment:\n{variables}{aliases}"
    )
    code, findings, _ = check(capsys, "compose.yaml")
    assert code == 1
    secrets = where(findings, "EG321")
    assert len(secrets) == 50  # once per variable, not once per variable and alias
    assert secrets[0][3].endswith("(services web0, web1, web2 and 297 more)")


def test_a_json_escape_of_a_lone_surrogate_is_a_finding_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "railway.json").write_text(
        '{"build": {"nixpacksPlan": {"variables": {"SECRET_KEY": "abc\\ud800def", "K\\udcff": "x"}}}}'
    )
    code, findings, err = check(capsys, "railway.json")
    assert code == 1, err
    assert sorted(f["key"] for f in findings if f["code"] == "EG110") == ["K\ufffd", "SECRET_KEY"]
