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
    try:
        code = action()
    except EnvguardError as exc:
        return fail(exc.message, exc.hint, exc.exit_code)
    except KeyboardInterrupt:
        return fail("aborted", None, EXIT_INTERRUPTED)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("ENVGUARD_DEBUG"):
            raise
        return fail(f"internal error ({type(exc).__name__})",
                    "please report it; ENVGUARD_DEBUG=1 shows the traceback", EXIT_INTERNAL)
    return code if isinstance(code, int) else EXIT_OK
