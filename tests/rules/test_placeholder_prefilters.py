"""The word prefilters in front of the placeholder patterns never change an answer.

``roles.is_placeholder`` and ``schema_checks.is_placeholder`` rule most values out with a search of
literal words on the lower-cased text before running their full patterns. That is only right if every
alternative of the full pattern needs one of those words, and if lower-casing folds case exactly as
``re.IGNORECASE`` does (true of ASCII text only; other text goes straight to the full pattern). These
tests compare the prefiltered answer with the bare pattern over a wide, deterministic corpus: the
placeholder examples of the rule docs, Unicode case variants (long s, Kelvin sign, dotless and dotted
i), upper-case words, random secrets and random mixes of the pieces the patterns are built from.
"""

from __future__ import annotations

import random
import re
import string

import pytest

from envguard.rules import roles, schema_checks

_RNG = random.Random(20251122)

#: placeholders named in the rule docs and the tests, and near misses
EXAMPLES = (
    "YOUR_API_KEY_HERE", "your-jwt-secret-key-change-this", "change-this-in-production", "GENERATED_KEY_HERE",
    "sk-ant-YOUR_API_KEY_HERE", "changeme", "xxxx", "<secret>", "base64:YOUR_ACTUAL_APP_KEY_HERE",
    "your-super-secret-key-change-this-in-production", "your_chat_id", "your-email@gmail.com",
    "your-twilio-account-sid", "[YOUR-PASSWORD]", "XXXX", "https://your-production-domain.com",
    "placeholder", "todo", "TBD", "FIXME", "...", "\u2026", "{{ secret }}", "<Your Key>", "replace-me",
    "replace_with_real", "fill-me", "fillthis", "dummy", "fake-key", "sample", "example", "redacted",
    "insert", "notreal", "not-set", "NOT_SET", "not set", "***", "****", "q8Zr2xxxxWb71LmA9cD3",
    "xxxxxxxx", "XXXXXXXXX", "xXxX", "abcxxxxdef", "xxxxabc", "abcXXXX", "where", "there", "nothing",
    "notification", "examples", "sampled", "changed", "<a@b.com>", "Name <a@b.com>", "[x]", "[ab]",
    "[abc]", "[A]", "[ABC DEF]", "{{}}", "{{a}}", "{a}", "keyboard cat", "django-insecure-abc",
    "-here", "_here", ".here", " here", "here", "HERE", "SECRET_KEY", "DB_PASSWORD", "A_KEY",
    "yourdomain.com", "yourapp", "your.", "your", "foryour", "1your", "change me", "changeMe", "",
    " ", "   your   ", "base64:", "AKIAIOSFODNN7EXAMPLE",
)
#: characters that fold to ASCII letters under IGNORECASE but not under ``str.lower``, and others
UNICODE = ("\u017f", "\u212a", "\u0131", "\u0130", "\u00df", "\ufb06", "\u1e9e", "\uff39", "\u03a3",
           "\u00e9", "\u2026", "\u00a0", "\u2028")
#: the pieces the patterns are made of, in several cases
PIECES = (
    "your", "YOUR", "Your", "yOuR", "here", "HERE", "Here", "change", "CHANGE", "replace", "Replace",
    "fill", "FILL", "me", "ME", "this", "THIS", "it", "with", "WITH", "placeholder", "PLACEHOLDER",
    "dummy", "fake", "FAKE", "sample", "example", "EXAMPLE", "redacted", "todo", "TODO", "tbd", "fixme",
    "insert", "notreal", "not", "NOT", "set", "SET", "real", "domain", "app", "company", "site",
    "project", "email", "name", "host", "server", "org", "x", "X", "xx", "XX", "*", ".", "<", ">",
    "{", "}", "[", "]", "-", "_", " ", "@", "a", "B", "0", "9", "KEY", "PASSWORD", "SECRET", "TOKEN",
    "DSN", "base64:", "\t", "your-", "YOUR_", "-here", "_HERE", "changeme", "change-this", "replace_me",
    "replace-with-", "[YOUR", "<x", "xxxx", *UNICODE,
)
#: letters IGNORECASE matches to an ASCII letter although ``str.lower`` keeps them apart
EXOTIC = {"s": "\u017f", "k": "\u212a", "i": "\u0131", "I": "\u0130", "K": "\u212a", "S": "\u017f"}


def _random(alphabet: str, low: int, high: int) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(_RNG.randint(low, high)))


def _corpus() -> list[str]:
    found = list(EXAMPLES)
    found += [_random(string.ascii_letters + string.digits, 8, 64) for _ in range(1500)]
    found += [_random(string.hexdigits, 16, 64) for _ in range(300)]
    found += [_random(string.printable, 1, 40) for _ in range(1500)]
    found += ["".join(_RNG.choice(PIECES) for _ in range(_RNG.randint(1, 7))) for _ in range(12000)]
    for value in EXAMPLES:
        found.append("".join(EXOTIC.get(c, c) for c in value))
        found += [value.upper(), value.lower(), value.swapcase(), value.title()]
    return found


CORPUS = _corpus()


def test_corpus_reaches_both_answers() -> None:
    for pattern in (roles._PLACEHOLDER, schema_checks._PLACEHOLDER):
        assert sum(bool(pattern.search(v)) for v in CORPUS) > 1000
        assert sum(not pattern.search(v) for v in CORPUS) > 1000
    assert any(not v.isascii() and roles._PLACEHOLDER.search(v) for v in CORPUS)


@pytest.mark.parametrize("module", [roles, schema_checks])
def test_words_miss_only_when_the_pattern_misses(module: object) -> None:
    """On ASCII text, no word in the lower-cased text means no match of the full pattern."""
    words: re.Pattern[str] = getattr(module, "_PLACEHOLDER_WORDS")  # noqa: B009 - one test for two modules
    full: re.Pattern[str] = getattr(module, "_PLACEHOLDER")  # noqa: B009
    assert not words.flags & re.IGNORECASE  # it searches lower-cased text
    for value in CORPUS:
        if value.isascii() and words.search(value.lower()) is None:
            assert full.search(value) is None, value


def test_every_word_is_needed_by_the_corpus() -> None:
    """Each word of the prefilters guards matches the corpus has: the corpus can catch a missing word."""
    for module in (roles, schema_checks):
        full: re.Pattern[str] = getattr(module, "_PLACEHOLDER")  # noqa: B009
        words = getattr(module, "_PLACEHOLDER_WORDS").pattern.split("|")  # noqa: B009
        for index, word in enumerate(words):
            fewer = re.compile("|".join(words[:index] + words[index + 1:]))
            caught = (v for v in CORPUS if v.isascii() and fewer.search(v.lower()) is None and full.search(v))
            assert next(caught, None) is not None, word


def test_roles_prefilter_matches_the_pattern() -> None:
    for value in CORPUS:
        assert roles._placeholder_text(value) == bool(roles._PLACEHOLDER.search(value)), value


def test_roles_is_placeholder_unchanged() -> None:
    def reference(value: str) -> bool:
        value = value.strip().removeprefix("base64:")
        if value in roles.DOC_EXAMPLES:
            return True
        return bool(roles._PLACEHOLDER.search(value) or roles._ALL_CAPS_ROLE.fullmatch(value))

    for value in CORPUS:
        assert roles.is_placeholder(value) == reference(value), value


def test_schema_is_placeholder_unchanged() -> None:
    for value in CORPUS:
        want = bool(schema_checks._PLACEHOLDER.search(value.strip()))
        assert schema_checks.is_placeholder(value) == want, value


@pytest.mark.parametrize("value", ["\u017fample", "\u017fAMPLE", "fa\u212ae", "\u017fample-key",
                                   "\u0131nsert", "\u0130NSERT", "todo\u2026", "\u2026"])
def test_exotic_case_goes_to_the_full_pattern(value: str) -> None:
    # str.lower leaves these letters alone while IGNORECASE matches them to ASCII ones
    assert roles._PLACEHOLDER.search(value)
    assert roles._placeholder_text(value)


#: pieces of host names: the words ``domain_problem`` looks for, near misses and exotic case
HOST_PIECES = (
    "your", "YOUR", "Your", "-", "_", ".", "domain", "DOMAIN", "Domain", "my", "MY", "name", "host",
    "HOST", "hostname", "server", "Server", "example", "EXAMPLE", "test", "TEST", "invalid", "com", "net",
    "org", "edu", "io", "localhost", "local", "acme", "shop1", "db-1", "internal", "*", ":", "8080", "[",
    "]", "::1", "fe80::1%", "127.0.0.1", "@", "user", "\u212a", "\u0131", "\u0130", "\u017f", "\u00e9",
)


def _host_values() -> list[str]:
    found: list[str] = ["https://your-production-domain.com", "yourdomain.com", "smtp.example.com",
                        "api.test", "x.invalid", "host", "domain.com", "server", "localhost:8000",
                        "a@example.org", "fe80::1%a.mydoma\u0131n", "https://my-domain\u212a.com",
                        "mail.test,smtp.acme.io", "db-1.internal.acme-cloud.io", "*.example.net"]
    for _ in range(12000):
        host = "".join(_RNG.choice(HOST_PIECES) for _ in range(_RNG.randint(1, 6)))
        shape = _RNG.randrange(5)
        if shape == 0:
            found.append(f"https://{host}/path")
        elif shape == 1:
            found.append(f"user@{host}")
        elif shape == 2:
            found.append(f"{host}, {_RNG.choice(HOST_PIECES)}.{_RNG.choice(HOST_PIECES)}")
        else:
            found.append(host)
    return found


def test_domain_prefilter_never_hides_a_problem() -> None:
    values = _host_values()
    problems = 0
    for value in values:
        want = next((p for p in map(schema_checks.domain_problem, schema_checks.hosts(value)) if p), None)
        problems += want is not None
        if want is not None:
            assert schema_checks.may_name_bad_domain(value), value
    assert problems > 500
    assert sum(not schema_checks.may_name_bad_domain(v) for v in values) > 1000
