"""What ``envguard fix`` does about each fixable rule: one table from rule code to fixer.

A fixer looks at one finding and the record it points at, in the file as read (or as a comment fix
of the same line left it), and returns a ``Change`` (replacement records by line, None dropping a
line, and words for the list) or a ``Refusal`` saying why a human has to act. Fixers never see the
file system; they only draw random values and encrypt. A registry test checks that this table and
the rules' ``fix`` agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from envguard import envfile, generate, ignores, keys
from envguard.envfile import EnvFile, Record
from envguard.errors import SchemaError, UsageError
from envguard.findings import Finding, Severity
from envguard.judge.values import switched
from envguard.schema import Schema


@dataclass(frozen=True)
class Workspace:
    """The file being fixed, its schema, its opened encrypted values and its public key."""

    file: EnvFile
    schema: Schema
    #: plaintext of encrypted entries a private key opened, by line
    opened: Mapping[int, str] = field(default_factory=dict)

    @cached_property
    def public_key(self) -> str | None:
        """The file's dotenvx public key, if it is an encrypted file."""
        return keys.public_key(self.file)

    def value(self, record: Record) -> str | None:
        """A record's plaintext value; None when it is encrypted and no key opened it."""
        if keys.is_encrypted(record.value):
            return self.opened.get(record.line)
        return record.value


@dataclass(frozen=True)
class Change:
    """One fix: the records it replaces (None drops one) by line, and what it did, in words."""

    finding: Finding
    action: str
    records: Mapping[int, Record | None]


@dataclass(frozen=True)
class Refusal:
    """A fixable rule's finding that cannot be fixed safely here, and why."""

    finding: Finding
    reason: str


class Fixer(Protocol):
    """Turns one finding, at the record it names, into a change or a refusal."""

    def __call__(self, ws: Workspace, finding: Finding, record: Record) -> Change | Refusal: ...


def rewrite(ws: Workspace, record: Record, value: str, seal: bool = False) -> Record | str:
    """``record`` holding ``value``: encrypted when it was (or ``seal`` and the file is encrypted),
    else in the record's own quoting where the value allows it. A string says why it cannot."""
    assert record.key is not None
    fresh = seal and bool(ws.public_key) and not keys.stays_plain(record.key)
    if keys.is_encrypted(record.value) or fresh:
        if not ws.public_key:
            return "the value is encrypted but the file has no public key to encrypt a new one"
        from envguard import crypto

        sealed = crypto.encrypt_value(ws.public_key, value)
        return envfile.set_value(record, sealed, written=f'"{sealed}"')
    # a plainly safe value keeps the record's own quotes (a backslash would be an escape in them)
    bare = envfile.quote(value, record.key) == value and "\\" not in value
    written = f"{record.quote}{value}{record.quote}" if bare and record.quote in ("'", '"') else None
    return envfile.set_value(record, value, written=written)


def generate_secret(ws: Workspace, finding: Finding, record: Record) -> Change | Refusal:
    """Replace a placeholder or weak secret the app owns with a strong value of its kind."""
    assert record.key is not None
    kind = generate.kind_for(ws.schema, record.key, ws.value(record) or "")
    if kind is None:
        return Refusal(finding, "a credential issued elsewhere: paste the real one from the provider")
    try:
        value = generate.strong(kind)
    except UsageError as exc:
        raise SchemaError(
            f"{ws.schema.name}: vars.{record.key}.generate: {exc.message}", hint=exc.hint
        ) from None
    spec = ws.schema.spec(record.key)
    if spec is not None and spec.pattern and not re.fullmatch(spec.pattern, value):
        return Refusal(finding, f"a {kind} value does not match the schema's pattern")
    new = rewrite(ws, record, value, seal=True)
    if isinstance(new, str):
        return Refusal(finding, new)
    sealed = " (encrypted)" if keys.is_encrypted(new.value) else ""
    return Change(finding, f"generated a strong {kind} value{sealed}", {record.line: new})


def _switch(on: bool) -> Fixer:
    def fixer(ws: Workspace, finding: Finding, record: Record) -> Change | Refusal:
        value = ws.value(record)
        if value is None:
            return Refusal(finding, "the value is encrypted and no private key opens it")
        new = rewrite(ws, record, switched(value, on=on))
        if isinstance(new, str):
            return Refusal(finding, new)
        return Change(finding, f"set it {'on' if on else 'off'}", {record.line: new})

    fixer.__doc__ = f"Set a boolean switch {'on' if on else 'off'}, in its own spelling."
    return fixer


def drop_identical_earlier(ws: Workspace, finding: Finding, record: Record) -> Change | Refusal:
    """Drop a key's earlier definitions when every one holds the same value as its last."""
    same_key = [r for r in ws.file.entries() if r.key == record.key]
    last, earlier = same_key[-1], same_key[:-1]
    wanted = ws.value(last)
    if wanted is None or any(ws.value(r) is None for r in earlier):
        return Refusal(finding, "the values are encrypted and no private key opens them")
    if any(ws.value(r) != wanted for r in earlier):
        return Refusal(finding, "the definitions differ: decide which one the app needs")
    if any(r.comment for r in earlier):
        return Refusal(finding, "an earlier definition carries a comment: merge it by hand")
    lines = ", ".join(str(r.line) for r in earlier)
    return Change(
        finding, f"dropped the identical earlier definition (line {lines})", {r.line: None for r in earlier}
    )


def remove_unused_ignore(ws: Workspace, finding: Finding, record: Record) -> Change | Refusal:
    """Take the code an unused-ignore finding points at out of its ignore comment: the whole ignore
    for a bare one or the last code, and the comment with it when nothing else is in it."""
    original = next((r for r in ws.file.records if r.line == record.line), None)
    directive = ignores.parse(original) if original is not None else None
    if directive is None or directive.at != finding.line:
        return Refusal(finding, "the ignore comment is not where the check found it")
    selector = directive.selector_at(finding.column)
    if selector is None and (directive.codes or finding.column != directive.column):
        return Refusal(finding, "the ignore comment is not where the check found it")
    new = ignores.without(record, selector)
    if new is not None and ignores.parse(new) is not None:
        action = f"removed {selector} from the ignore comment"
    elif new is not None and new.comment is not None:
        action = "removed the ignore from the comment"
    else:
        action = "removed the ignore comment"
    return Change(finding, action, {record.line: new})


#: what ``envguard fix`` does per rule code; every rule whose ``fix`` is set is here, and only those
FIXERS: dict[str, Fixer] = {
    "EG100": remove_unused_ignore,
    "EG105": drop_identical_earlier,
    "EG201": generate_secret,
    "EG202": generate_secret,
    "EG203": generate_secret,
    "EG204": generate_secret,
    "EG401": _switch(on=False),
    "EG405": _switch(on=False),
    "EG602": _switch(on=True),
}
#: fixers that edit only a line's comment, never its value: they go with any other fix of the line
COMMENTS = frozenset({"EG100"})


@dataclass(frozen=True)
class Plan:
    """The changes to make, the findings refused, and the findings no fixer handles."""

    changes: tuple[Change, ...]
    refused: tuple[Refusal, ...]
    left: tuple[Finding, ...]


def plan(ws: Workspace, findings: Iterable[Finding]) -> Plan:
    """Decide what to fix. Info findings (development and test files) are advice and stay as they are;
    a second change to a value already changed waits for the next run. Comment fixes (``COMMENTS``)
    touch no value: each is made on the line as the changes before it left it."""
    at = {line: r for r in ws.file.records for line in (r.line, r.end_line)}
    now: dict[int, Record | None] = {}  # each line changed so far, as the changes leave it
    changes: list[Change] = []
    refused: list[Refusal] = []
    left: list[Finding] = []
    taken: set[int] = set()  # lines whose values a change replaced or dropped
    for finding in findings:
        fixer = FIXERS.get(finding.code)
        comment = finding.code in COMMENTS
        record = at.get(finding.line or 0)
        if (
            fixer is None
            or record is None
            or not (record.is_entry or comment)
            or record.key != finding.key
            or finding.severity is Severity.INFO
        ):
            left.append(finding)
            continue
        current = now.get(record.line, record)
        outcome: Change | Refusal
        if current is None:
            outcome = Refusal(finding, "another fix dropped the line: run `envguard fix` again")
        else:
            outcome = fixer(ws, finding, current)
        if isinstance(outcome, Change) and not comment and taken & outcome.records.keys():
            if finding.code == "EG105" and any(c.finding.key == finding.key for c in changes):
                continue  # the same key's duplicates, dropped by one change already
            outcome = Refusal(finding, "another fix changed the same line: run `envguard fix` again")
        if isinstance(outcome, Change):
            if not comment:
                taken.update(outcome.records)
            now.update(outcome.records)
            changes.append(outcome)
        else:
            refused.append(outcome)
    return Plan(tuple(changes), tuple(refused), tuple(left))


def apply(file: EnvFile, changes: Iterable[Change]) -> EnvFile:
    """The file with every change made (a later change to a line was made on the earlier one's
    result, so it replaces it); untouched records keep their exact text."""
    replaced: dict[int, Record | None] = {}
    for change in changes:
        replaced.update(change.records)
    kept = (replaced.get(r.line, r) for r in file.records)
    return file.with_records(tuple(r for r in kept if r is not None))
