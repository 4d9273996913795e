"""``check --git`` over a history with renames, deletions, merges, binary files and odd names.

The expected report was recorded with the first implementation (a ``git log --name-only`` listing
and one ``cat-file`` line per ``commit:path``); the single-stream reader must give it byte for byte.
A path with a newline broke that implementation (the ``cat-file`` request split in two and every
later version was read as its neighbour's); blobs are now asked for by object id.
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
from pathlib import Path

import pytest
from gitrepos import environ, init

from envguard import sources

GOLDEN = Path(__file__).parent / "fixtures" / "githistory-report.json"
STRONG = "Zq8vR2mK9xLp4TnW7yBc3HdF6jGs5QaE"


def _git(repo: Path, step: int, *args: str) -> None:
    when = f"{1_700_000_000 + step * 60} +0000"
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env=environ(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when),
    )


def _commit(repo: Path, step: int, files: dict[str, bytes | None], message: str) -> None:
    for name, data in files.items():
        path = repo / name
        if data is None:
            _git(repo, step, "rm", "-q", "--", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        _git(repo, step, "add", "-f", "--", name)
    _git(repo, step, "commit", "-q", "--no-verify", "--allow-empty", "-m", message)


def _history(repo: Path, odd: dict[str, bytes] | None = None) -> None:
    init(repo)
    _commit(
        repo,
        1,
        {
            **(odd or {}),
            ".gitignore": b"node_modules/\n",
            ".env.production": f"APP_KEY={STRONG}\nDB_PASSWORD={STRONG[::-1]}\n".encode(),
            "with space/.env.staging": f"API_SECRET={STRONG}x\n".encode(),
            "caf\u00e9/.env": f"DB_PASSWORD={STRONG}y\n".encode(),
            "bin/.env.production": b"\0\x01binary SECRET_KEY=" + STRONG.encode(),
            "README.md": f"SECRET_KEY={STRONG}\n".encode(),
        },
        "one",
    )
    _commit(repo, 2, {".env.production": f"APP_KEY={STRONG}\nDB_PASSWORD=changed{STRONG}\n".encode()}, "two")
    (repo / "moved").mkdir()
    _git(repo, 3, "mv", "with space/.env.staging", "moved/prod.env")
    _commit(repo, 3, {}, "rename")
    _commit(repo, 4, {"caf\u00e9/.env": None, "bin/.env.production": None}, "delete")
    _git(repo, 5, "checkout", "-q", "-b", "side")
    _commit(
        repo,
        5,
        {
            "side/.env.production": f"STRIPE_SECRET=sk_live_{STRONG}\n".encode(),
            ".env.keys": b"DOTENV_PRIVATE_KEY=" + b"ab" * 32 + b"\n",
        },
        "side",
    )
    _git(repo, 6, "checkout", "-q", "main")
    _commit(repo, 6, {".env.example": b"APP_KEY=change-me\n"}, "main again")
    _git(repo, 7, "merge", "-q", "--no-ff", "-m", "merge", "side")
    _git(repo, 8, "checkout", "-q", "-b", "gone")
    _commit(repo, 8, {"gone/.env.production": f"MAIL_PASSWORD={STRONG}q\n".encode()}, "gone")
    _git(repo, 9, "checkout", "-q", "main")


def _report(repo: Path) -> str:
    done = subprocess.run(
        [str(Path(environ()["PATH"].split(":")[0]) / "envguard"), "check", ".", "--git", "--format", "json"],
        cwd=repo,
        # the key the recorded report was made with (a public constant then; per repository now)
        env=environ(ENVGUARD_FINGERPRINT_KEY="envguard-fingerprint-v1"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    return done.stdout


def test_history_report_is_unchanged(tmp_path: Path) -> None:
    _history(tmp_path / "repo")
    report = _report(tmp_path / "repo")
    assert json.loads(report)["findings"], "the history holds secrets"
    assert report == GOLDEN.read_text(encoding="utf-8")


def test_a_newline_in_a_path_does_not_shift_the_versions(tmp_path: Path) -> None:
    _history(tmp_path / "repo", {"new\nline/.env.production": f"JWT_SECRET={STRONG}z\n".encode()})
    found = json.loads(_report(tmp_path / "repo"))["findings"]
    history = {(f["file"], f["key"]) for f in found if f["code"] == "EG334"}
    assert ("new\nline/.env.production", "JWT_SECRET") in history
    assert history - {("new\nline/.env.production", "JWT_SECRET")} == {
        (f["file"], f["key"])
        for f in json.loads(GOLDEN.read_text(encoding="utf-8"))["findings"]
        if f["code"] == "EG334"
    }


def test_a_big_history_judged_in_workers_reports_what_one_process_reports(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    files: dict[str, bytes | None] = {
        f"app{i}/{'.env.production' if i % 2 else '.env.staging'}": f"API_SECRET={STRONG}{i}\n".encode()
        for i in range(240)
    }
    init(repo)
    _commit(repo, 1, files, "many")
    _commit(repo, 2, {name: b"API_SECRET=${API_SECRET}\n" for name in list(files)[::3]}, "referenced")
    argv = [str(Path(environ()["PATH"].split(":")[0]) / "envguard"), "check", "--git", "--format", "json"]
    alone = subprocess.run(
        ["taskset", "-c", "0", *argv], cwd=repo, env=environ(), capture_output=True, text=True
    )
    shared = subprocess.run(argv, cwd=repo, env=environ(), capture_output=True, text=True)
    assert alone.returncode == shared.returncode == 1, alone.stderr + shared.stderr
    assert len(json.loads(alone.stdout)["findings"]) > 240
    assert shared.stdout == alone.stdout


@pytest.mark.parametrize(
    "name",
    [
        ".env",
        ".env.production",
        ".env.keys",
        ".envrc",
        ".env.vault",
        "prod.env",
        "env",
        ".environment",
        "x.env.bak",
        "a.envx",
        ".env.",
        "my .env",
    ],
)
def test_the_pathspecs_admit_what_is_env_file_admits(name: str) -> None:
    by_glob = any(fnmatch.fnmatchcase(name, glob) for glob in sources.ENV_FILE_GLOBS)
    assert sources.is_env_file(name) == (by_glob and name not in sources.NOT_ENV_FILES)


_GIT_CODES = ("EG330", "EG331", "EG333", "EG334")


def _git_findings(repo: Path, *args: str) -> list[dict[str, object]]:
    done = envguard_in(repo, "check", *args, "--git", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return [f for f in json.loads(done.stdout)["findings"] if f["code"] in _GIT_CODES]


def envguard_in(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(environ()["PATH"].split(":")[0]) / "envguard"), *args],
        cwd=repo,
        env=environ(ENVGUARD_FINGERPRINT_KEY="envguard-fingerprint-v1"),
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("flags", [(), ("--env", "development"), ("--schema", "laravel")])
def test_history_judged_from_the_working_tree_reports_what_history_alone_reports(
    tmp_path: Path, flags: tuple[str, ...]
) -> None:
    """``check . --git`` takes the tree's judgement of a file for the blob of its bytes; ``check
    --git`` in a folder without env files judges every blob from git. The two agree: on files
    whose environment comes from the configuration, examples, PEM blocks, encrypted values opened
    with a key at hand, a file changed since its commit, and under flags that judge the tree
    differently from history."""
    repo = tmp_path / "repo"
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----"
    files = {
        "envguard.toml": b'[env]\n"deploy/*.env" = "production"\n',
        "api/.env.production": f"APP_KEY={STRONG}\nDB_PASSWORD=changeme\nAPI_TOKEN={STRONG}t\n".encode(),
        "api/.env.staging": f'JWT_SECRET={STRONG}s\nTLS_KEY="{pem}"\n\n{pem}\n'.encode(),
        "web/.env.example": f"STRIPE_SECRET=sk_live_{STRONG}\nSESSION_SECRET=change-me\n".encode(),
        "deploy/app.env": f"MAIL_PASSWORD={STRONG}m\nDB_PASSWORD={STRONG}d\nDB_PASSWORD=x{STRONG}\n".encode(),
        "edited/.env.production": f"REDIS_PASSWORD={STRONG}r\n".encode(),
        # the last API_KEY, once opened, is a path: the earlier plaintext one is no secret to
        # ``check``, while history, which cannot open it, judges it by its name
        "sealed/.env.production": b"API_KEY=/run/secrets/api.key\n",
    }
    init(repo)
    for name, data in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
    done = envguard_in(repo, "encrypt", "sealed/.env.production")
    assert done.returncode == 0, done.stderr
    sealed = repo / "sealed/.env.production"
    sealed.write_text(f"API_KEY={STRONG}k\n" + sealed.read_text(encoding="utf-8"), encoding="utf-8")
    _commit(repo, 1, {name: (repo / name).read_bytes() for name in files}, "one")
    (repo / "edited/.env.production").write_text(f"REDIS_PASSWORD={STRONG}changed\n", encoding="utf-8")
    (repo / "loose").mkdir()  # never committed, not ignored: EG331 counts its secrets
    (repo / "loose/.env.production").write_text(f"API_SECRET={STRONG}l\nDB_PASSWORD=x{STRONG}\n")
    (repo / "loose/sealed").mkdir()  # never committed, encrypted: no EG331
    (repo / "loose/sealed/.env.production").write_text(f"API_SECRET={STRONG}u\n")
    done = envguard_in(repo, "encrypt", "loose/sealed/.env.production")
    assert done.returncode == 0, done.stderr
    seeded = _git_findings(repo, ".", *flags)
    alone = _git_findings(repo, *flags)
    assert {f["code"] for f in alone} >= {"EG330", "EG331", "EG334"}
    assert len([f for f in alone if f["code"] == "EG334"]) >= 6
    assert [f["file"] for f in alone if f["code"] == "EG331"] == ["loose/.env.production"]
    assert seeded == alone


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_a_tree_file_is_judged_under_the_blob_id_and_path_history_lists(
    tmp_path: Path, object_format: str
) -> None:
    import os

    from envguard import envfile, githistory
    from envguard.findings import Environment
    from envguard.gitrepo import Git
    from envguard.model import Run
    from envguard.schema import GENERIC

    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, 0, "init", "-q", "-b", "main", f"--object-format={object_format}")
    data = f"API_SECRET={STRONG}\r\nDB_PASSWORD=caf\u00e9{STRONG}\n".encode()
    _commit(repo, 1, {"sub dir/.env.production": data}, "one")
    run = Run(b"k" * 32)
    blobs = githistory.Blobs(Git(repo), run)
    path = repo / "sub dir" / ".env.production"
    ctx = sources.file_context(envfile.read(path), Environment.PRODUCTION, GENERIC, "shown", run)
    seed = blobs.judge_file(ctx, data, os.path.realpath(path))
    [listed] = githistory.versions(blobs.git)
    assert seed is not None
    blob, relative, judged = seed
    assert (blob, relative) == (listed.blob, listed.path)
    assert judged is not None and [e.key for e in judged.exposures] == ["API_SECRET", "DB_PASSWORD"]
    assert blobs.judge_file(ctx, data, str(tmp_path / "elsewhere" / ".env.production")) is None


def test_a_file_on_stdin_with_git_is_judged_and_history_scanned(tmp_path: Path) -> None:
    """``check - --git`` lints stdin and the repository; the tree's hand-over to history is only
    made for files on disk (it once failed with an internal error here)."""
    repo = tmp_path / "repo"
    init(repo)
    _commit(repo, 1, {".env.production": f"DB_PASSWORD={STRONG}\n".encode()}, "one")
    done = subprocess.run(
        [str(Path(environ()["PATH"].split(":")[0]) / "envguard"), "check", "-", "--git", "--format", "json"],
        cwd=repo,
        env=environ(),
        input="APP_DEBUG=true\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    codes = {f["code"] for f in json.loads(done.stdout)["findings"]}
    assert {"EG330", "EG334"} <= codes
    assert "EG401" in codes  # APP_DEBUG=true, from stdin
