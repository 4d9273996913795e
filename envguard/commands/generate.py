"""``envguard generate KIND``: print one strong random value; printing it is this command's job."""

from __future__ import annotations

from envguard import generate as generators
from envguard.errors import EXIT_OK


def generate(kind: str) -> int:
    """Print a fresh value of ``kind`` (``hex:32``, ``password``, ``laravel-key``...) on stdout."""
    print(generators.strong(kind))
    return EXIT_OK
