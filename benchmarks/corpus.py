"""The inputs the benchmarks time: a typical production file, one huge file, and a tree of files.

Every value is generated from a seeded random source, so two runs time the same bytes. Secrets are
strong random strings, as in a healthy production file; example files hold placeholders instead, as
committed example files do.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

_ALPHABET = string.ascii_letters + string.digits

#: a typical production file of a Laravel/Node-style app: 40 variables, comments, blank lines
_TEMPLATE = """\
# Production settings for {app}
APP_NAME="{app}"
APP_ENV=production
APP_DEBUG=false
APP_URL=https://{app}.acme-cloud.io
APP_KEY=base64:{b64}
LOG_LEVEL=warning
LOG_CHANNEL=stack

# Database
DB_CONNECTION=pgsql
DB_HOST=db-{n}.internal.acme-cloud.io
DB_PORT=5432
DB_DATABASE={app}_prod
DB_USERNAME={app}_app
DB_PASSWORD={pw1}
DB_SSLMODE=require

# Cache and queues
REDIS_HOST=redis-{n}.internal.acme-cloud.io
REDIS_PORT=6380
REDIS_PASSWORD={pw2}
REDIS_TLS=true
CACHE_STORE=redis
QUEUE_CONNECTION=redis
SESSION_DRIVER=redis
SESSION_LIFETIME=120
SESSION_SECURE_COOKIE=true

# Mail
MAIL_MAILER=smtp
MAIL_HOST=smtp.postmarkapp.com
MAIL_PORT=587
MAIL_ENCRYPTION=tls
MAIL_USERNAME={hex1}
MAIL_PASSWORD={pw3}
MAIL_FROM_ADDRESS=noreply@{app}.acme-cloud.io

# Third parties
STRIPE_KEY=pk_live_{tok1}
STRIPE_SECRET=sk_live_{tok2}
SENTRY_DSN=https://{hex1}@o{n}.ingest.sentry.io/{n}
AWS_ACCESS_KEY_ID=AKIA{akid}
AWS_SECRET_ACCESS_KEY={aws}
AWS_DEFAULT_REGION=eu-central-1
AWS_BUCKET={app}-uploads
CORS_ALLOWED_ORIGINS=https://{app}.acme-cloud.io,https://admin.{app}.acme-cloud.io
TRUSTED_PROXIES=10.0.0.0/8
"""


def _word(rng: random.Random, size: int, alphabet: str = _ALPHABET) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def production_file(rng: random.Random, n: int = 1) -> str:
    """One typical production file (40 variables), fresh random secrets, app number ``n``."""
    return _TEMPLATE.format(
        app=f"shop{n}",
        n=n,
        b64=_word(rng, 43) + "=",
        pw1=_word(rng, 32),
        pw2=_word(rng, 32),
        pw3=_word(rng, 32),
        hex1=_word(rng, 32, "0123456789abcdef"),
        tok1=_word(rng, 24),
        tok2=_word(rng, 24),
        akid=_word(rng, 16, string.ascii_uppercase + "234567"),
        aws=_word(rng, 40),
    )


def example_file(rng: random.Random, n: int = 1) -> str:
    """The example file that goes with :func:`production_file`: same keys, placeholder secrets."""
    lines = []
    for line in production_file(rng, n).splitlines():
        key, sep, _ = line.partition("=")
        secret = any(word in key for word in ("PASSWORD", "SECRET", "_KEY", "DSN"))
        lines.append(f"{key}=change-me" if sep and secret and not line.startswith("#") else line)
    return "\n".join(lines) + "\n"


def _numbered(block: str, n: int) -> str:
    """``block`` with every key suffixed ``_n``, so that blocks do not redefine each other."""
    out = []
    for line in block.splitlines():
        key, sep, value = line.partition("=")
        out.append(f"{key}_{n}{sep}{value}" if sep and not line.startswith("#") else line)
    return "\n".join(out) + "\n"


def write_typical(path: Path, seed: int = 1) -> Path:
    """Write the typical 40-variable production file."""
    path.write_text(production_file(random.Random(seed)), encoding="utf-8")
    return path


def write_large(path: Path, lines: int = 100_000, seed: int = 2) -> Path:
    """Write one env file of ``lines`` lines: numbered copies of the typical file, fresh values."""
    rng = random.Random(seed)
    chunks: list[str] = []
    count = 0
    n = 0
    while count < lines:
        n += 1
        block = _numbered(production_file(rng, n), n)
        take = block.splitlines(keepends=True)[: lines - count]
        chunks.append("".join(take))
        count += len(take)
    path.write_text("".join(chunks), encoding="utf-8")
    return path


def write_tree(root: Path, files: int = 2_000, seed: int = 3) -> Path:
    """Write ``files`` env files into nested folders (apps/appN/services/svcM/.env.production...)."""
    rng = random.Random(seed)
    names = (".env.production", ".env.staging", ".env", ".env.example")
    for i in range(files):
        folder = root / f"group{i % 10}" / f"app{i // 4}" / ("config" if i % 3 else "deploy")
        folder.mkdir(parents=True, exist_ok=True)
        name = names[i % len(names)]
        text = example_file(rng, i) if name == ".env.example" else production_file(rng, i)
        (folder / name).write_text(text, encoding="utf-8")
    return root
