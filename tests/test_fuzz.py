"""Fuzzing every kind of input envguard reads from strangers: no traceback, exit 0/1/2, no hang.

Each test draws ``FUZZ_EXAMPLES`` inputs (2,000 with the default ``ci`` profile and its fixed seed,
10,000 fresh ones with ``pytest -m fuzz --hypothesis-profile=long``) and hands each to the library
functions ``envguard check`` uses for that kind, in this process (a process per input would take
minutes). An input may give findings, or be refused with an ``EnvguardError`` that is one line and
exit 2; any other exception fails, and so does an input that takes more than ``DEADLINE``.

Inputs are built from one byte string each (``Build``): Hypothesis draws and shrinks the bytes,
which pick tokens, lines and nested values from tables of what breaks each format. One draw per
input keeps the fuzzer's own cost below envguard's, so the whole suite takes about a minute.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import envguard
from envguard import baseline, config, configfiles, engine, envfile, formats, sources
from envguard.errors import EXIT_USAGE, EnvguardError
from envguard.escaping import escape
from envguard.findings import Environment
from envguard.model import Run
from envguard.rules import RULES
from envguard.schema import GENERIC

pytestmark = pytest.mark.fuzz

FUZZ_EXAMPLES = max(2_000, settings.default.max_examples)
DEADLINE = timedelta(seconds=5)
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=DEADLINE,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
SEEDS = st.binary(min_size=8, max_size=128)
ENVIRONMENTS = list(Environment)

KEYS = [
    "SECRET_KEY",
    "APP_KEY",
    "APP_DEBUG",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "CORS_ALLOWED_ORIGINS",
    "CSRF_TRUSTED_ORIGINS",
    "ALLOWED_HOSTS",
    "JWT_SECRET",
    "JWT_ALGORITHM",
    "ADMIN_PASSWORD",
    "VITE_API_KEY",
    "NEXT_PUBLIC_SUPABASE_ANON_KEY",
    "SESSION_COOKIE_SECURE",
    "MAIL_ENCRYPTION",
    "TRUSTED_PROXIES",
    "LOG_LEVEL",
    "APP_ENV",
    "DOTENV_PUBLIC_KEY",
    "lower_key",
    "2FA",
    "a.b",
    "K-1",
    "ADMINADMIN_PASSWORD",
    "CORSCORS_ORIGINS",
    "gOeFUvNZfugG4Ra+hY5Q0PI",
    "K" * 300,
    "",
    "é",
    "services",
    "environment",
    "env_file",
    "envVars",
    "key",
    "value",
    "name",
    "build",
    "nixpacksPlan",
    "variables",
    "environments",
    "salt",
    "findings",
    "file",
    "code",
    "fingerprint",
    "role",
    "alg",
    "<<",
]
VALUES: list[Any] = [
    "true",
    "false",
    "0",
    "1",
    "*",
    "null",
    "changeme",
    "your-key-here",
    "base64:",
    "${X}",
    "${a:-b}",
    "$(id)",
    "http://localhost",
    "https://a.example.com",
    "postgres://u:p@db.example.com:5432/d",
    "redis://:pw@cache.io",
    "sk_live_0123456789abcdef",
    "ghp_0123456789abcdefABCDEF0123456789ab",
    '["https://a.com","*"]',
    "[[[[",
    "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.sig",
    "a@b.co",
    "-----BEGIN PRIVATE KEY-----",
    "encrypted:BAAA",
    "\ufffd",
    "\x00",
    "é☃",
    "1e999",
    "9" * 60,
    "service_role",
    "none",
    "00",
    "EG101",
    "\udcff",
    "line\nbreak",
    " pad ",
    "",
    0,
    1,
    -7,
    2**70,
    1.5,
    True,
    False,
    None,
]
ENV_TOKENS = [
    "=",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\xa0",
    "#",
    "'",
    '"',
    "`",
    "\\",
    "export ",
    "${",
    "}",
    "-----END PRIVATE KEY-----",
    "\ufeff",
    "\x85",
    "\u2028",
    # a file is UTF-8 by the time it is parsed: no lone surrogates here (live values have them)
    *KEYS,
    *(v for v in VALUES if isinstance(v, str) and v != "\udcff"),
]


class Build:
    """Turns one drawn byte string into an input: each byte picks the next choice."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def byte(self) -> int:
        """The next byte (0 once they run out: inputs end small)."""
        value = self.data[self.at] if self.at < len(self.data) else 0
        self.at += 1
        return value

    def pick(self, table: Sequence[Any]) -> Any:
        return table[self.byte() % len(table)]

    def tokens(self, table: Sequence[str], joiner: str = "") -> str:
        """Tokens until the bytes run out."""
        out = []
        while self.at < len(self.data):
            out.append(self.pick(table))
        return joiner.join(out)

    def tree(self, depth: int = 0) -> Any:
        """A nested value: scalars, lists and maps of the tables' keys, up to five levels."""
        kind = self.byte() % 8
        if depth >= 5 or kind < 3 or self.at >= len(self.data):
            return self.pick(VALUES)
        count = self.byte() % 5
        if kind < 5:
            return [self.tree(depth + 1) for _ in range(count)]
        return {self.pick(KEYS): self.tree(depth + 1) for _ in range(count)}

    def shared(self) -> Any:
        """A tree in which one subtree appears several times (YAML writes it as an alias)."""
        part = self.tree(1)
        return {
            "services": {f"s{i}": {"environment": part} for i in range(1 + self.byte() % 4)},
            **({"x-more": self.tree()} if self.byte() % 2 else {}),
        }


def _sound(action: Callable[[], object]) -> None:
    """Run ``action``: it may finish or refuse its input in one line, with exit 2."""
    try:
        action()
    except EnvguardError as exc:
        assert exc.exit_code == EXIT_USAGE, exc
        assert len(escape(exc.message).splitlines()) == 1  # as ``errors.fail`` prints it: one line


def _judge(contexts: list[Any]) -> None:
    """The rules on each context, and the text and JSON reports of what they found."""
    found = []
    for ctx in contexts:
        for var in ctx.variables:  # every string a rule meets can be encoded (fingerprinted, printed)
            var.key.encode("utf-8")
            (var.value or "").encode("utf-8")
        found.extend(configfiles.label(ctx, engine.run(ctx, RULES)))
    report = formats.Report(tuple(found), tuple(ctx.source for ctx in contexts), RULES)
    formats.get("text").render(report)
    json.loads(formats.get("json").render(report))


def _place(tmp_path_factory: pytest.TempPathFactory, kind: str) -> Path:
    folder = tmp_path_factory.getbasetemp() / f"fuzz-{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates: bytes that are not UTF-8


# -- env files --------------------------------------------------------------------------------


@FUZZ
@given(SEEDS)
def test_env_files(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    text = build.tokens(ENV_TOKENS)
    parsed = envfile.parse_text(text, _place(tmp_path_factory, "env") / ".env.production")
    assert parsed.render() == text
    _sound(lambda: _judge([sources.file_context(parsed, env, GENERIC, ".env.production")]))


# -- deploy files -----------------------------------------------------------------------------

YAML_LINES = [
    "services:",
    "  web:",
    "  web2: *a",
    "  web3: &a",
    "    environment:",
    "    environment: *e",
    "    environment: &e",
    "      SECRET_KEY: hunter2",
    "      DEBUG:",
    "      A: 1",
    "      A: {b: 1}",
    "      - SECRET_KEY=x",
    "      - DEBUG",
    "      - [x]",
    "      <<: *e",
    "    env_file: .env",
    "    env_file:",
    "      - path: .env.x",
    "        required: no",
    "    env_file: {path: x}",
    "    image: x",
    "  - web",
    "envVars:",
    "  - key: SECRET_KEY",
    "    value: hunter2",
    "    value:",
    "    value: [1]",
    "    sync: false",
    "  - fromGroup: g",
    "envVarGroups:",
    "  - name: g",
    "    envVars:",
    "      - key: JWT_SECRET",
    "        value: x",
    "- ",
    "[",
    "{",
    "'",
    '"',
    "? x",
    "!!binary x",
    "---",
    "...",
    "&x [*x]",
    "<<: 1",
    "\t",
    "~",
    "#",
    "- - - - - - - - x",
]


def _yaml(build: Build) -> str:
    shape = build.byte() % 3
    if shape == 0:
        return build.tokens(YAML_LINES, "\n")
    document = build.shared() if shape == 1 else build.tree()
    try:
        return yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:  # a value PyYAML cannot write (a lone surrogate): its escaped form
        return yaml.safe_dump(document, allow_unicode=False)


def _check_deploy_file(folder: Path, name: str, text: str, env: Environment) -> None:
    path = folder / name
    _write(path, text)

    def run() -> None:
        configfiles.env_files(path)
        _judge(configfiles.contexts(path, name, env, GENERIC, Run(b"fuzz")))

    _sound(run)


@FUZZ
@given(SEEDS)
def test_compose_files(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    _check_deploy_file(_place(tmp_path_factory, "compose"), "compose.yaml", _yaml(build), env)


@FUZZ
@given(SEEDS)
def test_render_blueprints(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    _check_deploy_file(_place(tmp_path_factory, "render"), "render.yaml", _yaml(build), env)


JSON_TOKENS = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    '"',
    '"build"',
    '"nixpacksPlan"',
    '"variables"',
    '"environments"',
    '"K"',
    '"v"',
    "1",
    "9" * 5000,
    "1e999",
    "null",
    "true",
    '"\\u0000"',
    '"\\ud800"',
    " ",
    "\n",
    "[" * 80,
    '{"build": {"nixpacksPlan": {"variables": {',
]


def _json(build: Build) -> str:
    if build.byte() % 4 == 0:
        return build.tokens(JSON_TOKENS)
    strings = [v for v in VALUES if isinstance(v, str)]
    # mostly what Nixpacks reads: names to strings
    variables = {build.pick(KEYS): build.pick(strings) for _ in range(build.byte() % 6)}
    plan = {
        "build": {"nixpacksPlan": {"variables": variables if build.byte() % 3 else build.tree(2)}},
        "environments": build.tree(1),
    }
    return json.dumps(plan if build.byte() % 2 else build.tree())


@FUZZ
@given(SEEDS)
def test_railway_json(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    _check_deploy_file(_place(tmp_path_factory, "railway-json"), "railway.json", _json(build), env)


TOML_LINES = [
    "[build]",
    "[build.nixpacksPlan]",
    "[build.nixpacksPlan.variables]",
    "[variables]",
    "[environments.production.build.nixpacksPlan.variables]",
    "[[environments]]",
    "[deploy]",
    'builder = "NIXPACKS"',
    'SECRET_KEY = "changeme"',
    "APP_DEBUG = 'true'",
    "PORT = 3000",
    "WHEN = 1979-05-27T07:32:00Z",
    "LIST = [1, 'a', [2]]",
    "TABLE = {a = 1, b = {c = 'd'}}",
    '"quoted key" = "x"',
    'MULTI = """a\nb"""',
    "x = " + "[" * 80 + "]" * 80,
    "n = " + "9" * 5000,
    "variables = 1",
    "build = []",
    "environments = {prod = []}",
    "inf = inf",
    "# comment",
    "",
    'K = "\\u0000"',
    "K = 'unterminated",
    "= 1",
    'DATABASE_URL = "postgres://u:p@h/d"',
    'JWT_SECRET = "x"',
    'K = "\\ud800"',
    "[environments.staging]",
    "A.B = 1",
    "é = 'é'",
]


@FUZZ
@given(SEEDS)
def test_railway_toml(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    text = build.tokens(TOML_LINES, "\n")
    _check_deploy_file(_place(tmp_path_factory, "railway-toml"), "railway.toml", text, env)


@FUZZ
@given(SEEDS)
def test_nixpacks_toml(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    text = build.tokens(TOML_LINES, "\n")
    _check_deploy_file(_place(tmp_path_factory, "nixpacks"), "nixpacks.toml", text, env)


# -- baselines and configuration --------------------------------------------------------------


@FUZZ
@given(SEEDS)
def test_baselines(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    if build.byte() % 4 == 0:
        text = build.tokens(JSON_TOKENS)
    else:
        entries = [
            {
                "file": build.pick([".env", *VALUES]),
                "key": build.pick(VALUES),
                "code": build.pick(["EG101", *VALUES]),
                "fingerprint": build.pick(VALUES),
            }
            for _ in range(build.byte() % 4)
        ]
        document = {
            "version": 1,
            "salt": build.pick(["00", "zz", "", *VALUES]),
            "findings": entries if build.byte() % 3 else build.tree(),
        }
        text = json.dumps(document if build.byte() % 4 else build.tree())
    path = _place(tmp_path_factory, "baseline") / "baseline.json"
    _write(path, text)
    _sound(lambda: baseline.load(path))


CONFIG_LINES = [
    'schema = "laravel"',
    'fail-on = "error"',
    "fail_on = []",
    'select = ["EG1", "weak-secret"]',
    "ignore = 1",
    "[[overrides]]",
    'files = ["*.env"]',
    'files = "x"',
    'env = "production"',
    "env = 1",
    "[env]",
    '"*.env" = "test"',
    '"deploy/*" = 2',
    "[targets.prod]",
    'uri = "vault://a/b"',
    "targets = 1",
    "overrides = 1",
    "overrides = [1]",
    "baseline = '.b.json'",
    "example = 3",
    "exclude = ['x']",
    "colour = true",
    "x = " + "[" * 80 + "]" * 80,
    "[tool]",
    "tool = 1",
    "[tool.envguard]",
    "envguard = 1",
    "schema = {a = 1}",
    "env = {'*' = []}",
    "[overrides]",
]


@FUZZ
@given(SEEDS)
def test_configuration(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    build = Build(data)
    name = build.pick(["envguard.toml", "pyproject.toml"])
    text = build.tokens(CONFIG_LINES, "\n")
    folder = _place(tmp_path_factory, "config")
    for other in ("envguard.toml", "pyproject.toml"):
        (folder / other).unlink(missing_ok=True)
    if name == "pyproject.toml" and build.byte() % 2:
        text = "[tool.envguard]\n" + text
    _write(folder / name, text)

    def run() -> None:
        found = config.find(folder / ".env.production")  # a new lookup: the disk is read again
        found.env_for(folder / ".env.production")
        found.schema_for(folder / "deploy" / ".env")

    _sound(run)


# -- JWT-shaped values in live configuration ----------------------------------------------------


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8", "surrogatepass")).decode().rstrip("=")


def _jwt(build: Build) -> str:
    parts = [
        json.dumps(build.tree()) if build.byte() % 3 else build.tokens(JSON_TOKENS[:12]) for _ in range(2)
    ]
    header, payload = (("eyJ" + _b64(part)[3:]) if build.byte() % 2 else _b64(part) for part in parts)
    return ".".join([header, payload, build.pick(["sig", "", "a.b", "=="])])


@FUZZ
@given(st.binary(min_size=8, max_size=64))  # smaller: a whole live check runs for each
def test_jwt_shaped_values(data: bytes) -> None:
    build = Build(data)
    env = build.pick(ENVIRONMENTS)
    keys = ["SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "JWT_SECRET", "TOKEN", "VITE_SUPABASE_KEY"]
    environ = {build.pick(keys): _jwt(build) for _ in range(1 + build.byte() % 3)}
    _sound(lambda: envguard.check_env(environ, env=env))
