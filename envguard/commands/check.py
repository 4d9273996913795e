"""``envguard check``: lint env files, or live configuration, and report findings."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from envguard import baseline as baselines
from envguard import config, formats, lint, sources
from envguard.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from envguard.findings import Environment, Severity
from envguard.model import Origin
from envguard.rules import RULES


@dataclass(frozen=True)
class CheckOptions:
    """Everything ``check`` takes; None means "not given on the command line"."""

    paths: tuple[Path, ...] = ()
    schema: str | None = None
    env: Environment | None = None
    format: str = "text"
    fail_on: Severity | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    write_baseline: Path | None = None
    example: Path | None = None
    from_env: bool = False
    pid: int | None = None
    from_uri: str | None = None
    color: bool | None = None
    quiet: bool = False
    #: also check the git repository (``envguard.gitcheck``)
    git: bool = False
    #: judge only the schema's variables (live checks)
    only_schema: bool = False
    #: the name stdin (path ``-``) stands for: file-kind detection, messages, output paths
    stdin_filename: str | None = None
    #: write the report here (atomically) instead of stdout
    output_file: Path | None = None
    #: exit 0 even when findings fail (errors still exit 2)
    exit_zero: bool = False
    #: print a count per rule code instead of the findings
    statistics: bool = False
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


def run(opts: CheckOptions) -> int:
    """Run ``check`` and print the report; returns the exit code."""
    fmt = formats.get(opts.format)
    if opts.write_baseline is not None and not opts.write_baseline.is_file():
        # create it first: its salt must key this run's fingerprints, or they never match again
        baselines.write(baselines.new(opts.write_baseline), ())
    outcome = lint.lint(request(opts))
    if opts.write_baseline is not None:
        count = baselines.write(baselines.new(opts.write_baseline), outcome.findings)
        print(f"envguard: wrote {count} finding(s) to {opts.write_baseline}", file=sys.stderr)
        return EXIT_OK
    report = formats.Report(outcome.findings, outcome.sources, RULES, outcome.suppressed)
    if opts.statistics:
        text = statistics(report, opts.format)
    else:
        text = fmt.render(report, color=opts.output_file is None and _color(opts))
    if opts.output_file is not None:
        from envguard.files import atomic_write

        atomic_write(opts.output_file, text, mode=0o644)
    else:
        sys.stdout.write(text)
    if not opts.quiet:
        for note in outcome.notes:
            print(f"envguard: {note}", file=sys.stderr)
        print(summary_line(report), file=sys.stderr)
    default = opts.fail_on or config.find(Path.cwd()).fail_on or Severity.ERROR
    failed = any(
        f.severity.at_least(opts.fail_on or outcome.fail_on.get(f.file, default)) for f in outcome.findings
    )
    return EXIT_FINDINGS if failed and not opts.exit_zero else EXIT_OK


def statistics(report: formats.Report, output_format: str) -> str:
    """A count per rule code, most frequent first (``ruff --statistics``); JSON for ``json``."""
    counts: dict[str, int] = {}
    for finding in report.findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    names = {f.code: f.name for f in report.findings}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        import json

        return json.dumps([{"code": c, "name": names[c], "count": n} for c, n in rows], indent=2) + "\n"
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}\t{c}\t{names[c]}\n" for c, n in rows)


def _stdin(opts: CheckOptions) -> lint.Stdin | None:
    """``check -``: the env file on stdin, named by ``--stdin-filename``."""
    if Path("-") not in opts.paths:
        if opts.stdin_filename is not None:
            raise UsageError("--stdin-filename names stdin: pass `-` as the path")
        return None
    if opts.paths != (Path("-"),):
        raise UsageError("`-` (stdin) cannot be mixed with other paths")
    from envguard.files import MAX_FILE_BYTES

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(f"stdin: too large (more than {MAX_FILE_BYTES:,} bytes)")
    return lint.Stdin(Path(opts.stdin_filename or "-"), data)


def request(opts: CheckOptions) -> lint.Request:
    """The options as a lint request."""
    key = baselines.fingerprint_key(opts.write_baseline) if opts.write_baseline is not None else None
    stdin = _stdin(opts)
    return lint.Request(
        paths=() if stdin else opts.paths,
        stdin=stdin,
        live=_live(opts),
        git=opts.git,
        schema=opts.schema,
        env=opts.env,
        select=opts.select,
        ignore=opts.ignore,
        baseline=opts.baseline,
        apply_baseline=opts.write_baseline is None,
        example=opts.example,
        fingerprint_key=key,
    )


def _live(opts: CheckOptions) -> lint.Live | None:
    """``--from-env``, ``--pid`` or ``--from`` as live variables; None when none was given."""
    given = [bool(opts.from_env), opts.pid is not None, opts.from_uri is not None]
    if sum(given) > 1 or (any(given) and opts.paths):
        raise UsageError("give files, --from-env, --pid or --from, one kind at a time")
    if opts.from_env:
        return lint.Live(dict(opts.environ), "env:", app_only=True, only_schema=opts.only_schema)
    if opts.pid is not None:
        return lint.Live(
            sources.process_environ(opts.pid), f"pid:{opts.pid}", app_only=True, only_schema=opts.only_schema
        )
    if opts.from_uri is not None:
        from envguard.targets import read_target

        return lint.Live(
            read_target(opts.from_uri, opts.environ),
            opts.from_uri,
            Origin.TARGET,
            only_schema=opts.only_schema,
        )
    if opts.only_schema:
        raise UsageError("--only-schema works with --from-env, --pid or --from")
    return None


def _color(opts: CheckOptions) -> bool:
    if opts.color is not None:
        return opts.color
    if opts.environ.get("NO_COLOR"):
        return False
    return bool(opts.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def summary_line(report: formats.Report) -> str:
    """``Found 2 errors and 1 warning in 3 files.`` or ``No problems found in 1 file.``"""
    counts = report.counts()
    files = len(report.sources)
    where = f"in {files} {'file' if files == 1 else 'files'}"
    parts = [_plural(n, sev) for sev, n in counts.items() if n]
    tail = f" ({report.suppressed} baselined)" if report.suppressed else ""
    if not parts:
        return f"No problems found {where}.{tail}"
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Found {listed} {where}.{tail}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"
