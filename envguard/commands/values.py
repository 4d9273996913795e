"""``envguard get`` and ``envguard set``: read one decrypted value, write one encrypted value.

``get`` is one of the two commands that print a value (its job); ``set`` never echoes what it
writes, and takes the value from stdin when it is ``-`` or omitted, so it stays out of shell
history.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from envguard import envfile, envquote, files, keys
from envguard.commands.encrypt import ensure_keypair, load
from envguard.errors import EXIT_OK, InputError, UsageError

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def get(key: str, path: Path = Path(".env"), environ: Mapping[str, str] | None = None) -> int:
    """Print the decrypted value of ``key`` (its last definition) in ``path``."""
    file = envfile.read(path)
    values = file.values()
    if key not in values:
        raise InputError(f"{key} is not set in {path}")
    value = keys.Opener.for_file(file, environ).open(key, values[key])
    sys.stdout.write(value + "\n")
    return EXIT_OK


def set_(
    key: str,
    value: str | None,
    path: Path = Path(".env"),
    plain: bool = False,
    environ: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Set ``key`` in ``path``, encrypted unless ``plain`` (or a ``*_PLAIN`` / public key name)."""
    if not _KEY.fullmatch(key) or not envfile.looks_like_name(key):
        raise UsageError(
            f"{key[:40]!r} is not a valid variable name",
            hint="use letters, digits and _ (a name, not random text)",
        )
    encrypted = not plain and not keys.stays_plain(key)
    text = envquote.writable(read_value(value, sys.stdin if stdin is None else stdin), key, encrypted)
    file = load(path)
    written: str | None = None
    if encrypted:
        from envguard import crypto

        file, public = ensure_keypair(file, environ)
        written = '"' + crypto.encrypt_value(public, text) + '"'
    else:
        written = envfile.quote(text, key)  # refused here, before any file is touched
    file = _assign(file, key, text, written)
    changed = envfile.atomic_write(path, file.render())
    state = "encrypted" if encrypted else "plaintext"
    print(f"envguard: set {key} ({state}) in {files.shown(path, changed)}", file=sys.stderr)
    return EXIT_OK


def read_value(value: str | None, stdin: TextIO) -> str:
    """The value given, or stdin's text (one final newline dropped) for ``-`` or no value.

    stdin is read as bytes, so a CR or CRLF inside the value stays as it is (a text stream would
    turn both into LF); bytes that are not UTF-8 are one InputError.
    """
    if value is not None and value != "-":
        return value
    if stdin.isatty():
        raise UsageError(
            "no VALUE given and stdin is a terminal",
            hint='pipe it in to keep it out of shell history: printf %s "$V" | envguard set KEY',
        )
    raw = getattr(stdin, "buffer", None)
    if raw is None:  # an in-memory text stream, which translates nothing
        text = stdin.read()
    else:
        data = raw.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"stdin: invalid UTF-8 (byte {exc.start})", hint="pipe the value in as UTF-8 text"
            ) from None
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def _assign(file: envfile.EnvFile, key: str, value: str, written: str | None) -> envfile.EnvFile:
    """The file with ``key``'s last definition changed, or the key appended."""
    records = list(file.records)
    for index in range(len(records) - 1, -1, -1):
        if records[index].is_entry and records[index].key == key:
            records[index] = envfile.set_value(records[index], value, written=written)
            return file.with_records(tuple(records))
    if records and records[-1].is_blank and not file.final_newline:
        records.pop()
    records.append(envfile.entry(key, value, written=written))
    return file.with_records(tuple(records))
