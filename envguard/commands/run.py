"""``envguard run [--from URI] [-f FILE] -- CMD ARGS...``: run a command with variables injected.

Variables come from targets (``--from``, read in memory, never written to disk) and from files
(decrypted). Sources load in order and a later one wins: the targets in the order given, then
the files. Among files dotenvx's rule holds: the first one to define a key wins (the last with
``overload``); and variables already in the environment win over everything unless
``overload``. Without ``--from`` or ``-f``, ``.env`` is loaded when present.

Values only ever reach the child's environment (and, with ``redact``, its output is masked:
``envguard.redact``). The child's exit status is returned (128 + N when a signal N ended it, as
shells report it); a command that cannot be found exits 127 and one that cannot be executed 126,
as shells do.

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
from envguard.errors import UsageError

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
    *,
    sources: Sequence[str] = (),
    redact: bool = False,
) -> int:
    """Run ``command`` with the variables of ``sources`` (targets) and ``files`` added.

    Returns the child's exit code, or 127/126 when it cannot be found or executed.
    """
    if not command:
        raise UsageError("run needs a command", hint="envguard run -f .env.production -- CMD ARGS")
    environ = dict(os.environ if environ is None else environ)
    values = {
        **from_targets(sources, environ),
        **(merged(files, environ, overload) if files or not sources else {}),
    }
    child_env = {**environ, **values} if overload else {**values, **environ}
    hidden = _secrets(values) if redact else None  # judged before the child starts: no delay after
    try:
        code = _run(list(command), child_env, hidden)
    except _NotStarted as failed:
        return _not_started(command[0], failed.error)
    return 128 - code if code < 0 else code


#: how long the output of a child that has ended is still copied: a grandchild may hold the pipe
PUMP_GRACE = 5.0


class _NotStarted(Exception):
    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Child:
    """The started command and, when its output is masked, the threads that copy it."""

    def __init__(
        self, command: list[str], env: Mapping[str, str], hidden: list[str] | None, **options: object
    ) -> None:
        pipe = subprocess.PIPE if hidden is not None else None
        try:
            self.process: subprocess.Popen[bytes] = subprocess.Popen(  # type: ignore[call-overload]
                command, env=dict(env), stdout=pipe, stderr=pipe, **options
            )
        except OSError as exc:
            raise _NotStarted(exc) from None
        self.pumps = _pumps(self.process, hidden) if hidden is not None else []

    def ended(self, code: int) -> int:
        for thread in self.pumps:
            thread.join(PUMP_GRACE)
        return code


def _not_started(name: str, exc: OSError) -> int:
    """One line and the shell's exit code: 127 not found, 126 found but not executable."""
    from envguard.errors import fail

    if isinstance(exc, FileNotFoundError):
        return fail(f"{name}: command not found", None, 127)
    reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or "cannot execute")
    return fail(f"{name}: {reason.lower()}", "is it an executable file?", 126)


def _secrets(values: Mapping[str, str]) -> list[str]:
    from envguard import redact

    return redact.secret_values(values)


def _pumps(process: subprocess.Popen[bytes], secrets: list[str]) -> list[threading.Thread]:
    """Copy the child's stdout and stderr to ours, ``secrets`` masked, as they come."""
    from envguard import redact

    assert process.stdout is not None and process.stderr is not None
    return [
        redact.pump(process.stdout, redact.writer(sys.stdout), secrets),
        redact.pump(process.stderr, redact.writer(sys.stderr), secrets),
    ]


def from_targets(refs: Sequence[str], environ: Mapping[str, str]) -> dict[str, str]:
    """The variables of each target in ``refs``, later ones winning; what one cannot show is said."""
    from envguard import targets

    values: dict[str, str] = {}
    for ref in refs:
        remote = targets.readable(targets.open_target(ref, environ))
        for key in remote.unreadable:
            print(f"envguard: warning: {key}: {remote.why}; not injected", file=sys.stderr)
        values.update(remote.values)
    return values


def _run(command: list[str], env: Mapping[str, str], hidden: list[str] | None) -> int:
    """Start the child and wait for it, passing signals on; its return code."""
    if threading.current_thread() is not threading.main_thread():
        child = _Child(command, env, hidden)
        return child.ended(child.process.wait())
    if sys.platform.startswith("linux"):
        return _run_with_siginfo(command, env, hidden)
    child = _Child(command, env, hidden)
    with _forwarding(child.process):
        return child.ended(child.process.wait())


_SI_KERNEL = 0x80  # Linux: sent by the kernel (a terminal's signals to its foreground group)


def _run_with_siginfo(command: list[str], env: Mapping[str, str], hidden: list[str] | None) -> int:
    """The signals stay blocked and are taken one by one with their sender (``sigtimedwait``), so
    that one the terminal already gave the child is not given again."""
    waited = {*_FORWARDED, signal.SIGCHLD}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, waited)
    try:
        # the child starts with the mask envguard had, not with its signals blocked
        child = _Child(
            command, env, hidden, preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, before)
        )
        process = child.process
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
        return child.ended(code)
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
