"""The Target protocol every sync target implements, and the records it exchanges with sync.py.

A target reads the remote variables as a plain mapping and applies a ``Plan``. ``apply`` must not
overwrite blindly: the plan carries ``expected`` (the remote values the plan was computed from), and
a target re-reads (or uses check-and-set) so that a key someone else added or changed in the
meantime survives, and reports it as a conflict instead of writing over it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    #: changed keys whose current value cannot be read (written without comparing, not snapshotted)
    blind: tuple[str, ...] = ()
    #: keys of the file left alone, with why (a value the target will not show, and no ``--force``)
    skipped: Mapping[str, str] = field(default_factory=dict)

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
    #: why those keys cannot be read, for messages ("sensitive on Vercel: value not readable")
    why: str = "value not readable"
    #: nothing is readable and every unreadable key may be replaced without ``--force`` (GitHub
    #: secrets are write-only by design; Railway's sealed and Vercel's sensitive ones are protected)
    write_only: bool = False
    #: unreadable keys whose value is known by digest: what envguard last pushed, unchanged since
    known: Mapping[str, str] = field(default_factory=dict)
    #: the digest ``known`` holds, applied to a local value
    digest: Callable[[str], str] | None = field(default=None, compare=False, repr=False)
    #: unreadable keys changed on the target after envguard's last push (GitHub's ``updated_at``)
    stale: tuple[str, ...] = ()

    def __contains__(self, key: object) -> bool:
        """Whether the target holds ``key`` (readable or not)."""
        return key in self.values or key in self.unreadable

    def same(self, key: str, value: str) -> bool:
        """Whether the target is known to hold ``value`` under ``key`` (readable, or by digest)."""
        if key in self.values:
            return self.values[key] == value
        return self.digest is not None and key in self.known and self.known[key] == self.digest(value)


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
    #: what the user should know of this platform after a write (no values)
    notes: tuple[str, ...] = ()
    #: written keys the target cannot show back, so that nobody can verify them (GitHub)
    unverified: tuple[str, ...] = ()


class Target(Protocol):
    """A place variables live: Vault, Railway, Render, Vercel, GitHub Actions."""

    uri: str

    def admit(self, local: Mapping[str, str], remote: Remote | None = None) -> dict[str, str]:
        """``local`` as the platform will store it; UsageError (exit 2) for what it would reject.

        Called before anything is sent (``remote`` None: names and sizes), and again with the
        remote state (limits on the total). GitHub upper-cases names; the others keep them.
        """
        ...

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
