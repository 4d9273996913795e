"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every result is located (an artifact and a region: the finding's line, else line 1) and every ruleId
is described in ``tool.driver.rules``, with the rule's documentation as help text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from envguard import __version__
from envguard.findings import Finding, Severity
from envguard.formats.base import Report
from envguard.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
INFO_URI = "https://github.com/envguard/envguard"


def _rule(rule: type[Rule]) -> dict[str, Any]:
    level = rule.level(next(iter(rule.levels))) or Severity.WARNING
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": rule.summary()},
        "help": {"text": rule.doc(), "markdown": rule.doc()},
        "defaultConfiguration": {"level": _LEVELS[level]},
        "properties": {"category": str(rule.category), "tags": ["security", str(rule.category)]},
    }


def _uri(source: str) -> str:
    return source if "://" in source else quote(source, safe="/:@")


def _result(finding: Finding, index: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding.file)}}
    # a finding about a whole file (EG330-EG333, EG901, EG920) is placed on its first line, as
    # GitHub's code scanning wants a region for every result
    region: dict[str, int] = {"startLine": finding.line if finding.line is not None else 1}
    if finding.line is not None and finding.column is not None:
        region["startColumn"] = finding.column
    physical["region"] = region
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message + (f" (hint: {finding.hint})" if finding.hint else "")},
        "locations": [{"physicalLocation": physical}],
        "properties": {"category": str(finding.category), "key": finding.key},
    }
    if finding.fingerprint:
        stable = f"{finding.file}:{finding.key}:{finding.code}:{finding.fingerprint}"
        result["partialFingerprints"] = {"envguardFinding/v1": stable}
    return result


class SarifFormat:
    """One SARIF run describing the rules that ran and their results."""

    name = "sarif"

    def render(self, report: Report, *, color: bool = False) -> str:
        rules = {r.code: r for r in report.rules}
        for finding in report.findings:
            if finding.code not in rules:
                from envguard.rules import get

                rules[finding.code] = get(finding.code)
        ordered = sorted(rules.values(), key=lambda r: r.code)
        index = {r.code: i for i, r in enumerate(ordered)}
        run = {
            "tool": {
                "driver": {
                    "name": "envguard",
                    "version": __version__,
                    "informationUri": INFO_URI,
                    "rules": [_rule(r) for r in ordered],
                }
            },
            "results": [_result(f, index[f.code]) for f in report.findings],
            "columnKind": "unicodeCodePoints",
        }
        document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        import json  # here: a text report never needs it

        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
