"""``envguard check --git``: ask git which env files it tracks, would commit, or kept in history.

Git is run as a subprocess (``envguard.gitrepo``); file contents are read from git's object store,
so a tracked file is judged as committed and a historical version as it was. The answers become
one context whose ``git`` holds them (``model.GitFacts``), judged by the git rules
(``envguard.rules.leak.git``) like any other context: findings name paths, lines, keys and
commits, never values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from envguard import githistory, keys, rotations, sources
from envguard.findings import Environment
from envguard.gitrepo import Git, Started, split_paths
from envguard.model import Context, GitFacts, GitFile, Origin, Run

#: what ``check --git`` says in a shallow clone, where history stops at the shallow boundary
SHALLOW_NOTE = (
    "warning: shallow clone: history before the shallow boundary was not scanned; "
    "fetch it with `git fetch --unshallow` (actions/checkout: `fetch-depth: 0`)"
)

#: names a fresh project creates and never means to commit
MUST_IGNORE = (".env", ".env.local")


class Asked:
    """What ``context`` reads from git that the working tree's linting does not change (the
    index, the untracked files, history's versions, whether the clone is shallow, which of
    ``MUST_IGNORE`` the ignore rules cover), asked at once:
    ``check --git`` asks before it lints the tree, so git lists while the tree is judged. Close
    it when done (a listing not read is stopped)."""

    def __init__(self, git: Git) -> None:
        started: list[Started] = []
        try:
            for args in (
                ("ls-files", "-s", "-z"),
                ("ls-files", "-z", "--others", "--exclude-standard"),
                githistory.LOG,
                ("rev-parse", "--is-shallow-repository"),
                # the names that need not exist, as the ignore rules alone judge them
                ("check-ignore", "--no-index", "--", *MUST_IGNORE),
            ):
                started.append(git.start(*args))
        except BaseException:
            for one in started:
                one.close()
            raise
        self._started = tuple(started)
        self._index, self._others, self._log, self._shallow, self._ignores = started

    def staged(self) -> list[tuple[str, str | None]]:
        """The env files in the index with their blob ids (None while a merge conflict is
        unresolved)."""
        found = []
        for entry in split_paths(self._index.output()):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if githistory.is_candidate(path):
                found.append((path, parts[1] if len(parts) == 3 and parts[2] == "0" else None))
        return found

    def loose(self) -> list[str]:
        """The untracked env files git does not ignore."""
        return [p for p in split_paths(self._others.output()) if githistory.is_candidate(p)]

    def versions(self) -> list[githistory.Version]:
        """History's versions of env files (``githistory.versions``)."""
        return githistory.read_versions(self._log.output())

    def shallow(self) -> bool:
        """Whether the clone is shallow."""
        return self._shallow.output().strip() == b"true"

    def unignored(self) -> tuple[str, ...]:
        """The names of ``MUST_IGNORE`` the ignore rules do not cover (all of them when git
        cannot tell: check-ignore lists the ignored ones, and ends with 1 when there are none)."""
        ignored = set(self._ignores.output(check=False).decode("utf-8", "replace").splitlines())
        return tuple(name for name in MUST_IGNORE if name not in ignored)

    def close(self) -> None:
        """Stop what is still running."""
        for one in self._started:
            one.close()


def context(
    run: Run,
    start: Path | None = None,
    blobs: githistory.Blobs | None = None,
    asked: Asked | None = None,
) -> tuple[Context, tuple[str, ...]]:
    """The repository around ``start`` (default: here) as a context for the git rules, and the env
    files it looked at (for the summary). ``blobs``: the repository's, seeded with what the working
    tree's linting judged (``githistory.Blobs.seed``); ``asked``: its listings, started already."""
    blobs = blobs or githistory.Blobs(Git(start or Path.cwd()), run)
    if asked is None:
        asked = Asked(blobs.git)
        try:
            return _context(run, blobs, asked)
        finally:
            asked.close()
    return _context(run, blobs, asked)


def _context(run: Run, blobs: githistory.Blobs, asked: Asked) -> tuple[Context, tuple[str, ...]]:
    git = blobs.git
    staged = asked.staged()
    tracked = [path for path, _ in staged]
    loose = asked.loose()
    listed = asked.versions()
    # one cat-file for the index and the history: a tracked file is most often its last version
    blobs.judge_all([*((blob, path) for path, blob in staged if blob), *((v.blob, v.path) for v in listed)])

    files: dict[str, GitFile] = {}
    resolver = blobs.resolver  # one run's real paths: a file's folders are resolved once

    def file(path: str) -> GitFile:
        found = files.get(path)
        if found is None:
            shown = sources.display(git.top / path, resolver)
            found = files[path] = GitFile(path, shown, blobs.judged_as(path)[0])
        return found

    blob_of = dict(staged)
    history, notes = rotations.judge(githistory.sightings(listed, blobs, file), _rotations(git))
    facts = GitFacts(
        tracked=tuple(
            _env_files(tracked, lambda p: blobs.judged(b, p) if (b := blob_of[p]) else None, blobs, file)
        ),
        loose=tuple(_env_files(loose, lambda p: blobs.judged_bytes(_read(git.top / p), p), blobs, file)),
        keys_files=tuple(
            (file(p), p in tracked) for p in [*tracked, *loose] if p.rsplit("/", 1)[-1] == keys.KEYS_FILE
        ),
        gitignore=sources.display(git.top / ".gitignore", resolver),
        unignored=asked.unignored(),
        history=tuple(history),
    )
    shown = tuple(dict.fromkeys(file(p).shown for p in [*tracked, *loose]))
    if asked.shallow():
        notes = [*notes, SHALLOW_NOTE]
    ctx = Context(
        source=sources.display(git.top, resolver),
        env=Environment.PRODUCTION,
        variables=(),
        run=run,
        origin=Origin.GIT,
        git=facts,
        notes=notes,
    )
    return ctx, shown


def _env_files(
    paths: list[str],
    judge: Callable[[str], githistory.Judged | None],
    blobs: githistory.Blobs,
    file: Callable[[str], GitFile],
) -> Iterator[GitFile]:
    """Env files (tracked or loose) for a real environment whose content is not encrypted, with
    their count of plaintext secrets; ``.env.keys`` and examples are skipped before ``judge`` is
    asked (or a file read), missing and binary contents after."""
    for path in paths:
        if path.rsplit("/", 1)[-1] == keys.KEYS_FILE or blobs.judged_as(path)[0] is Environment.EXAMPLE:
            continue
        judged = judge(path)
        if judged is not None and not judged.encrypted:
            yield replace(file(path), secrets=len(judged.exposures))


def _rotations(git: Git) -> list[rotations.Rotation]:
    """The rotations recorded at the repository's top and in the current folder (if another)."""
    folders = dict.fromkeys((git.top.resolve(), Path.cwd().resolve()))
    return [r for folder in folders for r in rotations.load(folder)]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None
