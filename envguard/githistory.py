"""The history half of ``check --git``: every version of every env file reachable from a ref.

``git log --all`` lists the commits that added or changed an env file (or a ``.env.keys``); each
version is read with one ``git cat-file --batch`` and judged by ``envguard.plaintext``, as the
commit hook would have judged it. A secret is reported once, at the oldest commit that held it,
by key and fingerprint; the value itself is never kept beyond the judgement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from envguard import plaintext, sources
from envguard.findings import Finding
from envguard.rules.base import Context, Rule

if TYPE_CHECKING:
    from envguard.gitcheck import Git

#: env files and key stores in any folder
PATHSPECS = (":(glob)**/.env", ":(glob)**/.env.*", ":(glob)**/*.env")


@dataclass(frozen=True, slots=True)
class Version:
    """One version of one file: the commit that wrote it, when, and the path."""

    commit: str
    time: int
    path: str


@dataclass
class Sighting:
    """Where a secret was first seen, and how many versions held it."""

    version: Version
    exposure: plaintext.Exposure
    count: int = 1


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


def sightings(git: Git, key: bytes) -> list[Sighting]:
    """Every distinct plaintext secret in history, at the oldest version that held it."""
    listed = versions(git)
    seen: dict[tuple[str, str | None, str], Sighting] = {}
    for version, data in zip(listed, git.blobs([f"{v.commit}:{v.path}" for v in listed]), strict=True):
        if data is None or b"\0" in data[:8192]:
            continue
        env, schema = plaintext.judged_as(git.top / version.path)
        text = data.decode("utf-8", "replace")
        for exposure in plaintext.judge_text(text, version.path, env, schema, key):
            ident = (version.path, exposure.key, exposure.fingerprint or f"line {exposure.line}")
            if ident in seen:
                seen[ident].count += 1
            else:
                seen[ident] = Sighting(version, exposure)
    return list(seen.values())


def findings(rule: Rule, git: Git, key: bytes) -> Iterator[Finding]:
    """EG334 findings: one per secret, naming path, line, key and the first commit."""
    for sight in sightings(git, key):
        version, exposure = sight.version, sight.exposure
        env = plaintext.judged_as(git.top / version.path)[0]
        ctx = Context(source=sources.display(git.top / version.path), env=env, variables=(),
                      fingerprint_key=key)
        day = datetime.fromtimestamp(version.time, UTC).date().isoformat()
        later = f", and {sight.count - 1} later version(s)" if sight.count > 1 else ""
        who = exposure.key or "a line"
        found = rule.report(
            ctx, f"{who} held {exposure.what} in commit {version.commit[:12]} ({day}){later}",
            key=exposure.key, line=exposure.line,
            hint=f"rotate it: every clone keeps it (git show {version.commit[:12]}:{version.path})",
        )
        yield dataclasses.replace(found, fingerprint=exposure.fingerprint)
