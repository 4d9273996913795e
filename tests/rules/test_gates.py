"""Rule gates and the ``://`` pre-filter are shortcuts: they must never change a finding.

A gate (``Keys``) is a necessary condition on a variable's name in front of a rule's real test, and
``url_valued`` hands the URL rules only values holding ``://``. Both may only skip variables the rule
would not report. Every rule runs over a wide corpus (every fixture, both examples, generated
variables with odd key spellings and triggering values) in every environment, with the generic and
some built-in schemas: once as shipped, once with every gate opened (each gate's substrings become
every character of every corpus key, so every key passes every gate) or the URL pre-filter replaced
by "every variable with a value", and the findings must be identical, order included.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shortcut_corpus as corpus

from envguard import engine, envfile, sources
from envguard import schema as schemas
from envguard.findings import Environment, Finding
from envguard.rules import RULES
from envguard.rules import base as rules_base
from envguard.rules import debug as rules_debug
from envguard.rules.base import Context, Keys, Rule, Variable

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
    # the way `check` loads a schema given by name: schemas.load(ref, cfg.root or Path.cwd())
    return schemas.GENERIC if name == "generic" else schemas.load(name, Path.cwd())


@functools.cache
def _fixture_files() -> tuple[tuple[envfile.EnvFile, str], ...]:
    return tuple((envfile.read(p), sources.display(p)) for p in corpus.fixture_files())


@functools.cache
def _generated_file(offset: int) -> envfile.EnvFile:
    return envfile.parse_text(corpus.as_file(corpus.rotation(offset), offset), f"generated-{offset}.env")


@functools.cache
def _scenario_files() -> tuple[envfile.EnvFile, ...]:
    return tuple(envfile.parse_text(text, f"scenario-{i}.env") for i, text in enumerate(corpus.SCENARIOS))


def contexts(env: Environment, schema_name: str, stride: int) -> Iterator[Context]:
    """Fresh contexts (they memoize) for the corpus: files as ``check`` builds them, and mappings."""
    schema = _schema(schema_name)
    for parsed, shown in _fixture_files():
        yield sources.file_context(parsed, env, schema, shown)
    for parsed in _scenario_files():
        yield sources.file_context(parsed, env, schema, str(parsed.path))
        yield sources.mapping_context(parsed.values(), env, schema, f"env:{parsed.path}")
    start = (list(Environment).index(env) + SCHEMAS.index(schema_name)) % stride
    for offset in range(start, len(corpus.VALUES), stride):
        # a process environment, or a file written in varying styles (quotes, export, spaces...)
        if offset % 4 == 1:
            yield sources.file_context(_generated_file(offset), env, schema, f"generated-{offset}.env")
        else:
            yield sources.mapping_context(corpus.rotation(offset), env, schema, f"env:{offset}")


def run_all(env: Environment, schema_name: str, stride: int,
            rules: tuple[type[Rule], ...] = RULES) -> list[list[Finding]]:
    """Each context's findings, as ``check`` computes them."""
    return [engine.run(ctx, rules, engine.Selection()) for ctx in contexts(env, schema_name, stride)]


def clear_gate_caches() -> None:
    """Forget every gate answer, so the next lookup rebuilds the combined pattern from the gates."""
    rules_base._GATE_CACHE.clear()
    rules_base._GATE_PATTERN.clear()


def _rule_modules() -> list[Any]:
    return [m for name, m in sorted(sys.modules.items()) if name.startswith("envguard.rules.")]


def _every_valued(ctx: Context) -> tuple[Variable, ...]:
    """``url_valued`` without its ``://`` test: every effective variable with a readable value."""
    return tuple(v for v in ctx.last.values() if v.value is not None)


@functools.cache
def _key_characters() -> tuple[str, ...]:
    """Every character of every corpus key, upper-cased: a gate naming them all admits every key.

    (A gate of the single substring ``""`` would say the same through ``Keys.admits``, but
    ``_gates_of`` joins the substrings into one pattern and falls back to a never-matching one when
    the join is empty, so such a gate admits nothing there.)
    """
    keys = set(corpus.KEYS)
    for parsed, _ in _fixture_files():
        keys.update(r.key for r in parsed.records if r.key)
    for parsed in _scenario_files():
        keys.update(r.key for r in parsed.records if r.key)
    return tuple(sorted({c for key in keys for c in key.upper()}))


@contextlib.contextmanager
def gates_open() -> Iterator[None]:
    """Every gate lets every corpus key through; restored (and caches cleared) on the way out."""
    every = _key_characters()
    clear_gate_caches()
    try:
        with pytest.MonkeyPatch.context() as mp:
            assert Keys.registry, "no gates registered"
            for gate in Keys.registry:
                mp.setattr(gate, "literals", every)
            clear_gate_caches()
            yield
    finally:
        clear_gate_caches()


def url_users() -> list[Any]:
    """The rule modules that call ``url_valued``."""
    return [m for m in _rule_modules() if getattr(m, "url_valued", None) is rules_base.url_valued]


@contextlib.contextmanager
def url_filter_off() -> Iterator[None]:
    """The URL rules judge every variable, not only those whose value holds ``://``."""
    with pytest.MonkeyPatch.context() as mp:
        for module in url_users():
            mp.setattr(module, "url_valued", _every_valued)
        yield


@pytest.fixture(autouse=True)
def _fast_zxcvbn(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
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
    clear_gate_caches()
    yield
    clear_gate_caches()


_ZXCVBN_ANSWERS: dict[tuple[str, tuple[str, ...]], Any] = {}


@functools.cache
def baseline(env: Environment, schema_name: str, stride: int) -> tuple[tuple[Finding, ...], ...]:
    """The findings with every shortcut as shipped (computed once per configuration)."""
    clear_gate_caches()
    return tuple(tuple(found) for found in run_all(env, schema_name, stride))


def _difference(expected: tuple[Finding, ...], actual: list[Finding]) -> str:
    missing = [f for f in actual if f not in expected]
    extra = [f for f in expected if f not in actual]
    lines = [f"  only without the shortcut: {f.file}:{f.line} {f.key} {f.code} {f.message}" for f in missing]
    lines += [f"  only with the shortcut: {f.file}:{f.line} {f.key} {f.code} {f.message}" for f in extra]
    return "\n".join(lines[:40]) or "  same findings, different order"


def _compare(env: Environment, schema_name: str, stride: int, shortcut_off: Callable[[], Any],
             rules: tuple[type[Rule], ...] = RULES) -> None:
    codes = {r.code for r in rules}
    expected = [tuple(f for f in found if f.code in codes) for found in baseline(env, schema_name, stride)]
    with shortcut_off():
        actual = run_all(env, schema_name, stride, rules)
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        assert list(want) == got, f"{env.value}/{schema_name}:\n{_difference(want, got)}"


@pytest.mark.parametrize(("env", "schema_name", "stride"), CONFIGS,
                         ids=[f"{e.value}-{s}" for e, s, _ in CONFIGS])
def test_gates_never_change_findings(env: Environment, schema_name: str, stride: int) -> None:
    _compare(env, schema_name, stride, gates_open)


@pytest.mark.parametrize(("env", "schema_name", "stride"), CONFIGS,
                         ids=[f"{e.value}-{s}" for e, s, _ in CONFIGS])
def test_url_prefilter_never_changes_findings(env: Environment, schema_name: str, stride: int) -> None:
    users = url_users()
    assert users, "no rule module calls url_valued any more: drop this test"
    # only the rules of those modules can see a difference; the others are not run twice
    rules = tuple(r for r in RULES if sys.modules[r.__module__] in users)
    assert rules
    _compare(env, schema_name, stride, url_filter_off, rules)


def test_corpus_exercises_every_family() -> None:
    found = {f.code for config in CONFIGS for per in baseline(*config) for f in per}
    for family in FAMILIES:
        assert any(code.startswith(family) for code in found), f"the corpus triggers no {family}xx rule"
    # every rule that walks gated or URL-valued variables reports something, or its gate goes untested
    gated = {r.code for r in RULES if r.__module__ in {m.__name__ for m in _gate_users()}}
    assert gated, "no rule module uses a gate"
    assert gated <= found, f"the corpus never triggers {sorted(gated - found)}"


def _gate_users() -> list[Any]:
    """Rule modules that walk variables through a gate (``effective`` with a gate, ``keyed``)."""
    return [m for m in _rule_modules()
            if getattr(m, "effective", None) is rules_debug.effective
            or getattr(m, "keyed", None) is rules_base.keyed
            or m is rules_debug]


def test_gates_open_admits_every_key_and_is_restored() -> None:
    before = [g.literals for g in Keys.registry]
    every_gate = tuple(range(len(Keys.registry)))
    with gates_open():
        for ctx in contexts(Environment.PRODUCTION, "generic", 3):
            for key in ctx.last:
                assert rules_base._gates_of(key) == every_gate, key
    assert [g.literals for g in Keys.registry] == before
    assert not rules_base._GATE_CACHE and not rules_base._GATE_PATTERN
    assert rules_base._gates_of("APP_DEBUG") != every_gate


def test_reported_keys_pass_the_gate_of_their_rule() -> None:
    """With gates open, each key a rule reports passes the (shipped) gate it walks through.

    A rule's gates are the ones it hands ``effective`` or ``keyed`` while it runs. The secret-name
    gate is left out: rules use it to tell secret names apart, and report secrets found by their
    value too (``test_value_shortcuts`` checks it admits every secret name).
    """
    from envguard.rules.roles import SECRET_NAME_GATE

    shipped = {g.index: g.literals for g in Keys.registry}
    original_effective, original_keyed = rules_debug.effective, rules_base.keyed
    used: dict[str, set[int]] = {}
    current: list[str] = []

    def note(keys: Keys | None) -> None:
        if keys is not None and keys is not SECRET_NAME_GATE:
            used.setdefault(current[0], set()).add(keys.index)

    def recording_effective(ctx: Context, keys: Keys | None = None) -> Iterator[Variable]:
        note(keys)
        return original_effective(ctx, keys)

    def recording_keyed(ctx: Context, keys: Keys) -> tuple[Variable, ...]:
        note(keys)
        return original_keyed(ctx, keys)

    reported: list[tuple[str, str]] = []
    with gates_open(), pytest.MonkeyPatch.context() as mp:
        for module in _rule_modules():  # the debug module included: its rules call its globals
            if getattr(module, "effective", None) is original_effective:
                mp.setattr(module, "effective", recording_effective)
            if getattr(module, "keyed", None) is original_keyed:
                mp.setattr(module, "keyed", recording_keyed)
        for env in (Environment.PRODUCTION, Environment.EXAMPLE, Environment.DEVELOPMENT):
            for ctx in contexts(env, "generic", 6):
                for rule in RULES:
                    if rule.level(env) is None:
                        continue
                    current[:] = [rule.code]
                    found = list(rule().check(ctx))
                    reported.extend((rule.code, f.key) for f in found if f.key is not None)
    seen = set().union(*used.values()) if used else set()
    unused = [shipped[i] for i in shipped if i not in seen and i != SECRET_NAME_GATE.index]
    assert not unused, f"no rule was seen walking the gates {unused}: how do rules reach them?"
    checked = 0
    for code, key in reported:
        gates = used.get(code)
        if not gates:
            continue
        upper = key.upper()
        admitted = any(lit in upper for index in gates for lit in shipped[index])
        assert admitted, f"{code} reports {key}, which none of its gates {[shipped[i] for i in gates]} admits"
        checked += 1
    assert checked > 100
