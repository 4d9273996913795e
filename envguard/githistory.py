"""The history half of ``check --git``: every version of every env file reachable from a ref.

One ``git log --all --raw`` stream lists the commits that added or changed an env file (or a
``.env.keys``), git itself filtering the paths (``PATHSPECS``, from ``sources.ENV_FILE_GLOBS``),
with each version's blob id; the blobs are read through one ``git cat-file --batch``, by id, and
each distinct blob at a path is judged once by ``envguard.plaintext``, as the commit hook would have
judged it (an unchanged working-tree file by ``check`` itself: ``Blobs.seed``). A secret is reported
once, at the oldest commit that held it, by key and fingerprint; the value itself is never kept
beyond the judgement.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from envguard import catalog, config, envfile, keys, plaintext, sources
from envguard.findings import Environment
from envguard.gitrepo import Git
from envguard.model import Context, GitFile, GitSighting, Run
from envguard.schema import Schema

#: env files and key stores in any folder, as git pathspecs
PATHSPECS = tuple(f":(glob)**/{glob}" for glob in sources.ENV_FILE_GLOBS)


@dataclass(frozen=True, slots=True)
class Version:
    """One version of one file: the commit that wrote it, when, the path and its blob id."""

    commit: str
    time: int
    path: str
    blob: str


#: the one ``git log`` that lists history's versions of env files (``read_versions``)
LOG = (
    "log",
    "--all",
    "--no-renames",
    "--diff-filter=AM",
    "--raw",
    "--no-abbrev",
    "--format=%x01%H %ct",
    "-z",
    "--",
    *PATHSPECS,
)


def versions(git: Git) -> list[Version]:
    """Versions of env files in history, oldest first (``git log --all``, renames as adds)."""
    return read_versions(git(*LOG))


def read_versions(log: bytes) -> list[Version]:
    """:func:`versions` from the output of ``git LOG``."""
    out = log.decode("utf-8", "surrogateescape")
    found = []
    for chunk in out.split("\x01")[1:]:
        header, _, raw = chunk.partition("\0")
        commit, _, when = header.partition(" ")
        fields = raw.lstrip("\n").split("\0")
        # ":old_mode new_mode old_id new_id status" then the path, for each changed file
        for meta, path in zip(fields[::2], fields[1::2], strict=False):
            parts = meta.split()
            if len(parts) == 5 and path and is_candidate(path):
                found.append(Version(commit, int(when or 0), path, parts[3]))
    return found[::-1]


def is_candidate(path: str) -> bool:
    """An env file or a ``.env.keys``, by its name."""
    name = path.rsplit("/", 1)[-1]
    return name == ".env.keys" or sources.is_env_file(name)


@dataclass(frozen=True, slots=True)
class Judged:
    """One blob at one path: whether any value is encrypted, and its plaintext secrets."""

    encrypted: bool
    exposures: list[plaintext.Exposure]


class Blobs:
    """One run's view of a repository's env-file blobs: each read once, each blob at a path judged
    once, each path's environment and schema looked up once.

    ``check . --git`` lints the working tree first, and a tracked file is most often its last
    version: ``seed`` takes the judgement the tree's linting made of a file's bytes, by the blob id
    git gives those bytes, so history neither reads nor judges that blob again."""

    def __init__(
        self,
        git: Git,
        run: Run,
        config_of: Callable[[Path], config.Config] | None = None,
        schema_of: Callable[[str, Path], Schema] | None = None,
        resolver: sources.Resolver | None = None,
    ) -> None:
        self.git = git
        self.run = run
        #: the run's real paths (``lint.Session``'s: what the tree's walk learned)
        self.resolver = resolver or sources.Resolver()
        #: the configuration governing a file, and schemas by reference: the run's own, when
        #: ``check`` has looked them up for the tree (``lint.Session``)
        self._config_of = config_of or config.Configs().find
        self._schema_of = schema_of or catalog.load
        self._as: dict[str, tuple[Environment, Schema]] = {}
        self._data: dict[str, bytes | None] = {}
        self._judged: dict[tuple[str, str], Judged | None] = {}

    def judged_as(self, path: str) -> tuple[Environment, Schema]:
        """The environment and schema of ``path`` (relative to the top), as ``plaintext`` decides."""
        found = self._as.get(path)
        if found is None:
            file = self.git.top / path
            found = self._as[path] = plaintext.judged_as(
                file, cfg=self._config_of(file), schema_of=self._schema_of
            )
        return found

    def judge_all(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Judge the (blob, path) pairs not judged yet, their blobs read in one ``cat-file
        --batch``: many in forked workers, as a tree's files."""
        from envguard import lint

        todo = [p for p in dict.fromkeys(pairs) if p not in self._judged]
        wanted = [b for b in dict.fromkeys(blob for blob, _ in todo) if b not in self._data]
        self._data.update(zip(wanted, self.git.blobs(wanted), strict=True))
        for _, path in todo:
            self.judged_as(path)  # before forking: the workers inherit the answers
        jobs = lint._jobs(len(todo))
        if jobs < 2:
            done = [self._judge(self._data.get(blob), path) for blob, path in todo]
        else:
            from envguard.forked import map_forked

            done = map_forked(lambda pair: self._judge(self._data.get(pair[0]), pair[1]), todo, jobs)
        self._judged.update(zip(todo, done, strict=True))

    def judged(self, blob: str, path: str) -> Judged | None:
        """The judgement of ``blob`` as the file ``path`` (``judge_all`` first); None for a
        missing or binary content."""
        ident = (blob, path)
        if ident not in self._judged:
            self.judge_all([ident])
        return self._judged[ident]

    def judged_bytes(self, data: bytes | None, path: str) -> Judged | None:
        """The judgement of ``data`` (a file on disk) as the file ``path``: the working tree's,
        when it judged these bytes (``seed``), else made now."""
        blob = None if data is None else blob_id(data, self.git.object_format)
        if blob is not None and (blob, path) in self._judged:
            return self._judged[(blob, path)]
        return self._judge(data, path)

    def seed(self, seeds: Iterable[Seed]) -> None:
        """Take judgements made from the working tree (``judge_file``)."""
        for blob, path, judged in seeds:
            self._judged.setdefault((blob, path), judged)

    def judge_file(self, ctx: Context, data: bytes, path: str) -> Seed | None:
        """The judgement of a working-tree env file as history would make it of the same bytes, by
        their blob id and the file's path in the repository (None outside it). ``ctx`` is
        ``check``'s context of ``data``: reused when history would judge the file alike (the same
        environment and schema, no encrypted value opened), else the bytes are parsed again."""
        top = self._top
        if not path.startswith(top):
            return None
        relative = path[len(top) :].replace(os.sep, "/")
        blob = blob_id(data, self.git.object_format)
        if blob is None:
            return None
        env, schema = self.judged_as(relative)
        judged: Judged | None
        if ctx.env is env and (ctx.schema is schema or ctx.schema == schema) and not _opened(ctx):
            text = data.decode("utf-8")  # ``check`` read it so: valid UTF-8, not binary
            encrypted = any(v.encrypted for v in ctx.variables)
            judged = Judged(encrypted, plaintext.with_pem_blocks(plaintext.context_exposures(ctx), text))
        else:
            judged = self._judge(data, relative)
        return blob, relative, judged

    @cached_property
    def _top(self) -> str:
        return os.path.realpath(self.git.top).rstrip(os.sep) + os.sep

    def _judge(self, data: bytes | None, path: str) -> Judged | None:
        if data is None or b"\0" in data[:8192]:
            return None
        env, schema = self.judged_as(path)
        text = data.decode("utf-8", "replace")
        parsed = envfile.parse_text(text, Path(path))
        encrypted = any(keys.is_encrypted(r.value) for r in parsed.entries())
        found = plaintext.judge_parsed(parsed, text, env, schema, self.run.fingerprint_key, self.run)
        return Judged(encrypted, found)


#: (blob id, path in the repository, its judgement): what the tree's linting hands history
Seed = tuple[str, str, "Judged | None"]


def _opened(ctx: Context) -> bool:
    return any(v.encrypted and v.value is not None for v in ctx.variables)


def blob_id(data: bytes, object_format: str | None) -> str | None:
    """The id git gives ``data`` as a blob (``git hash-object``), for a SHA-1 or SHA-256
    repository; None for another object format."""
    if object_format not in ("sha1", "sha256"):
        return None
    import hashlib

    digest = hashlib.new(object_format, b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest()


@dataclass
class _Seen:
    """The oldest version holding a secret, and how many versions held it."""

    version: Version
    exposure: plaintext.Exposure
    count: int = 1


def sightings(listed: list[Version], blobs: Blobs, file: Callable[[str], GitFile]) -> list[GitSighting]:
    """Every distinct plaintext secret in ``listed`` (oldest first), at the oldest version that
    held it."""
    blobs.judge_all((v.blob, v.path) for v in listed)
    seen: dict[tuple[str, str | None, str], _Seen] = {}
    for version in listed:
        judged = blobs.judged(version.blob, version.path)
        for exposure in judged.exposures if judged is not None else ():
            ident = (version.path, exposure.key, exposure.fingerprint or f"line {exposure.line}")
            if ident in seen:
                seen[ident].count += 1
            else:
                seen[ident] = _Seen(version, exposure)
    return [
        GitSighting(
            file(s.version.path),
            s.exposure.line,
            s.exposure.key,
            s.exposure.what,
            s.exposure.fingerprint,
            s.version.commit,
            s.version.time,
            s.count,
        )
        for s in seen.values()
    ]
