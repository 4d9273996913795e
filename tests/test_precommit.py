"""The ``.pre-commit-hooks.yaml`` hooks under the real pre-commit framework, and ``envguard protect``.

The framework needs the hooks in a git repository at a commit: a throwaway repository holds a
commit of the current work tree (uncommitted work included), once per session, with one shared
PRE_COMMIT_HOME so the hook environment is built once.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from gitrepos import VENV_BIN, commit, envguard, environ, git, init, write

from envguard.commands import protect
from envguard.errors import InputError
from envguard.findings import Environment

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("envguard", "schemas", "hooks", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
STRONG = "Xk9#mQ2vL8pR4tW7zN3b"
PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n"
GITIGNORE = ".env\n.env.*\n!.env.example\n.env.keys\n"
NETWORK_TROUBLE = (
    "Could not find a version",
    "Failed to establish",
    "Temporary failure in name resolution",
    "No matching distribution",
    "Network is unreachable",
)


# --- envguard protect, called directly --------------------------------------------------------------


def test_protect_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            ".env.production": f"APP_NAME=x\nSTRIPE_SECRET_KEY={STRONG}\n",
            ".env.development": f"DB_PASSWORD={STRONG}\n",
            "certs/server.pem": PEM,
        },
    )
    code = protect.protect((Path(".env.production"), Path(".env.development"), Path("certs/server.pem")))
    out, err = capsys.readouterr()
    assert code == 1 and STRONG not in out + err
    assert out.splitlines()[0].startswith(".env.production:2: STRIPE_SECRET_KEY holds a plaintext secret")
    assert out.splitlines()[1].startswith("certs/server.pem:1: holds a PEM private key")
    assert len(out.splitlines()) == 2 and "refused 2 files" in err


def test_protect_env_option_and_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"app.env": f"DB_PASSWORD={STRONG}\n"})
    assert protect.protect((Path("app.env"),), Environment.DEVELOPMENT) == 0
    assert protect.protect((Path("app.env"),)) == 1  # an unknown name is production: be strict
    with pytest.raises(InputError, match="no such file"):
        protect.protect((Path(".env.staging"),))
    assert protect.protect((Path("ops/.env.keys"),)) == 1  # refused by its name, never read


def test_protect_follows_the_project_configuration(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.envguard]\nenv = { "deploy/*.env" = "development" }\n',
            "deploy/web.env": f"DB_PASSWORD={STRONG}\n",
        },
    )
    done = envguard(tmp_path, "protect", "deploy/web.env")
    assert done.returncode == 0, done.stdout + done.stderr


# --- the real pre-commit framework -------------------------------------------------------------------


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A throwaway repository holding a commit of this work tree; (path, commit)."""
    repo = init(tmp_path_factory.mktemp("envguard-hooks") / "envguard")
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "envguard under test")
    return repo, git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str]) -> Iterator[Path]:
    """A project using both hooks from the throwaway repository."""
    path, rev = hook_repo
    config = (
        f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n"
        "      - id: envguard-check\n      - id: envguard-protect\n"
    )
    repo = init(tmp_path / "project")
    commit(repo, {".pre-commit-config.yaml": config, ".gitignore": GITIGNORE}, "use envguard")
    yield repo


def run_hooks(repo: Path, home: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """Stage ``paths`` (ignored ones too) and run ``pre-commit run`` on what is staged."""
    git(repo, "add", "-f", "--", *paths)
    done = subprocess.run(
        [str(VENV_BIN / "pre-commit"), "run", "--color", "never"],
        cwd=repo,
        env=environ(PRE_COMMIT_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if "An unexpected error has occurred" in done.stdout + done.stderr and any(
        t in done.stdout + done.stderr for t in NETWORK_TROUBLE
    ):
        pytest.skip("pre-commit could not install envguard's dependencies (no package index)")
    return done


def _section(output: str, hook: str) -> str:
    """The part of pre-commit's output that belongs to one hook."""
    start = output.index(hook)
    rest = output[start + len(hook) :]
    nxt = rest.find("envguard ", 1)
    return rest if nxt < 0 else rest[:nxt]


@pytest.mark.slow
def test_debug_flag_and_placeholder_are_blocked(project: Path, pre_commit_home: Path) -> None:
    write(project, {".env.production": "APP_NAME=shop\nAPP_DEBUG=true\nAPP_KEY=base64:YOUR_APP_KEY_HERE\n"})
    done = run_hooks(project, pre_commit_home, ".env.production")
    assert done.returncode == 1
    check = _section(done.stdout, "envguard check")
    assert "Failed" in check
    assert ".env.production:2:11: EG401" in check and "APP_DEBUG" in check
    assert ".env.production:3" in check and "APP_KEY" in check


@pytest.mark.slow
def test_plaintext_secret_blocked_then_encrypted_passes(project: Path, pre_commit_home: Path) -> None:
    write(project, {"deploy/.env.production": f"APP_ENV=production\nDB_PASSWORD={STRONG}\n"})
    done = run_hooks(project, pre_commit_home, "deploy/.env.production")
    assert done.returncode == 1 and STRONG not in done.stdout + done.stderr
    guard = _section(done.stdout, "envguard protect")
    assert "Failed" in guard and "deploy/.env.production:2: DB_PASSWORD holds a plaintext secret" in guard
    assert envguard(project / "deploy", "encrypt", ".env.production").returncode == 0
    again = run_hooks(project, pre_commit_home, "deploy/.env.production")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("Passed") == 2


@pytest.mark.slow
def test_example_of_placeholders_passes(project: Path, pre_commit_home: Path) -> None:
    example = (
        "APP_KEY=\nDB_PASSWORD=your-password-here\nSTRIPE_SECRET_KEY=sk_live_your-key-here\nAPP_DEBUG=false\n"
    )
    write(project, {"api/.env.example": example})
    done = run_hooks(project, pre_commit_home, "api/.env.example")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_keys_file_and_real_example_credential_are_blocked(project: Path, pre_commit_home: Path) -> None:
    live = "sk_live_51Hc2q8LmN3pQ4rS5tU6vW7xY8zA9bC0dE1fG2hI3jK"
    write(
        project, {".env.keys": "DOTENV_PRIVATE_KEY=0123abcd\n", ".env.example": f"STRIPE_SECRET_KEY={live}\n"}
    )
    done = run_hooks(project, pre_commit_home, ".env.keys", ".env.example")
    assert done.returncode == 1
    guard = _section(done.stdout, "envguard protect")
    assert ".env.keys: .env.keys holds the private keys" in guard
    assert ".env.example:1: STRIPE_SECRET_KEY holds a real-looking credential" in done.stdout
    assert live not in done.stdout + done.stderr and "0123abcd" not in done.stdout + done.stderr


# --- this repository's own configuration --------------------------------------------------------------


def test_own_config_checks_the_good_examples_and_skips_the_demo(tmp_path: Path) -> None:
    repo = init(tmp_path / "copy")
    for name in (".pre-commit-config.yaml", "examples/.env.example", "examples/.env.production"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    git(repo, "add", "-A")
    done = subprocess.run(
        [str(VENV_BIN / "pre-commit"), "run", "--color", "never", "--all-files"],
        cwd=repo,
        env=environ(PRE_COMMIT_HOME=str(tmp_path / "home")),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Passed") == 2
    demo = envguard(repo, "protect", "examples/.env.production")
    assert demo.returncode == 1  # the demo is skipped by choice, not because it would pass


def test_workflow_example_uploads_sarif_and_pushes_with_secrets() -> None:
    import yaml

    flow = yaml.safe_load((ROOT / "examples/github-workflow.yml").read_text())
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    (check,) = [s for s in steps if s.get("uses", "").startswith("envguard/envguard@")]
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert check["uses"] == f"envguard/envguard@v{action['inputs']['version']['default']}"
    assert action["inputs"]["format"]["default"] == "sarif" and "id" in check
    (push,) = [s for s in steps if s.get("run", "").startswith("envguard push")]
    assert all(v.startswith("${{ secrets.") for v in push["env"].values())
