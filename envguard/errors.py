"""Errors that end a command, and the exit codes they map to.

Every failure a user can cause is an EnvguardError carrying one line of message and an optional hint.
The CLI boundary prints ``envguard: error: <message>`` (and ``hint: <hint>``) and exits with the
error's code; nothing below the boundary prints tracebacks or values.
"""

from __future__ import annotations

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
    """A sync target failed: authentication, network, unknown path, conflict: exit 3."""

    exit_code = EXIT_TARGET


class ConfigError(Exception):
    """Raised by ``envguard.guard()`` when the running configuration is unsafe.

    ``findings`` holds the findings; the message lists keys and problems, never values.
    """

    def __init__(self, findings: list[object], message: str) -> None:
        super().__init__(message)
        self.findings = findings
