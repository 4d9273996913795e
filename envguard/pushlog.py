"""What envguard last pushed to write-only targets (GitHub secrets), recorded locally, never values.

GitHub never shows a secret's value, only its ``updated_at``. After each push envguard records,
per secret, a keyed digest of the value it sent and the ``updated_at`` GitHub then reported, in
``.envguard/pushed/<target>.json``. A later plan trusts a digest only while ``updated_at`` is
unchanged: the same value is then known to be there (an identical re-push sends nothing), and a
newer ``updated_at`` means someone else wrote the secret since (``diff`` reports it).

The digest key is random, made once per folder (``.envguard/pushed/.key``, mode 0600), so the
record cannot be checked against guessed values without that file.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard import envfile

FOLDER = Path(".envguard") / "pushed"
KEY_FILE = ".key"


@dataclass(frozen=True)
class Pushed:
    """One secret as envguard last left it: the digest of the value and GitHub's ``updated_at``."""

    digest: str
    updated_at: str


class PushLog:
    """The record of one target in ``root`` (default: the current folder)."""

    def __init__(self, uri: str, root: Path | None = None) -> None:
        self.uri = uri
        self.folder = (root or Path.cwd()) / FOLDER
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", uri).strip("-")
        self.path = self.folder / f"{slug}.json"
        self._key: bytes | None = None

    def entries(self) -> dict[str, Pushed]:
        """What was recorded; empty when nothing was, or the record is unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        found = data.get("secrets") if isinstance(data, dict) and data.get("uri") == self.uri else None
        if not isinstance(found, dict):
            return {}
        return {
            str(k): Pushed(str(v["digest"]), str(v["updated_at"]))
            for k, v in found.items()
            if isinstance(v, dict) and {"digest", "updated_at"} <= set(v)
        }

    def digest(self, value: str) -> str:
        """The keyed digest of ``value`` (HMAC-SHA256 under this folder's key)."""
        if self._key is None:
            self._key = self._load_key()
        return hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:40]

    def record(self, pushed: Mapping[str, Pushed], dropped: Iterable[str] = ()) -> None:
        """Merge ``pushed`` into the record and forget ``dropped``; written atomically, 0600."""
        merged = self.entries()
        merged.update(pushed)
        for name in dropped:
            merged.pop(name, None)
        body = {
            "uri": self.uri,
            "secrets": {
                k: {"digest": v.digest, "updated_at": v.updated_at} for k, v in sorted(merged.items())
            },
        }
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        envfile.atomic_write(self.path, json.dumps(body, indent=2) + "\n", mode=0o600)

    def _load_key(self) -> bytes:
        """The folder's digest key, created once: written aside, then linked into place, so that
        whoever is first wins and nobody reads a half-written key."""
        path = self.folder / KEY_FILE
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd, aside = tempfile.mkstemp(prefix=".key.", dir=self.folder)
            try:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_hex(32) + "\n")
                with contextlib.suppress(FileExistsError):
                    os.link(aside, path)
            finally:
                os.unlink(aside)
        text = path.read_text(encoding="utf-8").strip()
        if len(text) != 64:
            raise OSError(f"{path}: not an envguard digest key")
        return bytes.fromhex(text)
