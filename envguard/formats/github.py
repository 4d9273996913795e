"""``--format github``: GitHub Actions workflow commands that annotate the pull request."""

from __future__ import annotations

from envguard.findings import Finding, Severity
from envguard.formats.base import Report

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One ``::error file=…,line=…,col=…,title=…::message`` command."""
    props = [f"file={_prop(finding.file)}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
        if finding.column is not None:
            props.append(f"col={finding.column}")
    props.append(f"title={_prop(f'{finding.code} {finding.name}')}")
    message = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
    return f"::{_LEVELS[finding.severity]} {','.join(props)}::{_data(message)}"


class GithubFormat:
    """Annotations for GitHub Actions logs and pull requests."""

    name = "github"

    def render(self, report: Report, *, color: bool = False) -> str:
        return "".join(annotation(f) + "\n" for f in report.findings)
