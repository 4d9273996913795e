"""Errors that end a command, and the exit codes they map to.

Every failure a user can cause is an EnvguardError carrying one line of message and an optional hint.
The CLI boundary prints ``envguard: error: <message>`` (and ``hint: <hint>``) and exits with the
error's code; nothing below the boundary prints tracebacks or values.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_TARGET = 3


class EnvguardError(Exception):
    """Base error: a one-line message, an optional hint, and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(EnvguardError):
    """A bad flag, an unknown format, schema or rule: exit 2."""


class InputError(EnvguardError):
    """A missing, unreadable, binary or undecodable input file: exit 2."""


class OutputError(InputError):
    """A file or stream that cannot be written: a missing or read-only folder, a full disk, a
    closed stdout: exit 2 (the caller's environment, not a bug)."""


class SchemaError(EnvguardError):
    """A schema that cannot be found or is malformed: exit 2."""


class ConfigFileError(EnvguardError):
    """A malformed ``[tool.envguard]`` or ``envguard.toml``: exit 2."""


class CryptoError(EnvguardError):
    """A missing or wrong private key, or corrupted ciphertext: exit 2."""


class TargetError(EnvguardError):
    """A sync target failed: authentication, network, unknown path, conflict: exit 3.

    The subclasses name the kind of failure, the same kind for every target, so that one table in
    the README says what each exit code means whatever the platform.
    """

    exit_code = EXIT_TARGET


class CredentialsError(UsageError):
    """A target's credentials are missing or malformed in the caller's environment: exit 2.

    Like a missing file, this is the caller's input, fixable before anything is contacted.
    """


class AuthError(TargetError):
    """The server refused the credentials (401/403, "Not Authorized", permission denied): exit 3."""


class NotFoundError(TargetError):
    """No such project, service, mount or secret on the server: exit 3."""


class ConflictError(TargetError):
    """Someone else changed the target while envguard wrote it: exit 3."""


class NetworkError(TargetError):
    """The server could not be reached, timed out, or answered with something unreadable: exit 3."""


class ConfigError(Exception):
    """Raised by ``envguard.guard()`` when the running configuration is unsafe.

    ``findings`` holds the findings; the message lists keys and problems, never values.
    """

    def __init__(self, findings: list[object], message: str) -> None:
        super().__init__(message)
        self.findings = findings


EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
#: where an internal error (exit 70) is reported
REPORT_URL = "https://github.com/envguard/envguard/issues"


def write_failure(exc: OSError, what: str) -> OutputError:
    """One line for an OS failure while writing ``what`` (a path, or ``stdout``)."""
    import errno

    reason = exc.strerror or str(exc)
    hint = None
    if exc.errno == errno.ENOENT:
        reason, hint = "its folder does not exist", "create the folder first"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "check the folder's owner and mode"
    elif exc.errno == errno.EBADF:
        reason = "it is closed"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space"
    return OutputError(f"{what}: cannot write ({reason})", hint=hint)


class _ClosedStream:
    """Stands in for a stdout or stderr that was closed before envguard started."""

    def write(self, text: str) -> int:
        import errno

        raise OSError(errno.EBADF, "it is closed")

    def flush(self) -> None:
        """Nothing was written: nothing to flush."""

    def isatty(self) -> bool:
        """A closed stream is no terminal."""
        return False

    def fileno(self) -> int:
        import errno

        raise OSError(errno.EBADF, "it is closed")


def fail(message: str, hint: str | None, code: int) -> int:
    """Print the one line a failure gets (what, where, and a hint if any); return ``code``.

    Control characters (from a file name, a key) are escaped: the line stays one line, and a
    terminal shows them instead of acting on them.
    """
    from envguard.escaping import escape

    line = f"envguard: error: {message}" + (f" (hint: {hint})" if hint else "")
    print(escape(line), file=sys.stderr)
    return code


def guarded(action: Callable[[], int | None]) -> int:
    """Run a command and turn every failure into one line on stderr and an exit code.

    This is the one boundary of the program (the CLI and the fast ``check`` path both use it):
    nothing below it prints a traceback, which could hold values. ENVGUARD_DEBUG=1 lets an
    internal error's traceback through.
    """
    if sys.stdout is None:
        sys.stdout = _ClosedStream()
    if sys.stderr is None:
        sys.stderr = _ClosedStream()
    try:
        code = action()
        sys.stdout.flush()  # a full disk shows now, inside the boundary, not at interpreter exit
    except EnvguardError as exc:
        return fail(exc.message, exc.hint, exc.exit_code)
    except KeyboardInterrupt:
        return fail("aborted", None, EXIT_INTERRUPTED)
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_OK
    except OSError as exc:
        # only writes to stdout get here (files raise OutputError or InputError where they fail)
        _drop_stdout()
        error = write_failure(exc, str(exc.filename) if exc.filename else "stdout")
        return fail(error.message, error.hint, error.exit_code)
    except Exception as exc:
        if os.environ.get("ENVGUARD_DEBUG"):
            raise
        return fail(
            f"internal error ({type(exc).__name__}): a bug in envguard",
            f"please report it at {REPORT_URL} with the command and `envguard --version`;"
            " ENVGUARD_DEBUG=1 shows the traceback",
            EXIT_INTERNAL,
        )
    return code if isinstance(code, int) else EXIT_OK


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit, by design
