"""The distribution is ``envguard-dotenv`` (``envguard`` on the package index is another project):
every documented install command says so."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).parent.parent
NAME = "envguard-dotenv"
DOCS = [REPO / "README.md", REPO / ".pre-commit-hooks.yaml", *sorted((REPO / "examples").glob("*")),
        *sorted((REPO / "docs").glob("*.md"))]


def test_pyproject_names_the_distribution() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["name"] == NAME
    assert project["scripts"]["envguard"] == "envguard.launch:main"


def test_every_install_command_uses_the_distribution_name() -> None:
    wrong = re.compile(r"pipx? install ['\"]?envguard(?!-dotenv)\b")
    found = [f"{p.name}:{n}: {line.strip()}" for p in DOCS if p.is_file()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if wrong.search(line)]
    assert not found, found
