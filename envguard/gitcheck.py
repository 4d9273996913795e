"""``envguard check --git``: ask git which env files it tracks, would commit, or kept in history.

Git is run as a subprocess (no library); file contents are read from git's object store, so a
tracked file is judged as committed and a historical version as it was. Findings are reported
through the rules of ``envguard.rules.git`` and name paths, lines, keys and commits, never values.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from envguard import engine, envfile, githistory, keys, plaintext, sources
from envguard.errors import InputError
from envguard.findings import Environment, Finding
from envguard.rules import git as rules
from envguard.rules.base import Context, Rule

#: names a fresh project creates and never means to commit
MUST_IGNORE = (".env", ".env.local")


@dataclass(frozen=True)
class Found:
    """The candidate files git knows of: tracked, and untracked but not ignored."""

    tracked: list[str]
    loose: list[str]
    key: bytes


@dataclass(frozen=True)
class GitReport:
    """What ``--git`` found, and the env files it looked at (for the summary)."""

    findings: tuple[Finding, ...]
    sources: tuple[str, ...]


class Git:
    """One repository's git, run with ``-C TOP``; every failure becomes an InputError."""

    def __init__(self, start: Path) -> None:
        exe = shutil.which("git")
        if exe is None:
            raise InputError("--git needs the git command on PATH")
        self.exe = exe
        done = self._run(["-C", str(start), "rev-parse", "--show-toplevel"], check=False)
        if done.returncode != 0:
            raise InputError("--git: not inside a git repository",
                             hint="run it inside a clone, or drop --git")
        self.top = Path(done.stdout.decode().strip())

    def _run(
        self, args: list[str], data: bytes | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        try:
            done = subprocess.run([self.exe, *args], input=data, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            raise InputError(f"--git: git failed to run ({type(exc).__name__})") from None
        if check and done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise InputError(f"--git: git {args[0]} failed" + (f": {said[0]}" if said else ""))
        return done

    def __call__(self, *args: str, data: bytes | None = None) -> bytes:
        """``git -C TOP ARGS``'s standard output."""
        return self._run(["-C", str(self.top), *args], data).stdout

    def paths(self, *args: str) -> list[str]:
        """A NUL-separated path list (``ls-files -z`` and the like)."""
        return [p for p in self(*args).decode("utf-8", "surrogateescape").split("\0") if p]

    def ignored(self, path: str) -> bool:
        """Whether the ignore rules cover ``path`` (which need not exist)."""
        return self._run(["-C", str(self.top), "check-ignore", "-q", "--no-index", "--", path],
                         check=False).returncode == 0

    def blobs(self, specs: list[str]) -> list[bytes | None]:
        """The contents of ``REV:PATH`` specs, None for a missing one (``cat-file --batch``)."""
        out = self("cat-file", "--batch", data="".join(f"{s}\n" for s in specs).encode())
        found: list[bytes | None] = []
        pos = 0
        for _ in specs:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            if len(header) != 3 or header[1] != b"blob":
                found.append(None)
                pos = end + 1
                continue
            size = int(header[2])
            found.append(out[end + 1 : end + 1 + size])
            pos = end + 1 + size + 1
        return found


def check(selection: engine.Selection, key: bytes, start: Path | None = None) -> GitReport:
    """Every ``--git`` finding for the repository around ``start`` (default: here)."""
    git = Git(start or Path.cwd())
    tracked = [p for p in git.paths("ls-files", "-z") if githistory.is_candidate(p)]
    others = git.paths("ls-files", "-z", "--others", "--exclude-standard")
    loose = [p for p in others if githistory.is_candidate(p)]
    facts = Found(tracked, loose, key)
    out: list[Finding] = []
    for rule in rules.RULES:
        if selection.allows(rule):
            out.extend(_RUNNERS[rule](rule(), git, facts))
    shown = tuple(dict.fromkeys(_show(git, p) for p in [*tracked, *loose]))
    return GitReport(tuple(sorted(out, key=lambda f: f.sort_key)), shown)


def _show(git: Git, path: str) -> str:
    return sources.display(git.top / path)


def _ctx(git: Git, path: str, key: bytes) -> Context:
    env = plaintext.judged_as(git.top / path)[0]
    return Context(source=_show(git, path), env=env, variables=(), fingerprint_key=key)


def _plain_env_files(git: Git, items: list[tuple[str, bytes | None]]) -> Iterator[tuple[str, int]]:
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
        yield path, len(plaintext.judge_text(text, path, env, schema))


def _tracked(rule: Rule, git: Git, found: Found) -> Iterator[Finding]:
    items = list(zip(found.tracked, git.blobs([f":{p}" for p in found.tracked]), strict=True))
    for path, secrets in _plain_env_files(git, items):
        held = f" and holds {secrets} plaintext secret(s)" if secrets else ""
        yield rule.report(_ctx(git, path, found.key), f"{path} is tracked by git{held}",
                          hint=f"git rm --cached {path}, add it to .gitignore and rotate what it held; "
                          "or commit it encrypted (envguard encrypt)")


def _loose(rule: Rule, git: Git, found: Found) -> Iterator[Finding]:
    items = [(p, _read(git.top / p)) for p in found.loose]
    for path, _secrets in _plain_env_files(git, items):
        yield rule.report(_ctx(git, path, found.key),
                          f"{path} is not ignored by git; `git add .` would commit it",
                          hint=f"add {path.rsplit('/', 1)[-1]} (or .env.*) to .gitignore")


def _keys_files(rule: Rule, git: Git, found: Found) -> Iterator[Finding]:
    for path in [*found.tracked, *found.loose]:
        if path.rsplit("/", 1)[-1] == keys.KEYS_FILE:
            how = "tracked by git" if path in found.tracked else "not ignored by git"
            yield rule.report(_ctx(git, path, found.key), f"{path} holds private keys and is {how}",
                              hint=f"git rm --cached {path}, add .env.keys to .gitignore, rotate the keys")


def _gitignore(rule: Rule, git: Git, found: Found) -> Iterator[Finding]:
    missing = [name for name in MUST_IGNORE if not git.ignored(name)]
    if missing:
        ctx = Context(source=_show(git, ".gitignore"), env=Environment.PRODUCTION, variables=(),
                      fingerprint_key=found.key)
        yield rule.report(ctx, f"the ignore rules do not cover {' or '.join(missing)}",
                          hint="add .env and .env.* (then !.env.example) to .gitignore")


def _history(rule: Rule, git: Git, found: Found) -> Iterator[Finding]:
    return githistory.findings(rule, git, found.key)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


Runner = Callable[[Rule, Git, "Found"], Iterator[Finding]]
_RUNNERS: dict[type[Rule], Runner] = {
    rules.TrackedEnvFile: _tracked,
    rules.EnvFileNotIgnored: _loose,
    rules.GitignoreMissesEnv: _gitignore,
    rules.KeysFileCommittable: _keys_files,
    rules.SecretInHistory: _history,
}
