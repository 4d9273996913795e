"""What ``envguard rotate`` did, recorded locally (no values), and what it means for ``check --git``.

``.envguard/rotations.json`` lists each rotation: the key, when, and every place with what it held
afterwards. A secret in git history stops being a finding only once its key was rotated after
the commit that held it *and* the old value is gone from every place envguard knows; until then
``check --git`` keeps the finding and says which places still hold the old value.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from envguard import envfile
from envguard.model import GitSighting

RECORD = Path(".envguard") / "rotations.json"


@dataclass(frozen=True)
class Rotation:
    """One rotation of ``key`` at ``at`` (epoch seconds); ``old`` names places that kept the old value."""

    key: str
    at: int
    places: tuple[str, ...]
    old: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every place holds the new value."""
        return not self.old

    @property
    def day(self) -> str:
        """The date of the rotation, for messages."""
        return datetime.fromtimestamp(self.at, UTC).date().isoformat()


def load(folder: Path) -> list[Rotation]:
    """The rotations recorded under ``folder``; none when there is no (readable) record."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = []
    for item in data.get("rotations", []) if isinstance(data, dict) else []:
        try:
            found.append(
                Rotation(
                    str(item["key"]),
                    int(item["at"]),
                    tuple(map(str, item["places"])),
                    tuple(map(str, item.get("old", ()))),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return found


def record(folder: Path, key: str, places: Sequence[str], old: Sequence[str]) -> Rotation:
    """Append a rotation to the record under ``folder`` (atomically, 0600)."""
    done = Rotation(key, int(time.time()), tuple(places), tuple(old))
    entries = [*load(folder), done]
    body = {
        "rotations": [
            {"key": r.key, "at": r.at, "places": list(r.places), "old": list(r.old)} for r in entries
        ]
    }
    (folder / RECORD).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    envfile.atomic_write(folder / RECORD, json.dumps(body, indent=2) + "\n", mode=0o600)
    return done


def judge(
    history: Iterable[GitSighting], rotations: Sequence[Rotation]
) -> tuple[list[GitSighting], list[str]]:
    """The history sightings still open, and a note for each one a rotation speaks to."""
    still: list[GitSighting] = []
    notes: list[str] = []
    for sight in history:
        after = [r for r in rotations if sight.key is not None and r.key == sight.key and r.at >= sight.time]
        if not after:
            still.append(sight)
            continue
        # the record is in order: of two rotations in the same second, the later one is listed last
        latest = max(reversed(after), key=lambda r: r.at)
        where = f"{sight.key} in commit {sight.commit[:12]}"
        if latest.complete:
            notes.append(
                f"{where}: resolved, rotated on {latest.day} in every place envguard knows "
                f"({len(latest.places)}); the value in history is no longer in use"
            )
            continue
        still.append(sight)
        notes.append(
            f"{where}: rotated on {latest.day}, but {', '.join(latest.old)} still hold(s) the old "
            "value; the finding stays until the rotation is finished there"
        )
    return still, notes
