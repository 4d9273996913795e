"""The Target protocol every sync target implements, and the records it exchanges with sync.py.

A target reads the remote variables as a plain mapping and applies a ``Plan``. ``apply`` must not
overwrite blindly: the plan carries ``expected`` (the remote values the plan was computed from), and
a target re-reads (or uses check-and-set) so that a key someone else added or changed in the
meantime survives, and reports it as a conflict instead of writing over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Plan:
    """What a push will do; computed by ``envguard.sync.plan`` and shown as keys only."""

    added: Mapping[str, str] = field(default_factory=dict)
    changed: Mapping[str, str] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    #: the remote mapping the plan was computed from, for conflict detection at apply time
    expected: Mapping[str, str] = field(default_factory=dict)
    #: nothing is at the target yet (a Vault path nobody wrote): the push creates it
    new: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to add, change or remove."""
        return not (self.added or self.changed or self.removed)


@dataclass(frozen=True)
class Remote:
    """What a target holds: its readable values, whether it exists, and keys it cannot show.

    ``exists`` is False only where "absent" is a state the platform has (a Vault path nobody wrote
    yet); everywhere else a missing project, service or mount is a NotFoundError. ``unreadable``
    names keys that exist but cannot be read (Railway's sealed variables): never removed, never shown.
    """

    values: dict[str, str]
    exists: bool = True
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApplyResult:
    """What an apply did, per key; ``failed`` maps a key to a reason that holds no value."""

    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    failed: Mapping[str, str] = field(default_factory=dict)
    requests: int = 0
    deployed: bool = False
    #: keys a concurrent write removed during the apply and that were put back from the values read
    restored: tuple[str, ...] = ()


class Target(Protocol):
    """A place variables live: Vault, Railway, Render."""

    uri: str

    def fetch(self) -> Remote:
        """The remote state, where an absent secret is ``exists=False`` (what ``push`` plans from)."""
        ...

    def read(self) -> dict[str, str]:
        """The remote variables; NotFoundError when there is nothing there (never an invented ``{}``).

        TargetError subclasses on auth, network or not-found failures; CredentialsError (exit 2)
        when the environment lacks or garbles the credentials.
        """
        ...

    def apply(self, plan: Plan, *, deploy: bool = False) -> ApplyResult:
        """Carry out ``plan`` without losing concurrent changes; TargetError on failure."""
        ...
