"""``envguard rollback SNAPSHOT [--to TARGET]``: put a target back as a snapshot recorded it.

The target comes from the snapshot's own first line unless ``--to`` names another. The plan is
what rolling back changes: keys written back, and keys the target holds now that it did not hold
then (removed: a rollback restores the recorded state exactly). The state replaced is itself
snapshotted first, so a rollback can be rolled back.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from envguard import envfile, snapshots, sync, targets
from envguard.commands.push import Delivery, deliver
from envguard.errors import InputError


def rollback(
    snapshot: Path,
    to: str | None = None,
    *,
    dry_run: bool = False,
    yes: bool = False,
    deploy: bool = False,
    environ: Mapping[str, str] | None = None,
    confirm: Callable[[str], bool] | None = None,
) -> int:
    """Restore ``snapshot`` on its target (or ``to``); returns the exit code."""
    environ = os.environ if environ is None else environ
    envfile.read(snapshot)  # missing or unreadable: a usage error first
    recorded = snapshots.target_of(snapshot)
    if recorded is None:
        raise InputError(
            f"{snapshot} is not an envguard snapshot",
            hint="snapshots are the files under .envguard/snapshots/ named by `envguard push`",
        )
    uri = targets.resolve(to or recorded)
    values = snapshots.values(snapshot, environ)
    target = targets.open_target(str(uri), environ)
    the_plan = sync.plan(values, target.fetch(), prune=True)
    print(f"Rollback: {snapshot} (taken of {recorded}) -> {uri}")
    return deliver(target, uri, the_plan, Delivery(dry_run, yes, deploy, confirm))
