"""``envguard check``: lint env files, or live configuration, and report findings."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from envguard import baseline as baselines
from envguard import config, configfiles, engine, envfile, formats, sources
from envguard import schema as schemas
from envguard.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from envguard.findings import Environment, Finding, Severity
from envguard.rules import RULES
from envguard.rules.base import DEFAULT_FINGERPRINT_KEY, Context


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
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)


@dataclass(frozen=True)
class Outcome:
    """Findings of a run and what the report needs besides them."""

    findings: tuple[Finding, ...]
    sources: tuple[str, ...]
    suppressed: int = 0
    notes: tuple[str, ...] = ()


def run(opts: CheckOptions) -> int:
    """Run ``check`` and print the report; returns the exit code."""
    fmt = formats.get(opts.format)
    cwd_config = config.find(Path.cwd())
    folders = _FolderConfigs()
    # a check makes many small objects and almost no reference cycles: the cycle collector's passes
    # over a 100,000-line file's records cost a tenth of the run and free nothing
    collecting = gc.isenabled()
    gc.disable()
    try:
        outcome = collect(opts, cwd_config, folders)
    finally:
        if collecting:
            gc.enable()
    if opts.write_baseline is not None:
        count = baselines.write(baselines.new(opts.write_baseline), outcome.findings)
        print(f"envguard: wrote {count} finding(s) to {opts.write_baseline}", file=sys.stderr)
        return EXIT_OK
    report = formats.Report(outcome.findings, outcome.sources, RULES, outcome.suppressed)
    sys.stdout.write(fmt.render(report, color=_color(opts)))
    if not opts.quiet:
        for note in outcome.notes:
            print(f"envguard: {note}", file=sys.stderr)
        print(summary_line(report), file=sys.stderr)
    levels: dict[str, Severity] = {}  # per file, not per finding: a file has one configuration
    failed = False
    for finding in outcome.findings:
        if finding.file not in levels:
            levels[finding.file] = _fail_on(opts, cwd_config, finding.file, folders)
        failed = failed or finding.severity.at_least(levels[finding.file])
    return EXIT_FINDINGS if failed else EXIT_OK


def _fail_on(opts: CheckOptions, cwd_config: config.Config, file: str, folders: _FolderConfigs) -> Severity:
    """--fail-on, else the configuration governing ``file``, else the one here."""
    if opts.fail_on:
        return opts.fail_on
    path = Path(file)
    own = folders.of(path).fail_on if path.is_file() else None
    return own or cwd_config.fail_on or Severity.ERROR


def collect(opts: CheckOptions, cwd_config: config.Config, folders: _FolderConfigs | None = None) -> Outcome:
    """Lint every source the options name, applying selection, suppressions and the baseline."""
    folders = folders if folders is not None else _FolderConfigs()
    # an explicit --select replaces the configured selection whole, its ignore list included
    ignore = opts.ignore or (() if opts.select else cwd_config.ignore)
    selection = engine.Selection(opts.select or cwd_config.select, ignore)
    selection.validate(RULES)
    base_path = opts.baseline or _config_path(cwd_config, cwd_config.baseline)
    if opts.write_baseline is not None and not opts.write_baseline.is_file():
        # create it first: its salt must key this run's fingerprints, or they never match again
        baselines.write(baselines.new(opts.write_baseline), ())
    key = baselines.fingerprint_key(opts.write_baseline or base_path) or DEFAULT_FINGERPRINT_KEY
    live = _live_contexts(opts, cwd_config, key)
    if live:
        linted = [_lint(ctx, opts, selection, folders) for ctx in live]
    else:
        linted = _lint_files(opts, key, selection, folders)
    repo_findings, repo_sources = _git_report(opts, selection, key)
    findings: list[Finding] = []
    notes: list[str] = []
    for one in linted:
        findings.extend(one.findings)
        notes.extend(n for n in one.notes if n not in notes)
    findings.extend(repo_findings)
    suppressed = 0
    if base_path is not None and opts.write_baseline is None:
        accepted = baselines.load(base_path)
        kept = [f for f in findings if not accepted.contains(f)]
        suppressed, findings = len(findings) - len(kept), kept
    checked = tuple(dict.fromkeys((*(one.source for one in linted), *repo_sources)))
    return Outcome(tuple(findings), checked, suppressed, tuple(notes))


class _FolderConfigs(dict[Path, config.Config]):
    """The configuration governing each folder's files, looked up once per folder in a run, and
    the run's path resolver (each folder resolved once)."""

    def __init__(self) -> None:
        super().__init__()
        self.resolver = sources.Resolver()

    def of(self, path: Path) -> config.Config:
        """The configuration governing the file ``path``."""
        folder = path.parent
        found = self.get(folder)
        if found is None:
            real = self.resolver.real(os.fspath(folder))
            found = self[folder] = config.find_for_folder(real, self.resolver.listed)
        return found


def _selection_for(
    ctx: Context, opts: CheckOptions, default: engine.Selection, folders: _FolderConfigs,
    where: tuple[Path, config.Config] | None = None,
) -> engine.Selection:
    """Per-file overrides from the configuration, unless flags were given; ``where`` is the file's
    path and configuration when the caller knows them."""
    if not ctx.is_file or opts.select or opts.ignore:
        return default
    path, cfg = where or (Path(ctx.source), folders.of(Path(ctx.source)))
    # the configuration found walking up from the file governs it, wherever envguard runs from
    own = cfg.source is not None
    select, ignore = (cfg.select, cfg.ignore) if own else (default.select, default.ignore)
    for override in cfg.matching(path):
        select = override.select if override.select is not None else select
        ignore = override.ignore if override.ignore is not None else ignore
    return engine.Selection(select, ignore)


def _config_path(cfg: config.Config, value: str | None) -> Path | None:
    if value is None:
        return None
    return (cfg.root / value) if cfg.root else Path(value)


def _git_report(
    opts: CheckOptions, selection: engine.Selection, key: bytes
) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """The ``--git`` findings and the env files they looked at; nothing without ``--git``."""
    if not opts.git:
        return (), ()
    # imported here: git, subprocess and history scanning are only paid for by `--git`
    from envguard import gitcheck

    report = gitcheck.check(selection, key)
    return report.findings, report.sources


@dataclass(frozen=True)
class _Linted:
    """One checked source: its name, its findings (labelled, suppressions applied) and notes."""

    source: str
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]


def _lint(
    ctx: Context, opts: CheckOptions, selection: engine.Selection, folders: _FolderConfigs,
    where: tuple[Path, config.Config] | None = None,
) -> _Linted:
    found = engine.run(ctx, RULES, _selection_for(ctx, opts, selection, folders, where))
    return _Linted(ctx.source, tuple(configfiles.label(ctx, found)), tuple(ctx.notes))


def _file_paths(opts: CheckOptions, folders: _FolderConfigs) -> list[Path]:
    if opts.git and not opts.paths and not any(sources.is_env_file(p.name) for p in Path(".").iterdir()):
        return []  # `check --git` where there is nothing else to lint
    return sources.discover(list(opts.paths), folders.resolver)


def _path_contexts(path: Path, opts: CheckOptions, key: bytes, folders: _FolderConfigs) -> list[Context]:
    """The contexts of one discovered file: one for an env file, one per service for a deploy file."""
    cfg = folders.of(path)
    ref = opts.schema or cfg.schema_for(path)
    schema = schemas.load(ref, cfg.root or Path.cwd()) if ref else schemas.GENERIC
    env = opts.env or cfg.env_for(path) or sources.infer_env(path, schema.default_env)
    shown = sources.display(path, folders.resolver)
    if configfiles.is_config_file(path.name):
        return configfiles.contexts(path, shown, env, schema, key)
    parsed = envfile.read(path)
    return [sources.file_context(parsed, env, schema, shown, fingerprint_key=key,
                                 example_keys=_example_keys(opts, cfg, path))]


#: from this many files on, a machine with several CPUs lints them in worker processes
PARALLEL_FILES = 200


def _lint_files(
    opts: CheckOptions, key: bytes, selection: engine.Selection, folders: _FolderConfigs
) -> list[_Linted]:
    """Lint every file the options name, in their order; a big tree in parallel (``_jobs``)."""
    paths = _file_paths(opts, folders)
    jobs = _jobs(len(paths))

    def lint(path: Path) -> list[_Linted]:
        where = (path, folders.of(path))
        return [_lint(ctx, opts, selection, folders, where)
                for ctx in _path_contexts(path, opts, key, folders)]

    if jobs < 2:
        return [one for path in paths for one in lint(path)]
    # forked workers start with what discovery learned (folders, resolved paths) and report in
    # file order, with the first failing file's error, as a sequential run would
    from envguard.forked import map_forked

    return [one for part in map_forked(lint, paths, jobs) for one in part]


def _jobs(files: int) -> int:
    """Worker processes for ``files`` files: one (no workers) below ``PARALLEL_FILES``, on a single
    CPU, or where processes cannot be forked (fork is cheap and needs nothing re-imported)."""
    if files < PARALLEL_FILES or not sys.platform.startswith("linux"):
        return 1
    cpus = len(os.sched_getaffinity(0))
    return max(1, min(cpus, 8, files // (PARALLEL_FILES // 2)))


def _example_keys(opts: CheckOptions, cfg: config.Config, path: Path) -> frozenset[str] | None:
    example = opts.example or _config_path(cfg, cfg.example)
    if example is None or example.resolve() == path.resolve():
        return None
    return frozenset(envfile.read(example).values())


def _live_contexts(opts: CheckOptions, cfg: config.Config, key: bytes) -> list[Context]:
    """Contexts for ``--from-env``, ``--pid`` and ``--from``; empty when none was given."""
    given = [bool(opts.from_env), opts.pid is not None, opts.from_uri is not None]
    if sum(given) > 1 or (any(given) and opts.paths):
        raise UsageError("give files, --from-env, --pid or --from, one kind at a time")
    if not any(given):
        return []
    ref = opts.schema or cfg.schema
    schema = schemas.load(ref, cfg.root or Path.cwd()) if ref else schemas.GENERIC
    values, source = _live_values(opts)
    # strict unless told otherwise: a production process that wrongly says APP_ENV=local must not be
    # judged leniently because of that very mistake (guard() infers, so dev apps can start)
    declared = sources.environ_env(values, ("ENVGUARD_ENV",))
    env = opts.env or declared or schema.default_env or Environment.PRODUCTION
    return [sources.mapping_context(values, env, schema, source, fingerprint_key=key)]


def _live_values(opts: CheckOptions) -> tuple[Mapping[str, str], str]:
    if opts.from_env:
        return dict(opts.environ), "env:"
    if opts.pid is not None:
        return sources.process_environ(opts.pid), f"pid:{opts.pid}"
    assert opts.from_uri is not None
    from envguard.targets import read_target

    return read_target(opts.from_uri, opts.environ), opts.from_uri


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
