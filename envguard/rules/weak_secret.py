"""The ``weak-secret`` family (EG2xx): secrets an attacker can guess, look up or reuse.

The first four judge each secret's own value and report it at most once, in this order:
placeholder, published default, too short for its role, easy to guess (each rule asks the rules
before it). EG205-EG207 judge how secrets are used together and inside URLs; EG208 reports the
secrets left empty. Which variables are secrets, and what a value is, comes from the judgement
core (``envguard.judge``) through ``Context.secrets``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from envguard.findings import Category, Finding, Severity
from envguard.judge import features, names, strength
from envguard.judge.formats import provider_shape
from envguard.judge.hosts import Scope, scope, url_credentials
from envguard.judge.names import Role
from envguard.judge.placeholders import is_placeholder
from envguard.judge.values import Kind, is_reference
from envguard.model import Context, Variable
from envguard.rules.base import STRICT_LENIENT_INFO, Levels, P, Rule, levels

FIX_GENERATE = (
    "replaces a secret the app makes itself (signing keys, its own passwords, any with a schema "
    "`generate`) with a strong generated value; credentials a provider issues need a human"
)
#: (words of the finding, whether it is serious): a non-serious one is a warning in production
Problem = tuple[str, bool]
_USER_WORDS = ("USER", "USERNAME", "USER_NAME", "LOGIN")


def generate_hint(ctx: Context, var: Variable) -> str:
    """How to get a strong value for a secret, without quoting the current one."""
    spec = ctx.spec(var.key)
    value = var.value or ""
    if var.key == "APP_KEY" and (value.startswith("base64:") or (spec and spec.generate == "laravel-key")):
        return "generate one with `php artisan key:generate --show`, or run `envguard fix`"
    if (spec is not None and spec.generate) or ctx.role(var) is Role.SIGNING_KEY:
        return "generate one with `openssl rand -base64 32`, or run `envguard fix`"
    if ctx.role(var) is Role.PASSWORD:
        return "use a generated password (`openssl rand -base64 24`) and rotate it where it is used"
    return "paste the real credential from the provider's dashboard, or generate a random one"


def known_words(ctx: Context, key: str) -> dict[str, str]:
    """What an attacker knows before guessing ``key``: its user name, the app's name, its host."""
    found: dict[str, str] = {}
    upper = key.upper()
    for word in ("PASSWORD", "PASSWD", "PASS", "PWD"):
        if word in upper:
            head, _, tail = upper.partition(word)
            for user in _USER_WORDS:
                value = ctx.values.get(head + user + tail, "").strip()
                if value:
                    found[head + user + tail] = value
            host = ctx.values.get(head + "HOST", "").strip()
            if host:
                found[head + "HOST"] = host
            break
    app = ctx.values.get("APP_NAME", "").strip()
    if app:
        found["APP_NAME"] = app
    return found


class _SecretRule(Rule):
    """Shared shape of EG201-EG204: report each secret this rule, and no earlier one, finds a
    problem with."""

    category = Category.WEAK_SECRET
    levels = STRICT_LENIENT_INFO
    fix = FIX_GENERATE
    #: the four rules in the order their problems come first (set below the classes)
    family: ClassVar[tuple[_SecretRule, ...]] = ()

    def problem(self, ctx: Context, var: Variable, value: str) -> Problem | None:
        """What this rule finds wrong with a secret's literal value, or None."""
        raise NotImplementedError

    def first(self, ctx: Context, var: Variable, value: str) -> tuple[str, Problem] | None:
        """The first rule of the family to find a problem with a secret, and the problem; asked
        once per secret of a context (``Context.verdicts``), so each rule is asked at most once.

        URLs are judged only for a placeholder, and not with a password: that is EG207's."""
        verdicts = ctx.verdicts
        if var.key in verdicts:
            return verdicts[var.key]
        found: tuple[str, Problem] | None = None
        family = self.family
        if "://" in value:
            family = () if any(c.password for c in ctx.once(url_credentials, value)) else family[:1]
        for rule in family:
            problem = rule.problem(ctx, var, value)
            if problem is not None:
                found = rule.code, problem
                break
        verdicts[var.key] = found
        return found

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var, value in ctx.secrets:
            found = self.first(ctx, var, value)
            if found is not None and found[0] == self.code:
                words, serious = found[1]
                severity = None if serious or not ctx.env.strict else Severity.WARNING
                # the fingerprint is the written value's, as before: baselines keep matching
                yield self.report(
                    ctx,
                    words,
                    var=var,
                    hint=generate_hint(ctx, var),
                    severity=self.severity(ctx, var, severity),
                )

    def severity(self, ctx: Context, var: Variable, chosen: Severity | None) -> Severity | None:
        """The finding's severity, None for the rule's level in this environment."""
        return chosen


class PlaceholderSecret(_SecretRule):
    """Secret is a placeholder.

    ## What it does
    Reports a secret (by schema, name or value) that still holds a template's stand-in, in any of
    the languages templates are written in: `YOUR_..._HERE`, `your-...-key`,
    `change-this-in-production`, `changeRunnerAuthToken`, `sk-ant-YOUR_API_KEY_HERE`, `changeme`,
    `xxxx`, `<secret>`, `secure_password`, `tu_clave_aqui`, `ваш_пароль`. The default of a
    reference counts (`${DB_PASSWORD:-changeme}` is what the app gets when the variable is unset).
    A placeholder of a feature the file switches off (`EMAIL_ENABLED=false`) is only info.

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

    def problem(self, ctx: Context, var: Variable, value: str) -> Problem | None:
        return (f"{var.key} is a placeholder", True) if ctx.placeholder(var) else None

    def severity(self, ctx: Context, var: Variable, chosen: Severity | None) -> Severity | None:
        return Severity.INFO if features.unused(var.key, ctx.values, ctx.spec(var.key)) else chosen


class DefaultSecret(_SecretRule):
    """Secret is a published default.

    ## What it does
    Reports secrets set to values that frameworks, libraries and documentation publish and people
    deploy unchanged: Django's `django-insecure-…` keys, express-session's `keyboard cat`, jwt.io's
    `your-256-bit-secret`, Supabase's demo JWT keys and `SECRET_KEY_BASE`, netbox-docker's
    passwords, Huginn's `try-huginn`, the AWS documentation's example keys, envguard's own
    documentation examples, and generic ones (`secret`, `password`, `postgres`, RabbitMQ's `guest`,
    MinIO's `minioadmin`). The list is kept as keyed hashes, never as values.

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
    # generated for this deployment: envguard generate hex:32
    SESSION_SECRET=${SESSION_SECRET}
    SECRET_KEY=${DJANGO_SECRET_KEY}
    ```
    """

    code = "EG202"
    name = "default-secret"

    def problem(self, ctx: Context, var: Variable, value: str) -> Problem | None:
        source = ctx.run.defaults.source(value)
        if source is None:
            return None
        return (f"{var.key} is {source}" if source else f"{var.key} is a well-known default value"), True


class ShortSecret(_SecretRule):
    """Secret is too short for its role.

    ## What it does
    Reports signing and encryption keys the app generates for itself (`SECRET_KEY`, `*_SECRET`,
    `JWT_SECRET`, `APP_KEY`, `SECRET_KEY_BASE`...) that hold fewer random bits than their role
    needs: 128 for any key, 256 for JWT HMAC keys (RFC 7518, section 3.2), exactly 32 bytes for a
    Laravel `APP_KEY`, the schema's `generate` size or `min_length` where it has one. Under 128
    bits is an error, between 128 and a standard's size a warning. Secrets whose size the provider
    fixes (Pusher's and Reverb's app keys, Slack signing secrets, reCAPTCHA and Algolia keys,
    Symfony's generated `APP_SECRET`) are judged by that shape instead.

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

    def problem(self, ctx: Context, var: Variable, value: str) -> Problem | None:
        spec = ctx.spec(var.key)
        if spec is not None and spec.min_length and len(value) < spec.min_length:
            words = f"{var.key} is {len(value)} characters; the schema requires at least {spec.min_length}"
            return words, True
        laravel = (spec is not None and spec.generate == "laravel-key") or ctx.project.framework == "laravel"
        if var.key == "APP_KEY" and (value.startswith("base64:") or laravel):
            wrong = strength.laravel_key_problem(value)
            return (f"APP_KEY {wrong}", True) if wrong else None
        if not _generated(ctx, var) or provider_shape(var.key, value) is not None:
            return None
        if ctx.token(var) is not None:
            return None
        generated = _generated_bytes(spec.generate if spec is not None else None)
        return strength.short_words(var.key, value, strength.needed_bits(var.key, generated))


def _generated(ctx: Context, var: Variable) -> bool:
    """A key the app makes for itself: the schema generates it (not as a password), or its role."""
    spec = ctx.spec(var.key)
    if spec is not None and spec.generate:
        return spec.generate != "password"
    return ctx.role(var) is Role.SIGNING_KEY


def _generated_bytes(kind: str | None) -> int | None:
    """The bytes of a schema generator such as ``hex:32``, if it names them."""
    if kind is None or ":" not in kind:
        return None
    name, _, size = kind.partition(":")
    known = name in ("hex", "base64", "base64url", "urlsafe", "token")
    return int(size) if known and size.isdigit() else None


class WeakSecret(_SecretRule):
    """Secret is easy to guess.

    ## What it does
    Estimates how many guesses each remaining secret takes with zxcvbn (a maintained estimator
    that knows common passwords, keyboard walks, dates and l33t spelling), with what an attacker
    knows first as context: the variable's own name, its user name (`DB_USERNAME`), the app's name
    and its host. Reports passwords equal to one of those, common passwords, passwords made only of
    the words people describe passwords with (`super-secure-password-123`), and anything under
    10^10 guesses (`SecurePassword123!`, `Summer2024`, `asdsadsad`). Provider credentials and
    values of a provider's fixed shape are not judged here.

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

    def problem(self, ctx: Context, var: Variable, value: str) -> Problem | None:
        if ctx.token(var) is not None or provider_shape(var.key, value) is not None:
            return None
        words = strength.weak_words(var.key, value, known_words(ctx, var.key))
        return (words, True) if words else None


_SecretRule.family = (PlaceholderSecret(), DefaultSecret(), ShortSecret(), WeakSecret())


def _reusable(ctx: Context, var: Variable, value: str) -> bool:
    """Self-chosen secrets worth comparing (``value`` is the secret's literal): not URLs, provider
    keys or placeholders."""
    return len(value) >= 8 and "://" not in value and ctx.token(var) is None and not ctx.placeholder(var)


def _service(key: str) -> tuple[str, bool]:
    """The service a key belongs to (``DB_PASSWORD`` and ``POSTGRES_PASSWORD`` share ``db``), and
    whether it is a password."""
    prefix = names.browser_prefix(key)
    upper = key.upper().removeprefix(prefix) if prefix else key.upper()
    head = upper.split("_", 1)[0]
    for service, heads in _SERVICES.items():
        if head in heads:
            return service, names.is_password_name(key)
    return head, names.is_password_name(key)


_SERVICES = {
    "db": (
        "DB",
        "DATABASE",
        "POSTGRES",
        "POSTGRESQL",
        "PG",
        "PGPASSWORD",
        "MYSQL",
        "MARIADB",
        "MONGO",
        "MONGODB",
    ),
    "mail": ("MAIL", "SMTP", "EMAIL"),
}


def _aliases(first: str, second: str) -> bool:
    """Two names for one credential: passwords of one service, or a browser copy of a key."""
    (service_a, password_a), (service_b, password_b) = _service(first), _service(second)
    if password_a and password_b:
        return service_a == service_b

    def bare(key: str) -> str:
        prefix = names.browser_prefix(key)
        return key.upper().removeprefix(prefix) if prefix else key.upper()

    return bare(first) == bare(second)


class ReusedSecret(Rule):
    """Same secret used for two roles.

    ## What it does
    Reports a secret whose value equals another secret's under a different role: `JWT_SECRET`
    and `JWT_REFRESH_SECRET`, `SECRET_KEY` and `ADMIN_PASSWORD`. Passwords of one service under
    two names (`DB_PASSWORD` and `POSTGRES_PASSWORD`) are one role and pass; URLs, provider keys
    and placeholders are not compared.

    ## Why is this bad?
    One leak opens both doors, and rotating one silently breaks the other. With equal access and
    refresh secrets, a refresh token is accepted as an access token.

    ## Example
    ```dotenv
    JWT_SECRET=9c1fd84e07a2b65f3e80c4d1a9b27e63f05d8c2a4b71e96d3c08f5a2e4b91c7d
    JWT_REFRESH_SECRET=9c1fd84e07a2b65f3e80c4d1a9b27e63f05d8c2a4b71e96d3c08f5a2e4b91c7d
    ```

    ## Use instead
    Generate each secret separately (`envguard generate jwt-secret` once per variable).
    ```dotenv
    JWT_SECRET=${JWT_SECRET}
    JWT_REFRESH_SECRET=${JWT_REFRESH_SECRET}
    ```
    """

    code = "EG205"
    name = "reused-secret"
    category = Category.WEAK_SECRET
    levels = STRICT_LENIENT_INFO

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: dict[str, list[Variable]] = {}
        for var, value in ctx.secrets:
            if not _reusable(ctx, var, value):
                continue
            earlier = seen.setdefault(value, [])
            other = next((v for v in earlier if not _aliases(v.key, var.key)), None)
            if other is not None:
                yield self.report(
                    ctx,
                    f"{var.key} reuses the value of {other.key}",
                    var=var,
                    hint="generate a separate secret for each role",
                )
            earlier.append(var)


class ProductionTestKey(Rule):
    """Test-mode key in production.

    ## What it does
    Reports, in production files, provider keys made for testing: Stripe `sk_test_`, `rk_test_`
    and `pk_test_` keys, and Supabase's local-development demo keys. Staging is left alone, where
    test mode is usually what you want.

    ## Why is this bad?
    Payments in test mode succeed without charging anyone; a demo key is public knowledge and
    grants access to whatever accepts it.

    ## Example
    ```dotenv
    STRIPE_SECRET_KEY=sk_test_51HxQm2LkZt8YvR3nB6pW0cDa
    ```

    ## Use instead
    ```dotenv
    STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}
    ```
    """

    code = "EG206"
    name = "test-mode-key"
    category = Category.WEAK_SECRET
    levels: ClassVar[Levels] = {**levels(None), P: Severity.ERROR}

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.last.values():
            token = ctx.token(var)
            if token is not None and token.test:
                yield self.report(
                    ctx,
                    f"{var.key} is {token.label}; production needs the live key",
                    var=var,
                    hint="use the live-mode key from the provider's dashboard",
                )


def url_problem(username: str, password: str, ctx: Context) -> str | None:
    """What is wrong with a URL's password, in words, or None."""
    if ctx.once(is_placeholder, password):
        return "a placeholder password"
    if username and password == username:
        return "a password equal to its user name"
    if ctx.run.defaults.source(password) is not None:
        return "a well-known default password"
    if strength.weak_words("password", password, {"user": username} if username else {}) is not None:
        return "an easy-to-guess password"
    return None


class WeakUrlCredentials(Rule):
    """Weak password inside a connection URL.

    ## What it does
    Reads the credentials of every URL in a value (`postgres://user:password@host/db`,
    `redis://:pass@host:6379`) and of ADO-style connection strings (`Server=...;Password=...`), and
    reports placeholder passwords, passwords equal to the user name, published defaults and
    easy-to-guess ones.

    ## Why is this bad?
    `postgres:postgres`, `root:root` and `user:password` are the first credentials any scanner
    tries against an exposed database, cache or queue.

    ## Example
    ```dotenv
    DATABASE_URL=postgresql://postgres:postgres@db.internal:5432/ledger
    ```

    ## Use instead
    ```dotenv
    DATABASE_URL=postgresql://ledger_app:${DB_PASSWORD}@db.internal:5432/ledger
    ```
    """

    code = "EG207"
    name = "weak-url-credentials"
    category = Category.WEAK_SECRET
    levels = STRICT_LENIENT_INFO

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.last.values():
            value = var.value or ""
            if "@" not in value and "=" not in value:
                continue
            for cred in ctx.once(url_credentials, value):
                if not cred.password or ctx.once(is_reference, cred.password):
                    continue
                problem = url_problem(cred.username, cred.password, ctx)
                if problem is not None:
                    yield self.report(
                        ctx,
                        f"{var.key} has {problem} in its URL",
                        var=var,
                        value=cred.password,
                        hint="set a generated password on the server and in the URL",
                    )
                    break


#: password names whose emptiness opens a database or an admin account
_GUARDED = (
    "DB",
    "DATABASE",
    "POSTGRES",
    "PG",
    "MYSQL",
    "MARIADB",
    "MONGO",
    "ADMIN",
    "SUPERUSER",
    "ROOT",
    "RABBITMQ",
    "MSSQL",
    "SA",
)


def _local_service(ctx: Context, key: str) -> bool:
    """The password's service is reached on this machine (a unix socket, loopback), where
    databases commonly trust the local user instead of a password."""
    head = key.upper().rsplit("_", 1)[0] if "_" in key else ""
    host = ctx.values.get(f"{head}_HOST", "").strip() or ctx.values.get(f"{head}_SERVER", "").strip()
    return host.startswith("/") or (bool(host) and scope(host) is Scope.LOOPBACK)


class EmptySecret(Rule):
    """Secret is empty in production.

    ## What it does
    Reports, in production and staging, a signing key left empty (`SECRET_KEY=`, `JWT_SECRET=`,
    `SECRET_KEY_BASE=`: an error) and an empty database or admin password (`POSTGRES_PASSWORD=`,
    `DB_PASSWORD=`, `ADMIN_PASSWORD=`: a warning), unless the database is reached through a unix
    socket or loopback (`DB_HOST=/var/run/postgresql`), where the local user is trusted. An
    explicit "no value" literal such as Laravel's `REDIS_PASSWORD=null` is a choice and passes; a
    variable the schema requires is reported by `required-empty` instead.

    ## Why is this bad?
    An empty signing key makes the framework refuse to start or, worse, sign with an empty key that
    anyone can use; an empty database password opens the data to whoever reaches the port.

    ## Example
    ```dotenv
    JWT_SECRET=
    POSTGRES_PASSWORD=
    ```

    ## Use instead
    ```dotenv
    JWT_SECRET=${JWT_SECRET}
    POSTGRES_PASSWORD=${POSTGRES_PASSWORD}
    ```
    """

    code = "EG208"
    name = "empty-secret"
    category = Category.WEAK_SECRET
    levels = levels(Severity.ERROR)

    def check(self, ctx: Context) -> Iterator[Finding]:
        for var in ctx.last.values():
            if var.value is None or var.value.strip() or ctx.reading(var).kind is not Kind.EMPTY:
                continue
            spec = ctx.spec(var.key)
            if spec is not None and (spec.required or spec.required_when or spec.allow_empty):
                continue  # EG902's, or allowed
            role = ctx.role(var)
            generated = spec is not None and spec.generate and spec.generate != "password"
            if role is Role.SIGNING_KEY or generated:
                yield self.report(ctx, f"{var.key} is empty", var=var, hint=generate_hint(ctx, var))
            elif (
                role is Role.PASSWORD
                and var.key.upper().split("_", 1)[0] in _GUARDED
                and not _local_service(ctx, var.key)
            ):
                yield self.report(
                    ctx,
                    f"{var.key} is empty",
                    var=var,
                    severity=Severity.WARNING,
                    hint="set a generated password, or remove the variable if nothing uses it",
                )


RULES: tuple[type[Rule], ...] = (
    PlaceholderSecret,
    DefaultSecret,
    ShortSecret,
    WeakSecret,
    ReusedSecret,
    ProductionTestKey,
    WeakUrlCredentials,
    EmptySecret,
)
