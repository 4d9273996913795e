"""What a rule is.

A rule is a small class with a code, a kebab-case name, a category, a severity per environment, the
name words its keys contain (``keys``, applied by the engine) and a docstring with the sections
ruff uses (What it does / Why is this bad? / Example / Use instead). It looks at a
``model.Context`` and yields findings built with ``Rule.report``, which never takes a value to
show: only a key, a place and words (a value given to it is only fingerprinted).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar

from envguard.findings import Category, Environment, Finding, Severity
from envguard.model import Context, Variable

P, S, D, T, X = (
    Environment.PRODUCTION,
    Environment.STAGING,
    Environment.DEVELOPMENT,
    Environment.TEST,
    Environment.EXAMPLE,
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


class Rule:
    """Base of every rule; subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[Category]
    levels: ClassVar[Levels] = STRICT_LENIENT_INFO
    #: what ``envguard fix`` does about it, or None when a human must act
    fix: ClassVar[str | None] = None
    #: words every key the rule reports contains, upper case (``("DEBUG",)``); empty: any key.
    #: The engine runs the rule only when some key has one, and ``candidates`` hands it those keys.
    keys: ClassVar[tuple[str, ...]] = ()
    #: runs only when selected by its exact code or name (``--select EG100``), as ruff's RUF100
    opt_in: ClassVar[bool] = False

    def check(self, ctx: Context) -> Iterator[Finding]:
        """Yield this rule's findings for one context."""
        raise NotImplementedError

    def candidates(self, ctx: Context) -> Iterable[Variable]:
        """The effective variables whose key holds one of ``keys`` (every one when ``keys`` is empty)."""
        return ctx.admitted(self.keys)

    def settings(self, ctx: Context) -> Iterator[tuple[Variable, str]]:
        """The candidates a setting rule judges, with the text the app reads (a reference's default
        included: ``DEBUG=${DEBUG:-true}`` is on when ``DEBUG`` is unset). Only upper-case keys:
        frameworks read ``APP_DEBUG``, not ``app_debug`` (that is the ``lowercase-key`` finding)."""
        for var in self.candidates(ctx):
            if var.value is not None and var.key.isupper():
                literal = ctx.reading(var).literal
                if literal is not None:
                    yield var, literal

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
        file: str | None = None,
        fingerprint: str | None = None,
    ) -> Finding:
        """Build a finding; ``value`` is only fingerprinted, never stored. ``file``: the file the
        finding is about when not ``ctx``'s own (a repository's); ``fingerprint``: one made
        already (a git sighting's) instead of ``value``'s."""
        level = severity or self.level(ctx.env) or Severity.INFO
        if var is not None:
            key = key or var.key
            line = line if line is not None else var.line
            column = column if column is not None else var.column
            if value is None:
                value = var.value
        if fingerprint is None and value:
            fingerprint = ctx.fingerprint(value)
        return Finding(
            file=ctx.source if file is None else file,
            line=line,
            column=column,
            key=key,
            code=self.code,
            name=self.name,
            category=self.category,
            severity=level,
            message=message,
            hint=hint,
            fingerprint=fingerprint,
        )
