"""Running the real CLI in-process: ``run_envguard("get", "KEY")`` -> (exit code, stdout, stderr)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from envguard.cli import main

Result = tuple[int, str, str]
RunEnvguard = Callable[..., Result]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def run_envguard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> RunEnvguard:
    """Run ``envguard ARGS`` in ``tmp_path`` with no private keys in the environment.

    ``stdin`` is the text on standard input (None: an interactive terminal).
    """
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("DOTENV_PRIVATE_KEY"):
            monkeypatch.delenv(name)

    def run(*args: str, stdin: str | None = None) -> Result:
        monkeypatch.setattr(sys, "stdin", _Terminal() if stdin is None else io.StringIO(stdin))
        capfd.readouterr()
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 0
        else:
            code = 0
        out, err = capfd.readouterr()
        return code, out, err

    return run
