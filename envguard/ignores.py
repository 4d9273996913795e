"""Inline ignore directives, ``# envguard: ignore[EG201,EG401]``: how they are written, where each one
is, and how ``fix`` takes a selector out of one.

A directive lives in a record's comment: an entry's inline comment covers that entry, a comment
line covers the line after it. Which findings it hides is the engine's business
(``engine.suppressions``); which of its selectors hide nothing is EG100's (``rules.directives``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from envguard.envfile import Record

_DIRECTIVE = re.compile(r"envguard:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.I)


@dataclass(frozen=True)
class Directive:
    """One ``# envguard: ignore[...]`` comment: where it is, the line it covers, its selectors."""

    #: the first line of the record holding it
    line: int
    #: the line whose findings it hides
    target: int
    codes: frozenset[str]
    #: the key of the entry whose comment holds it; None on a comment line
    key: str | None = None
    #: the physical line the comment is on (after a multi-line value, its last line)
    at: int = 0
    #: the 1-based column of ``envguard:`` on that line
    column: int = 0
    #: each selector as written (blanks stripped) with its column, in the order written
    columns: tuple[tuple[str, int], ...] = ()

    def column_of(self, code: str) -> int:
        """Where ``code`` is first written; the directive's own column for a bare ignore."""
        return next((col for name, col in self.columns if name == code), self.column)

    def selector_at(self, column: int | None) -> str | None:
        """The selector written at ``column``; None when none is (the directive's own column)."""
        return next((name for name, col in self.columns if col == column), None)


def directives(records: Sequence[Record] | None) -> list[Directive]:
    """Every ignore directive, in file order."""
    found: list[Directive] = []
    for record in records or ():
        if record.comment:
            directive = parse(record)
            if directive is not None:
                found.append(directive)
    return found


def parse(record: Record) -> Directive | None:
    """The ignore directive in ``record``'s comment, if it has one."""
    comment = record.comment
    match = _DIRECTIVE.search(comment) if comment else None
    if comment is None or match is None:
        return None
    start = len(record.raw) - len(comment)  # the comment is the end of the record's text
    first = start - record.raw.rfind("\n", 0, start)  # column of the comment's first character
    columns: list[tuple[str, int]] = []
    if match.group("codes") is not None:
        pos = match.start("codes")
        for piece in match.group("codes").split(","):
            if piece.strip():
                columns.append((piece.strip(), first + pos + len(piece) - len(piece.lstrip())))
            pos += len(piece) + 1
    return Directive(
        line=record.line,
        target=record.line if record.key is not None else record.end_line + 1,
        codes=frozenset(name for name, _ in columns),
        key=record.key,
        at=record.line + record.raw.count("\n", 0, start),
        column=first + match.start(),
        columns=tuple(columns),
    )


def without(record: Record, selector: str | None) -> Record | None:
    """``record`` with ``selector`` taken out of its ignore directive, or the whole directive when
    ``selector`` is None or the last one. The comment goes too when nothing else is in it (with the
    blanks before its ``#``), and a comment line with it (None). The rest is kept as written."""
    comment = record.comment
    match = _DIRECTIVE.search(comment) if comment else None
    if comment is None or match is None:
        return record
    inner = match.group("codes")
    if selector is not None and inner is not None:
        kept = [piece for piece in inner.split(",") if piece.strip() != selector]
        if any(piece.strip() for piece in kept):
            lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
            codes = lead + ",".join(kept).strip() + trail
            return _commented(record, comment[: match.start("codes")] + codes + comment[match.end("codes") :])
    before, after = comment[: match.start()], comment[match.end() :]
    rest = before + after.lstrip() if not before.strip() else before.rstrip() + after
    if rest.strip():
        return _commented(record, rest)
    if record.key is None:
        return None
    hash_at = len(record.raw) - len(comment) - 1
    return replace(record, raw=record.raw[:hash_at].rstrip(" \t"), comment=None)


def _commented(record: Record, comment: str) -> Record:
    """``record`` with another comment text after its ``#``."""
    assert record.comment is not None
    return replace(record, raw=record.raw[: len(record.raw) - len(record.comment)] + comment, comment=comment)
