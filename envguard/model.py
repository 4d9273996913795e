"""What the sources build and the rules read: variables, one source's context, and the run.

A ``Run`` is owned by one lint call (``envguard.lint``) and dropped with it: the answers several
rules share about the same value, the gates on names, the published-defaults table. Nothing of a
run outlives it, so a long-lived ``envguard.guard()`` process keeps no copies of its values and
sees a changed schema on the next call.

A ``Context`` is one source (an env file, one service of a deploy file, a process, a target, the
git repository) with its typed facts: each key's effective definition, each variable's role
(``judge.roles``), the secrets worth judging, and the variables each rule's name gate admits.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from envguard.findings import Environment, Fingerprinter
from envguard.judge.formats import Token, identify
from envguard.judge.names import Role, name_role
from envguard.judge.placeholders import is_placeholder
from envguard.judge.roles import refine
from envguard.judge.values import Reading, read
from envguard.schema import GENERIC, Schema, VarSpec

if TYPE_CHECKING:
    from envguard.envfile import Record
    from envguard.judge.defaults import Defaults

_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)
_MISSING: Any = object()
#: a variable fact not looked at yet
_UNSEEN: Any = object()
#: a valid upper-case variable name: nothing for the syntax rules to say about it
_PLAIN_KEY = re.compile(r"[A-Z_][A-Z0-9_]*")


class Origin(StrEnum):
    """What kind of source a context comes from."""

    ENV_FILE = "env file"
    COMPOSE = "compose"
    RENDER = "render"
    RAILWAY = "railway"
    NIXPACKS = "nixpacks"
    PROCESS = "process"
    TARGET = "target"
    GIT = "git"

    @property
    def deploy_file(self) -> bool:
        """A committed deployment config file (compose, render.yaml, railway, nixpacks)."""
        return self in (Origin.COMPOSE, Origin.RENDER, Origin.RAILWAY, Origin.NIXPACKS)


# not frozen, for the same reason as ``envfile.Record``: one per variable of every checked file
@dataclass(slots=True)
class Variable:
    """One definition of a variable. ``value`` is None when it is encrypted and no key opened it,
    or when a deploy file leaves it to the platform (``generateValue``, ``sync: false``)."""

    key: str
    value: str | None
    line: int | None = None
    column: int | None = None
    encrypted: bool = False
    quote: str | None = None
    #: what the value is (``Context.reading``), read once
    reading: Reading | None = None
    #: the literal's credential format and whether it is a placeholder (``Context.token``,
    #: ``Context.placeholder``), found once
    token: Any = field(default=_UNSEEN, repr=False, compare=False)
    placeholder: Any = field(default=_UNSEEN, repr=False, compare=False)


@dataclass(frozen=True)
class Project:
    """What envguard knows of the app a file belongs to, from the files beside it."""

    #: ``laravel``, ``symfony``, ``django``, ``rails``, ``nextjs``... or None
    framework: str | None = None
    #: the framework's major version, when a lock or manifest file says it
    major: int | None = None


@dataclass(frozen=True)
class GitFile:
    """An env file git knows of: its path in the repository, as findings show it, its environment,
    and how many plaintext secrets it holds."""

    path: str
    shown: str
    env: Environment
    secrets: int = 0


@dataclass(frozen=True)
class GitSighting:
    """A plaintext secret in history, at the oldest version that held it (never the value)."""

    file: GitFile
    line: int
    key: str | None
    what: str
    fingerprint: str | None
    commit: str
    time: int
    count: int


@dataclass(frozen=True)
class GitFacts:
    """What ``check --git`` learned about the repository, for the git rules (EG330-EG334)."""

    #: tracked env files for real environments, not encrypted
    tracked: tuple[GitFile, ...] = ()
    #: untracked, not ignored env files for real environments, not encrypted
    loose: tuple[GitFile, ...] = ()
    #: ``.env.keys`` files tracked (True) or not ignored (False)
    keys_files: tuple[tuple[GitFile, bool], ...] = ()
    #: how findings show the root ``.gitignore``, and the names of ``.env``, ``.env.local`` it misses
    gitignore: str = ".gitignore"
    unignored: tuple[str, ...] = ()
    history: tuple[GitSighting, ...] = ()


class Run:
    """The state of one lint call: shared answers, name gates, and the published defaults."""

    #: answers kept per question; a table is emptied when full, which bounds memory. 8,192 hold
    #: the distinct keys and values of a big tree, whose files repeat them; on a file of 100,000
    #: distinct values, tables of 131,072 answers held 31 MB more for 8% less time (input (b) of
    #: the benchmarks, whose memory target is 150 MB)
    ANSWERS_MAX = 1 << 13

    def __init__(
        self, fingerprint_key: bytes | None = None, gated: bool = True, defaults: Defaults | None = None
    ) -> None:
        #: without a key, one for this run only (``envguard.fingerprints``): never a public constant
        self.fingerprint_key = fingerprint_key or os.urandom(32)
        #: False hands every rule every variable (``candidates``): the same findings, only slower
        self.gated = gated
        self._answers: dict[Callable[[Any], object], dict[Any, Any]] = {}
        self._gates: dict[tuple[str, ...], int] = {}
        self._gate_pattern: re.Pattern[str] | None = None
        self._gate_owners: dict[str, frozenset[int]] = {}
        self._key_gates: dict[str, frozenset[int]] = {}
        self._defaults = defaults
        self._fingerprinter: Fingerprinter | None = None

    def fingerprint(self, value: str) -> str:
        """``findings.fingerprint`` of a value with this run's key, the key prepared once."""
        if self._fingerprinter is None:
            self._fingerprinter = Fingerprinter(self.fingerprint_key)
        return self._fingerprinter(value)

    def once(self, func: Callable[[_K], _T], arg: _K) -> _T:
        """``func(arg)`` for a pure ``func``, computed once in this run."""
        table = self._answers.get(func)
        if table is None:
            table = self._answers[func] = {}
        result: _T | None = table.get(arg, _MISSING)
        if result is _MISSING:
            if len(table) >= self.ANSWERS_MAX:
                table.clear()
            result = table[arg] = func(arg)
        return result  # type: ignore[return-value]

    @property
    def defaults(self) -> Defaults:
        """The published-defaults table, read on first use."""
        if self._defaults is None:
            from envguard.judge.defaults import Defaults

            self._defaults = Defaults()
        return self._defaults

    def gate(self, words: tuple[str, ...]) -> int:
        """The index of the gate admitting keys that contain one of ``words`` (upper case)."""
        found = self._gates.get(words)
        if found is None:
            found = self._gates[words] = len(self._gates)
            self._gate_pattern = None
            self._key_gates.clear()
        return found

    def gates_of(self, key: str) -> frozenset[int]:
        """The gates ``key`` passes, found with one pattern of every gate's words."""
        found = self._key_gates.get(key)
        if found is not None:
            return found
        if self._gate_pattern is None:
            self._build_gates()
        assert self._gate_pattern is not None
        upper, hits = key.upper(), set[int]()
        match = self._gate_pattern.search(upper)
        while match is not None:
            # the longest word matches at each position; the shorter ones starting there are its prefixes
            hits.update(self._gate_owners[match.group()])
            start = match.start() + 1
            match = self._gate_pattern.search(upper, start) if start <= len(upper) else None
        if len(self._key_gates) >= self.ANSWERS_MAX:
            self._key_gates.clear()
        found = self._key_gates[key] = frozenset(hits)
        return found

    def _build_gates(self) -> None:
        words = sorted({w for gate in self._gates for w in gate}, key=len, reverse=True)
        self._gate_pattern = re.compile("|".join(map(re.escape, words)) if words else "(?!)")
        self._gate_owners = {
            w: frozenset(i for g, i in self._gates.items() if any(w.startswith(o) for o in g)) for w in words
        }


@dataclass
class Context:
    """Everything a rule may look at for one source; rules must not do I/O."""

    source: str
    env: Environment
    variables: tuple[Variable, ...]
    records: tuple[Record, ...] | None = None
    schema: Schema = GENERIC
    run: Run = field(default_factory=Run)
    origin: Origin = Origin.ENV_FILE
    #: how findings name the service of a deploy file (``service web``); None: file-wide
    service: str | None = None
    project: Project = field(default_factory=Project)
    #: keys that exist on the other side of a comparison (``--example``), if any
    example_keys: frozenset[str] | None = None
    #: the file had CRLF line endings / a UTF-8 byte-order mark
    crlf: bool = False
    bom: bool = False
    #: a ``.env.keys`` beside the file that git would commit (found by sources), if any
    exposed_keys_file: str | None = None
    #: encrypted values no available key could open: (line, key)
    unopened: tuple[tuple[int, str], ...] = ()
    git: GitFacts | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_file(self) -> bool:
        """A plaintext file of the repository (an env file or a deploy file)."""
        return self.origin not in (Origin.PROCESS, Origin.TARGET)

    @cached_property
    def last(self) -> dict[str, Variable]:
        """Each key's effective (last) definition."""
        return {v.key: v for v in self.variables}

    @cached_property
    def values(self) -> dict[str, str]:
        """Each key's effective plaintext value (encrypted, unopened values are left out)."""
        return {v.key: v.value for v in self.variables if v.value is not None}

    @cached_property
    def unusual_records(self) -> tuple[Record, ...]:
        """The records a line can be wrong in: with a parse error, spaces around ``=``, or a key
        that is not a valid upper-case name (a healthy file has none)."""
        return tuple(
            r
            for r in self.records or ()
            if r.error is not None
            or r.spaced_equals
            or (r.key is not None and not _PLAIN_KEY.fullmatch(r.key))
        )

    @cached_property
    def specced(self) -> bool:
        """Whether the schema describes any variable: without one, ``spec`` is always None."""
        return bool(self.schema.vars or self.schema.globs)

    def spec(self, key: str) -> VarSpec | None:
        """The schema's spec for a key, if the schema has one."""
        return self.schema.spec(key) if self.specced else None

    @cached_property
    def _roles(self) -> dict[str, Role]:
        return {}

    @cached_property
    def verdicts(self) -> dict[str, tuple[str, tuple[str, bool]] | None]:
        """The weak-secret family's verdicts, by key: the first rule of the family to find a problem
        with the secret (its code) and the problem, found once for the four rules."""
        return {}

    def role(self, var: Variable) -> Role:
        """The role of a key's effective definition (``judge.roles``): the schema, then the name
        (judged once per run: keys repeat across files), then the value; decided once."""
        roles = self._roles
        found = roles.get(var.key)
        if found is None:
            var = self.last.get(var.key, var)
            named = self.run.once(name_role, var.key)
            reading = None if var.value is None else self.reading(var)
            token = self.token(var) if reading is not None and reading.judged else None
            found = roles[var.key] = refine(self.spec(var.key), named, reading, token)
        return found

    def token(self, var: Variable) -> Token | None:
        """The credential format of the variable's literal (``formats.identify``; None without
        one), found once per variable, and once per value in the run."""
        found = var.token
        if found is _UNSEEN:
            literal = self.reading(var).judged
            found = var.token = self.run.once(identify, literal) if literal else None
        return found  # type: ignore[no-any-return]

    def placeholder(self, var: Variable) -> bool:
        """Whether the variable's literal is a placeholder (``placeholders.is_placeholder``),
        found once per variable, and once per value in the run."""
        found = var.placeholder
        if found is _UNSEEN:
            literal = self.reading(var).judged
            found = var.placeholder = self.run.once(is_placeholder, literal) if literal else False
        return found  # type: ignore[no-any-return]

    def reading(self, var: Variable) -> Reading:
        """What the variable's value is (``judge.values.read``), read once per variable and, as
        files repeat values (``APP_ENV=production``), once per value in the run."""
        found = var.reading
        if found is None:
            value = var.value
            found = var.reading = read(None) if value is None else self.run.once(read, value)
        return found

    @cached_property
    def _judged(self) -> tuple[tuple[tuple[Variable, str], ...], tuple[tuple[Variable, str], ...]]:
        secrets: list[tuple[Variable, str]] = []
        plain: list[tuple[Variable, str]] = []
        for var in self.last.values():
            value = var.value
            if not value or value.isspace():
                continue
            literal = self.reading(var).judged
            if literal:
                (secrets if self.role(var).secret else plain).append((var, literal))
        return tuple(secrets), tuple(plain)

    @property
    def secrets(self) -> tuple[tuple[Variable, str], ...]:
        """Each effective secret with a literal to judge (a reference's default counts)."""
        return self._judged[0]

    @property
    def plain(self) -> tuple[tuple[Variable, str], ...]:
        """Each effective variable that is no secret, with a literal to judge."""
        return self._judged[1]

    @cached_property
    def _admitted(self) -> list[list[Variable]]:
        buckets: list[list[Variable]] = [[] for _ in range(len(self.run._gates))]
        for var in self.last.values():
            for index in self.run.gates_of(var.key):
                buckets[index].append(var)
        return buckets

    def admitted(self, words: tuple[str, ...]) -> Collection[Variable]:
        """Each effective variable whose upper-cased key contains one of ``words``."""
        if not words or not self.run.gated:
            return self.last.values()
        index = self.run.gate(words)
        buckets = self._admitted
        if index >= len(buckets):
            del self.__dict__["_admitted"]  # a gate this context had not seen: sort again
            buckets = self._admitted
        return buckets[index]

    def once(self, func: Callable[[_K], _T], arg: _K) -> _T:
        """``func(arg)`` for a pure ``func``, shared by every rule and context of the run."""
        return self.run.once(func, arg)

    def shipped(self, value: str) -> bool:
        """Whether ``value`` is a default projects ship in their own templates
        (``Defaults.shipped``), asked once per value in the run: the example rules and the
        history scan ask it of the same values."""
        return self.run.once(self.run.defaults.shipped, value)

    def fingerprint(self, value: str) -> str:
        """Fingerprint a value with this run's key."""
        return self.run.fingerprint(value)
