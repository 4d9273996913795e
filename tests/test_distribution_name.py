"""The distribution is ``envguard-dotenv`` (``envguard`` on the package index is another project):
every documented install command says so."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).parent.parent
NAME = "envguard-dotenv"
DOCS = [
    REPO / "README.md",
    REPO / ".pre-commit-hooks.yaml",
    *sorted((REPO / "examples").glob("*")),
    *sorted((REPO / "docs").glob("*.md")),
]


def test_pyproject_names_the_distribution() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == NAME
    assert project["scripts"]["envguard"] == "envguard.launch:main"


def test_every_install_command_uses_the_distribution_name() -> None:
    wrong = re.compile(r"pipx? install ['\"]?envguard(?!-dotenv)\b")
    found = [
        f"{p.name}:{n}: {line.strip()}"
        for p in DOCS
        if p.is_file()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if wrong.search(line)
    ]
    assert not found, found


def test_ci_runs_the_linters_from_the_lint_extra_and_the_quick_start_command() -> None:
    run = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    quick = next(line for line in readme.splitlines() if line.endswith(".venv/bin/python -m pytest"))
    assert quick in run.splitlines()
    for command in (
        "ruff check envguard tests benchmarks",
        "ruff format --check envguard tests benchmarks",
        "mypy envguard",
    ):
        assert f".venv/bin/{command}" in run, command
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert {r.split(">")[0] for r in extras["lint"]} == {"ruff", "mypy"}
    assert "[test,lint]" in run
