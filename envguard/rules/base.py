"""What a rule is, and what it sees.

A rule is a small class with a code, a kebab-case name, a category, a severity per environment and a
docstring with the sections ruff uses (What it does / Why is this bad? / Example / Use instead).
It looks at a ``Context`` (one set of variables, their records when they come from a file, the
schema and the environment) and yields findings built with ``Rule.report``, which never takes a
value: only a key, a place and words.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from envguard.envfile import Record
from envguard.findings import Category, Environment, Finding, Severity
from envguard.schema import GENERIC, Schema, VarSpec

P, S, D, T, X = (
    Environment.PRODUCTION, Environment.STAGING, Environment.DEVELOPMENT,
    Environment.TEST, Environment.EXAMPLE,
)

#: Severity per environment, None meaning the rule does not apply there.
Levels = Mapping[Environment, Severity | None]


def levels(
    strict: Severity | None, lenient: Severity | None = None, example: Severity | None = None
) -> Levels:
    """Levels for production/staging (``strict``), development/test (``lenient``) and examples."""
    return {P: strict, S: strict, D: lenient, T: lenient, X: example}


EVERYWHERE_ERROR = levels(Severity.ERROR, Severity.ERROR, Severity.ERROR)
EVERYWHERE_WARNING = levels(Severity.WARNING, Severity.WARNING, Severity.WARNING)
STRICT_ONLY = levels(Severity.ERROR, None, None)
STRICT_LENIENT_INFO = levels(Severity.ERROR, Severity.INFO, None)

DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
DEFAULT_FINGERPRINT_KEY = b"envguard-fingerprint-v1"
_T = TypeVar("_T")


def fingerprint(value: str, key: bytes = DEFAULT_FINGERPRINT_KEY) -> str:
    """A keyed, truncated hash of a value: equal values match, the value cannot be read back."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


# not frozen, for the same reason as ``envfile.Record``: one per variable of every checked file
@dataclass(slots=True)
class Variable:
    """One definition of a variable. ``value`` is None when it is encrypted and no key opened it."""

    key: str
    value: str | None
    line: int | None = None
    column: int | None = None
    encrypted: bool = False
    quote: str | None = None


@dataclass
class Context:
    """Everything a rule may look at for one source; rules must not do I/O."""

    source: str
    env: Environment
    variables: tuple[Variable, ...]
    records: tuple[Record, ...] | None = None
    schema: Schema = GENERIC
    fingerprint_key: bytes = DEFAULT_FINGERPRINT_KEY
    #: a plaintext file: False for a process environment or a remote target
    is_file: bool = True
    #: keys that exist on the other side of a comparison (``--example``), if any
    example_keys: frozenset[str] | None = None
    #: the file had CRLF line endings / a UTF-8 byte-order mark
    crlf: bool = False
    bom: bool = False
    #: a ``.env.keys`` beside the file that git would commit (found by sources), if any
    exposed_keys_file: str | None = None
    notes: list[str] = field(default_factory=list)
    #: results several rules share, computed once per context (``roles.secret_vars``)
    #: (values are annotated where they are read: ``typing.cast`` would be a call per lookup)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def last(self) -> dict[str, Variable]:
        """Each key's effective (last) definition."""
        return {v.key: v for v in self.variables}

    @cached_property
    def values(self) -> dict[str, str]:
        """Each key's effective plaintext value (encrypted, unopened values are left out)."""
        return {v.key: v.value for v in self.variables if v.value is not None}

    @cached_property
    def specced(self) -> bool:
        """Whether the schema describes any variable: without one, ``spec`` is always None."""
        return bool(self.schema.vars or self.schema.globs)

    def spec(self, key: str) -> VarSpec | None:
        """The schema's spec for a key, if the schema has one."""
        # rules ask about every key, often several times: without a schema the answer is known
        return self.schema.spec(key) if self.specced else None

    def once(self, func: Callable[[str], _T], arg: str) -> _T:
        """``func(arg)`` for a pure ``func``, computed once: several rules ask the same question
        about the same value or key, and the files of a tree share many values."""
        table = _ONCE.get(func)
        if table is None:
            table = _ONCE[func] = {}
        try:
            result: _T = table[arg]  # typing.cast is a call: this runs for every value
            return result
        except KeyError:
            if len(table) >= _ONCE_MAX:
                table.clear()
            result = table[arg] = func(arg)
            return result

    def fingerprint(self, value: str) -> str:
        """Fingerprint a value with this run's key."""
        return fingerprint(value, self.fingerprint_key)


class Keys:
    """A gate on variable names: substrings every key a rule judges contains, once upper-cased.

    Most rules judge a handful of names (``*DEBUG*``, ``CORS_*``, ``*_COOKIE_SECURE``...). Walking
    every variable once per rule made a check cost rules x variables; with gates, each key is
    matched once against every gate's substrings together (``keyed``), and each rule walks only
    the variables its gate lets through. A gate is a necessary condition, never the rule's test:
    the rule still judges each key it is handed exactly as before, so a gate can only be too wide
    (slower), not change a finding, as long as every key the rule reports contains one of its
    substrings. ``tests/rules/test_gates.py`` runs every rule with and without gates and compares.
    """

    __slots__ = ("index", "literals", "tag")
    #: every gate, in creation order; a gate's index is its place here
    registry: ClassVar[list[Keys]] = []

    def __init__(self, *literals: str) -> None:
        self.literals = tuple(lit.upper() for lit in literals)
        self.index = len(Keys.registry)
        #: this gate's name in a context's memo
        self.tag = f"keys:{self.index}"
        Keys.registry.append(self)
        _GATE_CACHE.clear()

    def admits(self, key: str) -> bool:
        """Whether ``key`` passes this gate."""
        upper = key.upper()
        return any(lit in upper for lit in self.literals)

    def __repr__(self) -> str:
        return f"Keys{self.literals!r}"


#: key -> indexes of the gates it passes, shared by every context of a run (keys repeat across files)
_GATE_CACHE: dict[str, tuple[int, ...]] = {}
_GATE_CACHE_MAX = 1 << 17
_GATE_PATTERN: list[tuple[int, re.Pattern[str]]] = []
#: each substring to the gates that name it or one of its prefixes
_GATE_OWNERS: dict[str, frozenset[int]] = {}


def _gates_of(key: str) -> tuple[int, ...]:
    """The indexes of the gates ``key`` passes, found with one pattern of every gate's substrings."""
    gates = Keys.registry
    if not _GATE_PATTERN or _GATE_PATTERN[0][0] != len(gates):
        _build_gate_pattern(gates)
    search = _GATE_PATTERN[0][1].search
    upper = key.upper()
    match = search(upper)
    found: set[int] = set()
    while match is not None:
        # at each position the longest substring matches (the alternation is sorted longest first),
        # and the shorter ones starting there are its prefixes; then the search goes on one further
        found.update(_GATE_OWNERS[match.group()])
        start = match.start() + 1
        match = search(upper, start) if start <= len(upper) else None  # an empty substring matches at the end
    hits = tuple(sorted(found))
    if len(_GATE_CACHE) >= _GATE_CACHE_MAX:
        _GATE_CACHE.clear()
    _GATE_CACHE[key] = hits
    return hits


def _build_gate_pattern(gates: list[Keys]) -> None:
    literals = sorted({lit for gate in gates for lit in gate.literals}, key=len, reverse=True)
    # no substring at all: nothing passes; an empty one ("" is in every key): everything does
    joined = "|".join(map(re.escape, literals)) if literals else "(?!)"
    _GATE_PATTERN[:] = [(len(gates), re.compile(joined))]
    _GATE_OWNERS.clear()
    for lit in literals:
        # the gates naming this substring or one of its prefixes: a match stands for all of them
        _GATE_OWNERS[lit] = frozenset(g.index for g in gates if any(lit.startswith(o) for o in g.literals))


def keyed(ctx: Context, keys: Keys) -> tuple[Variable, ...]:
    """Each key's effective (last) definition whose key passes ``keys``, in ``ctx.last`` order."""
    buckets: list[list[Variable]] | None = ctx.memo.get("keyed")
    if buckets is None or len(buckets) < len(Keys.registry):
        buckets = [[] for _ in Keys.registry]
        cache = _GATE_CACHE
        for var in ctx.last.values():
            hits = cache.get(var.key)
            if hits is None:
                hits = _gates_of(var.key)
            for index in hits:
                buckets[index].append(var)
        ctx.memo["keyed"] = buckets
    return tuple(buckets[keys.index])


def url_valued(ctx: Context) -> tuple[Variable, ...]:
    """Each key's effective definition whose value holds ``://``: the only ones URL rules judge."""
    found: tuple[Variable, ...] | None = ctx.memo.get("url_valued")
    if found is None:
        found = ctx.memo["url_valued"] = tuple(
            v for v in ctx.last.values() if v.value is not None and "://" in v.value)
    return found


#: results of pure functions of one string (``Context.once``), per function, shared by the contexts
#: of a run; a table is emptied when it reaches ``_ONCE_MAX`` entries, which bounds memory
_ONCE: dict[Callable[[str], object], dict[str, Any]] = {}
_ONCE_MAX = 1 << 17


def forget_values() -> None:
    """Drop the values ``Context.once`` keeps: for long-lived processes (``envguard.guard()``)."""
    _ONCE.clear()


class Rule:
    """Base of every rule; subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[Category]
    levels: ClassVar[Levels] = STRICT_LENIENT_INFO
    #: what ``envguard fix`` does about it, or None when a human must act
    fix: ClassVar[str | None] = None

    def check(self, ctx: Context) -> Iterator[Finding]:
        """Yield this rule's findings for one context."""
        raise NotImplementedError

    @classmethod
    def level(cls, env: Environment) -> Severity | None:
        """Severity in ``env``, None when the rule is off there."""
        return cls.levels.get(env)

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation, dedented."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first line of the docstring."""
        return cls.doc().splitlines()[0] if cls.__doc__ else cls.name

    def report(
        self,
        ctx: Context,
        message: str,
        *,
        var: Variable | None = None,
        key: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
        value: str | None = None,
    ) -> Finding:
        """Build a finding; ``value`` is only fingerprinted, never stored."""
        level = severity or self.level(ctx.env) or Severity.INFO
        if var is not None:
            key = key or var.key
            line = line if line is not None else var.line
            column = column if column is not None else var.column
            if value is None:
                value = var.value
        return Finding(
            file=ctx.source, line=line, column=column, key=key, code=self.code, name=self.name,
            category=self.category, severity=level, message=message, hint=hint,
            fingerprint=ctx.fingerprint(value) if value else None,
        )
