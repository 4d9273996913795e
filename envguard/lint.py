"""``envguard.lint``: the one pipeline from sources to findings, in one direction.

sources (env and deploy files found on disk, a process, a target, the git repository)
→ contexts (``model.Context``, built by ``envguard.sources``, ``envguard.configfiles`` and
``envguard.gitcheck``) → the engine (the selected rules over each context, inline suppressions
applied) → findings (deploy-file services named, the baseline applied).

``check``, ``push``, ``fix``, ``guard()`` and ``check --git`` call ``lint``; commands only turn
options into a ``Request`` and a ``Result`` into output. Everything a call learns (configurations
by folder, schemas, projects, shared answers about values) lives in that call's ``Session`` and is
dropped with it.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from envguard import baseline as baselines
from envguard import catalog, config, configfiles, engine, envfile, fingerprints, projects, sources
from envguard import schema as schemas
from envguard.escaping import escape
from envguard.findings import Environment, Finding, Severity
from envguard.model import Context, Origin, Run
from envguard.rules import RULES

if TYPE_CHECKING:
    from envguard import githistory

#: from this many files on, a machine with several CPUs lints them in worker processes
PARALLEL_FILES = 200


@dataclass(frozen=True)
class Live:
    """Variables with no file behind them: this process, another one, what a target holds."""

    #: None: a key the source names without showing its value (a GitHub secret)
    values: Mapping[str, str | None]
    #: how findings name the source: ``env:``, ``pid:4242``, the target's URI
    name: str = "env:"
    origin: Origin = Origin.PROCESS
    #: take the environment from what the variables say of themselves (``APP_ENV``...), as
    #: ``guard()`` does; otherwise only ``ENVGUARD_ENV`` is believed, as ``check`` does
    infer_env: bool = False
    #: leave out what CI systems and shells set for themselves (``envguard.judge.runner``)
    app_only: bool = False
    #: judge only the variables the schema names
    only_schema: bool = False

    def judged(self, schema: schemas.Schema) -> Mapping[str, str | None]:
        """The variables to judge, as ``app_only`` and ``only_schema`` say."""
        values = self.values
        if self.app_only:
            from envguard.judge.runner import is_runner_variable

            values = {k: v for k, v in values.items() if not is_runner_variable(k)}
        if self.only_schema:
            values = {k: v for k, v in values.items() if schema.spec(k) is not None}
        return values


@dataclass(frozen=True)
class Stdin:
    """An env file read from stdin, and the name it stands for (``--stdin-filename``)."""

    name: Path
    data: bytes


@dataclass(frozen=True)
class Request:
    """What to lint and how; None and empty mean "as the project configuration says"."""

    paths: tuple[Path, ...] = ()
    #: ``check -``: one env file on stdin instead of paths
    stdin: Stdin | None = None
    live: Live | None = None
    #: also judge the git repository around the current folder (``check --git``)
    git: bool = False
    schema: str | schemas.Schema | None = None
    env: Environment | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    apply_baseline: bool = True
    example: Path | None = None
    #: the key of fingerprints; None: as ``envguard.fingerprints.resolve`` finds it
    fingerprint_key: bytes | None = None


@dataclass(frozen=True)
class Result:
    """The findings of one call and what a report needs besides them."""

    findings: tuple[Finding, ...]
    sources: tuple[str, ...]
    suppressed: int = 0
    notes: tuple[str, ...] = ()
    #: the ``fail-on`` each source's own configuration sets, when it sets one
    fail_on: Mapping[str, Severity] = field(default_factory=dict)


class Session:
    """What one ``lint`` call learns, kept for its length only."""

    def __init__(self, cwd: Path, fingerprint_key: bytes) -> None:
        self.cwd = cwd
        self.run = Run(fingerprint_key)
        self.configs = config.Configs()
        self.resolver = sources.Resolver()
        self.projects = projects.Projects()
        self._schemas: dict[tuple[str, Path], schemas.Schema] = {}
        self._folders: dict[Path, config.Config] = {}

    def schema(self, ref: str | schemas.Schema | None, base: Path) -> schemas.Schema:
        """A schema by reference, loaded once in this call."""
        if ref is None:
            return schemas.GENERIC
        if isinstance(ref, schemas.Schema):
            return ref
        found = self._schemas.get((ref, base))
        if found is None:
            found = self._schemas[(ref, base)] = catalog.load(ref, base)
        return found

    def config_of(self, path: Path) -> config.Config:
        """The configuration governing the file ``path``."""
        folder = path.parent
        found = self._folders.get(folder)
        if found is None:
            real = self.resolver.real(os.fspath(folder))
            found = self._folders[folder] = self.configs.for_folder(real, self.resolver.listed)
        return found


def lint(request: Request, cwd: Path | None = None) -> Result:
    """Lint every source ``request`` names; see the module notes."""
    here = cwd or Path.cwd()
    cwd_config = config.Configs().find(here)
    base = request.baseline or _config_path(cwd_config, cwd_config.baseline)
    key = fingerprints.resolve(request.fingerprint_key, baselines.fingerprint_key(base), here)
    session = Session(here, key.secret)
    selection = _selection(request, cwd_config)
    # a lint makes many small objects and almost no reference cycles: the cycle collector's passes
    # over a 100,000-line file's records cost a tenth of the run and free nothing
    collecting = gc.isenabled()
    gc.disable()
    try:
        linted = _linted(request, session, cwd_config, selection)
    finally:
        if collecting:
            gc.enable()
    findings = [f for one in linted for f in one.findings]
    # notes quote file names and selectors written by others: shown escaped, as findings are
    notes = list(dict.fromkeys(escape(n) for one in linted for n in one.notes))
    suppressed = 0
    if base is not None and request.apply_baseline:
        accepted = baselines.load(base)
        kept = [f for f in findings if not accepted.contains(f)]
        suppressed, findings = len(findings) - len(kept), kept
    if not key.stable:
        findings = [dataclasses.replace(f, fingerprint=None) for f in findings]
        notes.append(fingerprints.OMITTED)
    names = tuple(dict.fromkeys(n for one in linted for n in one.names))
    fail_on = {one.source: one.fail_on for one in linted if one.fail_on is not None}
    return Result(tuple(findings), names, suppressed, tuple(notes), fail_on)


def _selection(request: Request, cwd_config: config.Config) -> engine.Selection:
    """The flags' selection, else the configuration's (an explicit --select replaces it whole)."""
    ignore = request.ignore or (() if request.select else cwd_config.ignore)
    selection = engine.Selection(request.select or cwd_config.select, ignore)
    for warning in selection.validate(RULES):
        print(f"envguard: {warning}", file=sys.stderr)
    return selection


@dataclass(frozen=True)
class _Linted:
    """One checked source: its findings (labelled, suppressions applied), notes and names."""

    source: str
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    fail_on: Severity | None = None
    #: with ``--git``: the file's judgement as history makes it (``githistory.Blobs.seed``)
    seeds: tuple[githistory.Seed, ...] = ()


def _linted(
    request: Request, session: Session, cwd_config: config.Config, selection: engine.Selection
) -> list[_Linted]:
    live = request.live
    if live is not None:
        ctx = _live_context(live, request, session, cwd_config)
        found = engine.run(ctx, RULES, selection)
        return [_Linted(ctx.source, tuple(found), tuple(ctx.notes), (ctx.source,))]
    if not request.git:
        if request.stdin is not None:
            return [_lint_stdin(request.stdin, request, session, selection)]
        return _lint_files(request, session, selection)
    # git and history scanning are only paid for by --git
    from envguard import gitcheck, githistory
    from envguard.gitrepo import Git

    blobs = githistory.Blobs(
        Git(session.cwd), session.run, session.config_of, session.schema, session.resolver
    )
    asked = gitcheck.Asked(blobs.git)  # git lists the index and history while the tree is linted
    try:
        if request.stdin is not None:
            linted = [_lint_stdin(request.stdin, request, session, selection)]
        else:
            linted = _lint_files(request, session, selection, blobs)
            blobs.seed(seed for one in linted for seed in one.seeds)
        ctx, shown = gitcheck.context(session.run, session.cwd, blobs, asked)
    finally:
        asked.close()
    linted.append(_Linted(ctx.source, tuple(engine.run(ctx, RULES, selection)), tuple(ctx.notes), shown))
    return linted


def _live_context(live: Live, request: Request, session: Session, cwd_config: config.Config) -> Context:
    schema = session.schema(request.schema or cwd_config.schema, cwd_config.root or session.cwd)
    if live.only_schema and schema.is_generic:
        from envguard.errors import UsageError

        raise UsageError("--only-schema needs a schema", hint="name one with --schema")
    values = live.judged(schema)
    if live.infer_env:
        declared = sources.environ_env(live.values)
    else:
        # strict: a production process that wrongly says APP_ENV=local must not be judged leniently
        # because of that very mistake
        declared = sources.environ_env(live.values, ("ENVGUARD_ENV",))
    env = request.env or declared or schema.default_env or Environment.PRODUCTION
    return sources.mapping_context(values, env, schema, live.name, session.run, live.origin)


def _lint_files(
    request: Request, session: Session, selection: engine.Selection, blobs: githistory.Blobs | None = None
) -> list[_Linted]:
    """Lint every file the request names, in their order; a big tree in parallel (``_jobs``).
    With ``blobs`` (``--git``), each env file is also judged as history would judge its bytes."""
    if (
        request.git
        and not request.paths
        and not any(sources.is_env_file(p.name) for p in session.cwd.iterdir())
    ):
        return []  # `check --git` where there is nothing else to lint
    empty: list[Path] = []
    paths = sources.discover(list(request.paths), session.resolver, empty if request.git else None)
    jobs = _jobs(len(paths))
    # with --git, a folder without env files is no mistake: the repository is still checked
    skipped = [
        _Linted(
            sources.display(p, session.resolver),
            (),
            (f"{sources.display(p, session.resolver)}: no env files found; checked the git repository only",),
        )
        for p in empty
    ]

    def lint_path(path: Path) -> list[_Linted]:
        cfg = session.config_of(path)
        chosen = _file_selection(request, selection, path, cfg)
        contexts, data = _path_contexts(path, request, session, cfg)
        linted = [
            _Linted(
                ctx.source,
                tuple(configfiles.label(ctx, engine.run(ctx, RULES, chosen))),
                tuple(ctx.notes),
                (ctx.source,),
                cfg.fail_on if cfg.source is not None else None,
            )
            for ctx in contexts
        ]
        if blobs is not None and data is not None:
            seed = blobs.judge_file(contexts[0], data, session.resolver.real(os.fspath(path)))
            if seed is not None:
                linted[0] = dataclasses.replace(linted[0], seeds=(seed,))
        return linted

    if jobs < 2:
        return skipped + [one for path in paths for one in lint_path(path)]
    # forked workers start with what discovery learned (folders, resolved paths) and report in
    # file order, with the first failing file's error, as a sequential run would
    from envguard.forked import map_forked

    return skipped + [one for part in map_forked(lint_path, paths, jobs) for one in part]


def _lint_stdin(stdin: Stdin, request: Request, session: Session, selection: engine.Selection) -> _Linted:
    """The env file on stdin, judged as the file it is named after would be."""
    if configfiles.is_config_file(stdin.name.name):
        from envguard.errors import UsageError

        raise UsageError(
            f"{stdin.name}: compose, render.yaml and Railway files are checked from disk",
            hint="pass the file's path instead of `-`",
        )
    path = stdin.name
    cfg = session.config_of(path if path.is_absolute() else session.cwd / path)
    chosen = _file_selection(request, selection, path, cfg)
    schema = session.schema(request.schema or cfg.schema_for(path), cfg.root or session.cwd)
    env = request.env or cfg.env_for(path) or sources.infer_env(path, schema.default_env)
    shown = str(path)
    parsed = envfile.parse_text(envfile.decode(stdin.data, path), path)
    ctx = sources.file_context(
        parsed,
        env,
        schema,
        shown,
        session.run,
        session.projects.of(path, schema),
        example_keys=_example_keys(request, cfg, path),
    )
    return _Linted(
        ctx.source,
        tuple(engine.run(ctx, RULES, chosen)),
        tuple(ctx.notes),
        (ctx.source,),
        cfg.fail_on if cfg.source is not None else None,
    )


def _file_selection(
    request: Request, default: engine.Selection, path: Path, cfg: config.Config
) -> engine.Selection:
    """Per-file overrides from the configuration governing ``path``, unless flags were given."""
    if request.select or request.ignore:
        return default
    own = cfg.source is not None
    select, ignore = (cfg.select, cfg.ignore) if own else (default.select, default.ignore)
    for override in cfg.matching(path):
        select = override.select if override.select is not None else select
        ignore = override.ignore if override.ignore is not None else ignore
    return engine.Selection(select, ignore)


def _path_contexts(
    path: Path, request: Request, session: Session, cfg: config.Config
) -> tuple[list[Context], bytes | None]:
    """The contexts of one discovered file (one for an env file, one per service for a deploy
    file), and the bytes of an env file (None for a deploy file)."""
    schema = session.schema(request.schema or cfg.schema_for(path), cfg.root or session.cwd)
    env = request.env or cfg.env_for(path) or sources.infer_env(path, schema.default_env)
    shown = sources.display(path, session.resolver)
    project = session.projects.of(path, schema)
    if configfiles.is_config_file(path.name):
        return configfiles.contexts(path, shown, env, schema, session.run, project), None
    data = envfile.read_bytes(path)
    parsed = envfile.parse_text(envfile.decode(data, path), path)
    ctx = sources.file_context(
        parsed, env, schema, shown, session.run, project, example_keys=_example_keys(request, cfg, path)
    )
    return [ctx], data


def _jobs(files: int) -> int:
    """Worker processes for ``files`` files: one (no workers) below ``PARALLEL_FILES``, on a single
    CPU, or where processes cannot be forked (fork is cheap and needs nothing re-imported)."""
    if files < PARALLEL_FILES or not sys.platform.startswith("linux"):
        return 1
    cpus = len(os.sched_getaffinity(0))
    return max(1, min(cpus, 8, files // (PARALLEL_FILES // 2)))


def _example_keys(request: Request, cfg: config.Config, path: Path) -> frozenset[str] | None:
    example = request.example or _config_path(cfg, cfg.example)
    if example is None or example.resolve() == path.resolve():
        return None
    return frozenset(envfile.read(example).values())


def _config_path(cfg: config.Config, value: str | None) -> Path | None:
    if value is None:
        return None
    return (cfg.root / value) if cfg.root else Path(value)
