"""The four report formats: golden files, the same findings in each, valid SARIF, colour, streams.

Golden runs select the syntax family only, so that rules added to other families do not change
them. Regenerate after a deliberate change with ``ENVGUARD_UPDATE_GOLDEN=1 pytest tests/formats``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fixtures_cli import Cli
from sarif_schema import check, validator

HERE = Path(__file__).parent
REPO = HERE.parent.parent
FIXTURE = Path("fixtures") / ".env.production"
GOLDEN = HERE / "golden"
FORMATS = ("text", "json", "sarif", "github")
EXAMPLE = REPO / "examples" / ".env.production"


def normalise(fmt: str, out: str) -> str:
    """Drop what legitimately changes between releases: the version, other families' rule docs."""
    if fmt != "sarif":
        return out
    document = json.loads(out)
    driver = document["runs"][0]["tool"]["driver"]
    driver["version"] = "VERSION"
    driver["rules"] = [r for r in driver["rules"] if r["id"].startswith("EG1")]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(cli: Cli, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # a fixed key: golden fingerprints are stable, and no key file is made inside the repository
    monkeypatch.setenv("ENVGUARD_FINGERPRINT_KEY", "golden-files")
    result = cli("check", FIXTURE, "--select", "syntax", "--format", fmt, cwd=HERE)
    assert result.code == 1
    golden = GOLDEN / f"check.{fmt}"
    if fmt == "sarif":
        check(result.out)
    out = normalise(fmt, result.out)
    if os.environ.get("ENVGUARD_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def located(fmt: str, out: str) -> list[tuple[str, int, int | None]]:
    """(code, line, column) of every finding, read back from the rendered report."""
    if fmt == "text":
        pattern = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<code>EG\d{3}) ", re.M)
    elif fmt == "github":
        pattern = re.compile(
            r"^::(?:error|warning|notice) file=[^,]+,line=(?P<line>\d+)(?:,col=(?P<col>\d+))?,"
            r"title=(?P<code>EG\d{3}) ",
            re.M,
        )
    else:
        findings = parse_structured(fmt, out)
        return [(f["code"], f["line"], f["column"]) for f in findings]
    return [(m["code"], int(m["line"]), int(m["col"]) if m["col"] else None) for m in pattern.finditer(out)]


def parse_structured(fmt: str, out: str) -> list[dict[str, Any]]:
    if fmt == "json":
        return list(json.loads(out)["findings"])
    results = check(out)["runs"][0]["results"]
    found = []
    for r in results:
        region = r["locations"][0]["physicalLocation"].get("region", {})
        found.append(
            {
                "code": r["ruleId"],
                "line": region.get("startLine"),
                "column": region.get("startColumn"),
                "key": r["properties"]["key"],
            }
        )
    return found


def reports(cli: Cli, path: Path, *args: str) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        result = cli("check", path, "--format", fmt, *args, cwd=REPO)
        assert result.code in (0, 1), result.err
        out[fmt] = result.out
    return out


@pytest.mark.parametrize("args", [("--select", "syntax"), ()], ids=["syntax", "every-rule"])
@pytest.mark.parametrize("path", [HERE / FIXTURE, EXAMPLE], ids=["fixture", "example"])
def test_the_four_formats_carry_the_same_findings(cli: Cli, path: Path, args: tuple[str, ...]) -> None:
    out = reports(cli, path, *args)
    expected = located("json", out["json"])
    assert expected
    for fmt in FORMATS:
        assert located(fmt, out[fmt]) == expected, fmt
    keys = [(f["code"], f["key"]) for f in parse_structured("json", out["json"])]
    assert [(f["code"], f["key"]) for f in parse_structured("sarif", out["sarif"])] == keys
    assert len(out["github"].splitlines()) == len(expected)


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    validated: jsonschema.protocols.Validator = validator()
    return validated


@pytest.mark.parametrize("args", [("--select", "syntax"), ()], ids=["syntax", "every-rule"])
@pytest.mark.parametrize("path", [HERE / FIXTURE, EXAMPLE], ids=["fixture", "example"])
def test_sarif_is_valid_located_and_describes_every_rule(
    cli: Cli, sarif_validator: jsonschema.protocols.Validator, path: Path, args: tuple[str, ...]
) -> None:
    result = cli("check", path, "--format", "sarif", *args, cwd=REPO)
    document = json.loads(result.out)
    errors = sorted(sarif_validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, errors[0].message
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert run["results"]
    for r in run["results"]:
        assert r["ruleId"] in ids
        assert ids[r["ruleIndex"]] == r["ruleId"]
        physical = r["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        assert physical["region"]["startLine"] >= 1


def test_sarif_without_findings_is_valid(
    cli: Cli, sarif_validator: jsonschema.protocols.Validator, tmp_path: Path
) -> None:
    clean = tmp_path / ".env.production"
    clean.write_text("APP_NAME=Acme\n")
    result = cli("check", clean, "--format", "sarif", "--select", "syntax", cwd=tmp_path)
    assert result.code == 0
    document = json.loads(result.out)
    assert not list(sarif_validator.iter_errors(document))
    assert document["runs"][0]["results"] == []


def test_text_colour_only_when_forced(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = cli("check", FIXTURE, "--select", "syntax", cwd=HERE).out
    assert "\x1b[" not in plain
    forced = cli("check", FIXTURE, "--select", "syntax", "--color", cwd=HERE).out
    assert "\x1b[31m" in forced
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced) == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in cli("check", FIXTURE, "--select", "syntax", cwd=HERE).out
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli("check", FIXTURE, "--select", "syntax", cwd=HERE).out == plain
    assert "\x1b[" not in cli("check", FIXTURE, "--select", "syntax", "--no-color", cwd=HERE).out


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_on_stdout_summary_on_stderr(cli: Cli, fmt: str) -> None:
    result = cli("check", FIXTURE, "--select", "syntax", "--format", fmt, cwd=HERE)
    assert result.err_lines == ["Found 6 errors and 3 warnings in 1 file."]
    assert "Found" not in result.out
    if fmt in ("json", "sarif"):
        (check if fmt == "sarif" else json.loads)(result.out)
    quiet = cli("check", FIXTURE, "--select", "syntax", "--format", fmt, "--quiet", cwd=HERE)
    assert quiet.err == "" and quiet.out == result.out


def test_json_contract(cli: Cli) -> None:
    document = json.loads(cli("check", FIXTURE, "--select", "syntax", "-f", "json", cwd=HERE).out)
    assert document["version"] == 1
    assert set(document["summary"]) >= {"error", "warning", "info", "total", "files"}
    for finding in document["findings"]:
        assert set(finding) == {
            "file",
            "line",
            "column",
            "key",
            "code",
            "name",
            "category",
            "severity",
            "message",
            "hint",
            "fingerprint",
        }


def test_text_escapes_control_characters_in_keys_files_and_errors(cli: Cli, tmp_path: Path) -> None:
    from envguard import formats
    from envguard.findings import Category, Finding, Severity

    finding = Finding(
        file=".env.\x1b[31mprod",
        line=1,
        column=1,
        key="DEBUG\x1b[2J",
        code="EG401",
        name="debug-enabled",
        category=Category.DEBUG,
        severity=Severity.ERROR,
        message="DEBUG\x1b[2J\r\u202e is on",
        hint="turn it \x08off",
    )
    out = formats.get("text").render(formats.Report((finding,), (finding.file,), ()), color=True)
    assert "\x1b[2J" not in out and "\r" not in out and "\u202e" not in out and "\x08" not in out
    assert "DEBUG\\x1b[2J\\x0d\\u202e is on" in out and ".env.\\x1b[31mprod" in out
    result = cli("check", "missing-\x1b[2J.env", cwd=tmp_path)
    assert result.code == 2 and "\x1b" not in result.err and "missing-\\x1b[2J.env" in result.err
