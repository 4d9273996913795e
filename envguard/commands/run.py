"""``envguard run -f FILE -- CMD ARGS...``: run a command with a file's variables, decrypted.

Precedence follows dotenvx: variables already in the environment win, and among files the first
one to define a key wins; ``overload`` reverses both. Values only ever reach the child's
environment. Signals sent to envguard are passed on to the child, and the child's exit status is
returned (128 + N when a signal N ended it, as shells report it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from envguard import envfile, keys
from envguard.errors import InputError, UsageError

DEFAULT_FILE = Path(".env")
_FORWARDED = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
    if hasattr(signal, name)
)


def run(
    files: Sequence[Path],
    command: Sequence[str],
    overload: bool = False,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run ``command`` with the variables of ``files`` added; return its exit code."""
    if not command:
        raise UsageError("run needs a command", hint="envguard run -f .env.production -- CMD ARGS")
    environ = dict(os.environ if environ is None else environ)
    values = merged(files, environ, overload)
    child_env = {**environ, **values} if overload else {**values, **environ}
    try:
        process = subprocess.Popen(list(command), env=child_env)
    except FileNotFoundError:
        raise InputError(f"{command[0]}: command not found") from None
    except PermissionError:
        raise InputError(f"{command[0]}: permission denied", hint="is it executable?") from None
    with _forwarding(process):
        code = process.wait()
    return 128 - code if code < 0 else code


def merged(files: Sequence[Path], environ: Mapping[str, str], overload: bool) -> dict[str, str]:
    """The decrypted variables of ``files``: the first definition wins, the last with overload."""
    paths = list(files) or ([DEFAULT_FILE] if DEFAULT_FILE.is_file() else [])
    out: dict[str, str] = {}
    for path in paths:
        file = envfile.read(path)
        for key, value in keys.Opener.for_file(file, environ).values().items():
            if overload or key not in out:
                out[key] = value
    return out


@contextmanager
def _forwarding(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Pass the usual signals on to ``process`` while it runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def forward(signum: int, _frame: FrameType | None) -> None:
        if process.poll() is None:
            process.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
