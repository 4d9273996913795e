"""The help answered from ``envguard/pages.json`` is byte for byte what typer prints, in every
terminal and pipe the kept page is served to, and typer answers everywhere else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from envguard import pages

#: the top level, a command with many options, a group and a sub-command
PATHS = [[], ["check"], ["schema"], ["schema", "init"]]


def _both(
    path: list[str], tty: bool, columns: int = 80, env: dict[str, str] | None = None
) -> tuple[str, str]:
    fast = pages.printed_help(path, tty, columns, env, code=pages.ENTRY_POINT)
    slow = pages.printed_help(path, tty, columns, env, code=pages.TYPER)
    return fast, slow


def _kept() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(pages.FILE.read_text(encoding="utf-8"))["help"]
    return found


def test_every_command_has_a_kept_help() -> None:
    kept = _kept()  # the committed file, which test_pages holds equal to what build() makes
    assert sorted(kept) == sorted(" ".join(p) for p in pages.command_paths())
    assert {"", "check", "schema list", "hooks install"} <= set(kept)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "top")
def test_a_pipe_gets_what_typer_prints(path: list[str]) -> None:
    fast, slow = _both(path, tty=False)
    assert fast == slow
    assert "Usage: envguard" in fast and "\x1b[" not in fast


@pytest.mark.parametrize(
    ("columns", "env"),
    [
        (80, {}),
        (132, {}),  # wider windows get the same 80 columns from typer as from the kept page
        (80, {"TERM": "xterm"}),
        (80, {"TERM": "screen", "COLORTERM": "truecolor"}),
        (100, {"TERM": "linux"}),
    ],
)
@pytest.mark.parametrize("path", PATHS[:2], ids=lambda p: " ".join(p) or "top")
def test_a_terminal_gets_what_typer_prints(path: list[str], columns: int, env: dict[str, str]) -> None:
    fast, slow = _both(path, tty=True, columns=columns, env=env)
    assert fast == slow
    assert "\x1b[" in fast  # in colour, as rich writes to a terminal


@pytest.mark.parametrize(
    ("columns", "env"),
    [
        (60, {}),  # narrower than the kept page: typer wraps it to the window
        (80, {"NO_COLOR": "1"}),
        (80, {"COLUMNS": "100"}),
        (80, {"TERMINAL_WIDTH": "120"}),
        (80, {"FORCE_COLOR": "1"}),
        (80, {"TERM": "dumb"}),
    ],
)
def test_elsewhere_typer_prints_it(columns: int, env: dict[str, str]) -> None:
    fast, slow = _both(["check"], tty=True, columns=columns, env=env)
    assert fast == slow


def test_only_plain_help_invocations_are_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    for name in pages._RENDER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    pipe = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    assert pages.help_page(["check", "--help"], pipe) == _kept()["check"]["pipe"]
    assert pages.help_page(["-h"], io.TextIOWrapper(io.BytesIO(), encoding="latin-1")) is None
    for args in (["check", "--format", "json", "-h"], ["nope", "-h"], ["check"], [], ["-h", "check"]):
        assert pages.help_page(args, pipe) is None
