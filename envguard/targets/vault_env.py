"""The Vault CLI's environment, read from the environ a target is given (never ``os.environ``).

As hashicorp/vault ``api/client.go`` (ReadEnvironment) reads it: ``VAULT_ADDR`` (default
``https://127.0.0.1:8200``), ``VAULT_TOKEN`` then the token ``vault login`` leaves in
``$HOME/.vault-token``, ``VAULT_NAMESPACE``, ``VAULT_CACERT`` (wins over ``VAULT_CAPATH``),
``VAULT_CACERT_BYTES``, ``VAULT_CAPATH``, ``VAULT_CLIENT_CERT``/``VAULT_CLIENT_KEY``,
``VAULT_SKIP_VERIFY``, ``VAULT_TLS_SERVER_NAME``, ``VAULT_CLIENT_TIMEOUT`` (default 60 s),
``VAULT_MAX_RETRIES`` (default 2). envguard adds AppRole: ``VAULT_ROLE_ID`` + ``VAULT_SECRET_ID``,
used when ``VAULT_TOKEN`` is unset, before ``~/.vault-token``.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard.errors import CredentialsError
from envguard.targets import inputs

DEFAULT_ADDR = "https://127.0.0.1:8200"
DEFAULT_TIMEOUT = 60.0
DEFAULT_RETRIES = 2
_TRUE = ("1", "t", "T", "TRUE", "true", "True")  # Go's strconv.ParseBool, as the Vault CLI parses
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


@dataclass(frozen=True)
class VaultEnv:
    """Everything the Vault target takes from the environment, checked."""

    addr: str
    token: str | None
    role: tuple[str, str] | None
    namespace: str | None
    tls: ssl.SSLContext | None
    server_name: str | None
    timeout: float
    retries: int


def read(environ: Mapping[str, str], uri: str) -> VaultEnv:
    """The checked settings; CredentialsError (exit 2) for anything missing or malformed."""
    addr = inputs.base_url(environ.get("VAULT_ADDR") or DEFAULT_ADDR, "VAULT_ADDR")
    _skip(environ)  # a malformed value is an error even where it does not matter (plain http)
    token = _token(environ)
    role = (environ.get("VAULT_ROLE_ID", ""), environ.get("VAULT_SECRET_ID", ""))
    approle = role if all(role) else None
    if not token and approle is None:
        token = _token_file(environ)
    if not token and approle is None:
        raise CredentialsError(
            f"{uri}: no Vault credentials",
            hint="set VAULT_TOKEN (or run `vault login`), or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole",
        )
    return VaultEnv(
        addr=addr,
        token=token,
        role=approle,
        namespace=environ.get("VAULT_NAMESPACE") or None,
        tls=_tls(environ) if addr.startswith("https://") else None,
        server_name=environ.get("VAULT_TLS_SERVER_NAME") or None,
        timeout=inputs.number(environ, "VAULT_CLIENT_TIMEOUT", DEFAULT_TIMEOUT, low=0.1, high=3600),
        retries=int(inputs.number(environ, "VAULT_MAX_RETRIES", DEFAULT_RETRIES, low=0, high=10)),
    )


def _token(environ: Mapping[str, str]) -> str | None:
    raw = environ.get("VAULT_TOKEN")
    return inputs.token(raw, "VAULT_TOKEN") if raw else None


def _token_file(environ: Mapping[str, str]) -> str | None:
    """The token in ``$HOME/.vault-token`` (HOME from ``environ``), stripped as the Vault CLI does."""
    home = environ.get("HOME")
    if not home:
        return None
    path = Path(home) / ".vault-token"
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        raise CredentialsError(f"{path} cannot be read", hint="run `vault login` again") from None
    return inputs.token(text, str(path)) if text else None


def _tls(environ: Mapping[str, str]) -> ssl.SSLContext:
    """The TLS context: the CA settings, the client certificate, and verification on unless skipped."""
    # a named CA replaces the system's, as in the Vault CLI; verification and host names stay on
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cacert = inputs.existing(environ, "VAULT_CACERT")
    cadata = environ.get("VAULT_CACERT_BYTES")
    capath = inputs.existing(environ, "VAULT_CAPATH", folder=True)
    if cacert or cadata:
        try:
            context.load_verify_locations(cafile=cacert, cadata=cadata)
        except (ssl.SSLError, OSError):
            raise CredentialsError("VAULT_CACERT does not hold a PEM certificate") from None
    elif capath:
        _load_folder(context, Path(capath))
    else:
        import certifi  # httpx's own default, beside the system store

        context = ssl.create_default_context()
        context.load_verify_locations(cafile=certifi.where())
    cert = inputs.existing(environ, "VAULT_CLIENT_CERT")
    key = inputs.existing(environ, "VAULT_CLIENT_KEY")
    if key and not cert:
        raise CredentialsError("VAULT_CLIENT_KEY is set without VAULT_CLIENT_CERT")
    if cert:
        try:
            context.load_cert_chain(cert, key)
        except (ssl.SSLError, OSError):
            raise CredentialsError(
                "VAULT_CLIENT_CERT/VAULT_CLIENT_KEY do not hold a matching PEM certificate and key"
            ) from None
    if _skip(environ):
        print(
            "envguard: warning: VAULT_SKIP_VERIFY is set: the Vault server's certificate is not checked",
            file=sys.stderr,
        )
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _load_folder(context: ssl.SSLContext, folder: Path) -> None:
    """Every PEM file in ``folder``, as the Vault CLI loads VAULT_CAPATH (no hashed names needed)."""
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            context.load_verify_locations(cafile=str(path))
        except (ssl.SSLError, OSError):
            raise CredentialsError(f"VAULT_CAPATH: {path} is not a PEM certificate") from None


def _skip(environ: Mapping[str, str]) -> bool:
    raw = environ.get("VAULT_SKIP_VERIFY", "")
    if raw in ("", *_FALSE):
        return False
    if raw in _TRUE:
        return True
    raise CredentialsError("VAULT_SKIP_VERIFY must be true or false", hint="e.g. VAULT_SKIP_VERIFY=true")
