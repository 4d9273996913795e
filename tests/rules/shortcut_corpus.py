"""A corpus of keys and values for the tests that check performance shortcuts never change a result.

Every shortcut (rule gates on key names, the ``://`` pre-filter, substring hints before the real name
patterns, the early return of ``hosts``) is a necessary condition in front of the real test. The
corpus is deliberately wide: odd spellings of every key a rule family judges, values that trigger
findings and values that do not, URL and non-URL values.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLES = (ROOT / "examples" / ".env.production", ROOT / "examples" / ".env.example")

_RNG = random.Random(20240611)


def _alnum(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


def _b64url(text: str) -> str:
    import base64

    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _jwt(payload: str) -> str:
    header = _b64url('{"alg":"HS256","typ":"JWT"}')
    return f"{header}.{_b64url(payload)}.{_alnum(43)}"


#: keys every rule family judges, in the spellings apps use (and some they should not)
BASE_KEYS: tuple[str, ...] = (
    # debug
    "DEBUG",
    "APP_DEBUG",
    "MY_APP_DEBUG",
    "DEBUG_MODE",
    "FLASK_DEBUG",
    "DJANGO_DEBUG",
    "XDEBUG",
    "DEBUGGER",
    "APP_DEBUG_MODE",
    "DEBUG_LEVEL",
    "APP_ENV",
    "NODE_ENV",
    "NODE_ENVIRONMENT",
    "ENVIRONMENT",
    "ENV",
    "STAGE",
    "DEPLOY_STAGE",
    "RAILS_ENV",
    "FLASK_ENV",
    "ENV_NAME",
    "APP_STAGE",
    "LOG_LEVEL",
    "LOGLEVEL",
    "APP_LOG_LEVEL",
    "LOG_DB_LEVEL",
    "LOGGING_LEVEL",
    "RUST_LOG",
    "DB_ECHO",
    "SQLALCHEMY_ECHO",
    "DATABASE_ECHO",
    "LOG_QUERIES",
    "DB_LOG_QUERIES",
    "DB_LOGGING",
    "LOG_CHANNEL",
    "SWAGGER_ENABLED",
    "DOCS_URL",
    "OPENAPI_URL",
    "REDOC_URL",
    "SWAGGER_PATH",
    "ENABLE_DOCS",
    "GRAPHQL_PLAYGROUND",
    "GRAPHIQL",
    "GRAPHQL_INTROSPECTION",
    "API_DOCS_ENABLED",
    "DOCS",
    "TELESCOPE_ENABLED",
    "DEBUGBAR_ENABLED",
    "DEBUG_TOOLBAR",
    "DEBUG_TB_ENABLED",
    "CLOCKWORK_ENABLE",
    "PROFILER_ENABLED",
    "SILK_ENABLED",
    "ENABLE_PROFILER",
    "USE_MOCKS",
    "MOCK_API",
    "FAKE_PAYMENTS",
    "STUB_SERVICES",
    "MOCKED",
    "PAYMENT_MODE",
    "PAYPAL_MODE",
    "STRIPE_TEST_MODE",
    "TEST_MODE",
    "SANDBOX",
    "APP_MODE",
    # cors
    "CORS_ALLOWED_ORIGINS",
    "CORS_ORIGINS",
    "CORS_ORIGIN",
    "ALLOWED_ORIGINS",
    "ALLOWED_ORIGIN",
    "BACKEND_CORS_ORIGINS",
    "CORS_ORIGIN_WHITELIST",
    "CORS_ALLOWLIST",
    "CORS_ORIGIN_ALLOW_ALL",
    "CORS_ALLOW_ALL_ORIGINS",
    "CORS_ALLOW_ALL",
    "CORS_ALLOW_CREDENTIALS",
    "CORS_SUPPORTS_CREDENTIALS",
    "CORS_ORIGIN_REGEX",
    "CSRF_TRUSTED_ORIGINS",
    "SANCTUM_STATEFUL_DOMAINS",
    "FRONTEND_ORIGIN",
    # transport
    "APP_URL",
    "API_URL",
    "ASSET_URL",
    "WEBSOCKET_URL",
    "WS_URL",
    "PUBLIC_URL",
    "CALLBACK_URL",
    "SESSION_SECURE_COOKIE",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "COOKIE_SECURE",
    "SECURE_COOKIES",
    "SECURE_COOKIE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_HTTP_ONLY",
    "COOKIE_HTTPONLY",
    "REMEMBER_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "FORCE_HTTPS",
    "FORCE_SSL",
    "APP_FORCE_HTTPS",
    "HTTPS_ONLY",
    "MAIL_HOST",
    "MAIL_PORT",
    "MAIL_ENCRYPTION",
    "MAIL_MAILER",
    "MAIL_DRIVER",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_ENCRYPTION",
    "REDIS_HOST",
    "REDIS_PASSWORD",
    "REDIS_URL",
    "REDIS_SCHEME",
    "REDIS_TLS",
    "DB_HOST",
    "DB_SSLMODE",
    "DB_CONNECTION",
    "DB_PASSWORD",
    "DB_USERNAME",
    "CACHE_URL",
    "BROKER_URL",
    "MONGODB_URI",
    # access
    "TRUSTED_PROXIES",
    "TRUSTED_PROXY",
    "APP_TRUSTED_PROXIES",
    "TRUST_PROXY",
    "APP_TRUST_PROXY",
    "FORWARDED_ALLOW_IPS",
    "PROXY_COUNT",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOWED_HOSTS",
    "CSRF_ENABLED",
    "CSRF_PROTECTION",
    "CSRF_CHECK",
    "ENABLE_CSRF",
    "DISABLE_CSRF",
    "CSRF_DISABLED",
    "WTF_CSRF_ENABLED",
    "JWT_ALGORITHM",
    "JWT_ALGORITHMS",
    "JWT_ALG",
    "JWT_ACCESS_ALGORITHM",
    "ADMIN_PASSWORD",
    "ADMIN_USERNAME",
    "ADMIN_USER",
    "ADMIN_EMAIL",
    "ADMIN_PASS",
    "ADMIN_LOGIN",
    "SUPERUSER_EMAIL",
    "SUPERUSER_PASSWORD",
    "DJANGO_SUPERUSER_PASSWORD",
    "DJANGO_SUPERUSER_USERNAME",
    "DJANGO_SUPERUSER_EMAIL",
    "APP_ADMIN_PWD",
    # exposure
    "VITE_API_URL",
    "VITE_STRIPE_SECRET",
    "VITE_API_KEY",
    "VITE_JWT_SECRET",
    "VITE_DATABASE_URL",
    "NEXT_PUBLIC_SUPABASE_ANON_KEY",
    "NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY",
    "NEXT_PUBLIC_DATABASE_URL",
    "NEXT_PUBLIC_STRIPE_KEY",
    "REACT_APP_SECRET",
    "REACT_APP_API_URL",
    "REACT_APP_ADMIN_PASSWORD",
    "NUXT_PUBLIC_TOKEN",
    "EXPO_PUBLIC_API_KEY",
    "PUBLIC_SECRET_LENGTH",
    "GATSBY_SENTRY_DSN",
    # secrets and their settings
    "DATABASE_URL",
    "DB_URL",
    "SENTRY_DSN",
    "MAIL_PASSWORD",
    "SMTP_PASSWD",
    "APP_SECRET",
    "CLIENT_SECRET",
    "GITHUB_TOKEN",
    "ACCESS_TOKEN",
    "API_KEY",
    "APIKEY",
    "APP_KEY",
    "SECRET_KEY",
    "SECRET_KEY_BASE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "STRIPE_SECRET_KEY",
    "STRIPE_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "JWT_SECRET",
    "JWT_SECRET_KEY",
    "JWT_TOKEN_TTL",
    "ACCESS_TOKEN_EXPIRE_MINUTES",
    "REFRESH_TOKEN_LIFETIME",
    "SESSION_TIMEOUT",
    "PASSWORD_MIN_LENGTH",
    "DOTENV_PUBLIC_KEY",
    "DOTENV_PRIVATE_KEY",
    "DOTENV_PRIVATE_KEY_PRODUCTION",
    "PRIVATE_KEY",
    "SSH_KEY",
    "SIGNING_KEYS",
    "DB_PWD",
    "PASSPHRASE",
    "GPG_PASSPHRASE",
    "CREDENTIALS",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "KEY",
    "KEYS",
    "API_KEY_ID",
    "PUBLIC_KEY",
    "SUPABASE_KEY",
    "SUPABASE_SERVICE_ROLE_KEY",
    "OPENAI_API_KEY",
    "PASSWORD_FILE",
    "TOKEN_HEADER",
    "AUTH_KEY",
    "ENCRYPTION_KEY",
    "MASTER_KEY",
    "KEY_BASE",
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PWD",
    "PRIVATE",
    "SSL_PRIVATE",
    "APP_PRIVATE_PEM",
    "DB_CREDENTIAL",
    "SENTRY_DSN_PUBLIC",
    # schema rules and the rest
    "APP_NAME",
    "PORT",
    "HOST",
    "HOSTNAME",
    "SERVER_NAME",
    "SESSION_DOMAIN",
    "SITE_URL",
    "DOMAIN",
    "QUEUE_CONNECTION",
    "CACHE_STORE",
    "SESSION_DRIVER",
    "TIMEZONE",
    "LOCALE",
    "ALLOWED_IPS",
    "BASE_URL",
    "FRONTEND_URL",
    "NEXTAUTH_URL",
    "NEXTAUTH_SECRET",
    "SECRET_KEY_FALLBACKS",
    "EMAIL_HOST_PASSWORD",
    "DEFAULT_FROM_EMAIL",
    "MAIL_FROM_ADDRESS",
    "DJANGO_SETTINGS_MODULE",
)


def _variants(key: str, index: int) -> list[str]:
    """Odd spellings of a key: lower and mixed case, prefixes and suffixes, glued words."""
    out = [key]
    if index % 4 == 0:
        out.append(key.lower())
    if index % 4 == 2:
        out.append("_".join(p.capitalize() for p in key.split("_")))
    if index % 5 == 1:
        out.append(f"MY_{key}")
    if index % 6 == 3:
        out.append(f"{key}_2")
    if index % 9 == 4:
        out.append(f"X{key}")
    if index % 13 == 6:
        out.append(f"{key}S")
    return out


KEYS: tuple[str, ...] = tuple(dict.fromkeys(v for i, k in enumerate(BASE_KEYS) for v in _variants(k, i)))

#: values that trigger findings in some family, values that do not, URL and non-URL values
VALUES: tuple[str, ...] = (
    "true",
    "1",
    "on",
    "yes",
    "True",
    "TRUE",
    "(true)",
    "enabled",
    "false",
    "0",
    "off",
    "no",
    "(false)",
    "",
    " ",
    "*",
    "null",
    "none",
    "None",
    "**",
    "0.0.0.0/0",
    "*,https://app.acme.io",
    '["*"]',
    '["https://app.acme.io", "http://public.example.org"]',
    "[broken",
    "http://public.example.org",
    "http://localhost:3000",
    "https://app.acme.io/",
    "app.acme.io",
    "https://app.acme.io",
    "http://api:8000",
    "ws://events.acme.io/socket",
    "https://your-domain.com",
    "https://example.com",
    "https://acme.io/path?x=1",
    "debug",
    "trace",
    "info",
    "express:*",
    "app=debug,hyper=info",
    "local",
    "development",
    "staging",
    "production",
    "test",
    "sandbox",
    "live",
    "changeme",
    "your-secret-here",
    "YOUR_API_KEY_HERE",
    "xxxxxxxx",
    "<your-token>",
    "admin",
    "admin@example.com",
    "root",
    "password",
    "secret",
    "keyboard cat",
    "short",
    "hunter2",
    "postgres://user:password@db.example.com:5432/app",
    "postgresql://app:Zq8mX2vL9pR4tW7kQ3nB@db.acme.io:5432/app?sslmode=disable",
    "redis://:secret@cache.acme.io:6379",
    "redis://cache.acme.io:6379/0",
    "rediss://cache.acme.io:6380",
    "mysql://root:root@10.0.0.5/app",
    "mongodb+srv://u:${MONGO_PASSWORD}@cluster0.acme.io/db",
    "amqp://guest:guest@mq.acme.io:5672",
    "tls://cache.acme.io",
    "smtp.mailgun.org",
    "127.0.0.1",
    "localhost",
    "host.docker.internal",
    "10.1.2.3",
    "tls",
    "ssl",
    "require",
    "disable",
    "HS256",
    "none,HS256",
    "NONE",
    "sk_test_" + _alnum(24),
    "sk_live_" + _alnum(24),
    "pk_live_" + _alnum(24),
    "rk_live_" + _alnum(24),
    "whsec_" + _alnum(32),
    "ghp_" + _alnum(36),
    "xoxb-" + _alnum(12),
    "AKIA" + _alnum(16, string.ascii_uppercase + "234567"),
    "AKIAIOSFODNN7EXAMPLE",
    "sk-proj-" + _alnum(40),
    "sk-ant-" + _alnum(40),
    "SG." + _alnum(22) + "." + _alnum(43),
    _jwt('{"role":"service_role","iss":"supabase"}'),
    _jwt('{"role":"anon"}'),
    _jwt('{"sub":"42"}'),
    _jwt('{"iss":"supabase-demo","role":"anon"}'),
    "eyJhbGciOi.eyJzdWIiOi.abc",
    "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA" + _alnum(40),
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "${OTHER_VAR}",
    "${DB_PASSWORD:-x}",
    "pre${X}post",
    _alnum(48),
    _alnum(64, "0123456789abcdef"),
    "base64:" + _b64url(_alnum(32)) + "=",
    "django-insecure-" + _alnum(40),
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "Tr0ub4dor&3",
    "encrypted:BDqRkHvSNq6ZyTMGp9y7QSPq0t0p0qx0n4cGqYZC",
    "https://hooks.slack.com/services/T00000000/B00000000/" + _alnum(24),
    "3600",
    "15m",
    "8080",
    "a b c",
    "#not-a-comment",
    "value # with comment",
    "UTC",
    "en",
    "redis",
    "database",
    "file",
    "https://sentry.io/1",
    "https://" + _alnum(32, "0123456789abcdef") + "@o1.ingest.sentry.io/42",
)


def rotation(offset: int) -> dict[str, str]:
    """Every key of the corpus with a value; ``offset`` shifts which value each key gets, so that
    ``len(VALUES)`` rotations give every key every value."""
    size = len(VALUES)
    return {key: VALUES[(i * 7 + offset) % size] for i, key in enumerate(KEYS)}


_SHARED = _alnum(40)

#: hand-written files for findings that need two variables together
SCENARIOS: tuple[str, ...] = (
    "CORS_ALLOWED_ORIGINS=*\nCORS_ALLOW_CREDENTIALS=true\nCORS_SUPPORTS_CREDENTIALS=1\n",
    "CORS_ORIGIN_ALLOW_ALL=True\nCORS_ALLOW_CREDENTIALS=True\n",
    'ALLOWED_ORIGINS=null\nAPP_CORS_ALLOW_CREDENTIALS=on\nBACKEND_CORS_ORIGINS=["*"]\n',
    "MAIL_MAILER=smtp\nMAIL_HOST=smtp.mailgun.org\nMAIL_PORT=587\nMAIL_ENCRYPTION=null\n",
    "EMAIL_HOST=smtp.sendgrid.net\nEMAIL_USE_TLS=False\nEMAIL_USE_SSL=False\n",
    "MAIL_HOST=smtp.acme.io\nMAIL_USE_TLS=off\n",
    "ADMIN_USERNAME=admin\nADMIN_PASSWORD=admin\nADMIN_EMAIL=admin@example.com\n",
    "DJANGO_SUPERUSER_USERNAME=root\nDJANGO_SUPERUSER_PASSWORD=short1\nDJANGO_SUPERUSER_EMAIL=root@test.com\n",
    "SUPERUSER_USER=demo\nSUPERUSER_PWD=demo\n",
    "REDIS_HOST=cache.acme.io\nREDIS_PASSWORD=null\nREDIS_PORT=6379\n",
    "DB_CONNECTION=pgsql\nDB_HOST=db.acme.io\nDB_SSLMODE=disable\nDB_PASSWORD=Zq8mX2vL9pR4tW7kQ3nB\n",
    "REDIS_HOST=tls://cache.acme.io\nREDIS_SCHEME=tls\n",
    "APP_KEY=" + "sk_live_" + _alnum(24) + "\nOTHER_KEY=" + "sk_live_" + _alnum(24) + "\n",
    f"SHARED_ONE={_SHARED}\nSHARED_TWO={_SHARED}\nJWT_SECRET={_SHARED}\n",
    "DEBUG=express:*,-express:router\nLOG_LEVEL=trace\nRUST_LOG=info,hyper=debug\n",
    "APP_ENV=staging\nNODE_ENV=development\nSTAGE=preprod\n",
    "export APP_DEBUG=true\nAPP_DEBUG = false\napp_debug=true\n  LOG_LEVEL= debug\n",
    "CSRF_TRUSTED_ORIGINS=acme.io,https://ok.acme.io/\nSANCTUM_STATEFUL_DOMAINS=https://acme.io/app\n",
    "APP_DEBUG=true # envguard: ignore[EG401]\n# envguard: ignore\nLOG_LEVEL=debug\n",
    'DOTENV_PUBLIC_KEY="034af93e"\nSECRET=encrypted:BDqRkHvSNq6ZyTMGp9y7\nPLAIN_SECRET=abc123def456ghi\n',
    "DOTENV_PRIVATE_KEY_PRODUCTION=" + _alnum(64, "0123456789abcdef") + "\n",
    "APP_URL=http://your-production-domain.com\nSESSION_DOMAIN=.example.com\nAPI_HOST=localhost\n",
    "KEY WITHOUT EQUALS\nBAD='unterminated\n=novalue\n1KEY=v\nKEY.NAME=v\nKEY-NAME=v\nDUP=1\nDUP=2\n",
    'QUOTED="http://public.example.org"\nSINGLE=\'true\'\nBACK=`*`\nTRAIL="x" junk\n',
)


def fixture_files() -> list[Path]:
    """Every ``.env`` fixture and both examples."""
    found = sorted(FIXTURES.glob("*/*.env"))
    assert found, "the fixtures moved"
    return [*found, *EXAMPLES]


def as_file(values: dict[str, str], style: int) -> str:
    """``values`` written as an env file, in one of several styles (quotes, export, spaces)."""
    lines = []
    for i, (key, value) in enumerate(values.items()):
        kind = (i + style) % 6
        if kind == 0 or "\n" in value:
            lines.append(f"{key}={value}")
        elif kind == 1 and '"' not in value and "\\" not in value:
            lines.append(f'{key}="{value}"')
        elif kind == 2 and "'" not in value:
            lines.append(f"{key}='{value}'")
        elif kind == 3:
            lines.append(f"export {key}={value}")
        elif kind == 4:
            lines.append(f"{key} = {value}")
        else:
            lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


def names() -> list[str]:
    """Key names for the name-pattern tests: the corpus keys, fixture keys, and generated ones."""
    from envguard import envfile

    found = list(KEYS)
    for path in fixture_files():
        found.extend(r.key for r in envfile.read(path).records if r.key)
    words = [
        "PASS",
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "PRIVATE",
        "CREDENTIAL",
        "KEY",
        "KEYS",
        "PWD",
        "DSN",
        "DATABASE",
        "URL",
        "DB",
        "API",
        "APIKEY",
        "ACCESS",
        "AUTH",
        "ID",
        "TTL",
        "EXPIRE",
        "PUBLIC",
        "BASE",
        "FILE",
        "PATH",
        "NAME",
        "ENABLED",
        "ALGORITHM",
        "MINUTES",
        "X",
        "APP",
        "COOKIE",
        "HOST",
        "LENGTH",
        "HEADER",
        "PUBLISHABLE",
        "TIMEOUT",
        "LIFETIME",
    ]
    rng = random.Random(7)
    for _ in range(6000):
        parts = [rng.choice(words) for _ in range(rng.randint(1, 4))]
        joiner = rng.choice(["_", "_", "_", "", "-", "."])
        name = joiner.join(parts)
        if rng.random() < 0.15:
            name = name.lower()
        found.append(name)
    return list(dict.fromkeys(found))


def texts() -> list[str]:
    """Values for the value-pattern tests: the corpus values, fixture values, and generated ones."""
    from envguard import envfile

    found = list(VALUES)
    for path in fixture_files():
        found.extend(r.value for r in envfile.read(path).records if r.value is not None)
    found.extend(SCENARIOS)
    pieces = [
        "host",
        "HOST",
        "localhost",
        "domain",
        "Domain.com",
        "server",
        "::1",
        "[::1]",
        "127.0.0.1",
        "0.0.0.0",
        "a",
        "b",
        "1",
        "8080",
        ":",
        ",",
        " ",
        "@",
        "://",
        "http",
        "https",
        "redis",
        ".",
        "x",
        "your-domain",
        "example",
        "com",
        "test",
        "*",
        "*.",
        "hostname",
        "SERVER",
        "\u0130",
        "\u212a",
        "\u017f",
        "_",
        "-",
        "[",
        "]",
        "/",
        "?",
        "#",
        "user",
        "pass",
        "docker",
        "internal",
    ]
    rng = random.Random(11)
    for _ in range(6000):
        found.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))))
    return list(dict.fromkeys(found))
