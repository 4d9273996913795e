"""Push orchestration: the plan (a pure diff), its key-only description, snapshots, and apply.

Before an apply that changes or removes values already on the target, the previous remote values
are written to an encrypted snapshot, ``.envguard/snapshots/<target>-<time>.env``: a dotenvx file
whose private key sits in ``.env.keys`` beside it (one key pair per snapshot folder), so that
``envguard push SNAPSHOT --to URI`` (or ``dotenvx decrypt``) restores it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from envguard import envfile
from envguard.targets.base import ApplyResult, Plan, Target

SNAPSHOT_DIR = Path(".envguard") / "snapshots"


@dataclass(frozen=True)
class Applied:
    """What a push did: the target's result and the snapshot taken before it, if any."""

    result: ApplyResult
    snapshot: Path | None = None


def plan(local: Mapping[str, str], remote: Mapping[str, str], prune: bool) -> Plan:
    """Compare the file's values with the target's; remote-only keys go only with ``prune``."""
    added = {k: v for k, v in local.items() if k not in remote}
    changed = {k: v for k, v in local.items() if k in remote and remote[k] != v}
    unchanged = tuple(k for k, v in local.items() if remote.get(k) == v and k in remote)
    removed = tuple(sorted(k for k in remote if k not in local)) if prune else ()
    return Plan(added, changed, removed, unchanged, dict(remote))


def describe(the_plan: Plan) -> list[str]:
    """The plan as key lines (``+`` add, ``~`` change, ``-`` remove) and a summary; no values."""
    lines = [f"  + {k}" for k in sorted(the_plan.added)]
    lines += [f"  ~ {k}" for k in sorted(the_plan.changed)]
    lines += [f"  - {k}" for k in the_plan.removed]
    kept = kept_remote(the_plan)
    summary = (
        f"{len(the_plan.added)} to add, {len(the_plan.changed)} to change, "
        f"{len(the_plan.removed)} to remove, {len(the_plan.unchanged)} unchanged"
    )
    if kept:
        summary += f"; {len(kept)} only on the target kept (--prune removes them)"
    return [*lines, summary]


def kept_remote(the_plan: Plan) -> tuple[str, ...]:
    """Remote keys the file lacks that stay because ``--prune`` was not given."""
    local = {*the_plan.added, *the_plan.changed, *the_plan.unchanged, *the_plan.removed}
    return tuple(sorted(k for k in the_plan.expected if k not in local))


def needs_snapshot(the_plan: Plan) -> bool:
    """Whether applying would change or remove values that exist on the target."""
    return bool(the_plan.changed or the_plan.removed)


def apply(
    target: Target,
    the_plan: Plan,
    slug: str,
    *,
    deploy: bool = False,
    root: Path | None = None,
    saved: Callable[[Path], None] | None = None,
) -> Applied:
    """Snapshot the remote when the plan is destructive, then apply; TargetError on failure.

    ``saved`` hears of the snapshot before the apply starts, so a failing apply can still point
    at it.
    """
    path = None
    if needs_snapshot(the_plan):
        path = snapshot(the_plan.expected, slug, (root or Path.cwd()) / SNAPSHOT_DIR)
        if saved is not None:
            saved(path)
    return Applied(target.apply(the_plan, deploy=deploy), path)


def snapshot(values: Mapping[str, str], slug: str, folder: Path) -> Path:
    """Write ``values`` encrypted to a new snapshot file in ``folder`` and return its path."""
    from envguard import crypto, keys

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    public = crypto.public_key_of(_private_key(folder))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{slug}-{stamp}.env"
    counter = 2
    while path.exists():
        path, counter = folder / f"{slug}-{stamp}-{counter}.env", counter + 1
    lines = [
        *keys.PUBLIC_HEADER,
        f'{keys.PUBLIC}="{public}"',
        f"# envguard snapshot of {slug} taken {stamp}; restore with envguard push",
        "",
        *(f"{k}={crypto.encrypt_value(public, v)}" for k, v in values.items()),
    ]
    envfile.atomic_write(path, "\n".join(lines) + "\n", mode=0o600)
    return path


def _private_key(folder: Path) -> str:
    """The folder's snapshot key from its ``.env.keys``, created on first use (mode 0600)."""
    from envguard import crypto, keys

    stored = folder / keys.KEYS_FILE
    if stored.is_file():
        found = envfile.read(stored).values().get(keys.PRIVATE)
        if found:
            return found
    pair = crypto.generate_keypair()
    keys.store_private_key(stored, keys.PRIVATE, pair.private_key, "envguard snapshots")
    return pair.private_key


def local_values(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """A file's variables, decrypted in memory, without dotenvx public-key entries."""
    from envguard import keys

    opened = keys.Opener.for_file(envfile.read(path), environ).values()
    return {k: v for k, v in opened.items() if not k.startswith(keys.PUBLIC)}
