"""One repository's git, run as a subprocess (no library): the commands ``check --git`` needs."""

from __future__ import annotations

import shutil
import subprocess
from functools import cached_property
from pathlib import Path

from envguard.errors import InputError


class Git:
    """One repository's git, run with ``-C TOP``; every failure becomes an InputError."""

    def __init__(self, start: Path) -> None:
        exe = shutil.which("git")
        if exe is None:
            raise InputError("--git needs the git command on PATH")
        self.exe = exe
        done = self._run(["-C", str(start), "rev-parse", "--show-toplevel"], check=False)
        if done.returncode != 0:
            raise InputError(
                "--git: not inside a git repository", hint="run it inside a clone, or drop --git"
            )
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

    @cached_property
    def object_format(self) -> str | None:
        """How the repository names objects: ``sha1`` or ``sha256`` (None when git does not say)."""
        said = self._run(["-C", str(self.top), "rev-parse", "--show-object-format"], check=False)
        name = said.stdout.decode("ascii", "replace").strip()
        return name if said.returncode == 0 and name in ("sha1", "sha256") else None

    def __call__(self, *args: str, data: bytes | None = None) -> bytes:
        """``git -C TOP ARGS``'s standard output."""
        return self._run(["-C", str(self.top), *args], data).stdout

    def paths(self, *args: str) -> list[str]:
        """A NUL-separated path list (``ls-files -z`` and the like)."""
        return [p for p in self(*args).decode("utf-8", "surrogateescape").split("\0") if p]

    def ignored(self, path: str) -> bool:
        """Whether the ignore rules cover ``path`` (which need not exist)."""
        return (
            self._run(
                ["-C", str(self.top), "check-ignore", "-q", "--no-index", "--", path], check=False
            ).returncode
            == 0
        )

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
