"""One repository's git, run as a subprocess (no library): the commands ``check --git`` needs."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from envguard.errors import InputError

#: seconds a git command may take before it is stopped and the run fails
TIMEOUT = 300


class Git:
    """One repository's git, run with ``-C TOP``; every failure becomes an InputError."""

    def __init__(self, start: Path) -> None:
        exe = shutil.which("git")
        if exe is None:
            raise InputError("--git needs the git command on PATH")
        self.exe = exe
        # one rev-parse for both: a git before 2.25 echoes the option it does not know
        done = self._run(start, ["rev-parse", "--show-toplevel", "--show-object-format"], check=False)
        if done.returncode != 0:
            raise InputError(
                "--git: not inside a git repository", hint="run it inside a clone, or drop --git"
            )
        top, _, said = done.stdout.decode("utf-8", "surrogateescape").partition("\n")
        self.top = Path(top)
        name = said.strip()
        #: how the repository names objects: ``sha1`` or ``sha256`` (None when git does not say)
        self.object_format = name if name in ("sha1", "sha256") else None

    def _run(
        self, where: Path, args: list[str], data: bytes | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """``git -C WHERE ARGS``, run to its end."""
        try:
            done = subprocess.run(
                [self.exe, "-C", str(where), *args], input=data, capture_output=True, timeout=TIMEOUT
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise _not_run(exc) from None
        if check and done.returncode != 0:
            raise _failed(f"git {args[0]}", done.stderr)
        return done

    def __call__(self, *args: str, data: bytes | None = None) -> bytes:
        """``git -C TOP ARGS``'s standard output."""
        return self._run(self.top, list(args), data).stdout

    def start(self, *args: str) -> Started:
        """``git -C TOP ARGS`` started now, its output read when asked for (``Started.output``)."""
        return Started([self.exe, "-C", str(self.top), *args], f"git {args[0]}")

    def blobs(self, specs: list[str]) -> list[bytes | None]:
        """The contents of ``REV:PATH`` specs, None for a missing one (``cat-file --batch``)."""
        if not specs:
            return []
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


class Started:
    """A git command running beside this process: ``check --git`` starts the listings of history
    and of the index before it lints the working tree, so git works while the tree is judged.
    The output goes to an unnamed temporary file (a full pipe would stop git until read);
    ``output`` waits for it, ``close`` stops a command whose output is no longer wanted."""

    def __init__(self, argv: list[str], name: str) -> None:
        #: how errors name the command (``git log``)
        self.name = name
        self._files: list[IO[bytes]] = []
        self._process: subprocess.Popen[bytes] | None = None
        try:
            # held open until ``close``: unnamed, so nothing is left behind on disk in any case
            self._files = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]  # noqa: SIM115
        except OSError as exc:
            raise InputError(
                f"--git: no temporary file for git's output ({exc.strerror or type(exc).__name__})",
                hint="point TMPDIR at a writable folder",
            ) from None
        out, err = self._files
        try:
            self._process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as exc:
            self.close()
            raise _not_run(exc) from None

    def output(self, check: bool = True) -> bytes:
        """The command's standard output, once it has ended; InputError when it failed (with
        ``check``: when it ended with a status other than 0)."""
        process = self._process
        if process is None:
            raise InputError(f"--git: {self.name} was stopped")
        try:
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            self.close()
            raise _not_run(exc) from None
        for file in self._files:
            file.seek(0)
        out, err = (file.read() for file in self._files)
        self.close()
        if check and code != 0:
            raise _failed(self.name, err)
        return out

    def close(self) -> None:
        """Stop the command if it still runs, and let go of its files."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        for file in self._files:
            file.close()


def split_paths(out: bytes) -> list[str]:
    """The paths of a NUL-separated list (``ls-files -z``)."""
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _not_run(exc: Exception) -> InputError:
    return InputError(f"--git: git failed to run ({type(exc).__name__})")


def _failed(name: str, stderr: bytes) -> InputError:
    said = stderr.decode("utf-8", "replace").strip().splitlines()
    return InputError(f"--git: {name} failed" + (f": {said[0]}" if said else ""))
