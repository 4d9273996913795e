"""Shortcuts in front of name and value patterns must never change an answer.

* ``tokens.identify`` gives up on stripped values shorter than ``_SHORTEST``;
* ``roles.secret_name`` and ``schema_checks._secret_by_name`` search ``SECRET_HINT`` first;
* ``schema_checks.hosts`` returns early for values with no ``.`` and no ``_BARE_HINT`` match;
* ``base._gates_of`` matches every gate's substrings in one pattern;
* the rules that look for secret names walk only the keys ``roles.SECRET_NAME_GATE`` lets through.

Each is compared with the computation written out without the shortcut, over the keys and values
of the gate corpus plus generated variants.
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import shortcut_corpus as corpus

from envguard.rules import base, roles, schema_checks, tokens

_parser: Any = importlib.import_module("re._parser")


def min_width(pattern: re.Pattern[str]) -> int:
    """The fewest characters ``pattern`` can match."""
    return int(_parser.parse(pattern.pattern, pattern.flags).getwidth()[0])


# -- tokens.identify: _SHORTEST ------------------------------------------------------------------


def test_shortest_is_no_longer_than_any_match() -> None:
    shortest = tokens._SHORTEST
    assert min_width(tokens._ANY_FORMAT) >= shortest
    assert min_width(tokens._JWT) >= shortest
    assert min_width(tokens._PEM) >= shortest
    for pattern, token in tokens._FORMATS:
        assert min_width(pattern) >= shortest, token.label


def test_min_width_helper_is_right() -> None:
    assert min_width(re.compile(r"xox[ab]-[A-Z]{10,}")) == 15
    assert min_width(re.compile(r"a|bc")) == 1


@pytest.fixture
def no_shortest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "_SHORTEST", 0)


def _short_values() -> list[str]:
    """Values around the length limit: every prefix and suffix of credential-shaped values."""
    found: list[str] = []
    shaped = [v for v in corpus.VALUES if tokens.identify(v) is not None]
    assert len(shaped) > 10
    for value in shaped:
        for cut in range(len(value) + 1):
            found.extend((value[:cut], value[cut:], f" {value[:cut]} "))
    rng = random.Random(3)
    for _ in range(3000):
        prefix = rng.choice(["xoxb-", "xoxp-", "npm_", "sk-", "SG.", "AC", "SK", "AKIA", "eyJ", "whsec_",
                             "ghp_", "glpat-", "sk_live_", "123456:AA", "sb_secret_", ""])
        body = "".join(rng.choice("abcdefABCDEF0123456789_-.") for _ in range(rng.randint(0, 20)))
        found.append(prefix + body)
    return found


def test_identify_is_unchanged_without_the_length_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [*corpus.texts(), *_short_values()]
    shipped = [tokens.identify(v) for v in values]
    monkeypatch.setattr(tokens, "_SHORTEST", 0)
    unshortened = [tokens.identify(v) for v in values]
    for value, want, got in zip(values, unshortened, shipped, strict=True):
        assert want == got, repr(value)
    assert sum(t is not None for t in shipped) > 50


# -- secret names ---------------------------------------------------------------------------------


def _names() -> list[str]:
    found = corpus.names()
    # characters whose upper case is ASCII, or longer: U+017F -> S, U+0131 -> I, U+00DF -> SS, U+FB00 -> FF
    found += ["pa\u017fsword", "PA\u017f\u017f", "\u017fecret", "pr\u0131vate", "toke\ufb00", "pa\u00dfword",
              "api_\u212aey", "s\u0131gn_key", "TOK\u0395N", "\u00c9_PASSWORD", "_KEY", "KEY_", "K_E_Y", ""]
    return list(dict.fromkeys(found))


def _secret_name_reference(key: str) -> bool:
    upper = key.upper()
    return bool(roles._URL_SECRET_NAME.search(upper)
                or (roles._SECRET_NAME.search(upper) and not roles._SETTING_NAME.search(upper)))


def _secret_by_name_reference(key: str) -> bool:
    upper = key.upper()
    return bool(schema_checks._SECRET_NAME.search(upper)) and not schema_checks._SETTING_NAME.search(upper)


@pytest.fixture
def fresh_name_caches() -> Iterator[None]:
    roles.secret_name.cache_clear()
    schema_checks._secret_by_name.cache_clear()
    yield
    roles.secret_name.cache_clear()
    schema_checks._secret_by_name.cache_clear()


@pytest.mark.usefixtures("fresh_name_caches")
def test_secret_name_hint_changes_nothing() -> None:
    names = _names()
    assert len(names) > 3000
    positives = 0
    for name in names:
        want = _secret_name_reference(name)
        assert roles.secret_name(name) == want, name
        positives += want
    assert positives > 300


@pytest.mark.usefixtures("fresh_name_caches")
def test_schema_secret_by_name_hint_changes_nothing() -> None:
    positives = 0
    for name in _names():
        want = _secret_by_name_reference(name)
        assert schema_checks._secret_by_name(name) == want, name
        positives += want
    assert positives > 300


@pytest.mark.usefixtures("fresh_name_caches")
def test_secret_name_gate_admits_every_secret_name() -> None:
    """``secret_names`` and the schema rules' ``_plain`` walk only keys through this gate."""
    gate = roles.SECRET_NAME_GATE
    for name in _names():
        if roles.secret_name(name) or schema_checks._secret_by_name(name):
            assert gate.admits(name), name


@pytest.mark.usefixtures("fresh_name_caches")
def test_name_hints_are_wide_enough_by_pattern() -> None:
    """Every way the name patterns can match holds a hint word: checked on the patterns' words."""
    for hint, patterns in ((roles.SECRET_HINT, (roles._SECRET_NAME, roles._URL_SECRET_NAME)),
                           (schema_checks.SECRET_HINT, (schema_checks._SECRET_NAME,))):
        for pattern in patterns:
            words = re.findall(r"[A-Z][A-Z_]+", pattern.pattern)
            for word in words:
                for variant in (word, f"X_{word}", f"{word}_X", word.replace("_", "")):
                    if pattern.search(variant):
                        assert hint.search(variant), (pattern.pattern, variant)


def _overlapping_names(literals: list[str], seed: int, count: int) -> list[str]:
    """Names glued from substrings, their prefixes and suffixes: gate substrings overlapping at
    every offset (``CSRF_TRUSTED_ORIGINS`` holds ``CSRF``, ``ORIGIN`` and ``TRUSTED``...)."""
    pieces = sorted({p for lit in literals for p in (lit, lit[:2], lit[1:], lit[:-1], lit[-2:])} | {"_", "X"})
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        name = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        names.append(name.lower() if rng.random() < 0.2 else name)
    return names


def _assert_gates_of_is_the_definition(names: list[str]) -> None:
    base._GATE_CACHE.clear()
    base._GATE_PATTERN.clear()
    try:
        for name in names:
            want = tuple(g.index for g in base.Keys.registry if g.admits(name))
            assert base._gates_of(name) == want, (name, [g for g in base.Keys.registry if g.admits(name)])
    finally:
        base._GATE_CACHE.clear()
        base._GATE_PATTERN.clear()


def test_gates_of_matches_the_definition() -> None:
    """``_gates_of`` answers with one combined pattern: the same as asking each gate."""
    literals = [lit for gate in base.Keys.registry for lit in gate.literals]
    _assert_gates_of_is_the_definition(
        [*_names(), *corpus.texts()[:3000], *_overlapping_names(literals, 17, 6000)])


@pytest.mark.parametrize("gates", [
    [("AB",), ("ABC",), ("BC",), ("C",), ("ABCD", "D")],
    [("A",), ("AA",), ("AAA",), ("A", "AA")],
    [("ENV",), ("ENVIRONMENT", "ENV_"), ("MENT",), ("RON",)],
    [("CORS", "ALLOWED_ORIGIN"), ("CORS", "ALLOWED_ORIGIN", "CSRF_TRUSTED_ORIGINS"), ("ORIGINS",), ("CSRF",)],
    [("PUBLIC_", "NEXT_PUBLIC_", "VITE_"), ("PUB",), ("LIC_",), ("T_P",)],
    [("", "X"), ("X",), ("Y",)],
])
def test_gates_of_with_overlapping_substrings(monkeypatch: pytest.MonkeyPatch,
                                              gates: list[tuple[str, ...]]) -> None:
    """The position-by-position search, on gates made to overlap (a registry of their own)."""
    monkeypatch.setattr(base.Keys, "registry", [])
    for given in gates:
        base.Keys(*given)
    substrings = [lit for gate in base.Keys.registry for lit in gate.literals if lit]
    _assert_gates_of_is_the_definition(["", *substrings, *_overlapping_names(substrings, 23, 3000)])


def test_gate_of_only_the_empty_substring(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty substring is in every key: the gate admits everything, as Keys.admits says."""
    monkeypatch.setattr(base.Keys, "registry", [])
    base.Keys("")
    _assert_gates_of_is_the_definition(["APP_DEBUG"])


# -- hosts ----------------------------------------------------------------------------------------


def _hosts_reference(value: str) -> Iterator[str]:
    """``schema_checks.hosts`` without its early return."""
    for item in schema_checks.items(value):
        if "://" in item:
            try:
                host = urlsplit(item).hostname
            except ValueError:
                continue
        elif "@" in item:
            host = item.rpartition("@")[2]
        else:
            host = item.rpartition(":")[0] if item.count(":") == 1 else item
        host = (host or "").strip("[]").rstrip(".").lower().removeprefix("*.").lstrip(".")
        if host and ("." in host or host in schema_checks._BARE_HOSTS) and schema_checks.is_host(host):
            yield host


def _host_values() -> list[str]:
    found: list[str] = []
    for value in corpus.texts():
        found.extend((value, f"https://{value}", f"user@{value}", f"{value}:8080", f"a,{value} b"))
    for bare in schema_checks._BARE_HOSTS:
        found.extend((bare, bare.upper(), f"http://{bare}:80", f"redis://[{bare}]:6379", f"x@{bare}",
                      f"{bare}.", f"*.{bare}", f".{bare}", f"[{bare}]", f"{bare}:443", f"{bare}, 1"))
    return list(dict.fromkeys(found))


def test_hosts_early_return_changes_nothing() -> None:
    values = _host_values()
    skipped = found = 0
    for value in values:
        want = list(_hosts_reference(value))
        assert list(schema_checks.hosts(value)) == want, repr(value)
        skipped += "." not in value and not schema_checks._BARE_HINT.search(value)
        found += bool(want)
    # both sides of the shortcut are exercised
    assert skipped > 1000
    assert found > 1000


def test_bare_hint_covers_every_dotless_bare_host() -> None:
    for bare in schema_checks._BARE_HOSTS:
        if "." not in bare:
            for spelling in (bare, bare.upper(), bare.capitalize()):
                assert schema_checks._BARE_HINT.search(spelling), spelling


# -- placeholders ---------------------------------------------------------------------------------


def _placeholder_values() -> list[str]:
    found = corpus.texts()
    words = ["your", "YOUR", "here", "HERE", "change", "CHANGEME", "replace", "fill", "me", "this", "it",
             "with", "placeholder", "dummy", "fake", "sample", "example", "redacted", "todo", "TBD", "fixme",
             "insert", "not", "set", "notreal", "xxxx", "XXXX", "xXxX", "***", "...", "\u2026", "<", ">",
             "{{", "}}", "[", "]", "-", "_", " ", ".", "a", "Z", "9", "key", "KEY", "\u017f", "\u212a",
             "\u0131", "\u0130", "\u00e9", "@", "domain", "app", "base64:"]
    rng = random.Random(13)
    for _ in range(8000):
        found.append("".join(rng.choice(words) for _ in range(rng.randint(1, 6))))
    return list(dict.fromkeys(found))


def test_roles_placeholder_is_the_full_pattern() -> None:
    positives = 0
    for value in _placeholder_values():
        core = value.strip().removeprefix("base64:")
        want = core in tokens.DOC_EXAMPLES or bool(
            roles._PLACEHOLDER.search(core) or roles._ALL_CAPS_ROLE.fullmatch(core))
        assert roles.is_placeholder(value) == want, repr(value)
        positives += want
    assert positives > 1000


def test_schema_placeholder_is_the_full_pattern() -> None:
    positives = 0
    for value in _placeholder_values():
        want = bool(schema_checks._PLACEHOLDER.search(value.strip()))
        assert schema_checks.is_placeholder(value) == want, repr(value)
        positives += want
    assert positives > 1000
