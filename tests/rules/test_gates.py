"""Name gates are a shortcut: they must never change a finding.

A rule declares the words its keys contain (``Rule.keys``); the engine skips a rule when no key of a
context has one, and hands the rule only the variables that do. That is only right if every key a
rule reports holds one of its words. Every rule runs over a wide corpus (every fixture, both
examples, generated variables with odd key spellings and triggering values) in every environment,
with the generic and some built-in schemas, once gated and once with ``Run(gated=False)`` (every
rule sees every variable), through the public engine; the findings must be identical, order
included.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shortcut_corpus as corpus

from envguard import catalog, engine, envfile, sources
from envguard import schema as schemas
from envguard.findings import Environment, Finding
from envguard.model import Context, Run
from envguard.rules import RULES

SCHEMAS = ("generic", "laravel", "django", "nextjs")
#: every (environment, schema) pair checked, and which share of the key x value rotations it sees:
#: production with the generic schema sees every key with every value, the others a staggered part
CONFIGS: tuple[tuple[Environment, str, int], ...] = (
    (Environment.PRODUCTION, "generic", 1),
    (Environment.EXAMPLE, "generic", 5),
    (Environment.STAGING, "generic", 10),
    (Environment.DEVELOPMENT, "generic", 12),
    (Environment.TEST, "generic", 12),
    (Environment.PRODUCTION, "laravel", 16),
    (Environment.PRODUCTION, "django", 16),
    (Environment.PRODUCTION, "nextjs", 16),
    (Environment.EXAMPLE, "laravel", 32),
    (Environment.STAGING, "nextjs", 32),
)
#: rule families whose findings the corpus must produce, or the comparison would prove little
FAMILIES = ("EG1", "EG2", "EG3", "EG4", "EG5", "EG6", "EG7", "EG8", "EG9")


@functools.cache
def _schema(name: str) -> schemas.Schema:
    # the way `check` loads a schema given by name: catalog.load(ref, cfg.root or Path.cwd())
    return schemas.GENERIC if name == "generic" else catalog.load(name, Path.cwd())


@functools.cache
def _fixture_files() -> tuple[tuple[envfile.EnvFile, str], ...]:
    return tuple((envfile.read(p), sources.display(p)) for p in corpus.fixture_files())


@functools.cache
def _generated_file(offset: int) -> envfile.EnvFile:
    return envfile.parse_text(corpus.as_file(corpus.rotation(offset), offset), f"generated-{offset}.env")


@functools.cache
def _scenario_files() -> tuple[envfile.EnvFile, ...]:
    return tuple(envfile.parse_text(text, f"scenario-{i}.env") for i, text in enumerate(corpus.SCENARIOS))


def contexts(env: Environment, schema_name: str, stride: int, gated: bool) -> Iterator[Context]:
    """Fresh contexts for the corpus, in a run of their own: files as ``check`` builds them, and
    mappings."""
    schema = _schema(schema_name)
    run = Run(b"one key for both runs", gated=gated)  # fingerprints must match between the runs
    for parsed, shown in _fixture_files():
        yield sources.file_context(parsed, env, schema, shown, run)
    for parsed in _scenario_files():
        yield sources.file_context(parsed, env, schema, str(parsed.path), run)
        yield sources.mapping_context(parsed.values(), env, schema, f"env:{parsed.path}", run)
    start = (list(Environment).index(env) + SCHEMAS.index(schema_name)) % stride
    for offset in range(start, len(corpus.VALUES), stride):
        # a process environment, or a file written in varying styles (quotes, export, spaces...)
        if offset % 4 == 1:
            yield sources.file_context(_generated_file(offset), env, schema, f"generated-{offset}.env", run)
        else:
            yield sources.mapping_context(corpus.rotation(offset), env, schema, f"env:{offset}", run)


def run_all(env: Environment, schema_name: str, stride: int, gated: bool = True) -> list[list[Finding]]:
    """Each context's findings, as ``check`` computes them."""
    return [engine.run(ctx, RULES, engine.Selection()) for ctx in contexts(env, schema_name, stride, gated)]


@pytest.fixture(autouse=True)
def _fast_zxcvbn(monkeypatch: pytest.MonkeyPatch) -> None:
    """zxcvbn is a pure function and most of the run's cost: answer each question once."""
    import zxcvbn

    original = zxcvbn.zxcvbn
    answers: dict[tuple[str, tuple[str, ...]], Any] = _ZXCVBN_ANSWERS

    def remembered(password: str, user_inputs: list[str] | None = None) -> Any:
        key = (password, tuple(user_inputs or ()))
        if key not in answers:
            answers[key] = original(password, user_inputs=user_inputs)
        return answers[key]

    monkeypatch.setattr(zxcvbn, "zxcvbn", remembered)


_ZXCVBN_ANSWERS: dict[tuple[str, tuple[str, ...]], Any] = {}


@functools.cache
def baseline(env: Environment, schema_name: str, stride: int) -> tuple[tuple[Finding, ...], ...]:
    """The findings with the gates on (computed once per configuration)."""
    return tuple(tuple(found) for found in run_all(env, schema_name, stride))


def _difference(expected: tuple[Finding, ...], actual: list[Finding]) -> str:
    missing = [f for f in actual if f not in expected]
    extra = [f for f in expected if f not in actual]
    lines = [f"  only without gates: {f.file}:{f.line} {f.key} {f.code} {f.message}" for f in missing]
    lines += [f"  only with gates: {f.file}:{f.line} {f.key} {f.code} {f.message}" for f in extra]
    return "\n".join(lines[:40]) or "  same findings, different order"


@pytest.mark.parametrize(
    ("env", "schema_name", "stride"), CONFIGS, ids=[f"{e.value}-{s}" for e, s, _ in CONFIGS]
)
def test_gates_never_change_findings(env: Environment, schema_name: str, stride: int) -> None:
    expected = baseline(env, schema_name, stride)
    actual = run_all(env, schema_name, stride, gated=False)
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        assert list(want) == got, f"{env.value}/{schema_name}:\n{_difference(want, got)}"


def test_corpus_exercises_every_family_and_gated_rule() -> None:
    found = {f.code for config in CONFIGS for per in baseline(*config) for f in per}
    for family in FAMILIES:
        assert any(code.startswith(family) for code in found), f"the corpus triggers no {family}xx rule"
    gated = {r.code for r in RULES if r.keys}
    assert gated, "no rule declares keys"
    assert gated <= found, f"the corpus never triggers {sorted(gated - found)}"


def test_reported_keys_hold_a_word_of_their_rule() -> None:
    """Every key a gated rule reports, with gates off, holds one of the rule's words."""
    by_code = {r.code: r for r in RULES}
    checked = 0
    for env in (Environment.PRODUCTION, Environment.EXAMPLE, Environment.DEVELOPMENT):
        for found in run_all(env, "generic", 6, gated=False):
            for finding in found:
                rule = by_code[finding.code]
                if rule.keys and finding.key is not None:
                    assert any(word in finding.key.upper() for word in rule.keys), (rule.code, finding.key)
                    checked += 1
    assert checked > 100
