"""``check --git`` where CI runs it: a repository without env files, a shallow clone, SARIF regions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import sarif_schema
from gitrepos import commit, envguard, environ, git, init


def test_git_check_of_a_repository_without_env_files_is_an_empty_valid_report(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, {"README.md": "hi\n", ".gitignore": ".env\n.env.*\n!.env.example\n"})
    done = envguard(repo, "check", ".", "--git", "--format", "sarif")
    assert done.returncode == 0, done.stderr
    assert sarif_schema.check(done.stdout)["runs"][0]["results"] == []
    assert "no env files found; checked the git repository only" in done.stderr
    plain = envguard(repo, "check", "--git", "--format", "json")
    assert plain.returncode == 0 and json.loads(plain.stdout)["findings"] == []
    missing = envguard(repo, "check", "nothere", "--git")
    assert missing.returncode == 2 and "nothere: no such file or folder" in missing.stderr


def test_file_level_findings_carry_a_region(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, {"README.md": "hi\n"})  # no .gitignore: EG332, about a whole file
    done = envguard(repo, "check", "--git", "--format", "sarif")
    results = sarif_schema.check(done.stdout)["runs"][0]["results"]
    assert "EG332" in [r["ruleId"] for r in results]
    for r in results:
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_shallow_clone_warns_that_history_was_not_scanned(tmp_path: Path) -> None:
    origin = init(tmp_path / "origin")
    commit(origin, {"README.md": "one\n"})
    commit(origin, {"README.md": "two\n"})
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "shallow")
    shallow = envguard(tmp_path / "shallow", "check", "--git")
    warned = [line for line in shallow.stderr.splitlines() if "shallow" in line]
    assert len(warned) == 1 and "git fetch --unshallow" in warned[0] and "fetch-depth: 0" in warned[0]
    full = envguard(origin, "check", "--git")
    assert "shallow" not in full.stderr


def test_dash_capital_v_is_the_version(tmp_path: Path) -> None:
    short, long = envguard(tmp_path, "-V"), envguard(tmp_path, "--version")
    assert short.returncode == 0 and short.stdout == long.stdout and short.stdout.startswith("envguard ")


def test_shell_completion_is_offered_and_completes_commands_and_options(tmp_path: Path) -> None:
    # typer finds the shell among the parent processes, as when a user types it at a bash prompt
    # (a second command keeps bash from exec-ing envguard in its place)
    at_prompt = "envguard --show-completion; exit $?"
    script = subprocess.run(
        ["bash", "-c", at_prompt], cwd=tmp_path, env=environ(), capture_output=True, text=True
    )
    assert script.returncode == 0 and "_envguard_completion" in script.stdout, script.stderr
    commands = envguard(
        tmp_path, _ENVGUARD_COMPLETE="complete_bash", COMP_WORDS="envguard ch", COMP_CWORD="1"
    )
    assert commands.returncode == 0 and commands.stdout.split() == ["check"]
    options = envguard(
        tmp_path, _ENVGUARD_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="envguard check --fo"
    )
    assert options.returncode == 0 and '"--format"' in options.stdout
    help_text = envguard(tmp_path, "-h").stdout
    assert "--install-completion" in help_text and "<bool>" not in help_text
