"""``--format text``: one ruff-like line per finding, ``file:line:col: CODE severity: message``.

File names, keys and messages are escaped (``envguard.escaping``): they come from files someone
else wrote, and a control character in them must not rewrite what the terminal shows.
"""

from __future__ import annotations

from envguard.escaping import escape
from envguard.findings import Finding, Severity
from envguard.formats.base import Report

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def location(finding: Finding) -> str:
    """``file:line:col`` with whatever parts the finding has."""
    parts = [escape(finding.file)]
    if finding.line is not None:
        parts.append(str(finding.line))
        if finding.column is not None:
            parts.append(str(finding.column))
    return ":".join(parts)


class TextFormat:
    """Human-readable lines for terminals and logs; colour only when asked for."""

    name = "text"

    def render(self, report: Report, *, color: bool = False) -> str:
        lines = []
        for f in report.findings:
            where = _paint(location(f), "1", color)
            code = _paint(f"{f.code} {f.severity.value}", _COLORS[f.severity], color)
            lines.append(f"{where}: {code}: {escape(f.message)} [{f.name}]")
            if f.hint:
                lines.append(f"  {_paint('hint', '2', color)}: {escape(f.hint)}")
        return "\n".join(lines) + "\n" if lines else ""
