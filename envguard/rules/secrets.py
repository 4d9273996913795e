"""The ``weak-secret`` family (EG201-EG204): secrets an attacker can guess or look up.

Each secret gets at most one of these findings, in this order: placeholder, well-known default,
too short for its role, easy to guess. Reuse, test-mode keys and URL credentials are in
``credentials.py``; an empty required secret is the schema family's (EG902).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar, cast

from envguard.findings import Category, Finding, Severity
from envguard.rules.base import STRICT_LENIENT_INFO, Context, Rule, Variable
from envguard.rules.roles import identify, is_placeholder, secret_vars, url_credentials
from envguard.rules.strength import default_problem, is_signing_key, short_problem, weak_problem

FIX_GENERATE = ("replaces a secret the app makes itself (signing keys, its own passwords, any with a schema "
                "`generate`) with a strong generated value; credentials a provider issues need a human")


def generate_hint(ctx: Context, key: str, value: str) -> str:
    """How to get a strong value for ``key``, without quoting the current one."""
    spec = ctx.spec(key)
    if key == "APP_KEY" and (value.startswith("base64:") or (spec and spec.generate == "laravel-key")):
        return "generate one with `php artisan key:generate --show`, or run `envguard fix`"
    if (spec is not None and spec.generate) or is_signing_key(ctx, key, value):
        return "generate one with `openssl rand -base64 32`, or run `envguard fix`"
    if "PASS" in key.upper() or "PWD" in key.upper():
        return "use a generated password (`openssl rand -base64 24`) and rotate it where it is used"
    return "paste the real credential from the provider's dashboard, or generate a random one"


class _SecretRule(Rule):
    """Shared shape: report each secret that this rule, and no earlier rule of the family, judges."""

    category = Category.WEAK_SECRET
    levels = STRICT_LENIENT_INFO
    fix = FIX_GENERATE
    #: the rule's place in the family's order (``_JUDGES``)
    position: ClassVar[int]

    def check(self, ctx: Context) -> Iterator[Finding]:
        family = _verdicts(ctx, self.position)
        for index, rule in enumerate(family.rules):
            if rule == self.position:
                var, (words, serious) = family.secrets[index], family.problems[index]
                severity = None if serious or not ctx.env.strict else Severity.WARNING
                yield self.report(ctx, words, var=var, severity=severity,
                                  hint=generate_hint(ctx, var.key, family.values[index]))


_Problem = tuple[str, bool] | None


def _placeholder(ctx: Context, var: Variable, value: str) -> _Problem:
    """EG201's judgement: the finding's words and whether it is serious, or None."""
    return (f"{var.key} is a placeholder", True) if ctx.once(is_placeholder, value) else None


def _default(ctx: Context, var: Variable, value: str) -> _Problem:
    """EG202's judgement."""
    words = default_problem(var.key, value)
    return (words, True) if words else None


def _short(ctx: Context, var: Variable, value: str) -> _Problem:
    """EG203's judgement."""
    return short_problem(ctx, var.key, value)


def _weak(ctx: Context, var: Variable, value: str) -> _Problem:
    """EG204's judgement; a provider's credential is not the user's to make stronger."""
    if ctx.once(identify, value) is not None:
        return None
    words = weak_problem(ctx, var.key, value)
    return (words, True) if words else None


#: the family's judgements in its order: a secret is reported by the first that finds a problem
_JUDGES: tuple[Callable[[Context, Variable, str], _Problem], ...] = (_placeholder, _default, _short, _weak)


class _Family:
    """The family's verdicts on the secrets of one context (``secret_vars``), and how many of its
    judgements have been made on all of them.

    Flat lists, not an object per secret: on a huge file, thousands of kept objects cost more in
    garbage-collector passes than the judging saves.
    """

    __slots__ = ("judged", "problems", "rules", "secrets", "values")

    def __init__(self, ctx: Context) -> None:
        self.secrets: list[Variable] = []
        self.values: list[str] = []
        for var, value in secret_vars(ctx):
            self.secrets.append(var)
            self.values.append(value)
        #: per secret, the position of the rule that reports it, -1 while none does
        self.rules = [-1] * len(self.secrets)
        #: the words and seriousness of each reported secret, by index
        self.problems: dict[int, tuple[str, bool]] = {}
        self.judged = 0


def _verdicts(ctx: Context, upto: int) -> _Family:
    """The family's verdicts with the judgements up to position ``upto`` made.

    The four rules share them: each secret is judged once per judgement, not once per rule asking
    whether an earlier rule already reports it; judgements past ``upto`` wait for a rule to ask.
    """
    family = cast("_Family | None", ctx.memo.get("weak_secret_family"))
    if family is None:
        family = ctx.memo["weak_secret_family"] = _Family(ctx)
    rules, secrets, values = family.rules, family.secrets, family.values
    for position in range(family.judged, upto + 1):
        judge = _JUDGES[position]
        for index, rule in enumerate(rules):
            if rule >= 0:
                continue
            value = values[index]
            # URLs are judged only for a placeholder, and not with a password: that is EG207's
            if "://" in value and (position > 0 or any(c.password for c in ctx.once(url_credentials, value))):
                continue
            problem = judge(ctx, secrets[index], value)
            if problem is not None:
                rules[index] = position
                family.problems[index] = problem
        family.judged = position + 1
    return family


class PlaceholderSecret(_SecretRule):
    """Secret is a placeholder.

    ## What it does
    Reports a secret (by schema, name or value) that still holds a template's stand-in:
    `YOUR_..._HERE`, `your-...-key`, `change-this-in-production`, `GENERATED_KEY_HERE`,
    `sk-ant-YOUR_API_KEY_HERE`, `changeme`, `xxxx`, `<secret>`, `base64:YOUR_ACTUAL_APP_KEY_HERE`.

    ## Why is this bad?
    Deployment guides are public: the placeholder is known to everyone who read the guide. A
    signing key left as `your-jwt-secret-key-change-this` lets anyone mint valid sessions; an API
    key left as a placeholder breaks the feature at the first call.

    ## Example
    ```dotenv
    SECRET_KEY=your-super-secret-key-change-this-in-production
    APP_KEY=base64:GENERATED_KEY_HERE
    ```

    ## Use instead
    ```dotenv
    SECRET_KEY=Jx4p0vQ0cO3uQm7w6mY8bq2ZsR1tK9nH5aLdE3fG7hI
    APP_KEY=base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=
    ```
    """

    code = "EG201"
    name = "placeholder-secret"
    position = 0


class DefaultSecret(_SecretRule):
    """Secret is a well-known default.

    ## What it does
    Reports secrets set to values that frameworks, libraries and documentation ship as defaults:
    Django's `django-insecure-…` key, express-session's `keyboard cat`, jwt.io's
    `your-256-bit-secret`, `secret`, `password`, `postgres`, RabbitMQ's `guest`, MinIO's
    `minioadmin`, Supabase's local JWT secret.

    ## Why is this bad?
    These values are in every attacker's first wordlist. A default session or JWT secret lets
    anyone forge a logged-in session; a default database password opens the data.

    ## Example
    ```dotenv
    SESSION_SECRET=keyboard cat
    SECRET_KEY=django-insecure-7l$1c^u+o9z3!x0kq@v3b9#2yq6k1m8s
    ```

    ## Use instead
    ```dotenv
    SESSION_SECRET=mF0rJ3vV8kq2Xc9ZbT1uN6sW4yE7hL5pA0dG2iK8oQ
    SECRET_KEY=q7!v0z3$k9x#1m@4c8b^2n6&l5p*j0r(h3g)f7d-s9a_e2w=u
    ```
    """

    code = "EG202"
    name = "default-secret"
    position = 1


class ShortSecret(_SecretRule):
    """Secret is too short for its role.

    ## What it does
    Reports signing and encryption keys the app generates for itself (`SECRET_KEY`, `*_SECRET`,
    `JWT_SECRET_KEY`, `APP_KEY`, `SECRET_KEY_BASE`...) holding fewer than 32 random bytes, a
    Laravel `APP_KEY` that is not `base64:` plus 32 bytes, and any secret shorter than the
    schema's `min_length`. Under 16 random bytes is an error, between 16 and 32 a warning.

    ## Why is this bad?
    An HMAC key (HS256 JWTs, session cookies, Django/Flask signing) is only as strong as its
    randomness: a short key can be brute-forced offline from a single signed token. Laravel
    refuses to encrypt with a key of the wrong size.

    ## Example
    ```dotenv
    JWT_SECRET=mysecretjwt1
    APP_KEY=base64:c2hvcnQ=
    ```

    ## Use instead
    ```dotenv
    JWT_SECRET=3b9f2c71d8a04e6fb5c2a9e07d41f8c36e2a1b95d07c4f8a9e3b6d2c1f0a7e54
    APP_KEY=base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=
    ```
    """

    code = "EG203"
    name = "short-secret"
    position = 2


class WeakSecret(_SecretRule):
    """Secret is easy to guess.

    ## What it does
    Estimates how guessable each remaining secret is with zxcvbn (a maintained estimator that
    knows common passwords, keyboard walks, dates and l33t spelling) and reports scores below 3
    of 4: common passwords, passwords equal to the matching user name (`DB_USERNAME`), short
    words with digits. Values recognised as provider credentials are not judged here.

    ## Why is this bad?
    Online guessing against an exposed database, Redis or admin login tries these first; a
    password equal to the user name is the first guess of all.

    ## Example
    ```dotenv
    DB_USERNAME=finance_prod_user
    DB_PASSWORD=P@ssw0rd
    ADMIN_PASSWORD=admin123
    ```

    ## Use instead
    ```dotenv
    DB_USERNAME=finance_prod_user
    DB_PASSWORD=vX3q-9LmTz2r-Wk7pFb4
    ADMIN_PASSWORD=Rj8#tQ1v!Ze5mW9c
    ```
    """

    code = "EG204"
    name = "weak-secret"
    position = 3


RULES: tuple[type[Rule], ...] = (PlaceholderSecret, DefaultSecret, ShortSecret, WeakSecret)
