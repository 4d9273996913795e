"""The history half of ``check --git``: every version of every env file reachable from a ref.

``git log --all`` lists the commits that added or changed an env file (or a ``.env.keys``); each
version is read with one ``git cat-file --batch`` and judged by ``envguard.plaintext``, as the
commit hook would have judged it. A secret is reported once, at the oldest commit that held it,
by key and fingerprint; the value itself is never kept beyond the judgement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from envguard import plaintext, sources
from envguard.gitrepo import Git
from envguard.model import GitFile, GitSighting, Run

#: env files and key stores in any folder
PATHSPECS = (":(glob)**/.env", ":(glob)**/.env.*", ":(glob)**/*.env")


@dataclass(frozen=True, slots=True)
class Version:
    """One version of one file: the commit that wrote it, when, and the path."""

    commit: str
    time: int
    path: str


def versions(git: Git) -> list[Version]:
    """Versions of env files in history, oldest first (``git log --all``, renames as adds)."""
    out = git("log", "--all", "--no-renames", "--diff-filter=AM", "--format=%x01%H %ct", "--name-only",
              "-z", "--", *PATHSPECS).decode("utf-8", "surrogateescape")
    found = []
    for chunk in out.split("\x01")[1:]:
        header, _, names = chunk.partition("\0")
        commit, _, when = header.partition(" ")
        for path in names.lstrip("\n").split("\0"):
            if path and is_candidate(path):
                found.append(Version(commit, int(when or 0), path))
    return found[::-1]


def is_candidate(path: str) -> bool:
    """An env file or a ``.env.keys``, by its name."""
    name = path.rsplit("/", 1)[-1]
    return name == ".env.keys" or sources.is_env_file(name)


@dataclass
class _Seen:
    """The oldest version holding a secret, and how many versions held it."""

    version: Version
    exposure: plaintext.Exposure
    count: int = 1


def sightings(git: Git, run: Run, file: Callable[[Git, str], GitFile]) -> list[GitSighting]:
    """Every distinct plaintext secret in history, at the oldest version that held it."""
    listed = versions(git)
    seen: dict[tuple[str, str | None, str], _Seen] = {}
    for version, data in zip(listed, git.blobs([f"{v.commit}:{v.path}" for v in listed]), strict=True):
        if data is None or b"\0" in data[:8192]:
            continue
        env, schema = plaintext.judged_as(git.top / version.path)
        text = data.decode("utf-8", "replace")
        for exposure in plaintext.judge_text(text, version.path, env, schema, run.fingerprint_key, run):
            ident = (version.path, exposure.key, exposure.fingerprint or f"line {exposure.line}")
            if ident in seen:
                seen[ident].count += 1
            else:
                seen[ident] = _Seen(version, exposure)
    return [GitSighting(file(git, s.version.path), s.exposure.line, s.exposure.key, s.exposure.what,
                        s.exposure.fingerprint, s.version.commit, s.version.time, s.count)
            for s in seen.values()]
