"""``envguard.gitrepo``: git run as a subprocess, in the foreground or beside the run
(``Git.start``: ``check --git`` lists history while it lints the working tree)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from gitrepos import VENV_BIN, commit, envguard, init, write

from envguard import lint
from envguard.errors import InputError
from envguard.gitrepo import Git, Started


def _children() -> set[int]:
    """The processes this one started that have not been reaped (a test worker may hold servers
    of its own: compare before and after)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        pids.update(int(p) for p in (task / "children").read_text().split())
    return pids


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    init(tmp_path)
    commit(tmp_path, {".gitignore": ".env\n.env.*\n"})
    return tmp_path


def test_a_failing_command_is_one_line_naming_it(repo: Path) -> None:
    git = Git(repo)
    with pytest.raises(InputError, match=r"^--git: git log failed: fatal: unrecognized argument: --bogus$"):
        git("log", "--bogus")
    started = git.start("log", "--bogus")
    with pytest.raises(InputError, match=r"^--git: git log failed: fatal: unrecognized argument: --bogus$"):
        started.output()


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc")
def test_a_started_command_gives_its_whole_output(repo: Path) -> None:
    # more than a pipe holds: the output waits in a file, not in git
    size = 1 << 20
    before = _children()
    started = Started([sys.executable, "-c", f"import sys; sys.stdout.write('x' * {size})"], "writer")
    assert started.output() == b"x" * size
    assert _children() <= before


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc")
def test_close_stops_a_command_still_running() -> None:
    before = _children()
    started = Started([sys.executable, "-c", "import time; time.sleep(60)"], "sleeper")
    begun = time.monotonic()
    started.close()
    assert time.monotonic() - begun < 10 and _children() <= before
    with pytest.raises(InputError, match=r"^--git: sleeper was stopped$"):
        started.output()
    started.close()  # twice is harmless


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads children from /proc")
def test_check_git_leaves_no_git_running_when_the_tree_fails(repo: Path) -> None:
    # the listings are started before the tree is linted; a mistake in the paths stops them
    before = _children()
    with pytest.raises(InputError, match="no such file or folder"):
        lint.lint(lint.Request(paths=(repo / "missing.env",), git=True), cwd=repo)
    assert _children() <= before


def test_check_git_asks_git_few_times(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    # a git on PATH that writes down each command it runs, then runs the real one
    folder = tmp_path_factory.mktemp("bin")
    calls, real = folder / "calls", shutil.which("git")
    (folder / "git").write_text(f'#!/bin/sh\nprintf "%s\\n" "$3" >> "{calls}"\nexec "{real}" "$@"\n')
    (folder / "git").chmod(0o755)
    commit(repo, {"app/.env.production": "DB_PASSWORD=Zq8vR2mK9xLp4TnW7yBc3HdF6jGs5QaE\n"}, force=True)
    write(repo, {"app/.env.local": "APP_DEBUG=true\n"})
    done = envguard(
        repo, "check", ".", "--git", PATH=f"{folder}{os.pathsep}{VENV_BIN}{os.pathsep}{os.environ['PATH']}"
    )
    assert done.returncode == 1, done.stderr
    assert "EG330" in done.stdout and "EG334" in done.stdout
    # the top and the object format in one rev-parse; the index, the untracked files, history,
    # the shallow flag and the names .gitignore must cover each in one command; the working tree's
    # files need no cat-file (their blobs are the committed ones)
    assert Counter(calls.read_text().split()) == {"rev-parse": 2, "ls-files": 2, "log": 1, "check-ignore": 1}


def test_no_temporary_folder_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # tempfile's own failure when no candidate folder is writable (a read-only container)
    def unusable() -> None:
        raise FileNotFoundError(2, "No usable temporary directory found in ['/tmp']")

    monkeypatch.setattr(tempfile, "TemporaryFile", unusable)
    with pytest.raises(InputError, match=r"^--git: no temporary file for git's output \(No usable") as caught:
        Started([sys.executable, "-c", "pass"], "git log")
    assert caught.value.hint == "point TMPDIR at a writable folder"
