"""``envguard hooks install``: put the plain git pre-commit hook (``hooks/pre-commit``) in place.

The hook goes where git runs hooks from: ``core.hooksPath`` when set, else ``.git/hooks`` (git
itself answers, through ``git rev-parse --git-path hooks``, which also knows worktrees). Installing
twice is harmless; an older envguard hook is updated; any other hook is left alone unless
``--force``, and then kept beside it as ``pre-commit.backup``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from envguard import envfile
from envguard.errors import EXIT_OK, InputError, UsageError

#: the first lines of envguard's hook carry this; a hook without it belongs to someone else
MARKER = "# envguard-hook"
HOOK = "pre-commit"
BACKUP = "pre-commit.backup"


def script_path() -> Path:
    """The hook script: inside the wheel (``envguard/hooks/``), else the source checkout's hooks/."""
    packaged = Path(__file__).resolve().parent.parent / "hooks" / HOOK
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "hooks" / HOOK


def script() -> str:
    """The hook's text; InputError when the installation lacks it."""
    path = script_path()
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise InputError(
            f"the hook script is missing from this installation ({path})", hint="reinstall envguard"
        ) from None


def hooks_dir(start: Path | None = None) -> Path:
    """Where git runs hooks from for the repository around ``start`` (core.hooksPath respected)."""
    where = (start or Path.cwd()).resolve()
    git = shutil.which("git")
    if git is None:
        raise InputError("envguard hooks needs the git command on PATH")
    try:
        done = subprocess.run(
            [git, "-C", str(where), "rev-parse", "--git-path", "hooks"], capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"git failed to run ({type(exc).__name__})") from None
    if done.returncode != 0:
        raise InputError("not inside a git repository", hint="run it in the repository to protect")
    return where / done.stdout.decode("utf-8", "surrogateescape").strip()


def install(force: bool = False, start: Path | None = None) -> int:
    """Install the hook; say what was done on stderr. UsageError for a foreign hook without force."""
    folder = hooks_dir(start)
    target = folder / HOOK
    wanted = script()
    current = _read(target)
    if current == wanted:
        target.chmod(0o755)
        _say(f"the envguard pre-commit hook is already installed in {target}")
        return EXIT_OK
    if current is not None and MARKER not in current:
        if not force:
            raise UsageError(
                f"{target} already exists and is not envguard's hook",
                hint="envguard hooks install --force replaces it (keeping it as "
                f"{BACKUP}), or call the envguard hook from it",
            )
        shutil.copy2(target, folder / BACKUP)
        _say(f"kept the previous hook as {folder / BACKUP}")
    folder.mkdir(parents=True, exist_ok=True)
    envfile.atomic_write(target, wanted, mode=0o755)
    verb = "updated" if current is not None and MARKER in current else "installed"
    _say(f"{verb} the envguard pre-commit hook in {target}")
    return EXIT_OK


def _read(path: Path) -> str | None:
    """A hook's text, None when there is none (a dangling link counts as foreign, empty text)."""
    if path.is_symlink() and not path.exists():
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _say(message: str) -> None:
    print(f"envguard: {message}", file=sys.stderr)
