"""What every format renders: a Report, turned into a string by one pure method."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from envguard.findings import Finding, Severity
from envguard.rules.base import Rule


@dataclass(frozen=True)
class Report:
    """The findings of one run, with what the richer formats need to describe them."""

    findings: tuple[Finding, ...]
    sources: tuple[str, ...] = ()
    rules: tuple[type[Rule], ...] = ()
    suppressed: int = 0

    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity present."""
        counter = Counter(f.severity for f in self.findings)
        return {s.value: counter.get(s, 0) for s in Severity}

    def summary(self) -> dict[str, int]:
        """The JSON summary: counts per severity, total, sources checked, suppressed."""
        return {
            **self.counts(),
            "total": len(self.findings),
            "files": len(self.sources),
            "suppressed": self.suppressed,
        }


class Format(Protocol):
    """A report format: one pure ``render``."""

    name: str

    def render(self, report: Report, *, color: bool = False) -> str:
        """The report as text, ending with a newline when not empty."""
        ...
