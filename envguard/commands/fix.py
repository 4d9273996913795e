"""``envguard fix FILE``: run the check, make the safe fixes, list what is left and count what was done.

As ruff's ``--fix``, the findings left are listed and the fixes counted; ``--show-fixes`` lists each fix
too. Every list names files, lines, keys and rules, never a value (neither the old one nor the new one).
The file is written once, atomically, keeping its mode; encrypted values stay encrypted. After
writing, the file is checked again so that what is reported as left is what ``check`` would say.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from envguard import catalog, config, configfiles, encrypted, envfile, files, fixes, lint
from envguard import schema as schemas
from envguard.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from envguard.escaping import escape
from envguard.findings import Environment, Finding, Severity


def fix(
    path: Path,
    dry_run: bool = False,
    schema: str | None = None,
    env: Environment | None = None,
    fail_on: Severity | None = None,
    diff: bool = False,
    show_fixes: bool = False,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> int:
    """Fix what can be fixed safely in ``path``; exit 1 when findings needing a human remain.

    ``diff``: print a key-only diff of what would change, write nothing (implies ``dry_run``).
    ``show_fixes``: list each fix made (or, dry, that would be made), not only their number.
    ``select``/``ignore``: the rules to run, as ``check`` takes them (opt-in EG100 removes the
    inline ignores that hide nothing).
    """
    dry_run = dry_run or diff
    if configfiles.is_config_file(path.name):
        raise UsageError(
            f"{path}: fix works on env files only",
            hint="move the values into an env file, or edit this file by hand",
        )
    file = envfile.read(path)
    cwd_config = config.find(Path.cwd())
    request = lint.Request(paths=(path,), schema=schema, env=env, select=select, ignore=ignore)
    checked = lint.lint(request)
    for note in checked.notes:
        print(f"envguard: {note}", file=sys.stderr)
    ws = fixes.Workspace(file, schema_for(path, schema), encrypted.inspect(file).opened)
    todo = fixes.plan(ws, checked.findings)
    if diff:
        sys.stdout.write(key_diff(str(path), file.render(), fixes.apply(file, todo.changes).render()))
    for change in todo.changes if show_fixes else ():
        print(
            _line("would fix" if dry_run else "fixed", change.finding, change.action),
            file=sys.stderr if diff else sys.stdout,
        )
    reasons = {(r.finding.key, r.finding.code): r.reason for r in todo.refused}
    written = path
    left: Sequence[Finding]
    if dry_run or not todo.changes:
        left = _left(todo)
    else:
        written, left = _write(path, file, todo, request)
    threshold = fail_on or cwd_config.fail_on or Severity.ERROR
    blocking = _report_left(left, reasons, threshold)
    done = "would fix" if dry_run else "fixed"
    print(
        f"envguard: {done} {len(todo.changes)} finding(s) in {files.shown(path, written)}; "
        f"{blocking} need(s) a human",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if blocking else EXIT_OK


def key_diff(name: str, before: str, after: str) -> str:
    """A unified diff of ``before`` and ``after`` that shows keys and line numbers, never values:
    each line is reduced to its key (``KEY=…``), a comment to ``#…``."""
    import difflib

    old, new = before.splitlines(), after.splitlines()
    out = [f"--- {name}\n", f"+++ {name} (fixed)\n"]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out.append(f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@\n")
        out.extend(f"-{_masked(line)}\n" for line in old[i1:i2])
        out.extend(f"+{_masked(line)}\n" for line in new[j1:j2])
    return "".join(out) if len(out) > 2 else ""


def _masked(line: str) -> str:
    """A line with its value and comment hidden: ``APP_KEY=…``."""
    stripped = line.strip()
    if not stripped:
        return line
    if stripped.startswith("#"):
        return "#…"
    key, eq, _ = line.partition("=")
    return escape(f"{key.rstrip()}=…" if eq else "…")


def _left(todo: fixes.Plan) -> list[Finding]:
    """Without writing: what the check found that no change handles."""
    return sorted((*todo.left, *(r.finding for r in todo.refused)), key=lambda f: f.sort_key)


def _write(
    path: Path, file: envfile.EnvFile, todo: fixes.Plan, request: lint.Request
) -> tuple[Path, tuple[Finding, ...]]:
    """Write the fixed file once (through a link, to its target), then check it again: what is
    left is what ``check`` says. Returns the file written and the findings left."""
    written = envfile.atomic_write(path, fixes.apply(file, todo.changes).render())
    return written, lint.lint(request).findings


def schema_for(path: Path, ref: str | None) -> schemas.Schema:
    """The schema ``check`` uses for ``path``: the flag, else the project configuration's."""
    cfg = config.find(path)
    ref = ref or cfg.schema_for(path)
    return catalog.load(ref, cfg.root or Path.cwd()) if ref else schemas.GENERIC


def _report_left(
    left: Iterable[Finding], reasons: Mapping[tuple[str | None, str], str], threshold: Severity
) -> int:
    """Print each finding left, with why; the number at or above ``threshold``."""
    blocking = 0
    for finding in left:
        urgent = finding.severity.at_least(threshold)
        blocking += urgent
        why = reasons.get((finding.key, finding.code)) or finding.hint
        label = "needs a human" if urgent else f"left ({finding.severity})"
        print(_line(label, finding, finding.message + (f" ({why})" if why else "")))
    return blocking


def _line(label: str, finding: Finding, words: str) -> str:
    """``fixed  .env.production:6 APP_KEY EG201 placeholder-secret: generated ...``"""
    where = f"{finding.file}:{finding.line}" if finding.line else finding.file
    key = f" {finding.key}" if finding.key else ""
    return escape(f"{label}  {where}{key} {finding.code} {finding.name}: {words}")
