"""``envguard push FILE --to URI``: check, plan (keys only), confirm, snapshot, apply, report.

``rollback`` shares everything after the plan (``deliver``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from envguard import envfile, formats, snapshots, sync, targets
from envguard.errors import EXIT_FINDINGS, EXIT_OK, EXIT_TARGET, UsageError
from envguard.findings import Finding, Severity
from envguard.targets import TargetURI
from envguard.targets.base import Plan, Target


@dataclass(frozen=True)
class Delivery:
    """How to carry out a plan: the flags shared by ``push`` and ``rollback``."""

    dry_run: bool = False
    yes: bool = False
    deploy: bool = False
    confirm: Callable[[str], bool] | None = None


def push(
    file: Path,
    to: str,
    *,
    dry_run: bool = False,
    yes: bool = False,
    prune: bool = False,
    deploy: bool = False,
    force: bool = False,
    environ: Mapping[str, str] | None = None,
    confirm: Callable[[str], bool] | None = None,
) -> int:
    """Push ``file`` to the target ``to``; returns the exit code.

    ``confirm`` asks the user (default: a prompt when stdin is a terminal, else ``--yes`` is
    required). Nothing is written when the check finds errors (unless ``force``), when the plan
    is empty, on ``dry_run``, or when the user declines. An envguard snapshot is restored as it
    is, not linted: it holds what the target held before.
    """
    environ = os.environ if environ is None else environ
    envfile.read(file)  # a missing or unreadable file is a usage error before anything else
    uri = targets.resolve(to)
    if snapshots.target_of(file) is not None:
        print(
            f"envguard: {file} is an envguard snapshot: restoring it as it is (not linted)", file=sys.stderr
        )
    elif not _checked(file, environ, force):
        return EXIT_FINDINGS
    target = targets.open_target(str(uri), environ)
    local = target.admit(sync.local_values(file, environ))
    remote = target.fetch()
    the_plan = sync.plan(target.admit(local, remote), remote, prune, force=force)
    print(f"Plan: {file} -> {uri}")
    return deliver(target, uri, the_plan, Delivery(dry_run, yes, deploy, confirm))


def deliver(target: Target, uri: TargetURI, the_plan: Plan, how: Delivery) -> int:
    """Show the plan, ask, snapshot, apply and report; the exit code."""
    print("\n".join(sync.describe(the_plan)))
    if the_plan.empty:
        print("No changes: the target already holds these values; nothing written.")
        return EXIT_OK
    if how.dry_run:
        print("Dry run: nothing written.")
        return EXIT_OK
    if not how.yes and not ask(how.confirm, f"Apply this plan to {uri}?"):
        print("Aborted: nothing written.")
        return EXIT_FINDINGS
    applied = sync.apply(target, the_plan, uri.slug, deploy=how.deploy, saved=_announce)
    if the_plan.blind:
        names = ", ".join(sorted(the_plan.blind)[:10]) + (", ..." if len(the_plan.blind) > 10 else "")
        print(f"Replaced unseen, so in no snapshot: {len(the_plan.blind)} key(s) ({names})")
    return _report(applied, str(uri), how.deploy)


def _announce(snapshot: Path) -> None:
    """Name the snapshot before anything is written, so a failed apply still points at it."""
    print(f"Previous values saved (encrypted) in {snapshot}")


def _checked(file: Path, environ: Mapping[str, str], force: bool) -> bool:
    """Run ``check`` on the file; False when it has errors and ``force`` is off."""
    from envguard import lint

    found = lint.lint(lint.Request(paths=(file,))).findings
    errors = [f for f in found if f.severity is Severity.ERROR]
    if not errors:
        return True
    _show(errors, file)
    if force:
        print(f"envguard: --force: pushing despite {len(errors)} error(s)", file=sys.stderr)
        return True
    print(
        f"envguard: push refused: {file} has {len(errors)} error(s) (fix them, or push anyway with --force)",
        file=sys.stderr,
    )
    return False


def _show(errors: list[Finding], file: Path) -> None:
    """The check's errors on stderr, in the text format (which never holds values)."""
    from envguard.rules import RULES

    report = formats.Report(tuple(errors), (str(file),), RULES, 0)
    sys.stderr.write(formats.get("text").render(report, color=False))


def ask(confirm: Callable[[str], bool] | None, question: str) -> bool:
    """The user's answer (``confirm``, or a prompt); without a terminal ``--yes`` is needed."""
    if confirm is not None:
        return confirm(question)
    if not sys.stdin.isatty():
        raise UsageError(
            "no terminal to confirm the push; pass --yes to apply the plan",
            hint="--dry-run shows the plan without applying it",
        )
    answer = input(f"{question} [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _report(applied: sync.Applied, uri: str, deploy: bool) -> int:
    """Say what was done, per key for failures, and how to roll back; exit 3 on any failure."""
    result = applied.result
    print(f"Done: {len(result.written)} written, {len(result.removed)} removed on {uri}.")
    if deploy:
        print("Deploy triggered." if result.deployed else "No deploy was triggered.")
    for key in result.restored:
        print(
            f"envguard: warning: {key}: removed by a concurrent write during the replace-all; "
            "put back from the values read",
            file=sys.stderr,
        )
    for key, reason in sorted(result.failed.items()):
        print(f"envguard: {key}: {reason}", file=sys.stderr)
    for note in result.notes:
        print(note)
    if applied.snapshot is not None:
        print(f"Roll back with: envguard rollback {applied.snapshot}")
    if result.failed:
        print(f"envguard: error: {len(result.failed)} key(s) not applied on {uri}", file=sys.stderr)
        return EXIT_TARGET
    return EXIT_OK
