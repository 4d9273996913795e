"""``envguard diff FILE URI``: drift between a file and a target, by key; values never shown."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard import envfile, sync, targets
from envguard.errors import EXIT_FINDINGS, EXIT_OK


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
    local = sync.local_values(file, environ)
    drift = compare(local, targets.open_target(str(uri), environ).read())
    if drift.none:
        print(f"No drift: {file} and {uri} hold the same {len(local)} variable(s).")
        return EXIT_OK
    for title, keys, mark in (
        (f"Only in {file}", drift.only_here, "+"),
        (f"Only on {uri}", drift.only_there, "-"),
        ("Different values", drift.different, "~"),
    ):
        if keys:
            print(f"{title} ({len(keys)}):")
            print("\n".join(f"  {mark} {k}" for k in keys))
    return EXIT_FINDINGS
