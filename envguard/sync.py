"""Push orchestration: the plan (a pure diff), its key-only description, and apply.

Before an apply that changes or removes values already on the target, the previous remote values
are written to an encrypted snapshot (``envguard.snapshots``) that ``envguard rollback`` restores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard import envfile, snapshots
from envguard.targets.base import ApplyResult, Plan, Remote, Target

SNAPSHOT_DIR = snapshots.FOLDER


@dataclass(frozen=True)
class Applied:
    """What a push did: the target's result and the snapshot taken before it, if any."""

    result: ApplyResult
    snapshot: Path | None = None


def plan(
    local: Mapping[str, str], remote: Mapping[str, str] | Remote, prune: bool, force: bool = False
) -> Plan:
    """Compare the file's values with the target's; remote-only keys go only with ``prune``.

    Keys the target holds but cannot show (``Remote.unreadable``) are never removed; the file's
    value replaces one only where the platform means them to be overwritten (GitHub) or with
    ``force``, and is otherwise skipped with the reason. A value known by digest to be there
    already is unchanged.
    """
    known = remote if isinstance(remote, Remote) else Remote(dict(remote))
    values = known.values
    hidden = set(known.unreadable)
    added: dict[str, str] = {}
    changed: dict[str, str] = {}
    unchanged: list[str] = []
    blind: list[str] = []
    skipped: dict[str, str] = {}
    for key, value in local.items():
        if known.same(key, value):
            unchanged.append(key)
        elif key in values:
            changed[key] = value
        elif key not in hidden:
            added[key] = value
        elif known.write_only or force:
            changed[key] = value
            blind.append(key)
        else:
            skipped[key] = f"{known.why}; left as is (--force replaces it)"
    removed = sorted(k for k in values if k not in local)
    if known.write_only:
        removed += sorted(k for k in hidden if k not in local and k not in values)
    return Plan(
        added,
        changed,
        tuple(removed) if prune else (),
        tuple(unchanged),
        dict(values),
        new=not known.exists,
        blind=tuple(blind),
        skipped=skipped,
    )


def describe(the_plan: Plan) -> list[str]:
    """The plan as key lines (``+`` add, ``~`` change, ``-`` remove, ``!`` skipped) and a summary."""
    lines = ["  (new secret: nothing is at this path yet; the push creates it)"] if the_plan.new else []
    blind = set(the_plan.blind)
    lines += [f"  + {k}" for k in sorted(the_plan.added)]
    lines += [
        f"  ~ {k}" + ("  (current value not readable: replaced unseen)" if k in blind else "")
        for k in sorted(the_plan.changed)
    ]
    lines += [f"  - {k}" for k in the_plan.removed]
    lines += [f"  ! {k}: {why}" for k, why in sorted(the_plan.skipped.items())]
    kept = kept_remote(the_plan)
    summary = (
        f"{len(the_plan.added)} to add, {len(the_plan.changed)} to change, "
        f"{len(the_plan.removed)} to remove, {len(the_plan.unchanged)} unchanged"
    )
    if the_plan.skipped:
        summary += f", {len(the_plan.skipped)} skipped"
    if kept:
        summary += f"; {len(kept)} only on the target kept (--prune removes them)"
    return [*lines, summary]


def kept_remote(the_plan: Plan) -> tuple[str, ...]:
    """Remote keys the file lacks that stay because ``--prune`` was not given."""
    local = {*the_plan.added, *the_plan.changed, *the_plan.unchanged, *the_plan.removed}
    return tuple(sorted(k for k in the_plan.expected if k not in local))


def needs_snapshot(the_plan: Plan) -> bool:
    """Whether applying would change or remove values that exist on the target and can be read."""
    return any(k in the_plan.expected for k in (*the_plan.changed, *the_plan.removed))


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
        folder = (root or Path.cwd()) / SNAPSHOT_DIR
        path = snapshots.take(the_plan.expected, target.uri, slug, folder)
        if saved is not None:
            saved(path)
    return Applied(target.apply(the_plan, deploy=deploy), path)


def local_values(path: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """A file's variables, decrypted in memory, without dotenvx public-key entries.

    An envguard snapshot gives its values under their original remote keys.
    """
    from envguard import keys

    if snapshots.target_of(path) is not None:
        return snapshots.values(path, environ)
    opened = keys.Opener.for_file(envfile.read(path), environ).values()
    return {k: v for k, v in opened.items() if not k.startswith(keys.PUBLIC)}
