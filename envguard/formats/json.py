"""``--format json``: ``{"version": 1, "findings": [...], "summary": {...}}``, stable names."""

from __future__ import annotations

from envguard.formats.base import Report

VERSION = 1


class JsonFormat:
    """Machine-readable findings; the field names are a contract (DESIGN.md)."""

    name = "json"

    def render(self, report: Report, *, color: bool = False) -> str:
        document = {
            "version": VERSION,
            "findings": [f.to_dict() for f in report.findings],
            "summary": report.summary(),
        }
        import json  # here: a text report never needs it

        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
