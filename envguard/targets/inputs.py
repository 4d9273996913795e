"""Checks of what the caller's environment gives a target: addresses, tokens, numbers, files.

Each failure is a ``CredentialsError`` (exit 2) naming the variable, raised before anything is
contacted; no value of a token is ever quoted, and an address is shown without user info.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from envguard.errors import CredentialsError


def base_url(value: str, variable: str) -> str:
    """``value`` (an ``http(s)://host[:port][/path]`` URL) without a trailing slash."""
    if value != value.strip() or any(ord(c) < 0x21 or ord(c) == 0x7F for c in value):
        raise CredentialsError(
            f"{variable} holds whitespace or a control character",
            hint="remove the spaces or line break around the address",
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise CredentialsError(
            f"{variable} is not a valid URL ({_reason(exc)})", hint="write it as https://host:port"
        ) from None
    if parts.scheme not in ("http", "https"):
        raise CredentialsError(
            f"{variable} must start with http:// or https://", hint="write it as https://host:port"
        ) from None
    if not parts.hostname:
        raise CredentialsError(f"{variable} has no host name", hint="write it as https://host:port")
    if port == 0:
        raise CredentialsError(f"{variable} has port 0", hint="ports are 1-65535")
    return value.rstrip("/")


def proxy(environ: Mapping[str, str], url: str) -> str | None:
    """The proxy ``environ`` names for ``url`` (``HTTPS_PROXY``/``HTTP_PROXY``, minus ``NO_PROXY``).

    The usual variables, read from the environment the target is given rather than the process's.
    """
    parts = urlsplit(url)
    names = ("HTTPS_PROXY", "https_proxy") if parts.scheme == "https" else ("HTTP_PROXY", "http_proxy")
    found = next((environ[n] for n in names if environ.get(n)), None)
    if found is None or _bypassed(environ.get("NO_PROXY") or environ.get("no_proxy") or "", parts.hostname):
        return None
    return base_url(found, names[0])


def _bypassed(no_proxy: str, host: str | None) -> bool:
    """Whether ``host`` is in a NO_PROXY list (``*``, a name, or a domain suffix such as ``.corp``)."""
    for entry in (e.strip().lower().lstrip(".") for e in no_proxy.split(",")):
        if entry == "*" or (host and entry and (host.lower() == entry or host.lower().endswith("." + entry))):
            return True
    return False


def shown(url: str) -> str:
    """``scheme://host[:port]`` of a validated URL, for messages (no user info, no path)."""
    parts = urlsplit(url)
    host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def token(value: str, variable: str) -> str:
    """``value`` when it can travel in an HTTP header as is: visible ASCII, no spaces."""
    if not all(0x21 <= ord(c) <= 0x7E for c in value):
        raise CredentialsError(
            f"{variable} holds a space, a line break or a non-ASCII character",
            hint="a token is one word; check for a trailing newline from `echo` or a copied file",
        )
    return value


def number(environ: Mapping[str, str], variable: str, default: float, *, low: float, high: float) -> float:
    """A number from ``environ`` within [low, high]; ``default`` when unset or empty."""
    raw = environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        found = float(raw.removesuffix("s"))  # the Vault CLI accepts "30" and "30s"
    except ValueError:
        raise CredentialsError(f"{variable} is not a number", hint=f"e.g. {variable}={default:g}") from None
    if not low <= found <= high:
        raise CredentialsError(f"{variable} must be between {low:g} and {high:g}")
    return found


def existing(environ: Mapping[str, str], variable: str, *, folder: bool = False) -> str | None:
    """A file (or folder) path from ``environ``, checked to exist; None when unset."""
    raw = environ.get(variable)
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not (path.is_dir() if folder else path.is_file()):
        kind = "folder" if folder else "file"
        raise CredentialsError(
            f"{variable} {raw} is not a {kind}", hint="point it at a PEM " + ("folder" if folder else "file")
        )
    return str(path)


def _reason(exc: ValueError) -> str:
    text = str(exc)
    if "Port" in text or "port" in text:
        return "the port must be 1-65535"
    if "IPv6" in text:
        return "an unclosed [ in the host"
    return "malformed"
