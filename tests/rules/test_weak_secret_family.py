"""The weak-secret family (EG201-EG204) judges each secret once for the four rules, with the same
findings as each rule asking on its own whether an earlier rule of the family reports the secret.

The reference below is that per-rule computation, written out; it is compared with the rules over
generated files, with every rule run alone and the four run in both orders, in each environment.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

import pytest
from family import context
from secret_samples import ANON, HEX64, LARAVEL_KEY, URLSAFE43

from envguard.findings import Environment, Finding, Severity
from envguard.rules import secrets
from envguard.rules.base import Context, Rule, Variable
from envguard.rules.roles import identify, is_placeholder, secret_vars, url_credentials
from envguard.rules.strength import default_problem, short_problem, weak_problem

KEYS = ("SECRET_KEY", "JWT_SECRET", "APP_KEY", "DB_PASSWORD", "DB_USERNAME", "ADMIN_PASSWORD",
        "STRIPE_SECRET_KEY", "API_TOKEN", "SESSION_SECRET", "DATABASE_URL", "REDIS_URL", "MAIL_PASSWORD",
        "MAIL_USERNAME", "GITHUB_TOKEN", "APP_NAME", "SENTRY_DSN")
VALUES = ("your-secret-here", "changeme", "<secret>", "xxxx", "keyboard cat", "secret", "password",
          "postgres", "admin123", "P@ssw0rd", "short1", "0f9e8d7c" * 4, HEX64, URLSAFE43, LARAVEL_KEY,
          "base64:c2hvcnQ=", "sk_live_" + "a1B2c3D4" * 3, "sk_test_" + "a1B2c3D4" * 3, ANON,
          "ghp_" + "a1B2" * 9, "postgres://postgres:postgres@db:5432/app", "postgres://app@db/app",
          "https://your-domain.example/x", "redis://:your-password@cache:6379", "app", "finance_user",
          "django-insecure-abc123", "mF0rJ3vV8kq2Xc9ZbT1uN6sW4yE7hL5pA0dG2iK8oQ", "${OTHER}", "")


def _reference(rule: type[Rule], ctx: Context) -> Iterator[Finding]:
    """The family as each rule judged it before the shared verdicts."""
    position = rule.position  # type: ignore[attr-defined]

    def earlier(var: Variable, value: str, upto: int) -> bool:
        if is_placeholder(value):
            return True
        if upto >= 2 and default_problem(var.key, value) is not None:
            return True
        return upto >= 3 and (identify(value) is not None or short_problem(ctx, var.key, value) is not None)

    def problem(var: Variable, value: str) -> tuple[str, bool] | None:
        if position == 0:
            return (f"{var.key} is a placeholder", True) if is_placeholder(value) else None
        if earlier(var, value, position):
            return None
        if position == 2:
            return short_problem(ctx, var.key, value)
        words = default_problem(var.key, value) if position == 1 else weak_problem(ctx, var.key, value)
        return (words, True) if words else None

    for var, value in secret_vars(ctx):
        if "://" in value and (position > 0 or any(c.password for c in url_credentials(value))):
            continue
        found = problem(var, value)
        if found is not None:
            words, serious = found
            severity = None if serious or not ctx.env.strict else Severity.WARNING
            yield rule().report(ctx, words, var=var, severity=severity,
                                hint=secrets.generate_hint(ctx, var.key, value))


def _texts() -> list[str]:
    rng = random.Random(11)
    texts = ["\n".join(f"{k}={v}" for k, v in zip(KEYS, VALUES, strict=False))]
    for _ in range(60):
        lines = [f"{rng.choice(KEYS)}={rng.choice(VALUES)}" for _ in range(rng.randint(1, 12))]
        texts.append("\n".join(lines))
    return texts


@pytest.mark.parametrize("env", [Environment.PRODUCTION, Environment.DEVELOPMENT])
def test_family_matches_the_rule_by_rule_judgement(env: Environment) -> None:
    family = secrets.RULES
    reported = 0
    for text in _texts():
        want = {rule.code: list(_reference(rule, context(text, env))) for rule in family}
        reported += sum(map(len, want.values()))
        for order in (family, family[::-1], *([rule] for rule in family)):
            ctx = context(text, env)
            for rule in order:
                assert list(rule().check(ctx)) == want[rule.code], (text, rule.code)
    assert reported > 100


def test_every_rule_reports_in_the_corpus() -> None:
    seen = set()
    for text, rule in itertools.product(_texts(), secrets.RULES):
        if list(rule().check(context(text))):
            seen.add(rule.code)
    assert seen == {"EG201", "EG202", "EG203", "EG204"}
