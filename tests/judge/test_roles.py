"""The role of a variable: one table of names and values, as many rows that are secrets as rows
that merely share a word with one."""

from __future__ import annotations

import pytest
from secret_samples import ANON, HEX64, SERVICE, STRIPE_LIVE, STRIPE_PUBLISHABLE

from envguard.judge.names import Role, browser_prefix, is_public_url_name, name_role
from envguard.judge.roles import is_path, role_of
from envguard.schema import build

SECRET_NAMES = [
    ("DB_PASSWORD", Role.PASSWORD),
    ("POSTGRES_PASSWORD", Role.PASSWORD),
    ("MYSQL_PASSWD", Role.PASSWORD),
    ("DB_PASS", Role.PASSWORD),
    ("ES_PASS", Role.PASSWORD),
    ("RABBITMQ_DEFAULT_PASS", Role.PASSWORD),
    ("SMTP_PASS", Role.PASSWORD),
    ("PASS", Role.PASSWORD),
    ("PGPASSWORD", Role.PASSWORD),
    ("MYSQLPASSWORD", Role.PASSWORD),
    ("REDIS_PWD", Role.PASSWORD),
    ("KEYSTORE_PASSPHRASE", Role.PASSWORD),
    ("SECRET_KEY", Role.SIGNING_KEY),
    ("JWT_SECRET", Role.SIGNING_KEY),
    ("JWT_SECRET_KEY", Role.SIGNING_KEY),
    ("APP_KEY", Role.SIGNING_KEY),
    ("SECRET_KEY_BASE", Role.SIGNING_KEY),
    ("NEXTAUTH_SECRET", Role.SIGNING_KEY),
    ("AUTH_SECRET", Role.SIGNING_KEY),
    ("SESSION_SECRET", Role.SIGNING_KEY),
    ("APP_SECRET", Role.SIGNING_KEY),
    ("ENCRYPTION_KEY", Role.SIGNING_KEY),
    ("JWT_REFRESH_SECRET", Role.SIGNING_KEY),
    ("STRIPE_SECRET_KEY", Role.SIGNING_KEY),
    ("GOOGLE_CLIENT_SECRET", Role.SECRET),
    ("GOOGLE_CREDENTIALS", Role.SECRET),
    ("TWITTER_CONSUMER_SECRET", Role.SECRET),
    ("AWS_SECRET_ACCESS_KEY", Role.API_KEY),
    ("STRIPE_API_KEY_LIVE", Role.API_KEY),
    ("OPENAI_API_KEY", Role.API_KEY),
    ("OPENAI_APIKEY", Role.API_KEY),
    ("GITHUB_TOKEN", Role.API_KEY),
    ("TELEGRAM_BOT_TOKEN", Role.SECRET),
    ("TWILIO_AUTH_TOKEN", Role.SECRET),
    ("API_KEYS", Role.API_KEY),
    ("JWT_PRIVATE_KEY", Role.PRIVATE_KEY),
    ("DOTENV_PRIVATE_KEY", Role.PRIVATE_KEY),
    ("SUPABASE_SERVICE_ROLE_KEY", Role.SECRET),
    ("DATABASE_URL", Role.CONNECTION),
    ("SENTRY_DSN", Role.CONNECTION),
    ("ANALYTICS_DB_URL", Role.CONNECTION),
]
NOT_SECRET_NAMES = [
    ("CORS_ALLOW_CREDENTIALS", Role.SWITCH),
    ("ACCESS_TOKEN_REQUIRED", Role.SWITCH),
    ("VAULT_TOKEN_RENEW", Role.SWITCH),
    ("PRIVATE_NETWORK", Role.PLAIN),
    ("ENABLE_PASSWORD_LOGIN", Role.SWITCH),
    ("PASSWORD_RESET_ENABLED", Role.SWITCH),
    ("USE_TOKEN_AUTH", Role.SWITCH),
    ("IS_PRIVATE", Role.PLAIN),
    ("RESET_PASSWORD_WITHIN", Role.QUANTITY),
    ("ACCESS_TOKEN_EXPIRE_MINUTES", Role.QUANTITY),
    ("JWT_TOKEN_TTL", Role.QUANTITY),
    ("REFRESH_TOKEN_EXPIRES_IN", Role.QUANTITY),
    ("PASSWORD_MIN_LENGTH", Role.QUANTITY),
    ("PASSWORD_RESET_TIMEOUT", Role.QUANTITY),
    ("TOKEN_BUCKET_SIZE", Role.QUANTITY),
    ("SECRET_ROTATION_DAYS", Role.QUANTITY),
    ("DB_PORT", Role.QUANTITY),
    ("JWT_PRIVATE_KEY_PATH", Role.PATH),
    ("DB_PASSWORD_FILE", Role.PATH),
    ("SECRETS_DIR", Role.PATH),
    ("PWD", Role.PATH),  # the shell's working directory, in every process's environment
    ("OLDPWD", Role.PATH),
    ("AWS_ACCESS_KEY_ID", Role.IDENTIFIER),
    ("PUBLIC_KEY", Role.IDENTIFIER),
    ("DOTENV_PUBLIC_KEY", Role.IDENTIFIER),
    ("STRIPE_PUBLISHABLE_KEY", Role.IDENTIFIER),
    ("VAPID_PUBLIC_KEY", Role.IDENTIFIER),
    ("SUPABASE_ANON_KEY", Role.IDENTIFIER),
    ("DB_USERNAME", Role.IDENTIFIER),
    ("GITHUB_TOKEN_SCOPES", Role.SETTING),
    ("JWT_ALGORITHM", Role.SETTING),
    ("API_KEY_HEADER", Role.SETTING),
    ("REDIS_KEY_PREFIX", Role.SETTING),
    ("CACHE_KEY", Role.SETTING),
    ("OAUTH_TOKEN_URL", Role.URL),
    ("TOKEN_ENDPOINT", Role.URL),
    ("TELEGRAM_CHAT_ID", Role.IDENTIFIER),
    ("APP_NAME", Role.IDENTIFIER),
    ("REDIS_URL", Role.URL),
    ("TWILIO_ACCOUNT_SID", Role.IDENTIFIER),
    ("TOKENIZERS_PARALLELISM", Role.PLAIN),
    ("KEYCLOAK_REALM", Role.PLAIN),
    ("PASSWORD_HASHERS", Role.SETTING),
]


@pytest.mark.parametrize(("key", "role"), SECRET_NAMES)
def test_secret_names(key: str, role: Role) -> None:
    found, _ = name_role(key)
    assert found is role and found.secret


@pytest.mark.parametrize(("key", "role"), NOT_SECRET_NAMES)
def test_names_that_only_share_a_word_with_a_secret(key: str, role: Role) -> None:
    found, _ = name_role(key)
    assert found is role and not found.secret


def test_every_secret_name_holds_a_hint_word() -> None:
    """``secret_hint`` is a necessary condition of a secret name, over every combination of the
    words names are made of (the fast path of ``name_role`` relies on it)."""
    import itertools

    from envguard.judge import names

    pieces = sorted(
        {w for key, _ in [*SECRET_NAMES, *NOT_SECRET_NAMES] for w in key.split("_")}
        | set(names._SWITCH_VERBS)
        | {"CODE", "INVITATION", "AUTH", "PUBLIC", "LIVE", "2"}
    )
    checked = 0
    for size in (1, 2, 3):
        for combo in itertools.islice(itertools.product(pieces, repeat=size), 60000):
            key = "_".join(combo)
            if names.name_role(key)[0].secret:
                assert names.secret_hint(key), key
                checked += 1
    assert checked > 1000


def test_the_two_tables_are_balanced() -> None:
    assert len(NOT_SECRET_NAMES) >= len(SECRET_NAMES)


SECRET_BY_VALUE = [
    ("DB_PASSWORD", "vX3q-9LmTz2r-Wk7pFb4", Role.PASSWORD),
    ("SOME_SETTING", STRIPE_LIVE, Role.API_KEY),
    ("SOME_SETTING", "ghp_" + "a1B2" * 9, Role.API_KEY),
    ("SUPABASE_KEY", SERVICE, Role.API_KEY),
    ("BACKUP_TARGET", "postgresql://ledger:vX3q9LmTz2rWk7pF@db.internal:5432/ledger", Role.CONNECTION),
    ("REDIS_URL", "rediss://default:Zq8wK2mP9xR4tV7y@cache.example.net:6380", Role.CONNECTION),
    ("MSSQL", "Server=tcp:db.example.net,1433;User ID=app;Password=Zq8wK2mP9xR4tV7y", Role.CONNECTION),
    (
        "SIGNING",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----",
        Role.PRIVATE_KEY,
    ),
    ("TOKEN_AUTH", HEX64, Role.API_KEY),
    ("DATABASE_URL", "postgres://app:Zq8wK2mP9xR4tV7y@db.example.net/app", Role.CONNECTION),
]
NOT_SECRET_BY_VALUE = [
    ("SAML_PRIVATE_CERT", "app.key", Role.PLAIN),
    ("JWT_PRIVATE_KEY", "/run/secrets/jwt.pem", Role.PATH),
    ("GOOGLE_APPLICATION_CREDENTIALS", "./keys/service-account.json", Role.PATH),
    ("DATABASE_URL", "sqlite:///db.sqlite3", Role.URL),
    ("SENTRY_DSN", "https://3f2a9c41d7e84b0f@o450123.ingest.sentry.io/5512345", Role.URL),
    ("STRIPE_KEY", STRIPE_PUBLISHABLE, Role.IDENTIFIER),
    ("NEXT_PUBLIC_SUPABASE_KEY", ANON, Role.IDENTIFIER),
    ("TOKEN_AUTH", "true", Role.SWITCH),
    ("PASSWORD_RESET", "3600", Role.SETTING),
    ("REDIS_URL", "redis://cache.internal:6379/0", Role.URL),
    ("APP_URL", "https://api.malar-market-ledger.com/api/v1", Role.URL),
]


@pytest.mark.parametrize(("key", "value", "role"), SECRET_BY_VALUE)
def test_values_that_make_a_secret(key: str, value: str, role: Role) -> None:
    assert role_of(None, key, value) is role


@pytest.mark.parametrize(("key", "value", "role"), NOT_SECRET_BY_VALUE)
def test_values_that_unmake_one(key: str, value: str, role: Role) -> None:
    assert role_of(None, key, value) is role


def test_the_schema_decides_first() -> None:
    schema = build(
        {
            "schema": {"name": "t"},
            "vars": {
                "SECRET_PHRASE_LENGTH": {"secret": True},
                "WIDGET_SECRET": {"public": True},
                "INTERNAL_TOKEN": {"secret": False},
                "FEATURE_X": {"type": "bool"},
                "LOGIN_EMAIL": {"type": "email"},
            },
        }
    )
    assert role_of(schema.spec("SECRET_PHRASE_LENGTH"), "SECRET_PHRASE_LENGTH", "12").secret
    assert not role_of(schema.spec("WIDGET_SECRET"), "WIDGET_SECRET", HEX64).secret
    assert not role_of(schema.spec("INTERNAL_TOKEN"), "INTERNAL_TOKEN", "ghp_" + "a1B2" * 9).secret
    assert role_of(schema.spec("FEATURE_X"), "FEATURE_X", "on") is Role.SWITCH
    assert role_of(schema.spec("LOGIN_EMAIL"), "LOGIN_EMAIL", "ops@facturino.mk") is Role.EMAIL
    # a schema's secret is still judged by its path value as a secret: the schema said so
    assert role_of(schema.spec("SECRET_PHRASE_LENGTH"), "SECRET_PHRASE_LENGTH", "a.key").secret


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("app.key", True),
        ("/run/secrets/db_password", True),
        ("./storage/oauth-private.key", True),
        ("~/.ssh/id_ed25519.pub", True),
        ("certs/saml.crt", True),
        ("config/jwt/private.pem", True),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", False),
        ("base64:Zm9vYmFy/YmF6==", False),
        (HEX64, False),
        ("my secret.key value", False),
        ("/", False),
        ("", False),
    ],
)
def test_paths(value: str, path: bool) -> None:
    assert is_path(value) is path


@pytest.mark.parametrize(
    ("key", "prefix"),
    [
        ("NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_"),
        ("VITE_API_URL", "VITE_"),
        ("REACT_APP_X", "REACT_APP_"),
        ("PUBLIC_KEY", "PUBLIC_"),
        ("APP_KEY", None),
        ("VITEX", None),
        ("MY_VITE_URL", None),
    ],
)
def test_browser_prefixes(key: str, prefix: str | None) -> None:
    assert browser_prefix(key) == prefix


@pytest.mark.parametrize(
    ("key", "public"),
    [
        ("APP_URL", True),
        ("FRONTEND_URL", True),
        ("CLIENT_URL", True),
        ("GOOGLE_REDIRECT_URI", True),
        ("STRIPE_CALLBACK_URL", True),
        ("NEXTAUTH_URL", True),
        ("DATABASE_URL", False),
        ("REDIS_URL", False),
        ("API_INTERNAL_URL", False),
        ("MAIL_HOST", False),
        ("BACKEND_URL_TIMEOUT", False),
        ("URL", False),
    ],
)
def test_public_url_names(key: str, public: bool) -> None:
    assert is_public_url_name(key) is public
