"""What Vercel's environment-variable listing holds, as records envguard can plan from.

One key can exist several times in a project: one entry per set of targets (``production``,
``preview``, ``development``), per git branch and per custom environment, each with its own id.
A URI names one target; the entries that are envguard's to read and write are those that include
that target and are tied to no branch and no custom environment. ``sensitive`` entries (and the
legacy ``secret`` and ``system`` types) cannot be read back; the list's ``value`` is plaintext only
for ``plain`` entries or where it says ``decrypted: true``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from envguard.errors import NetworkError, UsageError

TARGETS = ("production", "preview", "development")
READABLE = frozenset({"plain", "encrypted"})
#: Vercel's limit for one value ("no single variable can be larger than 64 KB")
MAX_VALUE = 64 * 1024
SENSITIVE = "sensitive on Vercel: value not readable"


@dataclass(frozen=True)
class Entry:
    """One environment variable of a project, as the listing gave it."""

    id: str
    key: str
    type: str
    targets: tuple[str, ...]
    #: plaintext when the listing gave it (``plain``, or ``decrypted: true``), else None
    listed: str | None = None
    scoped: bool = False

    @property
    def readable(self) -> bool:
        """Whether its value can be read (not sensitive, secret or system)."""
        return self.type in READABLE

    @property
    def shared(self) -> bool:
        """Whether other targets use this same entry (one id, several targets)."""
        return len(self.targets) > 1


def target_of(parts: tuple[str, ...]) -> str:
    """The target a URI names (``production`` when it names none); UsageError for another word."""
    if len(parts) < 2:
        return "production"
    if parts[1] not in TARGETS:
        raise UsageError(
            f"unknown Vercel target {parts[1]!r}",
            hint="use vercel://PROJECT/production, /preview or /development",
        )
    return parts[1]


def entries(body: Any, name: str) -> tuple[list[Entry], str | None]:
    """The entries of one page of ``GET /v10/projects/{id}/env`` and its ``pagination.next``."""
    if isinstance(body, dict) and isinstance(body.get("envs"), list):
        items: list[Any] = body["envs"]
    elif isinstance(body, dict) and "key" in body and "id" in body:
        items = [body]  # one of the answer shapes the contract allows: a single env object
    else:
        raise NetworkError(f"{name}: unexpected response shape for env")
    paging = body.get("pagination") if isinstance(body, dict) else None
    after = paging.get("next") if isinstance(paging, dict) else None
    return [entry(item, name) for item in items], None if after is None else str(after)


def entry(item: Any, name: str) -> Entry:
    """One env object; NetworkError when it lacks what every entry has."""
    if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("id", "key", "type")):
        raise NetworkError(f"{name}: unexpected response shape for an env entry")
    raw = item.get("target") or ()
    targets = (raw,) if isinstance(raw, str) else tuple(t for t in raw if isinstance(t, str))
    value = item.get("value")
    plain = isinstance(value, str) and (item["type"] == "plain" or item.get("decrypted") is True)
    scoped = bool(item.get("gitBranch")) or bool(item.get("customEnvironmentIds"))
    return Entry(item["id"], item["key"], item["type"], targets, value if plain else None, scoped)


def ours(found: Iterable[Entry], target: str, name: str) -> dict[str, Entry]:
    """The entries of ``target`` by key (no branch, no custom environment)."""
    mine: dict[str, Entry] = {}
    for item in found:
        if target not in item.targets or item.scoped:
            continue
        if item.key in mine:
            raise NetworkError(f"{name}: the listing holds {item.key} twice for {target}")
        mine[item.key] = item
    return mine


def elsewhere(found: Iterable[Entry], target: str) -> set[str]:
    """Keys that have entries, but none for ``target`` (creating one for it must not upsert)."""
    listed = list(found)
    here = {e.key for e in listed if target in e.targets and not e.scoped}
    return {e.key for e in listed if e.key not in here}


def admit(local: Mapping[str, str], name: str) -> dict[str, str]:
    """``local`` when Vercel would take every value; UsageError before anything is sent."""
    for key, value in local.items():
        if len(value.encode("utf-8")) > MAX_VALUE:
            raise UsageError(
                f"{name}: {key} is larger than Vercel's 64 KB per variable",
                hint="store large values (certificates, JSON) elsewhere",
            )
    return dict(local)


def failures(created: Any, sent: Mapping[str, str], name: str) -> dict[str, tuple[str, str]]:
    """The ``failed`` items of a 201, by key: (error code, message), values never kept."""
    from envguard.targets.scrub import scrub

    found: dict[str, tuple[str, str]] = {}
    items = created.get("failed") if isinstance(created, dict) else None
    for item in items if isinstance(items, list) else ():
        error = item.get("error") if isinstance(item, dict) else None
        if not isinstance(error, dict):
            raise NetworkError(f"{name}: unexpected shape of a failed item")
        key = error.get("key") or error.get("envVarKey")
        if not isinstance(key, str) or key not in sent:
            raise NetworkError(f"{name}: a failed item names no key that was sent")
        message = scrub(str(error.get("message") or "refused"), sent.values())
        found[key] = (str(error.get("code") or "error"), message)
    return found
