"""The listings answered from ``envguard/pages.json``: current, and byte for byte the CLI's output."""

from __future__ import annotations

import subprocess
import sys

import pytest
from gitrepos import VENV_BIN

from envguard import pages


def test_committed_pages_are_current() -> None:
    # stale after a change to a rule or a built-in schema: run `python -m envguard.pages`
    assert pages.FILE.read_text(encoding="utf-8") == pages.text()


def _run(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, capture_output=True, timeout=60)


@pytest.mark.parametrize(
    "args",
    [
        ["rules"],
        ["rules", "--format", "json"],
        ["rules", "-f", "text"],
        ["rule", "EG201"],
        ["rule", "eg334"],
        ["rule", "secret-in-history"],
        ["schema", "list"],
        ["rule", "EG999"],
        ["rules", "-f", "xml"],
    ],
)
def test_fast_path_prints_what_the_cli_prints(args: list[str]) -> None:
    fast = _run([str(VENV_BIN / "envguard"), *args])
    slow = _run(
        [sys.executable, "-c", "import sys; from envguard.cli import main; main(sys.argv[1:])", *args]
    )
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)


def test_only_plain_listings_are_answered() -> None:
    assert pages.page(["rules"]) is not None
    for args in (
        ["rules", "--help"],
        ["rule", "--help"],
        ["rule", "nope"],
        ["schema", "show", "django"],
        ["check"],
        [],
    ):
        assert pages.page(args) is None


def test_listings_import_neither_the_cli_nor_the_rules() -> None:
    code = (
        "import sys\nfrom envguard.launch import main\ntry:\n    main(['rule', 'EG201'])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('typer', 'pydantic', 'envguard.rules', 'envguard.cli')\n"
        "print(sorted(m for m in heavy if m in sys.modules),"
        " file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip() == "[]"
