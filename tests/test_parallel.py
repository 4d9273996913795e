"""A big tree is linted in worker processes: the report must be the one a sequential run gives.

``lint`` forks workers from ``PARALLEL_FILES`` files on (Linux, several CPUs). These tests lower
that threshold and force two workers, so they run the pool on any machine, and compare everything
``lint`` returns with a run that has no workers.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from fixtures_cli import Cli

from envguard import lint
from envguard.errors import InputError

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")

_BAD = [
    "APP_DEBUG=true",
    "APP_ENV=local",
    "APP_KEY=base64:YOUR_ACTUAL_APP_KEY_HERE",
    "DB_PASSWORD=secret",
    "CORS_ALLOWED_ORIGINS=*",
    "TRUSTED_PROXIES=*",
    "VITE_STRIPE_SECRET=sk_live_" + "a1B2c3D4e5F6g7H8i9J0k1L2",
    "SESSION_SECURE_COOKIE=false",
    "APP_URL=http://shop.acme-cloud.io",
    "LOG_LEVEL=debug",
    "MAIL_HOST=smtp.example.com",
    "APP_DEBUG=true",
    "export SPACED = 1",
    "lower_key=1",
    "NO_EQUALS",
]
_GOOD = ["APP_NAME=Shop", "APP_ENV=production", "DB_PORT=5432", "REDIS_HOST=10.0.0.5", "LOG_LEVEL=warning"]


def _tree(root: Path, files: int) -> Path:
    """``files`` env files in nested folders, a configuration with an override, an ignore directive
    and a compose file, so that per-folder configuration and labels are exercised too."""
    rng = random.Random(7)
    (root / "group1").mkdir(parents=True)
    (root / "group1" / "envguard.toml").write_text(
        'ignore = ["EG108"]\n[[overrides]]\nfiles = ["deploy/*"]\nselect = ["EG4"]\n'
    )
    (root / "compose.yaml").write_text(
        "services:\n  web:\n    environment:\n      DB_PASSWORD: hunter2\n      APP_DEBUG: 'true'\n"
    )
    names = (".env.production", ".env.staging", ".env", ".env.example", ".env.development")
    for i in range(files):
        folder = root / f"group{i % 3}" / f"app{i // 5}" / ("deploy" if i % 2 else "config")
        folder.mkdir(parents=True, exist_ok=True)
        lines = [rng.choice(_BAD + _GOOD) for _ in range(rng.randint(1, 12))]
        if i % 7 == 0:
            lines.append("DB_PASSWORD=changeme  # envguard: ignore[EG201]")
        (folder / names[i % len(names)]).write_text("\n".join(lines) + "\n")
    return root


def _collect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, root: Path, workers: int) -> lint.Result:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(lint, "PARALLEL_FILES", 2 if workers > 1 else 10**9)
    monkeypatch.setattr(lint, "_jobs", lambda files: workers if files >= 2 else 1)
    return lint.lint(lint.Request(paths=(root,)))


def test_workers_report_what_a_sequential_run_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "tree", 60)
    alone = _collect(tmp_path, monkeypatch, root, workers=1)
    shared = _collect(tmp_path, monkeypatch, root, workers=2)
    assert shared == alone
    # the comparison is not vacuous: many files, findings from several families, labels, configs
    assert len(alone.sources) == 61
    assert {f.code[:3] for f in alone.findings} >= {"EG1", "EG2", "EG4", "EG5", "EG6", "EG7", "EG8"}
    assert any("(service web)" in f.message for f in alone.findings)
    assert not any(f.code == "EG108" for f in alone.findings if f.file.startswith("tree/group1/"))


def test_an_error_in_a_worker_is_the_sequential_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "tree", 40)
    # two bad files: the report names the first in discovery order, as a sequential run does
    (root / "group0" / "app0" / "config" / "late.env").write_bytes(b"A=1\x00\x01")
    (root / "group0" / "app0" / "config" / "early.env").write_bytes(b"A=1\x00\x01")
    errors = []
    for workers in (1, 2):
        with pytest.raises(InputError) as caught:
            _collect(tmp_path, monkeypatch, root, workers)
        errors.append((type(caught.value), caught.value.message, caught.value.hint))
    assert errors[0] == errors[1]
    assert "early.env: binary file" in errors[0][1]


def test_cli_on_a_big_tree(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line on a tree past the threshold, with workers where the machine has CPUs."""
    root = _tree(tmp_path / "tree", lint.PARALLEL_FILES + 20)
    result = cli("check", "-f", "json", "tree", cwd=tmp_path)
    alone = _collect(tmp_path, monkeypatch, root, workers=1)
    shown = json.loads(result.out)
    found = shown["findings"] if isinstance(shown, dict) else shown
    assert result.code == 1
    assert [(f["file"], f["line"], f["code"]) for f in found] == [
        (f.file, f.line, f.code) for f in alone.findings
    ]
