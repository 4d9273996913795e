"""The report formats, by name; the CLI's ``--format`` choices come from this registry."""

from __future__ import annotations

from envguard.errors import UsageError
from envguard.formats.base import Format, Report
from envguard.formats.github import GithubFormat
from envguard.formats.json import JsonFormat
from envguard.formats.sarif import SarifFormat
from envguard.formats.text import TextFormat

FORMATS: dict[str, Format] = {
    "text": TextFormat(),
    "json": JsonFormat(),
    "sarif": SarifFormat(),
    "github": GithubFormat(),
}


def get(name: str) -> Format:
    """A format by name; UsageError listing the choices otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}", hint=f"choose one of {', '.join(FORMATS)}") from None


__all__ = ["FORMATS", "Format", "Report", "get"]
