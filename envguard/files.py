"""Reading and replacing the files envguard is given, safely.

Reading: only regular files, opened without blocking (a FIFO, a terminal or ``/dev/stdin`` never
makes envguard wait) and never more than ``MAX_FILE_BYTES`` (a link to ``/dev/zero`` cannot run a
check out of memory). Replacing: a temporary file beside the target, then one rename, so nothing is
ever half-written; the replaced file's mode, owner and group are kept (root fixing an app user's
0600 file leaves it the app user's), and a symbolic link is written through to the regular file it
points at, never replaced by a copy. A character device (``-o /dev/null``) is written to, never
replaced; folders, pipes and sockets are refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from envguard.errors import InputError, write_failure

#: the largest file envguard reads (env files, deploy files, baselines, configuration): far above
#: any real one (100,000 variables are about 5 MB), far below what would exhaust memory
MAX_FILE_BYTES = 16 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes; every other kind of path, and every OS failure, is one InputError."""
    fd = _open(path)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{path}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{path}: not a regular file ({_kind(info.st_mode)})",
                hint="envguard reads files, not devices, pipes or sockets",
            )
        if info.st_size > limit:
            raise InputError(f"{path}: too large ({info.st_size:,} bytes; envguard reads up to {limit:,})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # a file growing while it is read stops at the cap too
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if size > limit:
        raise InputError(f"{path}: too large (more than {limit:,} bytes)")
    return b"".join(chunks)


def _open(path: Path) -> int:
    try:
        return os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied", hint="check the file's mode") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def target_of(path: Path) -> Path:
    """The file a write to ``path`` changes: ``path`` itself, or the regular file a link names.

    InputError when the link points at something that is not a regular file (a folder, a device)
    or at a file the user may not write. A link to a file that does not exist yet is written
    through too, as ``echo >`` would.
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    real = Path(os.path.realpath(path))
    if real.exists():
        if not (real.is_file() or real.is_char_device()):
            raise InputError(f"{path}: links to {real}, which is not a regular file")
        if not os.access(real, os.W_OK):
            raise InputError(
                f"{path}: links to {real}, which you may not write", hint="check the target's owner and mode"
            )
    elif not real.parent.is_dir():
        raise InputError(f"{path}: links to {real}, whose folder does not exist")
    return real


def atomic_write(path: Path, data: str | bytes, mode: int | None = None) -> Path:
    """Replace ``path`` (or the file its link points at) with ``data``; return the file changed.

    With ``mode`` the file gets that mode; without, an existing file keeps its mode and a new one
    gets 0600 (env files hold secrets). An existing file also keeps its owner and group where the
    process may set them (root may; an ordinary user keeps their own files' anyway). A temporary
    file and a rename: nothing is left half-written if the process dies midway.
    """
    try:
        return _atomic_write(Path(path), data, mode)
    except OSError as exc:
        raise write_failure(exc, str(path)) from None


def _atomic_write(path: Path, data: str | bytes, mode: int | None) -> Path:
    import tempfile  # only writers need it: a plain `check` never loads it

    target = target_of(path)
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        return _write_special(target, info, data)
    current = mode if mode is not None else (stat.S_IMODE(info.st_mode) if info else 0o600)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            if info is not None:
                _keep_owner(handle.fileno(), info)
        os.chmod(tmp, current)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


def _write_special(target: Path, info: os.stat_result, data: str | bytes) -> Path:
    """Write to a character device (``/dev/null``, a terminal) as a shell redirection would: it
    cannot be replaced, and must never be (a rename over ``/dev/null`` as root breaks the machine).
    Folders, pipes, sockets and block devices are refused: a write could wait forever or destroy."""
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{target}: is a directory")
    if not stat.S_ISCHR(info.st_mode):
        raise InputError(
            f"{target}: not a regular file ({_kind(info.st_mode)})",
            hint="envguard writes files and character devices, not pipes or sockets",
        )
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target


def _keep_owner(fd: int, info: os.stat_result) -> None:
    """Give the new file the replaced one's owner and group, as far as this process may."""
    if not hasattr(os, "fchown"):
        return
    if (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        # not root: the owner cannot change, but a group the user belongs to can be kept
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, info.st_gid)


def shown(path: Path, written: Path) -> str:
    """How messages name a write: the path given, and the link's target when they differ."""
    return str(path) if Path(path) == written else f"{path} (the file it links to, {written})"
