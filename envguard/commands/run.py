"""``envguard run -f FILE -- CMD ARGS...``: run a command with a file's variables, decrypted.

Precedence follows dotenvx: variables already in the environment win, and among files the first
one to define a key wins; ``overload`` reverses both. Values only ever reach the child's
environment. The child's exit status is returned (128 + N when a signal N ended it, as shells
report it).

Signals sent to envguard are passed on to the child, once: a Ctrl-C at the terminal already reaches
every process of the foreground group, the child included, so a signal the kernel sent to the
whole group (``SI_KERNEL``: the terminal's INT, QUIT, HUP) is not sent again to a child that
shares envguard's group; a ``kill`` of envguard alone, or a child in a group of its own, gets it
from envguard. On Linux envguard learns who sent a signal from ``sigtimedwait``; elsewhere it
assumes that INT and QUIT come from the terminal when envguard runs in the foreground.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
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
    code = _run(list(command), child_env)
    return 128 - code if code < 0 else code


def _start(command: list[str], env: Mapping[str, str], **options: object) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(command, env=env, **options)  # type: ignore[call-overload, no-any-return]
    except FileNotFoundError:
        raise InputError(f"{command[0]}: command not found") from None
    except PermissionError:
        raise InputError(f"{command[0]}: permission denied", hint="is it executable?") from None


def _run(command: list[str], env: Mapping[str, str]) -> int:
    """Start the child and wait for it, passing signals on; its return code."""
    if threading.current_thread() is not threading.main_thread():
        return _start(command, env).wait()
    if sys.platform.startswith("linux"):
        return _run_with_siginfo(command, env)
    process = _start(command, env)
    with _forwarding(process):
        return process.wait()


_SI_KERNEL = 0x80  # Linux: sent by the kernel (a terminal's signals to its foreground group)


def _run_with_siginfo(command: list[str], env: Mapping[str, str]) -> int:
    """The signals stay blocked and are taken one by one with their sender (``sigtimedwait``), so
    that one the terminal already gave the child is not given again."""
    waited = {*_FORWARDED, signal.SIGCHLD}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, waited)
    try:
        # the child starts with the mask envguard had, not with its signals blocked
        process = _start(command, env, preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, before))
        while (code := process.poll()) is None:
            info = signal.sigtimedwait(waited, 1.0)
            if info is None or info.si_signo == signal.SIGCHLD:
                continue
            if info.si_code == _SI_KERNEL and _same_group(process):
                continue  # the terminal's signal reached the child with envguard's group
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(info.si_signo)
        while signal.sigtimedwait(waited, 0) is not None:
            pass  # what arrived as the child ended was meant for it, not for envguard
        return code
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _same_group(process: subprocess.Popen[bytes]) -> bool:
    try:
        return os.getpgid(process.pid) == os.getpgrp()
    except OSError:
        return False


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
    """Pass the usual signals on to ``process`` while it runs, where no sender can be known: INT and
    QUIT in the terminal's foreground group are taken to have reached a child of that group."""

    def forward(signum: int, _frame: FrameType | None) -> None:
        keyboard = signum in (getattr(signal, "SIGINT", -1), getattr(signal, "SIGQUIT", -1))
        if keyboard and _foreground() and _same_group(process):
            return
        if process.poll() is None:
            process.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _foreground() -> bool:
    """Whether envguard's process group is its terminal's foreground group."""
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, AttributeError, ValueError):
        return False
