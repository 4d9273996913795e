"""``envguard diff FILE URI``: drift between a file and a target, by key; values never shown.

Keys a target cannot show are compared where envguard knows them (what it last pushed to GitHub,
while GitHub's ``updated_at`` is unchanged); a secret changed on GitHub after envguard's last
push is reported as such, and the rest are listed as not comparable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard import envfile, sync, targets
from envguard.errors import EXIT_FINDINGS, EXIT_OK
from envguard.targets.base import Remote


@dataclass(frozen=True)
class Drift:
    """Keys only in the file, only on the target, and present in both with different values."""

    only_here: tuple[str, ...]
    only_there: tuple[str, ...]
    different: tuple[str, ...]

    @property
    def none(self) -> bool:
        """The file and the target agree."""
        return not (self.only_here or self.only_there or self.different)


def compare(local: Mapping[str, str], remote: Mapping[str, str]) -> Drift:
    """Key-level drift between two mappings."""
    return Drift(
        tuple(sorted(k for k in local if k not in remote)),
        tuple(sorted(k for k in remote if k not in local)),
        tuple(sorted(k for k in local if k in remote and local[k] != remote[k])),
    )


def diff(file: Path, ref: str, environ: Mapping[str, str] | None = None) -> int:
    """Print the drift between ``file`` and ``ref``; exit 1 when they differ."""
    environ = os.environ if environ is None else environ
    envfile.read(file)
    uri = targets.resolve(ref)
    target = targets.open_target(str(uri), environ)
    remote = target.fetch()
    if not remote.exists:
        target.read()  # the target's own "nothing there" error
    local = target.admit(sync.local_values(file, environ))
    drift = compare_remote(local, remote)
    unknown = tuple(
        sorted(
            k
            for k in local
            if k in remote.unreadable and not remote.same(k, local[k]) and k not in remote.stale
        )
    )
    if drift.none and not remote.stale:
        tail = f"; {len(unknown)} not comparable ({remote.why})" if unknown else ""
        print(f"No drift: {file} and {uri} hold the same {len(local) - len(unknown)} variable(s){tail}.")
        _list("Not comparable", unknown, "?")
        return EXIT_OK
    _list(f"Only in {file}", drift.only_here, "+")
    _list(f"Only on {uri}", drift.only_there, "-")
    _list("Different values", drift.different, "~")
    _list(f"Changed on {uri} since envguard's last push", remote.stale, "!")
    _list(f"Not comparable ({remote.why})", unknown, "?")
    return EXIT_FINDINGS


def compare_remote(local: Mapping[str, str], remote: Remote) -> Drift:
    """Drift against what a target holds: names it cannot show count as there, values by digest."""
    names = {**dict.fromkeys(remote.unreadable, ""), **remote.values}
    different = tuple(
        sorted(
            k
            for k in local
            if (k in remote.values and local[k] != remote.values[k])
            or (k in remote.known and not remote.same(k, local[k]))
        )
    )
    drift = compare(local, names)
    return Drift(drift.only_here, drift.only_there, different)


def _list(title: str, keys: tuple[str, ...], mark: str) -> None:
    if keys:
        print(f"{title} ({len(keys)}):")
        print("\n".join(f"  {mark} {k}" for k in keys))
