"""``envguard check --git``: ask git which env files it tracks, would commit, or kept in history.

Git is run as a subprocess (``envguard.gitrepo``); file contents are read from git's object store,
so a tracked file is judged as committed and a historical version as it was. The answers become
one context whose ``git`` holds them (``model.GitFacts``), judged by the git rules
(``envguard.rules.leak.git``) like any other context: findings name paths, lines, keys and
commits, never values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from envguard import envfile, githistory, keys, plaintext, rotations, sources
from envguard.findings import Environment
from envguard.gitrepo import Git
from envguard.model import Context, GitFacts, GitFile, Origin, Run

#: what ``check --git`` says in a shallow clone, where history stops at the shallow boundary
SHALLOW_NOTE = ("warning: shallow clone: history before the shallow boundary was not scanned; "
                "fetch it with `git fetch --unshallow` (actions/checkout: `fetch-depth: 0`)")

#: names a fresh project creates and never means to commit
MUST_IGNORE = (".env", ".env.local")


def context(run: Run, start: Path | None = None) -> tuple[Context, tuple[str, ...]]:
    """The repository around ``start`` (default: here) as a context for the git rules, and the env
    files it looked at (for the summary)."""
    git = Git(start or Path.cwd())
    tracked = [p for p in git.paths("ls-files", "-z") if githistory.is_candidate(p)]
    others = git.paths("ls-files", "-z", "--others", "--exclude-standard")
    loose = [p for p in others if githistory.is_candidate(p)]
    history, notes = rotations.judge(githistory.sightings(git, run, _file), _rotations(git))
    facts = GitFacts(
        tracked=tuple(_plain_env_files(git, list(zip(tracked, git.blobs([f":{p}" for p in tracked]),
                                                     strict=True)), run)),
        loose=tuple(_plain_env_files(git, [(p, _read(git.top / p)) for p in loose], run)),
        keys_files=tuple((_file(git, p), p in tracked) for p in [*tracked, *loose]
                         if p.rsplit("/", 1)[-1] == keys.KEYS_FILE),
        gitignore=sources.display(git.top / ".gitignore"),
        unignored=tuple(name for name in MUST_IGNORE if not git.ignored(name)),
        history=tuple(history),
    )
    shown = tuple(dict.fromkeys(sources.display(git.top / p) for p in [*tracked, *loose]))
    if git("rev-parse", "--is-shallow-repository").strip() == b"true":
        notes = [*notes, SHALLOW_NOTE]
    ctx = Context(source=sources.display(git.top), env=Environment.PRODUCTION, variables=(), run=run,
                  origin=Origin.GIT, git=facts, notes=notes)
    return ctx, shown


def _rotations(git: Git) -> list[rotations.Rotation]:
    """The rotations recorded at the repository's top and in the current folder (if another)."""
    folders = dict.fromkeys((git.top.resolve(), Path.cwd().resolve()))
    return [r for folder in folders for r in rotations.load(folder)]


def _file(git: Git, path: str, secrets: int = 0) -> GitFile:
    env = plaintext.judged_as(git.top / path)[0]
    return GitFile(path, sources.display(git.top / path), env, secrets)


def _plain_env_files(git: Git, items: list[tuple[str, bytes | None]], run: Run) -> Iterator[GitFile]:
    """Env files for a real environment whose content is not encrypted, with their count of
    plaintext secrets; ``.env.keys``, examples, missing and binary contents are skipped."""
    for path, data in items:
        name = path.rsplit("/", 1)[-1]
        if name == keys.KEYS_FILE or data is None or b"\0" in data[:8192]:
            continue
        env, schema = plaintext.judged_as(git.top / path)
        text = data.decode("utf-8", "replace")
        parsed = envfile.parse_text(text, git.top / path)
        if env is Environment.EXAMPLE or any(keys.is_encrypted(r.value) for r in parsed.entries()):
            continue
        secrets = len(plaintext.judge_text(text, path, env, schema, run.fingerprint_key, run))
        yield _file(git, path, secrets)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None
