"""The places ``envguard rotate`` replaces a secret in: env files and targets.

Each place is surveyed first (does it hold the key, and can its current value be read, for the
snapshot), then written with the new value and checked: a file is re-read and its value opened
again; a readable target is read back; a target that cannot show values (GitHub, a sensitive
Vercel variable) is reported as written but not verifiable. A place that changed between the
survey and the write is left alone and reported, like a push conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from envguard import envfile, keys, targets
from envguard.envfile import Record
from envguard.errors import EnvguardError
from envguard.targets.base import Plan, Remote, Target

NEW = "new value"
UNVERIFIED = "written, cannot be verified"
OLD = "still the old value"


@dataclass(frozen=True)
class Survey:
    """What one place holds of the key, read before anything is written; ``old`` is never shown."""

    place: str
    holds: bool
    old: str | None = field(default=None, repr=False)
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    """What one place holds after the rotation: ``NEW``, ``UNVERIFIED`` or ``OLD`` (with why)."""

    place: str
    state: str
    reason: str = ""


class FilePlace:
    """An env file; encrypted definitions stay encrypted (under the file's own public key)."""

    def __init__(self, path: Path, key: str, environ: Mapping[str, str]) -> None:
        self.path = path
        self.name = str(path)
        self.uri = f"file:{path.resolve()}"
        self.key = key
        self._environ = environ
        self._old: str | None = None

    def survey(self) -> Survey:
        """Whether the file defines the key, and its current (decrypted) value."""
        file = envfile.read(self.path)
        raw = file.values().get(self.key)
        if raw is None:
            return Survey(self.name, False, detail=f"does not hold {self.key}; left alone")
        self._old = keys.Opener.for_file(file, self._environ).open(self.key, raw)
        sealed = keys.is_encrypted(raw)
        return Survey(self.name, True, self._old, "encrypted (stays encrypted)" if sealed else "plaintext")

    def write(self, value: str) -> Outcome:
        """Replace every definition of the key (so no old copy stays behind), then check."""
        file = envfile.read(self.path)
        opener = keys.Opener.for_file(file, self._environ)
        if opener.open(self.key, file.values().get(self.key, "")) != self._old:
            return Outcome(self.name, OLD, "changed since the plan; left as is")
        records = tuple(self._replaced(r, value, file) for r in file.records)
        envfile.atomic_write(self.path, file.with_records(records).render())
        again = envfile.read(self.path)
        if keys.Opener.for_file(again, self._environ).open(self.key, again.values()[self.key]) != value:
            return Outcome(self.name, OLD, "the file did not read back the new value")
        return Outcome(self.name, NEW)

    def _replaced(self, record: Record, value: str, file: envfile.EnvFile) -> Record:
        if not record.is_entry or record.key != self.key:
            return record
        if not keys.is_encrypted(record.value):
            return envfile.set_value(record, value)
        from envguard import crypto

        public = keys.public_key(file)
        if public is None:
            raise EnvguardError(f"{self.path}: {self.key} is encrypted but the file has no public key")
        sealed = crypto.encrypt_value(public, value)
        return envfile.set_value(record, sealed, written=f'"{sealed}"')


class TargetPlace:
    """A target: written with a one-key plan through the target's own ``apply``."""

    def __init__(self, ref: str, key: str, environ: Mapping[str, str]) -> None:
        self.target: Target = targets.open_target(ref, environ)
        self.uri = self.name = self.target.uri  # as the target names itself (vercel://web/production)
        self.key = next(iter(self.target.admit({key: "x"})))  # the name it stores (GitHub: upper case)
        self._remote = Remote({})

    def survey(self) -> Survey:
        """Whether the target holds the key, and its current value where it can be read."""
        remote = self._remote = self.target.fetch()
        sharing = getattr(self.target, "sharing", None)  # Vercel: one entry for several targets
        others = sharing(self.key) if sharing is not None and self.key in remote else ()
        shared = (
            f"shared with {', '.join(others)}, which keep(s) the old value unless named too" if others else ""
        )
        if self.key in remote.values:
            return Survey(self.name, True, remote.values[self.key], shared)
        if self.key in remote.unreadable:
            unseen = UNVERIFIED if remote.write_only else "replaced; the previous value is not saved"
            return Survey(self.name, True, None, "; ".join(filter(None, (f"{remote.why}: {unseen}", shared))))
        return Survey(self.name, False, detail=f"does not hold {self.key}; left alone")

    def write(self, value: str) -> Outcome:
        """Apply a one-key plan; read it back where the target can show it."""
        remote = self._remote
        blind = () if self.key in remote.values else (self.key,)
        plan = Plan(changed={self.key: value}, expected=dict(remote.values), blind=blind)
        try:
            result = self.target.apply(plan)
            if self.key in result.failed:
                return Outcome(self.name, OLD, result.failed[self.key])
            if blind:
                return Outcome(self.name, UNVERIFIED)
            if self.target.fetch().values.get(self.key) != value:
                return Outcome(self.name, OLD, "the target did not read back the new value")
        except EnvguardError as exc:
            return Outcome(self.name, OLD, exc.message)
        return Outcome(self.name, NEW)


Place = FilePlace | TargetPlace
