"""The repository's GitHub Action (``action.yml``), its steps run as a runner runs them.

Each ``run:`` step goes to bash with the step's ``env:``, ``${{ inputs.* }}`` and
``${{ github.action_path }}`` substituted, and the files a runner provides (``GITHUB_OUTPUT``,
``GITHUB_PATH``, ``RUNNER_TEMP``), in throw-away git repositories: with and without env files,
shallow and full. The install step installs the action's own checkout (``version: local``) once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import sarif_schema
import yaml
from gitrepos import commit, environ, git, init

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
_EXPR = re.compile(r"\$\{\{\s*(inputs\.[\w-]+|github\.action_path)\s*\}\}")

pytestmark = pytest.mark.slow


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = ACTION["runs"]["steps"]
    return steps


def _substitute(text: str, inputs: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(ROOT) if name == "github.action_path" else inputs[name.removeprefix("inputs.")]

    return _EXPR.sub(value, text)


class Runner:
    """What a runner gives a composite action's steps: its files, the PATH it grows, the outputs."""

    def __init__(self, temp: Path) -> None:
        self.temp = temp
        self.path: list[str] = []

    def run(self, repo: Path, given: dict[str, str] | None = None) -> tuple[int, dict[str, str], str, str]:
        inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        inputs.update(given or {})
        output = repo.parent / f"{repo.name}-output"
        path_file = repo.parent / f"{repo.name}-path"
        output.write_text("")
        stdout = stderr = ""
        for step in _steps():
            path_file.write_text("")
            env = environ(
                GITHUB_OUTPUT=str(output),
                GITHUB_PATH=str(path_file),
                RUNNER_TEMP=str(self.temp),
                GITHUB_WORKSPACE=str(repo),
                GITHUB_ACTIONS="true",
                PATH=os.pathsep.join([*self.path, os.environ["PATH"]]),
                **{k: _substitute(str(v), inputs) for k, v in step.get("env", {}).items()},
            )
            assert step["shell"] == "bash"
            done = subprocess.run(
                ["bash", "-e", "-c", _substitute(step["run"], inputs)],
                cwd=repo,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            stdout, stderr = stdout + done.stdout, stderr + done.stderr
            self.path = [*path_file.read_text().split(), *self.path]
            if done.returncode != 0:
                return done.returncode, _outputs(output), stdout, stderr
        return 0, _outputs(output), stdout, stderr


def _outputs(file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in file.read_text().splitlines() if "=" in line)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    """One runner for the module: the install step's venv is made once and reused, as on a runner."""
    return Runner(tmp_path_factory.mktemp("runner-temp"))


def _repo(base: Path, files: dict[str, str]) -> Path:
    repo = init(base / "origin")
    commit(
        repo,
        {"README.md": "app\n", ".gitignore": ".env\n.env.*\n!.env.example\n.env.keys\n", **files},
        "first",
        force=True,
    )
    commit(repo, {"src/app.py": "print('hi')\n"}, "second")
    return repo


def test_the_action_declares_what_the_readme_says() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"paths", "schema", "env", "format", "fail-on", "version"}
    assert ACTION["inputs"]["format"]["default"] == "sarif" and "sarif" in ACTION["outputs"]
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version and ACTION["inputs"]["version"]["default"] == version.group(1)


def test_a_repository_without_env_files_gets_an_empty_valid_sarif(runner: Runner, tmp_path: Path) -> None:
    repo = _repo(tmp_path, {})
    status, outputs, _, stderr = runner.run(repo, {"version": "local"})
    assert status == 0, stderr
    report = json.loads(Path(outputs["sarif"]).read_text())
    assert sarif_schema.errors(report) == []
    assert report["runs"][0]["results"] == []
    assert "::warning" not in stderr


def test_findings_fail_the_step_and_the_sarif_is_still_written(runner: Runner, tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"deploy/.env.production": "APP_ENV=production\nAPP_DEBUG=true\n"})
    status, outputs, _, _ = runner.run(repo, {"version": "local"})
    assert status == 1
    report = json.loads(Path(outputs["sarif"]).read_text())
    assert sarif_schema.errors(report) == []
    assert "EG401" in {r["ruleId"] for r in report["runs"][0]["results"]}
    quiet, _, _, _ = runner.run(repo, {"version": "local", "fail-on": "never"})
    assert quiet == 0


def test_a_shallow_clone_is_warned_about_on_stderr_and_as_an_annotation(
    runner: Runner, tmp_path: Path
) -> None:
    origin = _repo(tmp_path, {})
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow))
    status, _, stdout, stderr = runner.run(shallow, {"version": "local"})
    assert status == 0
    assert "::warning title=envguard::" in stdout and "shallow" in stderr and "fetch-depth: 0" in stderr
    full = tmp_path / "full"
    git(tmp_path, "clone", "-q", f"file://{origin}", str(full))
    status, _, stdout, stderr = runner.run(full, {"version": "local"})
    assert status == 0 and "::warning" not in stdout and "shallow" not in stderr


def test_github_format_annotates_and_inputs_reach_the_check(runner: Runner, tmp_path: Path) -> None:
    repo = _repo(tmp_path, {"config/app.env": "APP_DEBUG=true\n"})
    status, outputs, stdout, _ = runner.run(
        repo, {"version": "local", "format": "github", "env": "production", "paths": "config"}
    )
    assert status == 1 and outputs["report"] == "" and outputs["sarif"] == ""
    assert "::error file=config/app.env,line=1" in stdout and "EG401" in stdout
