"""Compare a plan with a fresh read of the remote, for targets without check-and-set.

Railway and Render have no versions or ETags, so a target re-reads right before writing and hands
both to ``reconcile``: what still needs writing or deleting, what is already as wanted, and which
keys someone else changed since the plan (those are conflicts and are left alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from envguard.errors import TargetError
from envguard.targets.base import ApplyResult, Plan

if TYPE_CHECKING:
    from envguard.targets.http import HttpClient

CHANGED_REMOTELY = "changed remotely since the plan; left as is"
ADDED_REMOTELY = "added remotely since the plan; left as is"
REMOVED_REMOTELY = "removed remotely since the plan; not recreated"


@dataclass(frozen=True)
class Reconciled:
    """The part of a plan that is still to do against the current remote."""

    writes: Mapping[str, str] = field(default_factory=dict)
    deletes: tuple[str, ...] = ()
    #: keys already holding the wanted value (nothing to send)
    settled: tuple[str, ...] = ()
    #: removed keys that are already gone
    gone: tuple[str, ...] = ()
    conflicts: Mapping[str, str] = field(default_factory=dict)


def reconcile(plan: Plan, current: Mapping[str, str]) -> Reconciled:
    """Split ``plan`` into writes, deletes, settled keys and conflicts against ``current``."""
    writes: dict[str, str] = {}
    settled: list[str] = []
    conflicts: dict[str, str] = {}
    for key, value in {**plan.added, **plan.changed}.items():
        if current.get(key) == value:
            settled.append(key)
        elif (reason := _drift(plan.expected, current, key)) is not None:
            conflicts[key] = reason
        else:
            writes[key] = value
    deletes: list[str] = []
    gone: list[str] = []
    for key in plan.removed:
        if key not in current:
            gone.append(key)
        elif (reason := _drift(plan.expected, current, key)) is not None:
            conflicts[key] = reason
        else:
            deletes.append(key)
    return Reconciled(writes, tuple(deletes), tuple(settled), tuple(gone), conflicts)


def _drift(expected: Mapping[str, str], current: Mapping[str, str], key: str) -> str | None:
    """Why ``key`` differs from what the plan saw, or None when it is unchanged."""
    if expected.get(key) == current.get(key):
        return None
    if key not in expected:
        return ADDED_REMOTELY
    if key not in current:
        return REMOVED_REMOTELY
    return CHANGED_REMOTELY


class Progress:
    """What an apply has done so far, turned into an ApplyResult at the end.

    A failure before the first change raises (nothing happened remotely, one clear line); after it,
    failures are reported per key so the result says exactly what was and was not done.
    """

    def __init__(self) -> None:
        self.written: list[str] = []
        self.removed: list[str] = []
        self.failed: dict[str, str] = {}
        self.restored: list[str] = []
        self.deployed = False

    @property
    def changed(self) -> bool:
        """Whether anything was written or removed yet."""
        return bool(self.written or self.removed)

    def fail(self, keys: Iterable[str], error: TargetError) -> None:
        """Record ``error`` for ``keys``, or raise it when nothing has changed yet."""
        keys = tuple(keys)
        if not self.changed:
            suffix = f" (key {keys[0]})" if len(keys) == 1 else ""
            raise TargetError(error.message + suffix, error.hint) from None
        self.failed.update(dict.fromkeys(keys, error.message))

    def put_each(
        self,
        http: HttpClient,
        writes: Mapping[str, str],
        path: Callable[[str], str],
        body: Callable[[str], Any],
    ) -> None:
        """PUT each key's value (``body(value)``) at ``path(key)``, recording each outcome."""
        for key, value in writes.items():
            payload = body(value)
            try:
                http.send("PUT", path(key), json=payload, idempotent=True, secrets=[value])
            except TargetError as exc:
                self.fail([key], exc)
                continue
            self.written.append(key)

    def delete_each(self, http: HttpClient, keys: Iterable[str], path: Callable[[str], str]) -> None:
        """DELETE each key at ``path(key)`` (one already gone is deleted), recording each outcome."""
        for key in keys:
            try:
                http.send("DELETE", path(key), idempotent=True, gone_ok=True)
            except TargetError as exc:
                self.fail([key], exc)
                continue
            self.removed.append(key)

    def result(self, todo: Reconciled, requests: int) -> ApplyResult:
        """The ApplyResult: keys now as planned (settled ones too), conflicts as failures."""
        return ApplyResult(
            written=(*self.written, *todo.settled),
            removed=(*self.removed, *todo.gone),
            failed={**todo.conflicts, **self.failed},
            requests=requests,
            deployed=self.deployed,
            restored=tuple(self.restored),
        )
